"""The Telegram adapter (python-telegram-bot 22): drafts in the requester's private chat.

`llumi run` imports this package and awaits `serve(app, stop)`.
"""

from __future__ import annotations

from .application import RateLimits, build_application, serve

__all__ = ["RateLimits", "build_application", "serve"]
