"""The seams of the core: protocols that backends, repositories and platforms implement.

The service depends only on these. Implementations: `llumi_core.llm`
(llama.cpp in-process, OpenAI-compatible server), `llumi_core.storage`
(SQLAlchemy; SQLite or PostgreSQL) and each chat adapter's `Outbox`
(`adapters.discord.io`, `adapters.telegram.io`). Tests use small fakes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, TypedDict

from .domain import (
    Actor,
    AuditEntry,
    CommunityConfig,
    Draft,
    DraftStatus,
    Platform,
    Post,
    PostRef,
    Rating,
)
from .errors import LlumiError


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class GenerationParams:
    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.9
    top_k: int = 40
    repeat_penalty: float = 1.1
    seed: int | None = None
    stop: tuple[str, ...] = ()
    timeout_s: float = 120.0
    # Who asked: the queue is fair across requesters (round-robin), not FIFO.
    requester: str = "anonymous"
    # Length in messages of the fixed prompt prefix (system + guidance) worth caching.
    cache_prefix_messages: int = 1


class LLMBackend(Protocol):
    """A model that streams text. One loaded model serves one call at a time."""

    model_id: str

    def generate(self, messages: Sequence[ChatMessage], *, params: GenerationParams) -> AsyncIterator[str]:
        """Stream text pieces. Raises ModelTimeout, ModelBusy, ModelStopped, ModelError.

        Stopping iteration early (or cancelling the consuming task) cancels the call.
        """
        ...

    async def aclose(self) -> None: ...

    def status(self) -> BackendStatus: ...


@dataclass(frozen=True, slots=True)
class BackendStatus:
    model_id: str
    loaded: bool
    queue_length: int = 0
    running: bool = False
    memory_bytes: int | None = None
    detail: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class DraftRepository(Protocol):
    async def add(self, draft: Draft) -> None: ...

    async def get(self, draft_id: str) -> Draft | None: ...

    async def update(self, draft: Draft) -> None: ...

    async def transition(self, draft_id: str, expected: DraftStatus, new: Draft) -> bool:
        """Save `new` only if the stored status is still `expected` (atomic; no double post)."""
        ...

    async def list(
        self,
        *,
        community: str | None = None,
        since: datetime | None = None,
        status: DraftStatus | None = None,
    ) -> list[Draft]: ...

    async def purge_content(
        self,
        older_than: datetime,
        community: str | None = None,
        *,
        include_open: bool = False,
        exclude: Collection[str] = (),
    ) -> int:
        """Blank the text of drafts older than the cutoff (closed ones, or all with
        `include_open`), except in the `exclude`d communities; returns how many."""
        ...

    async def delete_for_user(self, platform: Platform, user_id: str) -> int:
        """Delete drafts about posts by, or requested by, this user (data requests)."""
        ...


class RatingRepository(Protocol):
    async def add(self, rating: Rating) -> None: ...

    async def for_draft(self, draft_id: str) -> list[Rating]: ...


class CommunityConfigRepository(Protocol):
    async def get(self, platform: Platform, community_id: str) -> CommunityConfig | None: ...

    async def save(self, config: CommunityConfig) -> None: ...

    async def all(self) -> list[CommunityConfig]: ...


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> None: ...

    async def entries(
        self, *, since: datetime | None = None, draft_id: str | None = None
    ) -> list[AuditEntry]: ...


class EscalationRepository(Protocol):
    async def claim(self, post_key: str, by: Actor, draft_id: str | None) -> bool:
        """Record an escalation; False if this post was already escalated."""
        ...

    async def release(self, post_key: str) -> None:
        """Forget a claim whose alert was not delivered, so the post can be escalated again."""
        ...


class OptOutRepository(Protocol):
    async def add(self, platform: Platform, user_id: str) -> None: ...

    async def remove(self, platform: Platform, user_id: str) -> None: ...

    async def contains(self, platform: Platform, user_id: str) -> bool: ...

    async def list(self, platform: Platform) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Repositories:
    drafts: DraftRepository
    ratings: RatingRepository
    communities: CommunityConfigRepository
    audit: AuditLog
    escalations: EscalationRepository
    optouts: OptOutRepository


# --- what a platform does on the core's behalf ----------------------------------------------


class PostUnknown(LlumiError):
    """The platform cannot say what the post says now (Telegram cannot fetch a message by id).

    Its message tells the human what to do instead (e.g. ask again with /draft).
    """


@dataclass(frozen=True, slots=True)
class Sent:
    """The bot's reply in the community: its message id (the first part's) and a link to it."""

    message_id: str
    link: str


class Outbox(Protocol):
    """One chat platform, as the use cases `post`, `regenerate`, `improve_draft` and `escalate` need it.

    An adapter makes one per action (it may hold the interaction or the bot).
    Every method may raise the platform's own errors: the core releases what it
    claimed and re-raises, and the adapter turns them into one clear line.
    """

    async def places(self, ref: PostRef) -> tuple[str | None, ...]:
        """The ids an admin may have enabled LLUMI for, where the post lives now
        (thread, channel, category…), for `DraftService.authorize`."""
        ...

    async def current_post(self, ref: PostRef) -> Post | None:
        """The post as it is now (keeping `ref`), or None when it was deleted.

        Raises `PostUnknown` when the platform cannot tell.
        """
        ...

    async def reply(self, ref: PostRef, text: str) -> Sent:
        """Post `text` in the community as a reply to the post, split to the platform's limits,
        with no mentions and no link previews. All or nothing: parts sent before a
        failure are removed again where the platform allows."""
        ...

    async def alert(self, channel_id: str, draft: Draft, by: Actor) -> None:
        """Tell the moderators' channel that `by` escalated the draft's post: who, where
        (a link) and the risk level, never the post's or the draft's words."""
        ...


class DraftRanker(Protocol):
    """Orders drafts of one post best first (the community preference model: `llumi_core.evaluation.preference`)."""

    def rank(self, post: str, texts: Sequence[str]) -> list[int]: ...
