"""Domain objects shared by the core and every adapter.

Plain frozen dataclasses: no ORM rows and no platform objects ever cross the
core's boundary. Adapters build `Post` and `Actor` from platform events;
repositories return these types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now; every timestamp in the core is UTC."""
    return datetime.now(UTC)


class Platform(enum.StrEnum):
    CLI = "cli"
    DISCORD = "discord"
    TELEGRAM = "telegram"


class DraftKind(enum.StrEnum):
    DRAFT = "draft"  # written by the generation model (GM)
    IMPROVE = "improve"  # a human's reply revised by the improvement model (IM)


class DraftStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"  # accepted for copying; the human posts it themselves
    POSTED = "posted"  # the bot posted it on the requester's explicit action
    DISCARDED = "discarded"
    # Closed without a human's choice, so never a "rejected" example for preference pairs:
    FAILED = "failed"  # generation died (error, killed process) before any text was kept
    EXPIRED = "expired"  # left pending past `[privacy] pending_ttl`, or a CLI command ended


class RiskLevel(enum.StrEnum):
    NONE = "none"
    ELEVATED = "elevated"
    ACUTE = "acute"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]

    @property
    def flagged(self) -> bool:
        return self is not RiskLevel.NONE


_RISK_RANK = {RiskLevel.NONE: 0, RiskLevel.ELEVATED: 1, RiskLevel.ACUTE: 2}


class ModelRole(enum.StrEnum):
    GM = "gm"
    IM = "im"


@dataclass(frozen=True, slots=True)
class PostRef:
    """Where a post lives on its platform; enough to reply to it or link it."""

    platform: Platform
    community_id: str  # Discord guild id / Telegram chat id / "local"
    channel_id: str
    message_id: str
    thread_id: str | None = None

    @property
    def key(self) -> str:
        """A stable unique key for the post, used e.g. to escalate once."""
        return f"{self.platform}:{self.community_id}:{self.channel_id}:{self.message_id}"


@dataclass(frozen=True, slots=True)
class Post:
    """A member's post the human wants to answer. `text` is data, never instructions."""

    ref: PostRef
    author_id: str
    text: str
    author_name: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    edited_at: datetime | None = None
    # Names the platform tells us about (author, mentioned users): redacted before the model.
    known_names: tuple[str, ...] = ()

    @classmethod
    def local(cls, text: str, *, message_id: str = "0") -> Post:
        """A post typed at the command line (no platform)."""
        return cls(
            ref=PostRef(Platform.CLI, "local", "cli", message_id),
            author_id="cli",
            text=text,
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """The human acting: who asks for, edits, posts or discards a draft."""

    platform: Platform
    user_id: str
    display_name: str = ""
    role_ids: tuple[str, ...] = ()
    is_admin: bool = False

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"

    @classmethod
    def local(cls) -> Actor:
        return cls(Platform.CLI, "local", "local user")


@dataclass(frozen=True, slots=True)
class LayerScore:
    """What one layer of the risk screen found: patterns, semantic, or language."""

    layer: str
    score: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    level: RiskLevel
    score: float  # 0..1, monotone in risk; comparable across posts
    reasons: tuple[str, ...] = ()
    # Set when the screen cannot read the post's language: the post was NOT screened, which a
    # moderator must see as such (never as "no signs of crisis"), with resources one tap away.
    unscreened_language: str | None = None
    # How each layer saw the post: shown, not stored, and not part of what the assessment is.
    layers: tuple[LayerScore, ...] = field(default=(), compare=False)

    @property
    def screened(self) -> bool:
        return self.unscreened_language is None

    @property
    def needs_resources(self) -> bool:
        """Flagged, or not screened at all: either way the human gets resources and Escalate."""
        return self.level.flagged or not self.screened


@dataclass(frozen=True, slots=True)
class CrisisResource:
    name: str
    contact: str  # number, text line or URL as a person would use it
    region: str
    url: str | None = None
    note: str = ""

    def line(self) -> str:
        parts = [f"{self.name}: {self.contact}"]
        if self.url and self.url not in self.contact:
            parts.append(self.url)
        return " — ".join(parts)


class ChangeKind(enum.StrEnum):
    INSERT = "insert"
    REPLACE = "replace"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Change:
    """One edit the improvement model made to the human's reply."""

    kind: ChangeKind
    before: str
    after: str
    why: str = ""


@dataclass(frozen=True, slots=True)
class OutputIssue:
    """A problem found in generated text before a human sees it."""

    kind: str
    text: str  # the offending span
    why: str


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    kind: DraftKind
    status: DraftStatus
    post: PostRef
    post_author_id: str
    requester: Actor
    text: str  # current text (model output, or the human's edit of it)
    model_id: str
    prompt_version: str
    risk: RiskAssessment
    model_text: str = ""  # what the model produced, before any human edit
    human_text: str | None = None  # the supporter's own reply (improve only)
    changes: tuple[Change, ...] = ()
    issues: tuple[OutputIssue, ...] = ()
    parent_id: str | None = None  # the draft this one regenerates or improves
    posted_message_id: str | None = None
    post_hash: str = ""  # sha256 of the post text when the draft was made (detects edits)
    # The post as the model saw it (personal data redacted), kept per `[privacy] store_content`
    # so approved and discarded drafts can become preference pairs (`llumi pairs export`).
    post_text: str = ""
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def community(self) -> str:
        return f"{self.post.platform}:{self.post.community_id}"

    @property
    def is_open(self) -> bool:
        return self.status is DraftStatus.PENDING

    @property
    def blocked(self) -> bool:
        """True while output checks found problems the human has not edited away."""
        return bool(self.issues)


RATING_DIMENSIONS = ("readability", "empathy", "connection", "actionability", "safety")


@dataclass(frozen=True, slots=True)
class Rating:
    """A human's 1–5 scores of a draft on the LLUMI paper's five dimensions."""

    draft_id: str
    by: Actor
    readability: int | None = None
    empathy: int | None = None
    connection: int | None = None
    actionability: int | None = None
    safety: int | None = None
    created_at: datetime = field(default_factory=utcnow)

    def scores(self) -> dict[str, int]:
        return {d: v for d in RATING_DIMENSIONS if (v := getattr(self, d)) is not None}


class AuditAction(enum.StrEnum):
    DRAFT = "draft"
    IMPROVE = "improve"
    REGENERATE = "regenerate"
    EDIT = "edit"
    APPROVE = "approve"
    POST = "post"
    DISCARD = "discard"
    RATE = "rate"
    ESCALATE = "escalate"
    CONFIG = "config"
    OPTOUT = "optout"
    PURGE = "purge"
    DELETE_USER = "delete_user"
    EXPORT_USER = "export_user"
    FAIL = "fail"  # a draft whose request died was marked failed
    EXPIRE = "expire"  # a pending draft was closed unchosen (pending_ttl, CLI command ended)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A content-free record of who did what to which draft, and with which model."""

    action: AuditAction
    actor: str  # Actor.key
    community: str  # platform:community_id
    draft_id: str | None = None
    model_id: str | None = None
    prompt_version: str | None = None
    detail: str = ""  # never content: e.g. "risk=acute", "field=disclosure"
    at: datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass(slots=True)
class CommunityConfig:
    """What a community's admins chose. Stored per guild / chat; effective at once."""

    platform: Platform
    community_id: str
    enabled_channels: list[str] = field(default_factory=list)  # channel or category ids
    all_channels: bool = False
    draft_roles: list[str] = field(default_factory=list)  # empty: admins only
    improve_roles: list[str] = field(default_factory=list)  # empty: admins only
    draft_users: list[str] = field(default_factory=list)  # Telegram: explicit user ids
    improve_users: list[str] = field(default_factory=list)
    disclosure: str = ""
    alert_channel: str | None = None
    crisis_region: str = "international"
    custom_resources: list[CrisisResource] = field(default_factory=list)
    retention_days: int | None = None  # None: the server default
    learning_enabled: bool = False

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.community_id}"

    def channel_enabled(self, *channel_ids: str | None) -> bool:
        """Whether any of the given ids (channel, parent category, thread parent) is enabled."""
        if self.all_channels:
            return True
        return any(c is not None and c in self.enabled_channels for c in channel_ids)


@dataclass(frozen=True, slots=True)
class Timings:
    queue_ms: float = 0.0
    generate_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class DraftResult:
    """What `DraftService.draft` / `improve` / `regenerate` return to an adapter."""

    risk: RiskAssessment
    resources: tuple[CrisisResource, ...]
    drafts: tuple[Draft, ...]
    timings: Timings = Timings()
    notes: tuple[str, ...] = ()  # e.g. "post truncated to fit the model's context"

    @property
    def draft(self) -> Draft:
        return self.drafts[0]
