"""Sending to Telegram: retries with backoff, chunked sends, private-or-group notes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from . import render

log = logging.getLogger(__name__)
T = TypeVar("T")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class CannotReachPrivately(Exception):
    """The user never started the bot (or blocked it): Telegram forbids opening the chat."""


async def with_retry(
    call: Callable[[], Awaitable[T]], *, attempts: int = 3, retry_timeouts: bool = True
) -> T:
    """Retry network errors with exponential backoff; never retry a request Telegram refused.

    `retry_timeouts=False` for sends that must not be duplicated: a timed-out
    send may still have reached the chat.
    """
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as err:
            if attempt == attempts:
                raise
            wait = err.retry_after
            await asyncio.sleep(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait))
        except BadRequest:
            raise
        except TimedOut:
            if not retry_timeouts or attempt == attempts:
                raise
            await asyncio.sleep(delay)
        except NetworkError:
            if attempt == attempts:
                raise
            log.info("network error talking to Telegram; retry %d in %.1f s", attempt, delay)
            await asyncio.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


async def send_private(
    bot: Bot, user_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send to the user's private chat; CannotReachPrivately when Telegram forbids it."""
    try:
        return await with_retry(
            lambda: bot.send_message(user_id, text, reply_markup=markup, link_preview_options=NO_PREVIEW)
        )
    except Forbidden as err:
        raise CannotReachPrivately(str(err)) from None


async def send_chunks(
    bot: Bot,
    chat_id: int | str,
    texts: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    *,
    first: Message | None = None,
) -> list[Message]:
    """Send texts in order (the keyboard on the last); `first` is an existing message to reuse."""
    sent: list[Message] = []
    for i, text in enumerate(texts):
        keyboard = markup if i == len(texts) - 1 else None
        if i == 0 and first is not None:
            sent.append(await edit(first, text, keyboard))
            continue
        sent.append(await _send(bot, chat_id, text, keyboard))
    return sent


async def _send(
    bot: Bot,
    chat_id: int | str,
    text: str,
    markup: InlineKeyboardMarkup | None,
    *,
    reply: ReplyParameters | None = None,
    thread_id: int | None = None,
    retry_timeouts: bool = True,
) -> Message:
    async def call() -> Message:
        return await bot.send_message(
            chat_id,
            text,
            reply_markup=markup,
            reply_parameters=reply,
            message_thread_id=thread_id,
            link_preview_options=NO_PREVIEW,
        )

    return await with_retry(call, retry_timeouts=retry_timeouts)


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Edit a bot message; "not modified" is not an error (nothing to change)."""
    try:
        result = await with_retry(
            lambda: message.edit_text(text, reply_markup=markup, link_preview_options=NO_PREVIEW)
        )
    except BadRequest as err:
        if "not modified" not in str(err).lower():
            raise
        return message
    return result if isinstance(result, Message) else message


async def set_markup(message: Message | None, markup: InlineKeyboardMarkup | None) -> None:
    """Replace (or remove) a message's keyboard; best effort (old messages may be gone)."""
    if message is None:
        return
    with contextlib.suppress(BadRequest, Forbidden):
        await with_retry(lambda: message.edit_reply_markup(markup))


async def post_reply(
    bot: Bot, chat_id: int | str, reply_to: int, thread_id: int | None, texts: Sequence[str]
) -> list[Message]:
    """Post in the group as a reply to the member's post: no preview, no parse mode.

    If a later piece fails, the pieces already sent are deleted again so a retry
    never leaves half a reply in the group.
    """
    sent: list[Message] = []
    try:
        for i, text in enumerate(texts):
            params = ReplyParameters(message_id=reply_to) if i == 0 else None
            # A timed-out group post may still have arrived: never resend it (no double posts).
            sent.append(
                await _send(bot, chat_id, text, None, reply=params, thread_id=thread_id, retry_timeouts=False)
            )
    except Exception:
        for message in sent:
            with contextlib.suppress(Exception):
                await message.delete()
        raise
    return sent


async def tell(
    bot: Bot, user_id: int, text: str, *, group_chat: int | None = None, thread: int | None = None
) -> None:
    """Say `text` privately; when Telegram forbids that, in the group (content-free texts only)."""
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


async def delete_quietly(message: Message) -> None:
    """Delete the command so the group sees nothing; fine when the bot lacks the right."""
    try:
        await message.delete()
    except (BadRequest, Forbidden) as err:
        log.debug("could not delete a command message: %s", type(err).__name__)


async def group_note(bot: Bot, origin: Message, payload: str) -> None:
    """The content-free note in the group, with a deep link, when the private chat is closed."""
    link = render.deep_link(bot.username, payload)
    thread = origin.message_thread_id if origin.is_topic_message else None
    await with_retry(
        lambda: bot.send_message(
            origin.chat_id, render.group_note(link), message_thread_id=thread, link_preview_options=NO_PREVIEW
        )
    )
