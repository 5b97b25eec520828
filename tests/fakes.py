"""Small fakes for the core's ports (no mocks): a scripted backend, in-memory repositories,
and the service wired over them by the composition root (`scripted_service`)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Collection, Sequence
from datetime import datetime

from bot.bootstrap import build_service
from llumi_core.config import Settings
from llumi_core.domain import Actor, AuditEntry, CommunityConfig, Draft, DraftStatus, Platform, Rating
from llumi_core.errors import ModelError
from llumi_core.llm import RoleBackends
from llumi_core.ports import BackendStatus, ChatMessage, GenerationParams, Repositories
from llumi_core.service import DraftService


class ScriptedBackend:
    """Streams a fixed reply word by word; records the prompts it was given."""

    def __init__(
        self, reply: str = "That sounds really hard. What has helped a little?", *, model_id: str = "fake"
    ) -> None:
        self.replies = [reply]
        self.model_id = model_id
        self.calls: list[tuple[list[ChatMessage], GenerationParams]] = []
        self.fail_with: Exception | None = None

    async def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> AsyncIterator[str]:
        self.calls.append((list(messages), params))
        if self.fail_with is not None:
            raise self.fail_with
        reply = self.replies[min(len(self.calls) - 1, len(self.replies) - 1)]
        for i, word in enumerate(reply.split(" ")):
            await asyncio.sleep(0)
            yield word if i == 0 else " " + word

    async def aclose(self) -> None:
        return None

    def status(self) -> BackendStatus:
        return BackendStatus(self.model_id, loaded=True)


class FailingBackend(ScriptedBackend):
    def __init__(self) -> None:
        super().__init__()
        self.fail_with = ModelError("the model crashed")


class MemoryDrafts:
    def __init__(self) -> None:
        self.rows: dict[str, Draft] = {}

    async def add(self, draft: Draft) -> None:
        self.rows[draft.id] = draft

    async def get(self, draft_id: str) -> Draft | None:
        return self.rows.get(draft_id)

    async def update(self, draft: Draft) -> None:
        self.rows[draft.id] = draft

    async def transition(self, draft_id: str, expected: DraftStatus, new: Draft) -> bool:
        if draft_id not in self.rows or self.rows[draft_id].status is not expected:
            return False
        self.rows[draft_id] = new
        return True

    async def list(
        self,
        *,
        community: str | None = None,
        since: datetime | None = None,
        status: DraftStatus | None = None,
    ) -> list[Draft]:
        return [
            d
            for d in self.rows.values()
            if (community is None or d.community == community)
            and (since is None or d.created_at >= since)
            and (status is None or d.status is status)
        ]

    async def purge_content(
        self,
        older_than: datetime,
        community: str | None = None,
        *,
        include_open: bool = False,
        exclude: Collection[str] = (),
    ) -> int:
        n = 0
        for d in await self.list(community=community):
            if d.community in exclude or (d.is_open and not include_open):
                continue
            if d.created_at < older_than and d.text:
                self.rows[d.id] = dataclasses.replace(
                    d, text="", model_text="", post_text="", human_text=None, changes=()
                )
                n += 1
        return n

    async def delete_for_user(self, platform: Platform, user_id: str) -> int:
        doomed = [
            k
            for k, d in self.rows.items()
            if d.post.platform is platform and user_id in (d.post_author_id, d.requester.user_id)
        ]
        for k in doomed:
            del self.rows[k]
        return len(doomed)


class MemoryRatings:
    def __init__(self) -> None:
        self.rows: list[Rating] = []

    async def add(self, rating: Rating) -> None:
        self.rows.append(rating)

    async def for_draft(self, draft_id: str) -> list[Rating]:
        return [r for r in self.rows if r.draft_id == draft_id]


class MemoryCommunities:
    def __init__(self) -> None:
        self.rows: dict[str, CommunityConfig] = {}

    async def get(self, platform: Platform, community_id: str) -> CommunityConfig | None:
        return self.rows.get(f"{platform}:{community_id}")

    async def save(self, config: CommunityConfig) -> None:
        self.rows[config.key] = config

    async def all(self) -> list[CommunityConfig]:
        return list(self.rows.values())


class MemoryAudit:
    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []

    async def record(self, entry: AuditEntry) -> None:
        self.rows.append(entry)

    async def entries(
        self, *, since: datetime | None = None, draft_id: str | None = None
    ) -> list[AuditEntry]:
        return [
            e
            for e in self.rows
            if (since is None or e.at >= since) and (draft_id is None or e.draft_id == draft_id)
        ]


class MemoryEscalations:
    def __init__(self) -> None:
        self.keys: set[str] = set()

    async def claim(self, post_key: str, by: Actor, draft_id: str | None) -> bool:
        if post_key in self.keys:
            return False
        self.keys.add(post_key)
        return True

    async def release(self, post_key: str) -> None:
        self.keys.discard(post_key)


class MemoryOptOuts:
    def __init__(self) -> None:
        self.ids: set[tuple[Platform, str]] = set()

    async def add(self, platform: Platform, user_id: str) -> None:
        self.ids.add((platform, user_id))

    async def remove(self, platform: Platform, user_id: str) -> None:
        self.ids.discard((platform, user_id))

    async def contains(self, platform: Platform, user_id: str) -> bool:
        return (platform, user_id) in self.ids

    async def list(self, platform: Platform) -> list[str]:
        return sorted(u for p, u in self.ids if p is platform)


def memory_repositories() -> Repositories:
    return Repositories(
        MemoryDrafts(),
        MemoryRatings(),
        MemoryCommunities(),
        MemoryAudit(),
        MemoryEscalations(),
        MemoryOptOuts(),
    )


def scripted_service(
    settings: Settings, backend: ScriptedBackend | None = None, *, repos: Repositories | None = None
) -> DraftService:
    """The service as `llumi run` wires it (`build_service`), with one scripted model for both
    roles and, unless `repos` are given, in-memory storage.

    A scripted model is of no registry family, so it gets the fallback prompt templates (the
    ones its scripted replies are written for), whatever model the settings name.
    """
    backend = backend or ScriptedBackend()
    unlisted = settings.models.model_copy(update={"gm": SCRIPTED_MODEL, "im": SCRIPTED_MODEL})
    return build_service(
        settings.model_copy(update={"models": unlisted}),
        backends=RoleBackends(backend, backend, shared=True),
        repos=repos if repos is not None else memory_repositories(),
    )


SCRIPTED_MODEL = "scripted (not in the registry)"
