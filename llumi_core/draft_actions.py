"""The buttons of a private draft, the same on every platform.

A button's id is `llumi:<draft_id>:<action>`: it carries no state, so buttons
keep working after a restart (every press reads the draft again). Which
buttons a draft offers follows from its stored state alone, here; adapters
choose labels, layout and how a disabled button looks on their platform.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from .domain import Draft, DraftKind, DraftStatus, RiskAssessment

PREFIX = "llumi"


class DraftAction(enum.StrEnum):
    """What a button does; the value is the last part of `llumi:<draft_id>:<action>`."""

    ESCALATE = "escalate"
    POST = "post"
    COPY = "copy"
    EDIT = "edit"
    REGENERATE = "regen"
    IMPROVE = "improve"
    MINE = "mine"
    RATE = "rate"
    DISCARD = "discard"


# Ids older buttons (sent before the vocabulary was shared) still carry.
_FORMER = {"esc": DraftAction.ESCALATE}
_ID = re.compile(r"^llumi:(?P<draft_id>[0-9a-f]{6,32}):(?P<action>[a-z_0-9]{1,24})$")


@dataclass(frozen=True, slots=True)
class Offer:
    """One button a draft offers; `enabled` is False while it may not be used yet."""

    action: DraftAction
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Press:
    """A parsed button id. `action` is None for an action this version does not know."""

    draft_id: str
    action: DraftAction | None
    raw: str


def button_id(draft_id: str, action: DraftAction | str) -> str:
    return f"{PREFIX}:{draft_id}:{action}"


def parse_button(value: str | None) -> Press | None:
    """`llumi:<draft_id>:<action>` → Press; None when it is not a LLUMI draft button at all."""
    match = _ID.match(value or "")
    if match is None:
        return None
    raw = match["action"]
    action = _FORMER.get(raw)
    if action is None:
        try:
            action = DraftAction(raw)
        except ValueError:
            action = None
    return Press(match["draft_id"], action, raw)


def escalate_offered(draft_id: str | None, risk: RiskAssessment) -> tuple[Offer, ...]:
    """Escalate, for a flagged post: from the first private message on, before any draft text."""
    return (Offer(DraftAction.ESCALATE),) if draft_id and risk.needs_resources else ()


def offered(draft: Draft) -> tuple[Offer, ...]:
    """The draft's buttons in order: Escalate first (when flagged), then what its state allows.

    Post and Copy stay visible but disabled while the checks block the draft or it
    is empty (an empty draft is never posted). A closed draft can still be rated.
    """
    first = escalate_offered(draft.id, draft.risk)
    if draft.status is not DraftStatus.PENDING:
        return (*first, Offer(DraftAction.RATE))
    usable = not draft.blocked and bool(draft.text.strip())
    main = (Offer(DraftAction.POST, usable), Offer(DraftAction.COPY, usable), Offer(DraftAction.EDIT))
    more: tuple[DraftAction, ...]
    if draft.kind is DraftKind.DRAFT:
        more = (DraftAction.REGENERATE, DraftAction.IMPROVE, DraftAction.RATE, DraftAction.DISCARD)
    else:
        more = (DraftAction.MINE, DraftAction.RATE, DraftAction.DISCARD)
    return (*first, *main, *(Offer(a) for a in more))
