"""Discord objects → core `Post` / `Actor` / `PostRef`, and the platform-level guards.

Nothing here talks to the service: these are pure conversions plus the checks
only Discord can answer (is this a bot post, a system message, who is admin).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import discord

from llumi_core.domain import Actor, Platform, Post, PostRef
from llumi_core.errors import InputError, NotAllowed

_LINK = re.compile(
    r"https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(?P<guild>\d+|@me)/(?P<channel>\d+)/(?P<message>\d+)"
)


def actor_from(interaction: discord.Interaction) -> Actor:
    """The human behind an interaction; admin means Manage Server (or Administrator) here."""
    user = interaction.user
    roles: tuple[str, ...] = ()
    if isinstance(user, discord.Member):
        roles = tuple(str(r.id) for r in user.roles)
    perms = interaction.permissions
    return Actor(
        platform=Platform.DISCORD,
        user_id=str(user.id),
        display_name=user.display_name,
        role_ids=roles,
        is_admin=bool(perms.manage_guild or perms.administrator),
    )


def require_guild(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise NotAllowed("LLUMI works inside a server, not in direct messages")
    return interaction.guild


def channel_ids(channel: object) -> tuple[str | None, ...]:
    """The ids an admin may have enabled for this place: channel, thread parent, category."""
    ids: list[str | None] = [str(getattr(channel, "id", "")) or None]
    parent_id = getattr(channel, "parent_id", None)
    if parent_id is not None:
        ids.append(str(parent_id))
    parent = getattr(channel, "parent", None)
    category_id = getattr(parent, "category_id", None) or getattr(channel, "category_id", None)
    if category_id is not None:
        ids.append(str(category_id))
    return tuple(ids)


def check_answerable(message: discord.Message) -> None:
    """Refuse posts that are not a member's words: bot/webhook posts, system messages, no text."""
    if message.author.bot or message.webhook_id is not None:
        raise InputError("that post was written by a bot; LLUMI drafts replies to members' posts only")
    if message.is_system():
        raise InputError(
            "that is a system message (a join, pin or boost notice); there is nothing to reply to"
        )
    if not message.content.strip():
        what = (
            "only attachments"
            if message.attachments
            else "only embeds or stickers"
            if (message.embeds or message.stickers)
            else "no text"
        )
        raise InputError(
            f"that post has {what}; LLUMI can only answer text — quote the words you want to reply to"
        )


def post_ref(message: discord.Message) -> PostRef:
    channel = message.channel
    guild_id = str(message.guild.id) if message.guild else "dm"
    if isinstance(channel, discord.Thread):
        return PostRef(Platform.DISCORD, guild_id, str(channel.parent_id), str(message.id), str(channel.id))
    return PostRef(Platform.DISCORD, guild_id, str(channel.id), str(message.id))


def post_from(message: discord.Message) -> Post:
    """The member's post as the core sees it (text is data, never instructions)."""
    author = message.author
    names = {author.name, author.display_name}
    for user in message.mentions:
        names.update({user.name, user.display_name})
    return Post(
        ref=post_ref(message),
        author_id=str(author.id),
        text=message.content,
        author_name=author.display_name,
        created_at=message.created_at,
        edited_at=message.edited_at,
        known_names=tuple(sorted(n for n in names if n)),
    )


@dataclass(frozen=True, slots=True)
class MessageLink:
    channel_id: int | None
    message_id: int


def parse_message_link(text: str) -> MessageLink:
    """A message link (any Discord host) or a bare message id (meaning: in this channel)."""
    text = text.strip().strip("<>")
    match = _LINK.search(text)
    if match:
        return MessageLink(int(match["channel"]), int(match["message"]))
    if text.isdigit():
        return MessageLink(None, int(text))
    raise InputError("give a message link (right-click the post → Copy Message Link) or a message id")


def jump_url(ref: PostRef) -> str:
    channel = ref.thread_id or ref.channel_id
    return f"https://discord.com/channels/{ref.community_id}/{channel}/{ref.message_id}"


def target_channel_id(ref: PostRef) -> int:
    """Where the post lives (its thread if it has one); replies go there."""
    return int(ref.thread_id or ref.channel_id)
