"""Discord adapter: context menus, `/llumi` commands, private drafts, buttons that survive restarts.

`llumi run` imports this package and awaits `serve(app, stop, ready=…)`. The
adapter only converts Discord objects, checks Discord permissions and renders;
every use case is one call to `llumi_core.service.DraftService`, with a
`DiscordOutbox` (`io.py`) for what Discord does on the core's behalf.

Imports run one way (checked by import-linter): `bot` → `commands` → `views` →
`modals` → `actions` → `io` → `render` → `convert`.

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

from .bot import serve

__all__ = ["serve"]
