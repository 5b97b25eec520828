"""Talking to Discord: private replies, errors as one line, and the core's `Outbox`.

Rules kept here so no handler can forget them: everything before Post is
ephemeral, mentions are never allowed, and errors become a short private
message (never a traceback) while the bot keeps running.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, Protocol, cast

import discord

from llumi_core.context import AppContext
from llumi_core.domain import Actor, CommunityConfig, Draft, Platform, Post, PostRef
from llumi_core.errors import LlumiError, ModelBusy, ModelError, StorageError
from llumi_core.ports import Sent
from llumi_core.service import DraftService, PostChanged

from . import render
from .convert import channel_ids, post_from, target_channel_id

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
GENERIC_APOLOGY = "Sorry — something went wrong on our side. Nothing was posted; please try again."

Edit = Callable[[render.Rendered], Awaitable[None]]
P = ParamSpec("P")


class _HasApp(Protocol):
    app: AppContext


def app_of(interaction: discord.Interaction) -> AppContext:
    return cast(_HasApp, interaction.client).app


def service_of(interaction: discord.Interaction) -> DraftService:
    return app_of(interaction).service


async def community_for(interaction: discord.Interaction, community_id: str) -> CommunityConfig:
    return await service_of(interaction).community(Platform.DISCORD, community_id)


# --- private messages ----------------------------------------------------------------


async def send_private(
    interaction: discord.Interaction, rendered: render.Rendered | str
) -> discord.WebhookMessage | None:
    """An ephemeral message to the person who acted: the first response, or a followup."""
    if isinstance(rendered, str):
        rendered = render.Rendered(rendered)
    kwargs = render.message_kwargs(rendered, send=True)
    if interaction.response.is_done():
        return await interaction.followup.send(ephemeral=True, wait=True, **kwargs)
    await interaction.response.send_message(ephemeral=True, **kwargs)
    return None


async def new_private_message(interaction: discord.Interaction) -> Edit:
    """Create the requester's private message (after a defer) and return a function that edits it."""
    message: discord.WebhookMessage | None = None

    async def edit(rendered: render.Rendered) -> None:
        nonlocal message
        if message is None:
            kwargs = render.message_kwargs(rendered, send=True)
            message = await interaction.followup.send(ephemeral=True, wait=True, **kwargs)
        else:
            await message.edit(**render.message_kwargs(rendered))

    return edit


def edit_original(interaction: discord.Interaction) -> Edit:
    """Edit the private message a button or modal belongs to (after a `defer()` update)."""

    async def edit(rendered: render.Rendered) -> None:
        await interaction.edit_original_response(**render.message_kwargs(rendered))

    return edit


# --- errors ----------------------------------------------------------------------------


def user_message(err: BaseException) -> str:
    """What a person reads for an error: actionable and free of content and internals."""
    if isinstance(err, ModelBusy):
        return f"⏳ The assistant is {err.user_message}. Nothing was lost."
    if isinstance(err, ModelError):
        return f"⚠️ The model could not finish: {err.user_message}. Nothing was posted; you can retry."
    if isinstance(err, StorageError):
        return f"⚠️ Storage problem: {err.user_message}. Nothing was posted; please retry in a moment."
    if isinstance(err, LlumiError):
        return "⚠️ " + (capitalised(err.user_message) or "That could not be done.")
    if isinstance(err, discord.Forbidden):
        return "⚠️ I don't have permission to do that there; ask an admin to check my channel permissions."
    if isinstance(err, discord.NotFound):
        return "⚠️ That message or channel no longer exists (or I cannot see it)."
    return f"⚠️ {GENERIC_APOLOGY}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


async def report_error(interaction: discord.Interaction, err: BaseException) -> None:
    """Tell the person privately; log without content (type at WARNING, details at DEBUG)."""
    if isinstance(err, LlumiError):
        log.info("refused or failed: %s", type(err).__name__)
    else:
        log.warning("unexpected error in an interaction: %s", type(err).__name__)
        log.debug("details", exc_info=err)
    try:
        await send_private(interaction, user_message(err))
    except discord.HTTPException as http_err:  # the interaction token may have expired
        log.warning("could not tell the user about an error: %s", type(http_err).__name__)


def guarded(fn: Callable[P, Awaitable[None]]) -> Callable[P, Coroutine[Any, Any, None]]:
    """Every handler's safety net: any exception becomes a private message, never a crash."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        interaction = next(a for a in args if isinstance(a, discord.Interaction))
        try:
            await fn(*args, **kwargs)
        except Exception as err:
            await report_error(interaction, err)

    return wrapper


# --- the core's outbox -------------------------------------------------------------------


class DiscordOutbox:
    """What the core asks of Discord for one button press (see `llumi_core.ports.Outbox`)."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self._client = interaction.client
        self._guild_id = interaction.guild_id
        self._fetched: dict[str, discord.Message | None] = {}

    async def _message(self, ref: PostRef) -> discord.Message | None:
        """The post's message as it is now (fetched once per press), or None when deleted."""
        if ref.key not in self._fetched:
            channel = self._channel(ref)
            message = None
            if isinstance(channel, discord.abc.Messageable):
                with contextlib.suppress(discord.NotFound):
                    message = await channel.fetch_message(int(ref.message_id))
            self._fetched[ref.key] = message
        return self._fetched[ref.key]

    def _channel(self, ref: PostRef) -> object:
        channel_id = target_channel_id(ref)
        guild_id = int(ref.community_id) if ref.community_id.isdigit() else None
        return self._client.get_channel(channel_id) or self._client.get_partial_messageable(
            channel_id, guild_id=guild_id
        )

    async def places(self, ref: PostRef) -> tuple[str | None, ...]:
        message = await self._message(ref)
        return channel_ids(message.channel if message is not None else self._channel(ref))

    async def current_post(self, ref: PostRef) -> Post | None:
        message = await self._message(ref)
        return None if message is None else dataclasses.replace(post_from(message), ref=ref)

    async def reply(self, ref: PostRef, text: str) -> Sent:
        message = await self._message(ref)
        if message is None:
            raise PostChanged("the original post was deleted; nothing was posted", deleted=True)
        sent: list[discord.Message] = []
        try:
            parts = render.split_message(text)
            sent.append(await message.reply(parts[0], allowed_mentions=NO_MENTIONS, mention_author=False))
            for part in parts[1:]:
                sent.append(await message.channel.send(part, allowed_mentions=NO_MENTIONS))
        except Exception:
            for done in sent:  # never leave half a reply: the human retries the whole post
                with contextlib.suppress(discord.HTTPException):
                    await done.delete()
            raise
        return Sent(str(sent[0].id), sent[0].jump_url)

    async def alert(self, channel_id: str, draft: Draft, by: Actor) -> None:
        channel = self._client.get_partial_messageable(int(channel_id), guild_id=self._guild_id)
        text = render.alert(who_id=by.user_id, who_name=by.display_name, draft=draft)
        await channel.send(text, allowed_mentions=NO_MENTIONS)
