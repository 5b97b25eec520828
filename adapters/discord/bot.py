"""The discord.py client: registers commands and buttons, syncs, and serves until stopped."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord

from llumi_core.context import AppContext, PlatformUnavailable
from llumi_core.errors import ConfigError

from . import commands
from .views import DraftButton

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0


def intents() -> discord.Intents:
    """Guilds for channels and roles; message content to read a linked post and re-check it before posting."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    return wanted


class LlumiBot(discord.Client):
    """A client that carries the app (service, settings) to every handler."""

    def __init__(self, app: AppContext, ready: asyncio.Event | None = None, **options: Any) -> None:
        super().__init__(intents=intents(), allowed_mentions=discord.AllowedMentions.none(), **options)
        self.app = app
        self.tree = commands.CommandTree(self)
        self._ready_event = ready

    async def setup_hook(self) -> None:
        commands.build(self.tree)
        self.add_dynamic_items(DraftButton)  # buttons keep working after a restart
        guild_ids = self.app.settings.discord.guild_ids
        if guild_ids:
            for guild_id in guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d command(s) to guild %s", len(synced), guild_id)
            self.tree.clear_commands(guild=None)
        else:
            synced = await self.tree.sync()
            log.info("synced %d command(s) globally (may take up to an hour to appear)", len(synced))

    async def on_ready(self) -> None:
        for guild in self.guilds:
            log.info("serving guild %s (%s)", guild.name, guild.id)
        if self._ready_event is not None:
            self._ready_event.set()

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("joined guild %s (%s)", guild.name, guild.id)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        # Never crash on an event; no content in the log line.
        log.warning("error in event %s", event_method, exc_info=log.isEnabledFor(logging.DEBUG))


async def serve(
    app: AppContext,
    stop: asyncio.Event,
    *,
    ready: asyncio.Event | None = None,
    start_timeout_s: float = START_TIMEOUT_S,
    **options: Any,
) -> None:
    """Log in, sync commands, serve until `stop` is set, then close cleanly.

    `ready` is set once Discord accepted the token and the gateway is connected.
    A start-up failure is one line naming the cause (never the token).
    `options` go to `discord.Client` (tests pass a short `guild_ready_timeout`).
    """
    token = app.settings.discord.token
    if token is None or not token.get_secret_value().strip():
        raise ConfigError("[discord] has no token: set the environment variable LLUMI_DISCORD__TOKEN")
    connected = asyncio.Event()
    client = LlumiBot(app, connected, **options)
    runner = asyncio.create_task(client.start(token.get_secret_value().strip()), name="llumi-discord")
    stopper = asyncio.create_task(stop.wait(), name="llumi-discord-stop")
    timed_out = False
    try:
        started = asyncio.create_task(connected.wait())
        done, _ = await asyncio.wait(
            {runner, started, stopper}, timeout=start_timeout_s, return_when=asyncio.FIRST_COMPLETED
        )
        started.cancel()
        timed_out = not done
        if connected.is_set():
            if ready is not None:
                ready.set()
            await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        await client.close()
        await asyncio.wait({runner}, timeout=10)  # its outcome is read below, not raised here
    if not runner.done():
        runner.cancel()
    elif not runner.cancelled() and (err := runner.exception()) is not None and not timed_out:
        raise explain(err) from None
    if timed_out:  # the login never came back; closing the client ended it
        raise PlatformUnavailable.timed_out("discord", start_timeout_s)


def explain(err: BaseException) -> BaseException:
    """Discord's start-up errors as one line: the cause and what to check."""
    if isinstance(err, discord.LoginFailure):
        return ConfigError("[discord] the token was rejected by Discord; check LLUMI_DISCORD__TOKEN")
    if isinstance(err, discord.PrivilegedIntentsRequired):
        return ConfigError(
            "[discord] enable the Message Content intent for the bot in the Discord developer portal "
            "(Bot → Privileged Gateway Intents)"
        )
    if isinstance(err, TimeoutError):
        return PlatformUnavailable.timed_out("discord")
    if isinstance(err, aiohttp.ClientError | discord.GatewayNotFound | OSError):
        return PlatformUnavailable.unreachable("discord", err)
    if isinstance(err, discord.DiscordServerError):
        return PlatformUnavailable.failing("discord", err.status)
    return err
