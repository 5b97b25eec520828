"""Checks of the audit trail's invariants: nothing reaches a community without its requester.

The invariant, checked by `llumi audit --verify` and by the tests: every
posted draft has an approve action by its requester (before the post), and no
draft was posted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..domain import AuditAction, AuditEntry, Draft, DraftStatus

_CREATING = (AuditAction.DRAFT, AuditAction.IMPROVE, AuditAction.REGENERATE)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant; `message` names the draft id, never its content."""

    draft_id: str
    message: str


def _order(entry: AuditEntry) -> tuple[float, int]:
    return (entry.at.timestamp(), entry.id if entry.id is not None else 0)


def verify_trail(entries: Sequence[AuditEntry], drafts: Iterable[Draft] = ()) -> list[Violation]:
    """All violations of the posting invariant; empty when the trail is sound.

    `drafts` (optional) are the stored drafts: they name each draft's requester
    and reveal drafts marked posted without a post entry. A draft that was
    deleted on a data request is judged by its trail alone (its requester is
    the actor who created it).
    """
    by_draft: dict[str, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        if entry.draft_id:
            by_draft[entry.draft_id].append(entry)
    known = {d.id: d for d in drafts}
    problems: list[Violation] = []
    for draft_id, trail in sorted(by_draft.items()):
        trail.sort(key=_order)
        posts = [e for e in trail if e.action is AuditAction.POST]
        if not posts:
            continue
        if len(posts) > 1:
            problems.append(Violation(draft_id, f"draft {draft_id} was posted {len(posts)} times"))
        requester = _requester(known.get(draft_id), trail)
        if requester is None:
            problems.append(
                Violation(draft_id, f"draft {draft_id} was posted but nobody is recorded as its requester")
            )
            continue
        for post in posts:
            if post.actor != requester:
                problems.append(
                    Violation(draft_id, f"draft {draft_id} was posted by {post.actor}, not its requester")
                )
            approved = any(
                e.action is AuditAction.APPROVE and e.actor == requester and _order(e) <= _order(post)
                for e in trail
            )
            if not approved:
                problems.append(
                    Violation(
                        draft_id, f"draft {draft_id} was posted without an approve action by its requester"
                    )
                )
    for draft in known.values():
        if draft.status is DraftStatus.POSTED and not any(
            e.action is AuditAction.POST for e in by_draft.get(draft.id, ())
        ):
            problems.append(
                Violation(draft.id, f"draft {draft.id} is marked posted but the trail has no post action")
            )
    return problems


def _requester(draft: Draft | None, trail: Sequence[AuditEntry]) -> str | None:
    if draft is not None:
        return draft.requester.key
    for entry in trail:
        if entry.action in _CREATING:
            return entry.actor
    return None
