"""Placeholders of drafts whose request died: "✍ Writing…" becomes "Interrupted — tap Regenerate".

`drafting.generate` hands the core the placeholder's place ("chat_id:message_id",
`retention.remember_notice`). When the process dies before the draft is written,
the core's sweep (at every start, and every minute in `llumi run`) marks the
draft `failed`; this module then edits each such placeholder, at start and
every `EVERY_S`, and tells the core it is done (`notice_resolved`). The
Regenerate button works on the failed draft (the core allows it).

Discord has no equivalent: its placeholder is an ephemeral interaction response,
which only that interaction's token can edit. The token lives 15 minutes, and
keeping it in the database would store a credential, so a restarted bot cannot
reach the message; the moderator asks again there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from llumi_core import retention
from llumi_core.domain import Platform
from llumi_core.errors import LlumiError
from llumi_core.ports import Repositories
from llumi_core.storage.durable import Interrupted

from . import keyboards, render
from .convert import parse_notice_ref
from .delivery import NO_PREVIEW, with_retry

log = logging.getLogger(__name__)

# As often as `llumi run` sweeps: a failed draft's placeholder changes within a minute or so.
EVERY_S = 60.0


async def keep_marking(repos: Repositories, bot: Bot, stop: asyncio.Event, every_s: float = EVERY_S) -> None:
    """Mark the interrupted placeholders now, then every `every_s` until `stop`; never raises."""
    while not stop.is_set():
        try:
            await mark_all(repos, bot)
        except LlumiError as err:  # storage down: the next pass tries again
            log.warning("interrupted drafts: %s", err)
        except Exception as err:  # a bug must not stop the bot; nothing of the content is logged
            log.warning("interrupted drafts: could not mark them (%s)", type(err).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_s)


async def mark_all(repos: Repositories, bot: Bot) -> int:
    """Edit every interrupted placeholder on Telegram; returns how many were resolved."""
    resolved = 0
    for notice in await retention.interrupted_notices(repos, Platform.TELEGRAM):
        if await _mark(bot, notice):
            await retention.notice_resolved(repos, notice.draft.id)
            resolved += 1
    return resolved


async def _mark(bot: Bot, notice: Interrupted) -> bool:
    """True when done with this placeholder: edited, or gone for good (deleted, chat blocked).
    False when Telegram could not be reached: the next pass tries again."""
    where = parse_notice_ref(notice.notice_ref or "")
    if where is None:
        return True  # not a Telegram message reference: nothing to edit
    chat_id, message_id = where
    markup = keyboards.interrupted(notice.draft)
    try:
        await with_retry(
            lambda: bot.edit_message_text(
                render.INTERRUPTED,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
        )
    except (BadRequest, Forbidden) as err:  # deleted, not modified, the bot blocked: never again
        log.warning("could not mark an interrupted draft's placeholder: %s", type(err).__name__)
    except TelegramError as err:  # network, timeout, flood wait
        log.warning("could not reach Telegram to mark an interrupted draft: %s", type(err).__name__)
        return False
    return True
