"""What every Telegram handler is given: a typed context carrying the service, and the
safety net that turns a refusal into one clear message.

Handlers are plain functions `async def handler(tg, update, context)`; `bind`
makes one a python-telegram-bot callback. Conversation states live here too:
a private chat waits for one text from the user (an edit, a reply to improve,
a setting).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update, User
from telegram.error import BadRequest
from telegram.ext import ContextTypes, ConversationHandler

from llumi_core.config import TelegramSettings
from llumi_core.context import AppContext
from llumi_core.domain import Draft, Post
from llumi_core.errors import LlumiError
from llumi_core.service import DraftService

from .convert import GROUP_TYPES
from .delivery import tell
from .io import TelegramOutbox
from .memory import Bounded

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
R = TypeVar("R")

AWAIT_EDIT, AWAIT_IMPROVE, AWAIT_SETTING = range(3)
END = ConversationHandler.END

POST_MEMORY = 2000
PENDING_MEMORY = 500


@dataclass
class TelegramContext:
    """The running adapter: the core, the settings, and what only memory can hold."""

    app: AppContext
    # Post texts seen (from /draft, /improve and edited_message), for regenerate and edit checks.
    posts: Bounded[str, Post] = field(default_factory=lambda: Bounded(POST_MEMORY))
    # /improve without text, for users the bot could not reach yet: token -> (user id, post).
    pending_improve: Bounded[str, tuple[int, Post]] = field(default_factory=lambda: Bounded(PENDING_MEMORY))

    @property
    def service(self) -> DraftService:
        return self.app.service

    @property
    def settings(self) -> TelegramSettings:
        return self.app.settings.telegram

    def minutes(self) -> str:
        """How long a conversation waits for a text, for the messages that say so."""
        return f"{self.settings.edit_timeout_s / 60:g}"

    def outbox(self, context: Context, *, rewriting: Draft | None = None) -> TelegramOutbox:
        """`rewriting`: the draft Regenerate or Improve starts from (its stored post is used
        when the bot no longer has the post in memory, e.g. after a restart)."""
        return TelegramOutbox(context.bot, self.posts, stored=rewriting)


Handler = Callable[[TelegramContext, Update, Context], Awaitable[R]]


def bind(tg: TelegramContext, fn: Handler[R]) -> Callable[[Update, Context], Coroutine[Any, Any, R | int]]:
    """`fn` as a PTB callback: a LlumiError becomes a clear message (never a traceback), the
    conversation ends, and the bot keeps running."""

    @functools.wraps(fn)
    async def callback(update: Update, context: Context) -> R | int:
        try:
            return await fn(tg, update, context)
        except LlumiError as err:
            await report(update, context, err.user_message)
            return END

    return callback


async def report(update: Update, context: Context, text: str) -> None:
    """A short message for the user: a button alert, or in private where possible."""
    query = update.callback_query
    if query is not None and await _alert(query, text):
        return
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        return
    group = chat if chat is not None and chat.type in GROUP_TYPES else None
    message = update.effective_message
    thread = thread_of(message) if message is not None and group is not None else None
    await tell(context.bot, user.id, text, group_chat=group.id if group else None, thread=thread)


async def _alert(query: CallbackQuery, text: str) -> bool:
    try:
        await query.answer(text[:200], show_alert=True)
    except BadRequest:  # already answered (long action): say it in private instead
        return False
    return True


def thread_of(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


def awaited(update: Update, context: Context, key: str) -> tuple[Message, User, Any]:
    """A private text a conversation waited for: the message, its sender, and what it answers
    (None when nothing was waiting, e.g. after a restart)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None  # the conversation's filter: private text
    return message, user, user_data(context).pop(key, None)


def user_data(context: Context) -> dict[Any, Any]:
    assert context.user_data is not None  # per_user conversations always have it
    return context.user_data
