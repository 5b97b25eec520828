"""/draft and /improve: a private draft for a member's post, streamed into the requester's chat.

Privacy: drafts only ever go to the requester's private chat. In the group
the bot deletes the command (when it may) and at most posts a content-free
note with a deep link when Telegram forbids it to open the private chat.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Message, Update, User

from llumi_core import retention
from llumi_core.domain import (
    Actor,
    CommunityConfig,
    Draft,
    DraftKind,
    DraftResult,
    Platform,
    Post,
    RiskAssessment,
)
from llumi_core.errors import InputError, LlumiError
from llumi_core.service import OnStart, OnText
from llumi_core.streaming import StreamThrottle

from . import keyboards, render
from .context import AWAIT_IMPROVE, END, Context, TelegramContext, awaited, report, user_data
from .convert import (
    GROUP_TYPES,
    actor_in_chat,
    command_argument,
    notice_ref,
    post_from_message,
    post_ref,
    replied_post,
)
from .delivery import (
    CannotReachPrivately,
    delete_quietly,
    edit,
    group_note,
    send_chunks,
    send_private,
    with_retry,
)
from .io import places

log = logging.getLogger(__name__)

Run = Callable[[OnStart, OnText], Awaitable[DraftResult]]

ASK_IMPROVE = (
    "Send me your own reply to that post as your next message here, and I will suggest an improved "
    "version that keeps your voice. /cancel to stop (I stop waiting after {minutes} min)."
)


@dataclass(frozen=True, slots=True)
class Request:
    """A checked /draft or /improve: the command, who asked (admin status asked now), and the post."""

    message: Message
    user: User
    by: Actor
    config: CommunityConfig
    post: Post


async def group_request(tg: TelegramContext, update: Update, context: Context, kind: DraftKind) -> Request:
    """Checks shared by /draft and /improve; opted-out members are refused before anything else."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        raise InputError("this command needs a message from a person")
    if message.chat.type not in GROUP_TYPES:
        name = "draft" if kind is DraftKind.DRAFT else "improve"
        raise InputError(f"use /{name} in a group, as a reply to a member's post")
    await delete_quietly(message)
    by = await actor_in_chat(context.bot, message.chat_id, user)
    config = await tg.service.community(Platform.TELEGRAM, str(message.chat_id))
    tg.service.authorize(config, by, kind, *places(post_ref(message)))
    post = post_from_message(replied_post(message))
    await tg.service.screen_post(post)  # refuses opted-out members before anything else
    tg.posts.put(post.ref.key, post)
    return Request(message, user, by, config, post)


async def cmd_draft(tg: TelegramContext, update: Update, context: Context) -> int:
    r = await group_request(tg, update, context, DraftKind.DRAFT)

    def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
        return tg.service.draft(r.post, r.by, community=r.config, on_start=on_start, on_text=on_text)

    await generate(tg, context.bot, r.user.id, r.config, run, origin=r.message)
    return END


async def cmd_improve(tg: TelegramContext, update: Update, context: Context) -> int:
    r = await group_request(tg, update, context, DraftKind.IMPROVE)
    mine = command_argument(r.message)
    if mine:

        def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
            return tg.service.improve(
                r.post, mine, r.by, community=r.config, on_start=on_start, on_text=on_text
            )

        in_background(update, context, generate(tg, context.bot, r.user.id, r.config, run, origin=r.message))
        return END
    try:
        await send_private(context.bot, r.user.id, ASK_IMPROVE.format(minutes=tg.minutes()))
    except CannotReachPrivately:
        token = secrets.token_hex(6)
        tg.pending_improve.put(token, (r.user.id, r.post))
        await group_note(context.bot, r.message, f"i_{token}")
        return END
    user_data(context)["improve"] = r.post
    return AWAIT_IMPROVE


async def improve_text(tg: TelegramContext, update: Update, context: Context) -> int:
    """The supporter's own reply, sent in private after /improve."""
    message, user, post = awaited(update, context, "improve")
    if post is None:
        raise InputError("I was not waiting for a reply; use /improve in the group again")
    mine = message.text or ""
    by = await actor_in_chat(context.bot, post.ref.community_id, user)
    config = await tg.service.community(Platform.TELEGRAM, post.ref.community_id)
    tg.service.authorize(config, by, DraftKind.IMPROVE, *places(post.ref))

    def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
        return tg.service.improve(post, mine, by, community=config, on_start=on_start, on_text=on_text)

    in_background(update, context, generate(tg, context.bot, user.id, config, run))
    return END


def in_background(update: Update, context: Context, work: Coroutine[Any, Any, object]) -> None:
    """Run model work outside this update's handler, which returns at once.

    Updates are handled one at a time (the text conversations depend on it, see
    `application.register`) and a draft takes seconds; errors are reported as in `bind`.
    """

    async def run() -> None:
        try:
            await work
        except LlumiError as err:
            await report(update, context, err.user_message)

    context.application.create_task(run(), update=update, name="llumi-telegram-generate")


@dataclass
class _Live:
    """The private messages of a draft being written: the risk message, then the streamed text."""

    head: Message | None = None
    text: Message | None = None
    draft_id: str = ""
    shown: str = ""
    stream: StreamThrottle | None = None

    async def show(self, so_far: str) -> None:
        shown = render.streaming(so_far)
        if self.text is not None and shown != self.shown:  # Telegram refuses an unchanged edit
            self.text = await edit(self.text, shown)
            self.shown = shown


async def generate(
    tg: TelegramContext,
    bot: Bot,
    user_id: int,
    config: CommunityConfig,
    run: Run,
    *,
    origin: Message | None = None,
) -> DraftResult | None:
    """Risk, resources and Escalate first, then the draft streamed into the private chat, then its buttons.

    The core announces the stored, still empty draft (`on_start`) before the
    model runs, so the first private message already carries a working
    Escalate button for a flagged post. When Telegram forbids the private
    chat, the draft is still made and stored, and the group gets a
    content-free note with a deep link (which shows the risk and Escalate first).
    """
    resources = tg.service.resources(config)
    live = _Live()
    failed: LlumiError | None = None
    async with contextlib.AsyncExitStack() as streaming:

        async def on_start(draft: Draft) -> None:
            try:
                header = render.header(draft.risk, resources)
                live.head = await send_private(bot, user_id, header, keyboards.escalate(draft))
            except CannotReachPrivately:
                if origin is None:
                    raise LlumiError(
                        "I cannot message you privately; open a chat with me and press Start"
                    ) from None
                return
            live.shown = render.streaming("")
            live.text = await with_retry(lambda: bot.send_message(user_id, live.shown))
            live.draft_id = draft.id
            await _remember_placeholder(tg, draft.id, live.text)
            live.stream = await streaming.enter_async_context(
                StreamThrottle(live.show, tg.settings.stream_edit_interval_s)
            )

        async def on_text(text: str) -> None:
            if live.stream is not None:
                await live.stream.update(text)

        try:
            result = await run(on_start, on_text)
        except LlumiError as err:
            failed = err
    # Leaving the block let a streaming edit in flight land: what follows is the last edit.
    if failed is not None:
        if live.text is None:
            raise failed
        # The risk message above keeps its Escalate button: it still alerts about the post.
        await edit(live.text, f"No draft this time: {failed.user_message}")
        await _placeholder_done(tg, live.draft_id)
        return None
    if live.text is None:
        assert origin is not None  # on_start returned without a private chat only with an origin
        await group_note(bot, origin, f"d_{result.draft.id}")
        return result
    await show(
        tg, bot, user_id, result.draft, result.notes, head=live.head, first=live.text, risk=result.risk
    )
    return result


async def _remember_placeholder(tg: TelegramContext, draft_id: str, message: Message) -> None:
    """Kept with the draft, so that if this process dies before the draft is written, the
    next start can edit the placeholder to "interrupted — tap Regenerate" (`interrupted.py`)."""
    try:
        await retention.remember_notice(tg.service.repos, draft_id, notice_ref(message))
    except LlumiError as err:  # storage refused: the draft goes on, only that notice is lost
        log.warning("could not keep where a draft's placeholder is: %s", type(err).__name__)


async def _placeholder_done(tg: TelegramContext, draft_id: str) -> None:
    """The placeholder already says why there is no draft: the sweep must leave it as it is."""
    with contextlib.suppress(LlumiError):
        await retention.notice_resolved(tg.service.repos, draft_id)


async def show(
    tg: TelegramContext,
    bot: Bot,
    user_id: int,
    draft: Draft,
    notes: tuple[str, ...] = (),
    *,
    head: Message | None = None,
    first: Message | None = None,
    risk: RiskAssessment | None = None,
    with_header: bool = False,
) -> None:
    """Render a stored draft: the risk message (with Escalate), then the text and buttons."""
    risk = risk or draft.risk
    escalate = keyboards.escalate(draft)
    if head is not None or with_header:
        config = await tg.service.community(Platform.TELEGRAM, draft.post.community_id)
        text = render.header(risk, tg.service.resources(config))
        if head is None:
            await send_private(bot, user_id, text, escalate)
        elif head.text != text:  # the head was sent with this draft's Escalate already
            await edit(head, text, escalate)
    await send_chunks(
        bot, user_id, render.draft_messages(draft, notes), keyboards.actions(draft), first=first
    )


def pending_improve(tg: TelegramContext, token: str, user: User, context: Context) -> None:
    """A deep link back from the group after /improve: wait for the reply in private."""
    pending = tg.pending_improve.pop(token)
    if pending is None or pending[0] != user.id:
        raise InputError("that link has expired; use /improve in the group again")
    user_data(context)["improve"] = pending[1]
