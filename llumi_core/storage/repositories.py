"""SQLAlchemy implementations of the repository protocols in `llumi_core.ports`.

Each method runs in its own short transaction and returns domain dataclasses,
never ORM rows. Errors leave as `StorageError` (see `db.transaction`).
Works unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

import builtins
import dataclasses
import logging
import re
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain import (
    Actor,
    AuditAction,
    AuditEntry,
    Change,
    ChangeKind,
    CommunityConfig,
    CrisisResource,
    Draft,
    DraftKind,
    DraftStatus,
    OutputIssue,
    Platform,
    PostRef,
    Rating,
    RiskAssessment,
    RiskLevel,
    utcnow,
)
from ..errors import NotFound
from .db import ConstraintViolation, transaction
from .models import AuditRow, CommunityRow, DraftRow, EscalationRow, OptOutRow, RatingRow

log = logging.getLogger(__name__)

Sessions = async_sessionmaker[AsyncSession]
AUDIT_DETAIL_MAX = 500
NOTICE_MAX = 255


def split_community(community: str) -> tuple[str, str]:
    """`"discord:123"` → `("discord", "123")`; the platform never contains a colon."""
    platform, sep, community_id = community.partition(":")
    if not sep:
        raise ValueError(f"a community key looks like 'platform:id', got {community!r}")
    return platform, community_id


def _rowcount(result: sa.Result[Any]) -> int:
    return cast(CursorResult[Any], result).rowcount


# --- drafts ------------------------------------------------------------------------------------


def _draft_values(draft: Draft) -> dict[str, Any]:
    """Column values of a draft, without its id (shared by insert, update and transition)."""
    return {
        "kind": draft.kind.value,
        "status": draft.status.value,
        "platform": draft.post.platform.value,
        "community_id": draft.post.community_id,
        "channel_id": draft.post.channel_id,
        "message_id": draft.post.message_id,
        "thread_id": draft.post.thread_id,
        "post_author_id": draft.post_author_id,
        "requester_platform": draft.requester.platform.value,
        "requester_user_id": draft.requester.user_id,
        "requester_display_name": draft.requester.display_name,
        "text": draft.text,
        "model_text": draft.model_text,
        "human_text": draft.human_text,
        "changes": [dataclasses.asdict(c) | {"kind": c.kind.value} for c in draft.changes],
        "issues": [dataclasses.asdict(i) for i in draft.issues],
        "risk_level": draft.risk.level.value,
        "risk_score": float(draft.risk.score),
        "risk_reasons": list(draft.risk.reasons),
        "model_id": draft.model_id,
        "prompt_version": draft.prompt_version,
        "parent_id": draft.parent_id,
        "posted_message_id": draft.posted_message_id,
        "post_hash": draft.post_hash,
        "post_text": draft.post_text,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
    }


def _draft_from_row(row: DraftRow) -> Draft:
    return Draft(
        id=row.id,
        kind=DraftKind(row.kind),
        status=DraftStatus(row.status),
        post=PostRef(
            platform=Platform(row.platform),
            community_id=row.community_id,
            channel_id=row.channel_id,
            message_id=row.message_id,
            thread_id=row.thread_id,
        ),
        post_author_id=row.post_author_id,
        requester=Actor(Platform(row.requester_platform), row.requester_user_id, row.requester_display_name),
        text=row.text,
        model_id=row.model_id,
        prompt_version=row.prompt_version,
        risk=_risk(row.risk_level, row.risk_score, tuple(row.risk_reasons or ())),
        model_text=row.model_text,
        human_text=row.human_text,
        changes=tuple(
            Change(ChangeKind(c["kind"]), c.get("before", ""), c.get("after", ""), c.get("why", ""))
            for c in row.changes or ()
        ),
        issues=tuple(OutputIssue(i["kind"], i.get("text", ""), i.get("why", "")) for i in row.issues or ()),
        parent_id=row.parent_id,
        posted_message_id=row.posted_message_id,
        post_hash=row.post_hash,
        post_text=row.post_text,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _user_drafts(platform: Platform, user_id: str) -> sa.ColumnElement[bool]:
    """Drafts about a post by this user, or asked for by this user."""
    return sa.or_(
        sa.and_(DraftRow.platform == platform.value, DraftRow.post_author_id == user_id),
        sa.and_(DraftRow.requester_platform == platform.value, DraftRow.requester_user_id == user_id),
    )


class SqlDraftRepository:
    """Drafts and their whole lifecycle; `transition` is the only way to close one safely."""

    def __init__(self, sessions: Sessions, *, worker: str | None = None) -> None:
        self._sessions = sessions
        self.worker = worker  # stamped on new drafts: who is writing them (see durable.py)

    async def add(self, draft: Draft) -> None:
        """Store a new draft. Raises StorageError if the id is taken."""
        async with transaction(self._sessions) as s:
            await s.execute(
                sa.insert(DraftRow).values(id=draft.id, worker=self.worker, **_draft_values(draft))
            )

    async def pending_without_text(self) -> builtins.list[tuple[Draft, str | None, str | None]]:
        """Pending drafts that have no text yet, with their worker and placeholder reference."""
        query = (
            sa.select(DraftRow)
            .where(
                DraftRow.status == DraftStatus.PENDING.value, DraftRow.text == "", DraftRow.model_text == ""
            )
            .order_by(DraftRow.created_at, DraftRow.id)
        )
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query)).all()
            return [(_draft_from_row(r), r.worker, r.notice_ref) for r in rows]

    async def pending_before(
        self, cutoff: datetime, *, platform: Platform | None = None
    ) -> builtins.list[Draft]:
        """Pending drafts last changed before `cutoff` (optionally on one platform)."""
        query = sa.select(DraftRow).where(
            DraftRow.status == DraftStatus.PENDING.value, DraftRow.updated_at < cutoff
        )
        if platform is not None:
            query = query.where(DraftRow.platform == platform.value)
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query.order_by(DraftRow.created_at, DraftRow.id))).all()
            return [_draft_from_row(r) for r in rows]

    async def set_notice(self, draft_id: str, notice_ref: str | None) -> None:
        """Remember where the adapter shows this draft's placeholder (to mark it if interrupted);
        None once the adapter has marked it."""
        value = notice_ref[:NOTICE_MAX] if notice_ref is not None else None
        async with transaction(self._sessions) as s:
            await s.execute(
                sa.update(DraftRow).where(DraftRow.id == draft_id).values(notice_ref=value),
                execution_options={"synchronize_session": False},
            )

    async def failed_with_notice(self, platform: Platform) -> builtins.list[tuple[Draft, str]]:
        """Failed drafts on `platform` whose placeholder the adapter has not marked yet."""
        query = (
            sa.select(DraftRow)
            .where(
                DraftRow.status == DraftStatus.FAILED.value,
                DraftRow.platform == platform.value,
                DraftRow.notice_ref.is_not(None),
            )
            .order_by(DraftRow.created_at, DraftRow.id)
        )
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query)).all()
            return [(_draft_from_row(r), r.notice_ref or "") for r in rows]

    async def get(self, draft_id: str) -> Draft | None:
        async with transaction(self._sessions) as s:
            row = await s.get(DraftRow, draft_id)
            return _draft_from_row(row) if row is not None else None

    async def update(self, draft: Draft) -> None:
        """Overwrite a stored draft. Raises NotFound when there is none with this id."""
        async with transaction(self._sessions) as s:
            result = await s.execute(
                sa.update(DraftRow).where(DraftRow.id == draft.id).values(**_draft_values(draft)),
                execution_options={"synchronize_session": False},
            )
            if _rowcount(result) == 0:
                raise NotFound("no such draft (it may have been deleted)")

    async def transition(self, draft_id: str, expected: DraftStatus, new: Draft) -> bool:
        """Save `new` only if the stored status is still `expected`.

        One conditional UPDATE: the database serialises concurrent writers, so
        of two clicks on *Post* exactly one sees its row count be 1.
        """
        async with transaction(self._sessions) as s:
            result = await s.execute(
                sa.update(DraftRow)
                .where(DraftRow.id == draft_id, DraftRow.status == expected.value)
                .values(**_draft_values(new)),
                execution_options={"synchronize_session": False},
            )
            won = _rowcount(result) == 1
        log.debug("transition %s %s -> %s: %s", draft_id, expected.value, new.status.value, won)
        return won

    async def list(
        self,
        *,
        community: str | None = None,
        since: datetime | None = None,
        status: DraftStatus | None = None,
    ) -> builtins.list[Draft]:
        """Drafts oldest first, filtered by `platform:community_id`, creation time and status."""
        query = sa.select(DraftRow).order_by(DraftRow.created_at, DraftRow.id)
        if community is not None:
            platform, community_id = split_community(community)
            query = query.where(DraftRow.platform == platform, DraftRow.community_id == community_id)
        if since is not None:
            query = query.where(DraftRow.created_at >= since)
        if status is not None:
            query = query.where(DraftRow.status == status.value)
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query)).all()
            return [_draft_from_row(r) for r in rows]

    async def purge_content(
        self,
        older_than: datetime,
        community: str | None = None,
        *,
        include_open: bool = False,
        exclude: Collection[str] = (),
    ) -> int:
        """Blank text, model text, human text, changes and issues of drafts created before `older_than`.

        Ids, status, risk, model id, prompt version and timestamps stay (the
        audit trail and statistics need them). Only closed drafts unless
        `include_open`; never the communities in `exclude` (`platform:id` keys,
        which keep their own retention). Returns how many drafts were blanked now; a second
        purge finds nothing left to do.
        """
        conditions: list[sa.ColumnElement[bool]] = [
            DraftRow.created_at < older_than,
            DraftRow.purged_at.is_(None),
        ]
        if not include_open:
            conditions.append(DraftRow.status != DraftStatus.PENDING.value)
        if community is not None:
            platform, community_id = split_community(community)
            conditions += [DraftRow.platform == platform, DraftRow.community_id == community_id]
        for key in exclude:
            platform, community_id = split_community(key)
            conditions.append(
                sa.not_(sa.and_(DraftRow.platform == platform, DraftRow.community_id == community_id))
            )
        statement = (
            sa.update(DraftRow)
            .where(*conditions)
            .values(
                text="",
                model_text="",
                post_text="",
                human_text=None,
                changes=[],
                issues=[],
                purged_at=utcnow(),
            )
        )
        async with transaction(self._sessions) as s:
            result = await s.execute(statement, execution_options={"synchronize_session": False})
            return _rowcount(result)

    async def delete_for_user(self, platform: Platform, user_id: str) -> int:
        """Delete drafts about posts by, or requested by, this user, with their ratings,
        and the ratings this user gave. Returns how many drafts were deleted."""
        condition = _user_drafts(platform, user_id)
        async with transaction(self._sessions) as s:
            # Explicit, not only ON DELETE CASCADE: the count must not depend on a PRAGMA.
            await s.execute(
                sa.delete(RatingRow).where(RatingRow.draft_id.in_(sa.select(DraftRow.id).where(condition))),
                execution_options={"synchronize_session": False},
            )
            await s.execute(
                sa.delete(RatingRow).where(
                    RatingRow.by_platform == platform.value, RatingRow.by_user_id == user_id
                ),
                execution_options={"synchronize_session": False},
            )
            result = await s.execute(
                sa.delete(DraftRow).where(condition), execution_options={"synchronize_session": False}
            )
            return _rowcount(result)


# --- ratings -----------------------------------------------------------------------------------


class SqlRatingRepository:
    """A human's 1–5 scores of a draft; several ratings per draft are kept (one per click)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def add(self, rating: Rating) -> None:
        """Store a rating. Raises NotFound when the draft does not exist."""
        row = RatingRow(
            draft_id=rating.draft_id,
            by_platform=rating.by.platform.value,
            by_user_id=rating.by.user_id,
            by_display_name=rating.by.display_name,
            readability=rating.readability,
            empathy=rating.empathy,
            connection=rating.connection,
            actionability=rating.actionability,
            safety=rating.safety,
            created_at=rating.created_at,
        )
        try:
            async with transaction(self._sessions) as s:
                s.add(row)
        except ConstraintViolation:
            raise NotFound("no such draft to rate (it may have been deleted)") from None

    async def for_draft(self, draft_id: str) -> list[Rating]:
        query = (
            sa.select(RatingRow)
            .where(RatingRow.draft_id == draft_id)
            .order_by(RatingRow.created_at, RatingRow.id)
        )
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query)).all()
            return [
                Rating(
                    draft_id=r.draft_id,
                    by=Actor(Platform(r.by_platform), r.by_user_id, r.by_display_name),
                    readability=r.readability,
                    empathy=r.empathy,
                    connection=r.connection,
                    actionability=r.actionability,
                    safety=r.safety,
                    created_at=r.created_at,
                )
                for r in rows
            ]


# --- community configuration -------------------------------------------------------------------

_CONFIG_FIELDS = {f.name for f in dataclasses.fields(CommunityConfig)} - {"platform", "community_id"}
_RESOURCE_FIELDS = {f.name for f in dataclasses.fields(CrisisResource)}


def config_to_json(config: CommunityConfig) -> dict[str, Any]:
    """The JSON document stored for a community (everything but its key)."""
    data = dataclasses.asdict(config)
    data.pop("platform")
    data.pop("community_id")
    return data


def config_from_json(platform: Platform, community_id: str, data: dict[str, Any]) -> CommunityConfig:
    """Rebuild a CommunityConfig; unknown keys (from a newer version) are ignored, missing ones default."""
    known = {k: v for k, v in data.items() if k in _CONFIG_FIELDS}
    if unknown := set(data) - _CONFIG_FIELDS:
        log.debug("ignoring unknown community config keys: %s", sorted(unknown))
    known["custom_resources"] = [
        CrisisResource(**{k: v for k, v in r.items() if k in _RESOURCE_FIELDS})
        for r in known.get("custom_resources") or ()
    ]
    return CommunityConfig(platform=platform, community_id=community_id, **known)


class SqlCommunityConfigRepository:
    """Per-guild / per-chat settings as one JSON document per community."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def get(self, platform: Platform, community_id: str) -> CommunityConfig | None:
        query = sa.select(CommunityRow.config).where(
            CommunityRow.platform == platform.value, CommunityRow.community_id == community_id
        )
        async with transaction(self._sessions) as s:
            data = await s.scalar(query)
        return config_from_json(platform, community_id, data) if data is not None else None

    async def save(self, config: CommunityConfig) -> None:
        """Insert or replace; two first saves racing end with one row holding the later one."""
        data = config_to_json(config)
        for _attempt in range(2):
            if await self._update(config, data):
                return
            try:
                async with transaction(self._sessions) as s:
                    s.add(
                        CommunityRow(
                            platform=config.platform.value,
                            community_id=config.community_id,
                            config=data,
                            updated_at=utcnow(),
                        )
                    )
                return
            except ConstraintViolation:
                continue  # someone inserted it between our update and insert: update it now
        raise ConstraintViolation("could not save the community settings; please retry")

    async def _update(self, config: CommunityConfig, data: dict[str, Any]) -> bool:
        statement = (
            sa.update(CommunityRow)
            .where(
                CommunityRow.platform == config.platform.value,
                CommunityRow.community_id == config.community_id,
            )
            .values(config=data, updated_at=utcnow())
        )
        async with transaction(self._sessions) as s:
            result = await s.execute(statement, execution_options={"synchronize_session": False})
            return _rowcount(result) > 0

    async def all(self) -> list[CommunityConfig]:
        query = sa.select(CommunityRow).order_by(CommunityRow.platform, CommunityRow.community_id)
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query)).all()
            return [config_from_json(Platform(r.platform), r.community_id, r.config) for r in rows]


# --- audit log ---------------------------------------------------------------------------------


class SqlAuditLog:
    """Append-only, content-free record of actions. `detail` is capped, never post text."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def record(self, entry: AuditEntry) -> None:
        row = AuditRow(
            at=entry.at,
            action=entry.action.value,
            actor=entry.actor,
            community=entry.community,
            draft_id=entry.draft_id,
            model_id=entry.model_id,
            prompt_version=entry.prompt_version,
            detail=entry.detail[:AUDIT_DETAIL_MAX],
        )
        async with transaction(self._sessions) as s:
            s.add(row)

    async def entries(
        self, *, since: datetime | None = None, draft_id: str | None = None
    ) -> list[AuditEntry]:
        """Entries oldest first."""
        query = sa.select(AuditRow).order_by(AuditRow.at, AuditRow.id)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        if draft_id is not None:
            query = query.where(AuditRow.draft_id == draft_id)
        async with transaction(self._sessions) as s:
            rows = (await s.scalars(query)).all()
            return [
                AuditEntry(
                    action=AuditAction(r.action),
                    actor=r.actor,
                    community=r.community,
                    draft_id=r.draft_id,
                    model_id=r.model_id,
                    prompt_version=r.prompt_version,
                    detail=r.detail,
                    at=r.at,
                    id=r.id,
                )
                for r in rows
            ]


# --- escalations and opt-outs ------------------------------------------------------------------


class SqlEscalationRepository:
    """At most one escalation per post, enforced by the primary key (safe under races)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def claim(self, post_key: str, by: Actor, draft_id: str | None) -> bool:
        """Record an escalation; False if this post was already escalated."""
        try:
            async with transaction(self._sessions) as s:
                s.add(EscalationRow(post_key=post_key, by=by.key, draft_id=draft_id, at=utcnow()))
        except ConstraintViolation:
            return False
        return True

    async def release(self, post_key: str) -> None:
        async with transaction(self._sessions) as s:
            await s.execute(sa.delete(EscalationRow).where(EscalationRow.post_key == post_key))


class SqlOptOutRepository:
    """Members who asked that the assistant never draft replies to their posts."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def add(self, platform: Platform, user_id: str) -> None:
        """Idempotent: opting out twice keeps the first date."""
        if await self.contains(platform, user_id):
            return
        try:
            async with transaction(self._sessions) as s:
                s.add(OptOutRow(platform=platform.value, user_id=user_id, at=utcnow()))
        except ConstraintViolation:
            pass  # a concurrent add won; the user is opted out either way

    async def remove(self, platform: Platform, user_id: str) -> None:
        async with transaction(self._sessions) as s:
            await s.execute(
                sa.delete(OptOutRow).where(
                    OptOutRow.platform == platform.value, OptOutRow.user_id == user_id
                ),
                execution_options={"synchronize_session": False},
            )

    async def contains(self, platform: Platform, user_id: str) -> bool:
        async with transaction(self._sessions) as s:
            return await s.get(OptOutRow, (platform.value, user_id)) is not None

    async def list(self, platform: Platform) -> builtins.list[str]:
        query = (
            sa.select(OptOutRow.user_id)
            .where(OptOutRow.platform == platform.value)
            .order_by(OptOutRow.user_id)
        )
        async with transaction(self._sessions) as s:
            return builtins.list((await s.scalars(query)).all())


__all__ = [
    "SqlAuditLog",
    "SqlCommunityConfigRepository",
    "SqlDraftRepository",
    "SqlEscalationRepository",
    "SqlOptOutRepository",
    "SqlRatingRepository",
    "config_from_json",
    "config_to_json",
    "split_community",
]


_UNSCREENED = re.compile(r"^not screened: language \((.+)\)$")


def _risk(level: str, score: float, reasons: tuple[str, ...]) -> RiskAssessment:
    """The stored assessment; "not screened" is kept as its reason, so it survives a restart."""
    language = next((m.group(1) for r in reasons if (m := _UNSCREENED.match(r))), None)
    return RiskAssessment(RiskLevel(level), score, reasons, unscreened_language=language)
