"""Inline keyboards. Callback data is only `llumi:<draft_id>:<action>` (< 64 bytes).

Every press reloads the draft from the database (`service.get`), so buttons
keep working after a restart and a second press on a closed draft is refused
by the core rather than by memory in the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from llumi_core.domain import RATING_DIMENSIONS, Draft, DraftKind, DraftStatus

PREFIX = "llumi"
MAX_CALLBACK_BYTES = 64
PATTERN = re.compile(r"^llumi:([0-9a-f]{6,32}):([a-z_0-9]{1,24})$")
EDIT_PATTERN = r"^llumi:[0-9a-f]{6,32}:edit$"
ALL_PATTERN = r"^llumi:"

# One letter per rating dimension keeps rating callbacks short: rate_e_4 = empathy 4.
RATE_KEYS = {d[0]: d for d in RATING_DIMENSIONS}


@dataclass(frozen=True, slots=True)
class Press:
    draft_id: str
    action: str


def data(draft_id: str, action: str) -> str:
    value = f"{PREFIX}:{draft_id}:{action}"
    if len(value.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError("callback data over Telegram's 64-byte limit")
    return value


def parse(value: str | None) -> Press | None:
    match = PATTERN.match(value or "")
    return Press(match.group(1), match.group(2)) if match else None


def _b(text: str, draft_id: str, action: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data(draft_id, action))


def escalate(draft: Draft) -> InlineKeyboardMarkup | None:
    """The Escalate button under the risk message, for flagged posts."""
    if not draft.risk.needs_resources:
        return None
    return InlineKeyboardMarkup([[_b("🚨 Escalate to moderators", draft.id, "esc")]])


def actions(draft: Draft) -> InlineKeyboardMarkup:
    """The draft's buttons, from its stored state."""
    d = draft.id
    if draft.status is not DraftStatus.PENDING:
        return InlineKeyboardMarkup([[_b("⭐ Rate", d, "rate")]])
    post = (
        _b("⚠ Edit needed before posting", d, "blocked")
        if draft.blocked
        else _b("📤 Post to group", d, "post")
    )
    rows = [[post, _b("✏ Edit", d, "edit")]]
    if draft.kind is DraftKind.IMPROVE:
        rows.append([_b("↩ Use mine instead", d, "mine"), _b("🗑 Discard", d, "discard")])
        rows.append([_b("⭐ Rate", d, "rate")])
    else:
        rows.append([_b("🔄 Regenerate", d, "regen"), _b("✨ Improve", d, "improve")])
        rows.append([_b("⭐ Rate", d, "rate"), _b("🗑 Discard", d, "discard")])
    return InlineKeyboardMarkup(rows)


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
    rows.append([_b("⬅ Done", draft_id, "back")])
    return InlineKeyboardMarkup(rows)


def parse_rating(action: str) -> tuple[str, int] | None:
    match = re.fullmatch(r"rate_([a-z])_([1-5])", action)
    if not match or match.group(1) not in RATE_KEYS:
        return None
    return RATE_KEYS[match.group(1)], int(match.group(2))
