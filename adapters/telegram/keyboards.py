"""Inline keyboards. Callback data is only `llumi:<draft_id>:<action>` (< 64 bytes).

Which buttons a draft offers is the core's (`llumi_core.draft_actions`); this
module lays them out for Telegram. Telegram has no disabled buttons, so a Post
the checks block becomes "Edit needed", which explains itself when pressed;
and no modals, so Rate opens rows of 1–5 in place. Copy is not offered: a
Telegram message's text can be copied as it is. Every press reloads the draft
from the database, so buttons keep working after a restart.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from llumi_core.domain import RATING_DIMENSIONS, Draft
from llumi_core.draft_actions import DraftAction, Offer, button_id, escalate_offered, offered, parse_button

MAX_CALLBACK_BYTES = 64
EDIT_PATTERN = rf"^llumi:[0-9a-f]{{6,32}}:{DraftAction.EDIT}$"
ALL_PATTERN = r"^llumi:"

# Telegram-only presses: the answers to Telegram's lack of disabled buttons and of modals.
BLOCKED = "blocked"
BACK = "back"
# One letter per rating dimension keeps rating callbacks short: rate_e_4 = empathy 4.
RATE_KEYS = {d[0]: d for d in RATING_DIMENSIONS}

parse = parse_button

_LABELS = {
    DraftAction.ESCALATE: "🚨 Escalate to moderators",
    DraftAction.POST: "📤 Post to group",
    DraftAction.EDIT: "✏ Edit",
    DraftAction.REGENERATE: "🔄 Regenerate",
    DraftAction.IMPROVE: "✨ Improve",
    DraftAction.MINE: "↩ Use mine instead",
    DraftAction.RATE: "⭐ Rate",
    DraftAction.DISCARD: "🗑 Discard",
}
_PER_ROW = 2


def data(draft_id: str, action: str) -> str:
    value = button_id(draft_id, action)
    if len(value.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError("callback data over Telegram's 64-byte limit")
    return value


def _button(draft_id: str, offer: Offer) -> InlineKeyboardButton:
    if offer.action is DraftAction.POST and not offer.enabled:
        return InlineKeyboardButton("⚠ Edit needed before posting", callback_data=data(draft_id, BLOCKED))
    return InlineKeyboardButton(_LABELS[offer.action], callback_data=data(draft_id, offer.action))


def escalate(draft: Draft) -> InlineKeyboardMarkup | None:
    """The Escalate button under the risk message, for flagged posts."""
    offers = escalate_offered(draft.id, draft.risk)
    return InlineKeyboardMarkup([[_button(draft.id, o) for o in offers]]) if offers else None


def actions(draft: Draft) -> InlineKeyboardMarkup:
    """The draft's buttons, from its stored state (Escalate sits under the risk message)."""
    shown = [
        _button(draft.id, o)
        for o in offered(draft)
        if o.action in _LABELS and o.action is not DraftAction.ESCALATE
    ]
    return InlineKeyboardMarkup([shown[i : i + _PER_ROW] for i in range(0, len(shown), _PER_ROW)])


def interrupted(draft: Draft) -> InlineKeyboardMarkup:
    """Regenerate alone, under a placeholder whose request died: a failed draft offers no
    other action (the core accepts Regenerate on it)."""
    return InlineKeyboardMarkup([[_button(draft.id, Offer(DraftAction.REGENERATE))]])


def rating(draft_id: str) -> InlineKeyboardMarkup:
    """Five rows (one per dimension) of 1–5, and a way back."""
    rows = []
    for key, dim in RATE_KEYS.items():
        rows.append(
            [
                InlineKeyboardButton(
                    f"{dim.title()} {n}" if n == 1 else str(n),
                    callback_data=data(draft_id, f"rate_{key}_{n}"),
                )
                for n in range(1, 6)
            ]
        )
    rows.append([InlineKeyboardButton("⬅ Done", callback_data=data(draft_id, BACK))])
    return InlineKeyboardMarkup(rows)


def parse_rating(action: str) -> tuple[str, int] | None:
    match = re.fullmatch(r"rate_([a-z])_([1-5])", action)
    if not match or match.group(1) not in RATE_KEYS:
        return None
    return RATE_KEYS[match.group(1)], int(match.group(2))
