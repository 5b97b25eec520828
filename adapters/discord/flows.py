"""Shared steps of every interaction: private replies, errors, streaming, finding the post.

Rules kept here so no handler can forget them: everything before Post is
ephemeral, mentions are never allowed, and errors become a short private
message (never a traceback) while the bot keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import discord

from llumi_core.domain import Actor, CommunityConfig, Draft, DraftKind, DraftResult, Platform, Post, PostRef
from llumi_core.errors import LlumiError, ModelBusy, ModelError, NotAllowed, StorageError
from llumi_core.service import OnStart, OnText

from . import render
from .convert import post_from, target_channel_id
from .views import make_view

if TYPE_CHECKING:
    from bot.bootstrap import App

    from .bot import LlumiBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
GENERIC_APOLOGY = "Sorry — something went wrong on our side. Nothing was posted; please try again."

Edit = Callable[[render.Rendered], Awaitable[None]]
P = ParamSpec("P")
T = TypeVar("T")


def app_of(interaction: discord.Interaction) -> App:
    client: LlumiBot = interaction.client  # type: ignore[assignment]
    return client.app


def message_kwargs(rendered: render.Rendered) -> dict[str, Any]:
    return {
        "content": rendered.content,
        "embeds": list(rendered.embeds),
        "view": make_view(rendered.buttons),
        "allowed_mentions": NO_MENTIONS,
    }


async def send_private(
    interaction: discord.Interaction, rendered: render.Rendered | str
) -> discord.WebhookMessage | None:
    """An ephemeral message to the person who acted: the first response, or a followup."""
    if isinstance(rendered, str):
        rendered = render.Rendered(rendered)
    kwargs = message_kwargs(rendered)
    if kwargs["view"] is None:
        del kwargs["view"]  # send() refuses view=None
    if interaction.response.is_done():
        return await interaction.followup.send(ephemeral=True, wait=True, **kwargs)
    await interaction.response.send_message(ephemeral=True, **kwargs)
    return None


def user_message(err: BaseException) -> str:
    """What a person reads for an error: actionable and free of content and internals."""
    if isinstance(err, ModelBusy):
        return f"⏳ The assistant is {err.user_message}. Nothing was lost."
    if isinstance(err, ModelError):
        return f"⚠️ The model could not finish: {err.user_message}. Nothing was posted; you can retry."
    if isinstance(err, StorageError):
        return f"⚠️ Storage problem: {err.user_message}. Nothing was posted; please retry in a moment."
    if isinstance(err, LlumiError):
        text = err.user_message
        return "⚠️ " + (text[:1].upper() + text[1:] if text else "that could not be done.")
    if isinstance(err, discord.Forbidden):
        return "⚠️ I don't have permission to do that there; ask an admin to check my channel permissions."
    if isinstance(err, discord.NotFound):
        return "⚠️ That message or channel no longer exists (or I cannot see it)."
    return f"⚠️ {GENERIC_APOLOGY}"


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


class Streamer:
    """Edits the private message as text arrives, at most once per interval (Discord rate limits).

    The model's stream never waits on Discord: `update` only stores the latest
    text; a background task does the edits.
    """

    def __init__(self, edit: Callable[[str], Awaitable[None]], interval_s: float) -> None:
        self._edit = edit
        self._interval = interval_s
        self._latest = ""
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.edits = 0

    async def update(self, text: str) -> None:
        self._latest = text
        self._changed.set()

    async def _run(self) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            try:
                await self._edit(self._latest)
                self.edits += 1
            except discord.HTTPException as err:
                log.debug("stream edit failed: %s", type(err).__name__)
            # Counted from the end of the edit, so edits reach Discord at least `interval`
            # apart even when one request was slow (a loaded machine or network).
            await asyncio.sleep(self._interval)

    async def __aenter__(self) -> Streamer:
        self._task = asyncio.create_task(self._run(), name="llumi-discord-stream")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def community_for(interaction: discord.Interaction, community_id: str) -> CommunityConfig:
    return await app_of(interaction).service.community(Platform.DISCORD, community_id)


Run = Callable[[OnStart, OnText], Awaitable[DraftResult]]
Failed = Callable[[LlumiError, Draft | None], Awaitable[render.Rendered]]


async def generate(
    interaction: discord.Interaction,
    edit: Edit,
    *,
    run: Run,
    kind: DraftKind,
    config: CommunityConfig,
    failed: Failed,
) -> DraftResult | None:
    """Risk, resources and Escalate before the model runs; the text as it streams; then the draft.

    The core announces the stored, still empty draft (`on_start`) before any
    model work, so a flagged post's first private message already carries a
    working Escalate button. On a LlumiError the message shows `failed(err,
    started)` instead (started: that draft, or None when the core refused first).
    """
    app = app_of(interaction)
    resources = app.service.resources(config)
    started: Draft | None = None

    async def show(text: str) -> None:
        if started is not None:
            await edit(render.progress(started.risk, resources, kind, text, draft_id=started.id))

    async def on_start(draft: Draft) -> None:
        nonlocal started
        started = draft
        await show("")

    try:
        async with Streamer(show, app.settings.discord.stream_edit_interval_s) as stream:
            result = await run(on_start, stream.update)
    except LlumiError as err:
        await edit(await failed(err, started))
        return None
    await edit(render.result(result))
    return result


async def new_private_message(interaction: discord.Interaction) -> Edit:
    """Create the requester's private message (after a defer) and return a function that edits it."""
    message: discord.WebhookMessage | None = None

    async def edit(rendered: render.Rendered) -> None:
        nonlocal message
        kwargs = message_kwargs(rendered)
        if message is None:
            if kwargs["view"] is None:
                del kwargs["view"]
            message = await interaction.followup.send(ephemeral=True, wait=True, **kwargs)
        else:
            await message.edit(**kwargs)

    return edit


def edit_original(interaction: discord.Interaction) -> Edit:
    """Edit the private message a button or modal belongs to (after a `defer()` update)."""

    async def edit(rendered: render.Rendered) -> None:
        await interaction.edit_original_response(**message_kwargs(rendered))

    return edit


async def fetch_message(interaction: discord.Interaction, ref: PostRef) -> discord.Message | None:
    """The post as it is now, or None when it was deleted (or can no longer be seen)."""
    client = interaction.client
    channel_id = target_channel_id(ref)
    channel = client.get_channel(channel_id) or client.get_partial_messageable(
        channel_id, guild_id=int(ref.community_id) if ref.community_id.isdigit() else None
    )
    if not isinstance(channel, discord.abc.Messageable):
        return None
    try:
        return await channel.fetch_message(int(ref.message_id))
    except discord.NotFound:
        return None


async def current_post(
    interaction: discord.Interaction, ref: PostRef
) -> tuple[discord.Message | None, Post | None]:
    """The message and the core Post for it, keeping the draft's original reference."""
    message = await fetch_message(interaction, ref)
    if message is None:
        return None, None
    return message, dataclasses.replace(post_from(message), ref=ref)


def require_requester(actor: Actor, requester: Actor) -> None:
    if actor.key != requester.key:
        raise NotAllowed("only the person who asked for this draft can use it")
