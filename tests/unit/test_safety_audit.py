"""The posting invariant: approved by the requester first, never posted twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from llumi_core.domain import (
    Actor,
    AuditAction,
    AuditEntry,
    Draft,
    DraftKind,
    DraftStatus,
    Platform,
    PostRef,
    RiskAssessment,
    RiskLevel,
)
from llumi_core.safety.audit import verify_trail

T0 = datetime(2025, 1, 1, tzinfo=UTC)
ALICE = Actor(Platform.DISCORD, "1", "alice")
BOB = Actor(Platform.DISCORD, "2", "bob")


def entry(action: AuditAction, who: Actor, draft_id: str, minutes: int) -> AuditEntry:
    return AuditEntry(action, who.key, "discord:g", draft_id=draft_id, at=T0 + timedelta(minutes=minutes))


def draft(draft_id: str, requester: Actor, status: DraftStatus) -> Draft:
    return Draft(
        id=draft_id,
        kind=DraftKind.DRAFT,
        status=status,
        post=PostRef(Platform.DISCORD, "g", "c", "m"),
        post_author_id="9",
        requester=requester,
        text="",
        model_id="m",
        prompt_version="v",
        risk=RiskAssessment(RiskLevel.NONE, 0.0),
    )


def test_a_sound_trail_passes() -> None:
    trail = [
        entry(AuditAction.DRAFT, ALICE, "d1", 0),
        entry(AuditAction.APPROVE, ALICE, "d1", 1),
        entry(AuditAction.POST, ALICE, "d1", 2),
    ]
    assert verify_trail(trail, [draft("d1", ALICE, DraftStatus.POSTED)]) == []


def test_posted_twice() -> None:
    trail = [
        entry(AuditAction.DRAFT, ALICE, "d1", 0),
        entry(AuditAction.APPROVE, ALICE, "d1", 1),
        entry(AuditAction.POST, ALICE, "d1", 2),
        entry(AuditAction.POST, ALICE, "d1", 3),
    ]
    problems = verify_trail(trail)
    assert any("posted 2 times" in p.message for p in problems)


def test_posted_without_approval() -> None:
    trail = [entry(AuditAction.DRAFT, ALICE, "d1", 0), entry(AuditAction.POST, ALICE, "d1", 2)]
    assert any("without an approve" in p.message for p in verify_trail(trail))


def test_approved_by_someone_else() -> None:
    trail = [
        entry(AuditAction.DRAFT, ALICE, "d1", 0),
        entry(AuditAction.APPROVE, BOB, "d1", 1),
        entry(AuditAction.POST, BOB, "d1", 2),
    ]
    messages = [p.message for p in verify_trail(trail, [draft("d1", ALICE, DraftStatus.POSTED)])]
    assert any("not its requester" in m for m in messages)
    assert any("without an approve" in m for m in messages)


def test_approval_after_the_post_does_not_count() -> None:
    trail = [
        entry(AuditAction.DRAFT, ALICE, "d1", 0),
        entry(AuditAction.POST, ALICE, "d1", 1),
        entry(AuditAction.APPROVE, ALICE, "d1", 2),
    ]
    assert verify_trail(trail)


def test_marked_posted_without_a_post_entry() -> None:
    problems = verify_trail(
        [entry(AuditAction.DRAFT, ALICE, "d1", 0)], [draft("d1", ALICE, DraftStatus.POSTED)]
    )
    assert any("no post action" in p.message for p in problems)


def test_released_and_reapproved_then_posted_once_is_fine() -> None:
    trail = [
        entry(AuditAction.DRAFT, ALICE, "d1", 0),
        entry(AuditAction.APPROVE, ALICE, "d1", 1),
        entry(AuditAction.APPROVE, ALICE, "d1", 3),
        entry(AuditAction.POST, ALICE, "d1", 4),
    ]
    assert verify_trail(trail) == []


def test_messages_hold_no_content() -> None:
    trail = [entry(AuditAction.POST, ALICE, "d1", 0)]
    for p in verify_trail(trail):
        assert p.draft_id == "d1" and "d1" in p.message
