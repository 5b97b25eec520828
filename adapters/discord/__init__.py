"""Discord adapter: context menus, `/llumi` commands, private drafts, buttons that survive restarts.

`llumi run` imports this package and awaits `serve(app, stop)`. The adapter only
converts Discord objects, checks Discord permissions and renders; all decisions
are `llumi_core`'s.

The bot needs the privileged **Message Content** intent: turn it on in the Discord
developer portal (Applications → your bot → Bot → Privileged Gateway Intents →
Message Content Intent). Without it Discord refuses the connection (the bot stops
with a ConfigError that says so), and it could not read a linked post's text or
re-check a post before replying. Bots in 100 or more servers need Discord's
approval for this intent. The other intents used (guilds, guild messages) are not
privileged.

For a post that may signal a crisis, the requester's first private message shows
the risk, the crisis resources and a working Escalate button before the model
writes anything; the draft and its other buttons follow.
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
