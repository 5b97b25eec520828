"""Telegram handlers: /draft, /improve, /start deep links, buttons, Edit, /optout.

Handlers convert Telegram updates to core objects, check platform facts
(admin status via getChatMember, on every call) and render; every decision
about drafts is made by `llumi_core.service.DraftService`.

Privacy: drafts only ever go to the requester's private chat. In the group
the bot deletes the command (when it may) and at most posts a content-free
note with a deep link when Telegram forbids it to open the private chat.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Bot, CallbackQuery, Message, Update, User
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes, ConversationHandler

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

from . import keyboards, render
from .convert import (
    GROUP_TYPES,
    actor,
    actor_in_chat,
    command_argument,
    post_from_message,
    post_ref,
    replied_post,
)
from .delivery import (
    NO_PREVIEW,
    CannotReachPrivately,
    StreamEditor,
    edit,
    send_chunks,
    send_private,
    set_markup,
    with_retry,
)
from .io import TelegramOutbox
from .io import places as channels
from .memory import Bounded

if TYPE_CHECKING:
    from llumi_core.context import AppContext

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Run = Callable[[OnStart, OnText], Awaitable[DraftResult]]
R = TypeVar("R")

# Conversation states (the private chat waits for one text from the user).
AWAIT_EDIT, AWAIT_IMPROVE, AWAIT_SETTING = range(3)
END = ConversationHandler.END

POST_MEMORY = 2000
PENDING_MEMORY = 500


def guarded(
    fn: Callable[[Any, Update, Context], Awaitable[R]],
) -> Callable[[Any, Update, Context], Coroutine[Any, Any, R | int]]:
    """A LlumiError becomes a clear message for the user (never a traceback); the bot keeps running."""

    @functools.wraps(fn)
    async def wrapper(self: Any, update: Update, context: Context) -> R | int:
        try:
            return await fn(self, update, context)
        except LlumiError as err:
            await self.report(update, context.bot, err.user_message)
            return END

    return wrapper


def thread_of(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


class Handlers:
    """The adapter's use of the core, bound to one running `App`."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.service = app.service
        self.settings = app.settings.telegram
        # Post texts seen (from /draft, /improve and edited_message), for regenerate and edit checks.
        self.posts: Bounded[str, Post] = Bounded(POST_MEMORY)
        # /improve without text, for users the bot could not reach yet: token -> (user id, post).
        self.pending_improve: Bounded[str, tuple[int, Post]] = Bounded(PENDING_MEMORY)

    # --- telling people things -------------------------------------------------

    async def report(self, update: Update, bot: Bot, text: str) -> None:
        """A short message for the user: a button alert, or in private where possible."""
        query = update.callback_query
        if query is not None:
            try:
                await query.answer(text[:200], show_alert=True)
                return
            except BadRequest:  # already answered (long action): say it in private instead
                pass
        user, chat = update.effective_user, update.effective_chat
        if user is None:
            return
        group = chat if chat is not None and chat.type in GROUP_TYPES else None
        message = update.effective_message
        await self.tell(
            bot,
            user.id,
            text,
            group_chat=group.id if group else None,
            thread=thread_of(message) if message and group else None,
        )

    async def tell(
        self, bot: Bot, user_id: int, text: str, *, group_chat: int | None = None, thread: int | None = None
    ) -> None:
        try:
            await send_private(bot, user_id, text)
        except CannotReachPrivately:
            if group_chat is None:
                return
            # Content-free by construction: every message passed here is a core error or a guard.
            await with_retry(
                lambda: bot.send_message(
                    group_chat, f"LLUMI: {text}", message_thread_id=thread, link_preview_options=NO_PREVIEW
                )
            )

    @staticmethod
    async def delete_quietly(message: Message) -> None:
        """Delete the command so the group sees nothing; fine when the bot lacks the right."""
        try:
            await message.delete()
        except (BadRequest, Forbidden) as err:
            log.debug("could not delete a command message: %s", type(err).__name__)

    # --- /draft and /improve ---------------------------------------------------

    async def _group_request(
        self, update: Update, context: Context, kind: DraftKind
    ) -> tuple[Message, User, Actor, CommunityConfig, Post]:
        """Checks shared by /draft and /improve; opted-out members are refused before anything else."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            raise InputError("this command needs a message from a person")
        if message.chat.type not in GROUP_TYPES:
            name = "draft" if kind is DraftKind.DRAFT else "improve"
            raise InputError(f"use /{name} in a group, as a reply to a member's post")
        await self.delete_quietly(message)
        by = await actor_in_chat(context.bot, message.chat_id, user)
        config = await self.service.community(Platform.TELEGRAM, str(message.chat_id))
        self.service.authorize(config, by, kind, *channels(post_ref(message)))
        post = post_from_message(replied_post(message))
        await self.service.screen_post(post)  # refuses opted-out members before anything else
        self.posts.put(post.ref.key, post)
        return message, user, by, config, post

    @guarded
    async def cmd_draft(self, update: Update, context: Context) -> int:
        message, user, by, config, post = await self._group_request(update, context, DraftKind.DRAFT)

        async def run(on_start: OnStart, on_text: OnText) -> DraftResult:
            return await self.service.draft(post, by, community=config, on_start=on_start, on_text=on_text)

        await self.generate(context.bot, user.id, config, run, origin=message)
        return END

    @guarded
    async def cmd_improve(self, update: Update, context: Context) -> int:
        message, user, by, config, post = await self._group_request(update, context, DraftKind.IMPROVE)
        mine = command_argument(message)
        if mine:

            async def run(on_start: OnStart, on_text: OnText) -> DraftResult:
                return await self.service.improve(
                    post, mine, by, community=config, on_start=on_start, on_text=on_text
                )

            self.in_background(
                update, context, self.generate(context.bot, user.id, config, run, origin=message)
            )
            return END
        try:
            await send_private(context.bot, user.id, ASK_IMPROVE.format(minutes=self._minutes()))
        except CannotReachPrivately:
            token = secrets.token_hex(6)
            self.pending_improve.put(token, (user.id, post))
            await self._group_note(context.bot, message, f"i_{token}")
            return END
        assert context.user_data is not None
        context.user_data["improve"] = post
        return AWAIT_IMPROVE

    @guarded
    async def improve_text(self, update: Update, context: Context) -> int:
        """The supporter's own reply, sent in private after /improve."""
        message, user = update.effective_message, update.effective_user
        assert message is not None and user is not None and context.user_data is not None
        post: Post | None = context.user_data.pop("improve", None)
        if post is None:
            raise InputError("I was not waiting for a reply; use /improve in the group again")
        mine = message.text or ""
        by = await actor_in_chat(context.bot, post.ref.community_id, user)
        config = await self.service.community(Platform.TELEGRAM, post.ref.community_id)
        self.service.authorize(config, by, DraftKind.IMPROVE, *channels(post.ref))

        async def run(on_start: OnStart, on_text: OnText) -> DraftResult:
            return await self.service.improve(
                post, mine, by, community=config, on_start=on_start, on_text=on_text
            )

        self.in_background(update, context, self.generate(context.bot, user.id, config, run))
        return END

    def in_background(self, update: Update, context: Context, work: Coroutine[Any, Any, object]) -> None:
        """Run model work outside this update's handler, which returns at once.

        Updates are handled one at a time (the text conversations depend on it, see
        `application.register`) and a draft takes seconds; errors are reported as in `guarded`.
        """

        async def run() -> None:
            try:
                await work
            except LlumiError as err:
                await self.report(update, context.bot, err.user_message)

        context.application.create_task(run(), update=update, name="llumi-telegram-generate")

    def _minutes(self) -> str:
        return f"{self.settings.edit_timeout_s / 60:g}"

    async def _group_note(self, bot: Bot, origin: Message, payload: str) -> None:
        link = render.deep_link(bot.username, payload)
        await with_retry(
            lambda: bot.send_message(
                origin.chat_id,
                render.group_note(link),
                message_thread_id=thread_of(origin),
                link_preview_options=NO_PREVIEW,
            )
        )

    async def generate(
        self,
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
        resources = self.service.resources(config)
        live = _Live()

        async def on_start(draft: Draft) -> None:
            try:
                live.head = await send_private(
                    bot, user_id, render.header(draft.risk, resources), keyboards.escalate(draft)
                )
            except CannotReachPrivately:
                if origin is None:
                    raise LlumiError(
                        "I cannot message you privately; open a chat with me and press Start"
                    ) from None
                return
            placeholder = await with_retry(lambda: bot.send_message(user_id, render.streaming("")))
            live.editor = StreamEditor(placeholder, self.settings.stream_edit_interval_s)

        async def on_text(text: str) -> None:
            if live.editor is not None:
                await live.editor(text)

        try:
            result = await run(on_start, on_text)
        except LlumiError as err:
            if live.editor is None:
                raise
            await live.editor.finish()
            # The risk message above keeps its Escalate button: it still alerts about the post.
            await edit(live.editor.message, f"No draft this time: {err.user_message}")
            return None
        if live.editor is None:
            assert origin is not None  # on_start returned without a private chat only with an origin
            await self._group_note(bot, origin, f"d_{result.draft.id}")
            return result
        await live.editor.finish()
        await self.show(
            bot,
            user_id,
            result.draft,
            result.notes,
            head=live.head,
            first=live.editor.message,
            risk=result.risk,
        )
        return result

    async def show(
        self,
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
            config = await self.service.community(Platform.TELEGRAM, draft.post.community_id)
            text = render.header(risk, self.service.resources(config))
            if head is None:
                await send_private(bot, user_id, text, escalate)
            elif head.text != text:  # the head was sent with this draft's Escalate already
                await edit(head, text, escalate)
        await send_chunks(
            bot, user_id, render.draft_messages(draft, notes), keyboards.actions(draft), first=first
        )

    # --- /start, /optout, /help ------------------------------------------------

    @guarded
    async def cmd_start(self, update: Update, context: Context) -> int:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.chat.type != "private":
            return END
        payload = command_argument(message)
        if payload.startswith("d_"):
            draft = await self.service.get(payload[2:], actor(user))
            await self.show(context.bot, user.id, draft, with_header=True)
            return END
        if payload.startswith("i_"):
            pending = self.pending_improve.pop(payload[2:])
            if pending is None or pending[0] != user.id:
                raise InputError("that link has expired; use /improve in the group again")
            assert context.user_data is not None
            context.user_data["improve"] = pending[1]
            await send_private(context.bot, user.id, ASK_IMPROVE.format(minutes=self._minutes()))
            return AWAIT_IMPROVE
        if payload.startswith("s_") and self.settings_menu is not None:
            await self.settings_menu.open(context.bot, user, payload[2:])
            return END
        await message.reply_text(HELP, link_preview_options=NO_PREVIEW)
        return END

    settings_menu: Any = None  # set by the application builder (settings.SettingsMenu)

    @guarded
    async def cmd_optout(self, update: Update, context: Context) -> None:
        await self._opt(update, context, out=True)

    @guarded
    async def cmd_optin(self, update: Update, context: Context) -> None:
        await self._opt(update, context, out=False)

    async def _opt(self, update: Update, context: Context, *, out: bool) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if message.chat.type in GROUP_TYPES:
            await self.delete_quietly(message)
        by = actor(user)
        if out:
            await self.service.opt_out(Platform.TELEGRAM, by.user_id, by)
            text = "Done: LLUMI will never process your posts. Send /optin to undo this."
        else:
            await self.service.opt_in(Platform.TELEGRAM, by.user_id, by)
            text = "Done: LLUMI may help moderators reply to your posts again. Send /optout to stop it."
        await self.report(update, context.bot, text)

    @guarded
    async def cmd_cancel(self, update: Update, context: Context) -> int:
        if context.user_data is not None:
            for key in ("edit", "improve", "setting"):
                context.user_data.pop(key, None)
        if update.effective_user is not None:
            await send_private(context.bot, update.effective_user.id, "Cancelled. Nothing was changed.")
        return END

    async def on_timeout(self, update: object, context: Context) -> None:
        if context.user_data is not None:
            for key in ("edit", "improve", "setting"):
                context.user_data.pop(key, None)
        if isinstance(update, Update) and update.effective_user is not None:
            try:
                await send_private(
                    context.bot,
                    update.effective_user.id,
                    "I stopped waiting for your text (time out). Nothing was changed; press the button again "
                    "when you are ready.",
                )
            except (CannotReachPrivately, TelegramError):
                log.debug("could not send the timeout notice")

    async def stray_text(self, update: Update, context: Context) -> None:
        """Private text outside a conversation (e.g. after a restart)."""
        if update.effective_message is not None:
            await update.effective_message.reply_text(
                "I was not waiting for text. Use the buttons under a draft, or a command in your group.",
                link_preview_options=NO_PREVIEW,
            )

    # --- observing edits -----------------------------------------------------------

    async def on_edited(self, update: Update, context: Context) -> None:
        """Remember the newest text of edited posts (Telegram never says so otherwise)."""
        message = update.edited_message
        if message is None or message.chat.type not in GROUP_TYPES:
            return
        try:
            post = post_from_message(message)
        except InputError:
            return
        self.posts.put(post.ref.key, post)

    # --- buttons -------------------------------------------------------------------

    @guarded
    async def on_edit_button(self, update: Update, context: Context) -> int:
        query, press = self._press(update)
        draft = await self._own_open(query, press)
        assert context.user_data is not None
        context.user_data["edit"] = (draft.id, query.message)
        await query.answer()
        await send_private(
            context.bot,
            query.from_user.id,
            "Send the new text for this draft as your next message. It replaces the draft; "
            f"nothing is posted until you press Post. /cancel keeps the draft as it is "
            f"(I stop waiting after {self._minutes()} min).",
        )
        return AWAIT_EDIT

    @guarded
    async def edit_text(self, update: Update, context: Context) -> int:
        message, user = update.effective_message, update.effective_user
        assert message is not None and user is not None and context.user_data is not None
        pending = context.user_data.pop("edit", None)
        if pending is None:
            raise InputError("I was not waiting for an edit; press Edit under the draft again")
        draft_id, old_message = pending
        edited = await self.service.edit(draft_id, actor(user), message.text or "")
        await set_markup(old_message, None)
        await self.show(context.bot, user.id, edited)
        return END

    def _press(self, update: Update) -> tuple[CallbackQuery, keyboards.Press]:
        query = update.callback_query
        assert query is not None
        press = keyboards.parse(query.data)
        if press is None:
            raise InputError("this button is not from this version of LLUMI; ask for a new draft")
        return query, press

    async def _own_open(self, query: CallbackQuery, press: keyboards.Press) -> Draft:
        draft = await self.service.get(press.draft_id, actor(query.from_user))
        if not draft.is_open:
            raise LlumiError(f"this draft was already {draft.status.value}")
        return draft

    @guarded
    async def on_button(self, update: Update, context: Context) -> None:
        query, press = self._press(update)
        by = actor(query.from_user)
        draft = await self.service.get(press.draft_id, by)  # refuses anyone but the requester
        action = press.action
        bot = context.bot
        if action == "post":
            await self._post(bot, query, draft, by)
        elif action in ("regen", "improve"):
            await self._rewrite(bot, query, draft, action)
        elif action == "mine":
            mine = await self.service.use_mine(draft.id, by)
            await query.answer()
            await set_markup(_msg(query), None)
            await self.show(bot, query.from_user.id, mine)
        elif action == "discard":
            closed = await self.service.discard(draft.id, by)
            await query.answer("Discarded")
            await self._close_message(query, closed)
        elif action == "esc":
            await self._escalate(bot, query, draft, by)
        elif action == "rate":
            await query.answer("Rate 1 (poor) to 5 (great) on each line")
            await set_markup(_msg(query), keyboards.rating(draft.id))
        elif action == "back":
            await query.answer()
            await set_markup(_msg(query), keyboards.actions(draft))
        elif (rated := keyboards.parse_rating(action)) is not None:
            dim, score = rated
            await self.service.rate(draft.id, by, {dim: score})
            await query.answer(f"Saved: {dim} {score}/5")
        elif action == "blocked":
            kinds = ", ".join(sorted({i.kind for i in draft.issues})) or "problems"
            await query.answer(
                f"The checks found: {kinds}. Press Edit and fix the text, then Post.", show_alert=True
            )
        else:
            await query.answer("Unknown button", show_alert=True)

    async def _close_message(self, query: CallbackQuery, draft: Draft) -> None:
        message = _msg(query)
        if message is not None:
            await edit(message, render.closed(draft), keyboards.actions(draft))

    async def _post(self, bot: Bot, query: CallbackQuery, draft: Draft, by: Actor) -> None:
        # Admin status is asked of Telegram now: the core authorizes at the time of the action.
        by = await actor_in_chat(bot, draft.post.community_id, query.from_user)
        posted = await self.service.post(draft.id, by, TelegramOutbox(bot, self.posts))
        await query.answer("Posted to the group")
        await self._close_message(query, posted.draft)

    async def _rewrite(self, bot: Bot, query: CallbackQuery, draft: Draft, action: str) -> None:
        by = await actor_in_chat(bot, draft.post.community_id, query.from_user)
        config = await self.service.community(Platform.TELEGRAM, draft.post.community_id)
        outbox = TelegramOutbox(bot, self.posts)

        async def run(on_start: OnStart, on_text: OnText) -> DraftResult:
            async def started(new: Draft) -> None:
                await query.answer("Writing a new version…")
                await on_start(new)

            rewrite = self.service.regenerate if action == "regen" else self.service.improve_draft
            return await rewrite(draft.id, by, outbox, on_start=started, on_text=on_text)

        result = await self.generate(bot, query.from_user.id, config, run)
        if result is not None:
            await set_markup(_msg(query), None)

    async def _escalate(self, bot: Bot, query: CallbackQuery, draft: Draft, by: Actor) -> None:
        escalation = await self.service.escalate(draft.id, by, TelegramOutbox(bot, self.posts))
        if not escalation.first:
            await query.answer(
                "This post was already escalated; the moderators have the alert.", show_alert=True
            )
            return
        await query.answer("Escalated: the moderators were alerted (without the post text).", show_alert=True)

    # --- the last line of defence ----------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        """Any unexpected exception: log its type (no content), answer politely, keep running."""
        err = context.error
        log.error("error while handling a Telegram update: %s", type(err).__name__)
        log.debug("details", exc_info=err)
        if isinstance(update, Update):
            try:
                await self.report(
                    update,
                    context.bot,
                    "Sorry — something went wrong on my side. Nothing was posted; please try again.",
                )
            except Exception as again:  # the chat may be unreachable; nothing more to do
                log.debug("could not report an error: %s", type(again).__name__)


@dataclass
class _Live:
    """The private messages of a draft being written: the risk message, then the streamed text."""

    head: Message | None = None
    editor: StreamEditor | None = None


def _msg(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


ASK_IMPROVE = (
    "Send me your own reply to that post as your next message here, and I will suggest an improved "
    "version that keeps your voice. /cancel to stop (I stop waiting after {minutes} min)."
)

HELP = (
    "Hi, I am LLUMI, a private writing assistant for moderators and peer supporters.\n\n"
    "In a group where an admin enabled me:\n"
    "• reply to a member's post with /draft to get a draft reply here, in private;\n"
    "• reply with /improve <your reply> (or /improve alone, then send your reply here) to improve your own;\n"
    "• admins: /llumi_settings to configure me.\n\n"
    "Nothing reaches the group until you press Post. Members: /optout stops me from processing your posts."
)
