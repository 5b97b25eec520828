"""The core's `Outbox` on Telegram: what the bot does on the core's behalf for one action.

Telegram's Bot API cannot fetch a message by id, so "the post as it is now"
is what the bot saw last (the command's reply target, or an `edited_message`
update), kept in a bounded memory. After a restart, Regenerate and Improve use
the post as stored with the draft (redacted, as the model saw it); without it
(`[privacy] store_content = "none"`) the post is unknown.
"""

from __future__ import annotations

import dataclasses
import logging

from telegram import Bot
from telegram.error import TelegramError

from llumi_core.domain import Actor, Draft, Post, PostRef
from llumi_core.errors import LlumiError
from llumi_core.ports import PostUnknown, Sent
from llumi_core.service import PostChanged

from . import render
from .convert import post_link
from .delivery import NO_PREVIEW, post_reply, with_retry
from .memory import Bounded

log = logging.getLogger(__name__)


def places(ref: PostRef) -> tuple[str | None, ...]:
    """Where an admin may have enabled LLUMI: the topic, or the group itself."""
    return (ref.thread_id, ref.channel_id, ref.community_id)


class TelegramOutbox:
    """See `llumi_core.ports.Outbox`."""

    def __init__(self, bot: Bot, seen: Bounded[str, Post], *, stored: Draft | None = None) -> None:
        self._bot = bot
        self._seen = seen
        self._stored = stored  # the draft being rewritten: its stored post stands in after a restart

    async def places(self, ref: PostRef) -> tuple[str | None, ...]:
        return places(ref)

    async def current_post(self, ref: PostRef) -> Post | None:
        post = self._seen.get(ref.key) or self._stored_post(ref)
        if post is None:
            raise PostUnknown(
                "I no longer have that post's text (the bot restarted since); "
                "reply to the post with /draft again"
            )
        return post

    def _stored_post(self, ref: PostRef) -> Post | None:
        """The post as kept with the draft being rewritten. Only for that rewrite: its text is
        redacted, so it must never stand in for the post when another draft is posted."""
        draft = self._stored
        if draft is None or draft.post.key != ref.key or not draft.post_text:
            return None
        return Post(draft.post, draft.post_author_id, draft.post_text)

    async def reply(self, ref: PostRef, text: str) -> Sent:
        thread = int(ref.thread_id) if ref.thread_id else None
        try:
            sent = await post_reply(
                self._bot, int(ref.community_id), int(ref.message_id), thread, render.post_texts(text)
            )
        except TelegramError as err:
            if "not found" in str(err).lower():
                raise PostChanged("the original post was deleted; nothing was posted", deleted=True) from None
            log.warning("posting to the group failed: %s", type(err).__name__)
            raise LlumiError(
                "Telegram did not accept the post (the bot may lack the right to write there); "
                "nothing was posted and your draft is kept — try again"
            ) from None
        first = str(sent[0].message_id)
        return Sent(first, post_link(dataclasses.replace(ref, message_id=first)))

    async def alert(self, channel_id: str, draft: Draft, by: Actor) -> None:
        text = render.alert(draft, by, post_link(draft.post))
        await with_retry(lambda: self._bot.send_message(channel_id, text, link_preview_options=NO_PREVIEW))
