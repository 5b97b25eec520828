"""The private chat itself: /start (and its deep links), /cancel, time-outs, stray text,
observed edits, and the last line of defence for unexpected errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from llumi_core.errors import InputError

from . import settings
from .context import AWAIT_IMPROVE, END, Context, TelegramContext, report
from .convert import GROUP_TYPES, actor, command_argument, post_from_message
from .delivery import NO_PREVIEW, CannotReachPrivately, send_private
from .drafting import ASK_IMPROVE, pending_improve, show

log = logging.getLogger(__name__)

HELP = (
    "Hi, I am LLUMI, a private writing assistant for moderators and peer supporters.\n\n"
    "In a group where an admin enabled me:\n"
    "• reply to a member's post with /draft to get a draft reply here, in private;\n"
    "• reply with /improve <your reply> (or /improve alone, then send your reply here) to improve your own;\n"
    "• admins: /llumi_settings to configure me.\n\n"
    "Nothing reaches the group until you press Post. Members: /optout stops me from processing your posts."
)
_WAITING = ("edit", "improve", "setting")


async def cmd_start(tg: TelegramContext, update: Update, context: Context) -> int:
    """/start, or a deep link from a group note: d_ a draft, i_ an /improve, s_ the settings."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.chat.type != "private":
        return END
    payload = command_argument(message)
    if payload.startswith("d_"):
        draft = await tg.service.get(payload[2:], actor(user))
        await show(tg, context.bot, user.id, draft, with_header=True)
        return END
    if payload.startswith("i_"):
        pending_improve(tg, payload[2:], user, context)
        await send_private(context.bot, user.id, ASK_IMPROVE.format(minutes=tg.minutes()))
        return AWAIT_IMPROVE
    if payload.startswith("s_"):
        await settings.open_menu(tg, context.bot, user, payload[2:])
        return END
    await message.reply_text(HELP, link_preview_options=NO_PREVIEW)
    return END


async def cmd_cancel(tg: TelegramContext, update: Update, context: Context) -> int:
    _forget_waiting(context)
    if update.effective_user is not None:
        await send_private(context.bot, update.effective_user.id, "Cancelled. Nothing was changed.")
    return END


async def on_timeout(tg: TelegramContext, update: object, context: Context) -> None:
    _forget_waiting(context)
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


def _forget_waiting(context: Context) -> None:
    if context.user_data is not None:
        for key in _WAITING:
            context.user_data.pop(key, None)


async def stray_text(tg: TelegramContext, update: Update, context: Context) -> None:
    """Private text outside a conversation (e.g. after a restart)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            "I was not waiting for text. Use the buttons under a draft, or a command in your group.",
            link_preview_options=NO_PREVIEW,
        )


async def on_edited(tg: TelegramContext, update: Update, context: Context) -> None:
    """Remember the newest text of edited posts (Telegram never says so otherwise)."""
    message = update.edited_message
    if message is None or message.chat.type not in GROUP_TYPES:
        return
    try:
        post = post_from_message(message)
    except InputError:
        return
    tg.posts.put(post.ref.key, post)


async def on_error(update: object, context: Context) -> None:
    """Any unexpected exception: log its type (no content), answer politely, keep running."""
    err = context.error
    log.error("error while handling a Telegram update: %s", type(err).__name__)
    log.debug("details", exc_info=err)
    if isinstance(update, Update):
        try:
            await report(
                update,
                context,
                "Sorry — something went wrong on my side. Nothing was posted; please try again.",
            )
        except Exception as again:  # the chat may be unreachable; nothing more to do
            log.debug("could not report an error: %s", type(again).__name__)
