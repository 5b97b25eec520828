"""Telegram objects → core objects. The core never sees a `telegram.Message`.

Only what the core needs crosses: the post's text (data, never instructions),
where it lives (chat, topic, message id), who wrote it and the names Telegram
tells us about (so they can be redacted before the model).
"""

from __future__ import annotations

import logging

from telegram import Bot, Message, User
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import BadRequest, Forbidden, TelegramError

from llumi_core.domain import Actor, Platform, Post, PostRef
from llumi_core.errors import InputError, LlumiError

log = logging.getLogger(__name__)

GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})


def actor(user: User, *, is_admin: bool = False) -> Actor:
    """The human acting. `is_admin` only means something for the chat it was checked in."""
    return Actor(Platform.TELEGRAM, str(user.id), user.full_name, (), is_admin)


class CouldNotCheck(LlumiError):
    """Telegram did not answer whether someone is an admin (a timeout or a server error)."""


async def is_chat_admin(bot: Bot, chat_id: int | str, user_id: int) -> bool:
    """Ask Telegram now (never cached): admin rights can be taken away at any moment.

    A refusal (not a member, chat gone, the bot was removed) means not an admin.
    A timeout or a server error is asked once more, then `CouldNotCheck`: the
    person is told to try again, never that they are not an admin.
    """
    for attempt in (1, 2):
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except (BadRequest, Forbidden) as err:
            log.info("getChatMember refused: %s", type(err).__name__)
            return False
        except TelegramError as err:  # TimedOut, NetworkError (5xx), RetryAfter
            log.warning("getChatMember failed (attempt %d of 2): %s", attempt, type(err).__name__)
            continue
        return member.status in ADMIN_STATUSES
    raise CouldNotCheck(
        "I could not check your admin status with Telegram just now (it did not answer); "
        "nothing was done — please try again in a moment"
    )


async def actor_in_chat(bot: Bot, chat_id: int | str, user: User) -> Actor:
    """The actor with their admin status in `chat_id`, checked on this call."""
    return actor(user, is_admin=await is_chat_admin(bot, chat_id, user.id))


def post_ref(message: Message) -> PostRef:
    thread = (
        str(message.message_thread_id) if message.is_topic_message and message.message_thread_id else None
    )
    chat = str(message.chat_id)
    return PostRef(Platform.TELEGRAM, chat, chat, str(message.message_id), thread)


def notice_ref(message: Message) -> str:
    """Where a bot message is, as the core keeps it ("chat_id:message_id")."""
    return f"{message.chat_id}:{message.message_id}"


def parse_notice_ref(ref: str) -> tuple[int, int] | None:
    """`notice_ref` back to (chat id, message id); None for anything else."""
    chat, _, message = ref.partition(":")
    try:
        return int(chat), int(message)
    except ValueError:
        return None


def replied_post(command: Message) -> Message:
    """The member's message a command replies to; InputError with a clear reason otherwise."""
    target = command.reply_to_message
    # In forum topics every message "replies" to the topic's creation message.
    if target is None or target.forum_topic_created is not None:
        raise InputError("reply to a member's post with the command, so LLUMI knows which post you mean")
    return target


def post_from_message(message: Message) -> Post:
    """A member's post as a core `Post`. Refuses bot, service and text-less messages."""
    author = message.from_user
    if author is None and message.sender_chat is None:
        raise InputError("that is a service message; reply to a member's post instead")
    if author is not None and author.is_bot:
        raise InputError("that message was sent by a bot; reply to a member's post instead")
    text = message.text or message.caption
    if not text or not text.strip():
        raise InputError(
            "that message has no text to reply to (a photo without caption, a sticker or a service message)"
        )
    if author is not None:
        author_id, author_name = str(author.id), author.full_name
    else:
        assert message.sender_chat is not None
        author_id, author_name = f"chat{message.sender_chat.id}", message.sender_chat.title or ""
    return Post(
        ref=post_ref(message),
        author_id=author_id,
        text=text,
        author_name=author_name or None,
        created_at=message.date,
        edited_at=message.edit_date,
        known_names=known_names(message),
    )


def known_names(message: Message) -> tuple[str, ...]:
    """Names Telegram shows with the post (author, mentioned users), for redaction."""
    names: list[str] = []
    users = [message.from_user] if message.from_user else []
    for entity in message.entities or message.caption_entities or ():
        if entity.type is MessageEntityType.TEXT_MENTION and entity.user is not None:
            users.append(entity.user)
    for user in users:
        names.extend(n for n in (user.first_name, user.last_name, user.username, user.full_name) if n)
    return tuple(dict.fromkeys(names))


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), keeping the rest exactly as typed."""
    text = message.text or ""
    for entity in message.entities or ():
        if entity.type is MessageEntityType.BOT_COMMAND and entity.offset == 0:
            # Offsets are UTF-16 code units; the command itself is ASCII so they agree here.
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()


def post_link(ref: PostRef, chat_username: str | None = None) -> str:
    """A link moderators can open to the post (supergroups and public groups only)."""
    if chat_username:
        return f"https://t.me/{chat_username}/{ref.message_id}"
    chat = ref.community_id
    if chat.startswith("-100"):
        return f"https://t.me/c/{chat[4:]}/{ref.message_id}"
    # Basic groups have no message links.
    return f"message {ref.message_id} in chat {chat}"
