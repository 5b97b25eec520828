"""ORM rows (SQLAlchemy 2.0 typed declarative). Private to `llumi_core.storage`.

Rows never leave the repositories; they return `llumi_core.domain` dataclasses.
Types are portable between SQLite and PostgreSQL: string ids, `JSON`,
timezone-aware timestamps (normalised to UTC by `UTCDateTime`).

The Alembic migrations in `migrations/versions` must match these tables; a
test compares them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so later migrations can refer to them on both back ends.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = 64  # our own ids (draft ids are short tokens)
EXT_ID = 128  # platform ids: Discord snowflakes, Telegram chat ids, "local"
NAME = 255
SHORT = 32


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every back end.

    SQLite has no time zone type: values are stored as UTC without offset and
    get their UTC tzinfo back on read. PostgreSQL stores `timestamptz`.
    Naive datetimes are taken to be UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC) if dialect.name != "sqlite" else value
        value = value.astimezone(UTC)
        # SQLite compares timestamps as text: store one uniform, offset-free form.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        datetime: UTCDateTime(),
        dict[str, Any]: sa.JSON(),
        list[Any]: sa.JSON(),
    }


class CommunityRow(Base):
    __tablename__ = "communities"
    __table_args__ = (sa.UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(sa.String(SHORT))
    community_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    config: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class DraftRow(Base):
    __tablename__ = "drafts"
    __table_args__ = (
        sa.Index("ix_drafts_community_created", "platform", "community_id", "created_at"),
        sa.Index("ix_drafts_status", "status"),
        sa.Index("ix_drafts_post_author", "platform", "post_author_id"),
        sa.Index("ix_drafts_requester", "requester_platform", "requester_user_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(SHORT))
    status: Mapped[str] = mapped_column(sa.String(SHORT))
    platform: Mapped[str] = mapped_column(sa.String(SHORT))
    community_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    channel_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    message_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    thread_id: Mapped[str | None] = mapped_column(sa.String(EXT_ID))
    post_author_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    requester_platform: Mapped[str] = mapped_column(sa.String(SHORT))
    requester_user_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    requester_display_name: Mapped[str] = mapped_column(sa.String(NAME), default="")
    text: Mapped[str] = mapped_column(sa.Text, default="")
    model_text: Mapped[str] = mapped_column(sa.Text, default="")
    human_text: Mapped[str | None] = mapped_column(sa.Text)
    changes: Mapped[list[Any]]
    issues: Mapped[list[Any]]
    risk_level: Mapped[str] = mapped_column(sa.String(SHORT))
    risk_score: Mapped[float] = mapped_column(sa.Float)
    risk_reasons: Mapped[list[Any]]
    model_id: Mapped[str] = mapped_column(sa.String(NAME))
    prompt_version: Mapped[str] = mapped_column(sa.String(ID))
    parent_id: Mapped[str | None] = mapped_column(sa.String(ID))
    posted_message_id: Mapped[str | None] = mapped_column(sa.String(EXT_ID))
    post_hash: Mapped[str] = mapped_column(sa.String(ID), default="")
    post_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Set when retention blanked the content; keeps purges idempotent and countable.
    purged_at: Mapped[datetime | None]
    # The process that is writing the draft ("host:pid:start"): a pending draft without text
    # whose worker is gone was interrupted (killed, crashed) and is marked failed.
    worker: Mapped[str | None] = mapped_column(sa.String(NAME))
    # Where the adapter showed the "writing…" placeholder ("chat:message"), to mark it on failure.
    notice_ref: Mapped[str | None] = mapped_column(sa.String(NAME))


class RatingRow(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(
        sa.String(ID), sa.ForeignKey("drafts.id", ondelete="CASCADE"), index=True
    )
    by_platform: Mapped[str] = mapped_column(sa.String(SHORT))
    by_user_id: Mapped[str] = mapped_column(sa.String(EXT_ID))
    by_display_name: Mapped[str] = mapped_column(sa.String(NAME), default="")
    readability: Mapped[int | None]
    empathy: Mapped[int | None]
    connection: Mapped[int | None]
    actionability: Mapped[int | None]
    safety: Mapped[int | None]
    created_at: Mapped[datetime]


class AuditRow(Base):
    """Who did what, when, with which model. Never any post or draft text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(sa.String(SHORT))
    actor: Mapped[str] = mapped_column(sa.String(NAME))
    community: Mapped[str] = mapped_column(sa.String(NAME))
    draft_id: Mapped[str | None] = mapped_column(sa.String(ID), index=True)
    model_id: Mapped[str | None] = mapped_column(sa.String(NAME))
    prompt_version: Mapped[str | None] = mapped_column(sa.String(ID))
    detail: Mapped[str] = mapped_column(sa.String(500), default="")


class EscalationRow(Base):
    """One row per escalated post: the unique key makes escalating twice impossible."""

    __tablename__ = "escalations"

    post_key: Mapped[str] = mapped_column(sa.String(512), primary_key=True)
    by: Mapped[str] = mapped_column(sa.String(NAME))
    # No foreign key: the escalation record outlives a deleted or purged draft.
    draft_id: Mapped[str | None] = mapped_column(sa.String(ID))
    at: Mapped[datetime]


class OptOutRow(Base):
    __tablename__ = "optouts"

    platform: Mapped[str] = mapped_column(sa.String(SHORT), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(EXT_ID), primary_key=True)
    at: Mapped[datetime]
