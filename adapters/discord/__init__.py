"""Discord adapter: context menus, `/llumi` commands, private drafts, buttons that survive restarts.

`llumi run` imports this package and awaits `serve(app, stop)`. The adapter only
converts Discord objects, checks Discord permissions and renders; all decisions
are `llumi_core`'s.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.bootstrap import App


async def serve(app: App, stop: asyncio.Event, **options: Any) -> None:
    """Run the Discord bot until `stop` is set (see `adapters.discord.bot.serve`)."""
    from .bot import serve as _serve

    await _serve(app, stop, **options)


__all__ = ["serve"]
