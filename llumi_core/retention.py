"""Retention: blank draft content past each community's retention period; close what nobody
will act on (drafts whose request died, pending drafts past `[privacy] pending_ttl`, a CLI
command's drafts when it ends).

Works from the repositories and settings alone, so `llumi privacy purge` and
the purge and sweeps in `llumi run` need no model.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .config import Settings
from .domain import Actor, AuditAction, AuditEntry, Draft, Platform, utcnow
from .ports import Repositories

if TYPE_CHECKING:
    from .storage.durable import Interrupted

log = logging.getLogger(__name__)


async def purge_expired(repos: Repositories, settings: Settings, by: Actor) -> int:
    """Blank the content of drafts past their community's retention; returns the count.

    Pending drafts past retention are purged too (an abandoned draft must not
    keep a member's words forever); their buttons then ask for a new draft.
    Communities with their own retention are left to it by the default pass.
    """
    custom = [c for c in await repos.communities.all() if c.retention_days is not None]
    purged = 0
    for config in custom:
        cutoff = utcnow() - timedelta(days=config.retention_days or 0)
        purged += await repos.drafts.purge_content(cutoff, community=config.key, include_open=True)
    cutoff = utcnow() - timedelta(days=settings.privacy.retention_days)
    purged += await repos.drafts.purge_content(cutoff, include_open=True, exclude=[c.key for c in custom])
    await repos.audit.record(AuditEntry(AuditAction.PURGE, by.key, "*", detail=f"drafts={purged}"))
    return purged


# --- interrupted and abandoned drafts --------------------------------------------------------

# Beyond any generation's own time limit: rows of processes nobody can ask about are dead then.
SWEEP_MARGIN = timedelta(minutes=1)

OnInterrupted = Callable[["Interrupted"], Awaitable[None]]


@runtime_checkable
class MaintainedDrafts(Protocol):
    """What the sweeps need of the draft repository (`storage.durable.DurableDraftRepository`)."""

    async def flush(self, *, quiet: bool = False) -> bool: ...

    async def interrupted(self, stale_after: timedelta) -> list[Interrupted]: ...

    async def expire(self, *, before: datetime | None = None, ids: Collection[str] = ()) -> list[Draft]: ...

    def opened_here(self, platform: Platform | None = None) -> list[str]: ...

    async def set_notice(self, draft_id: str, notice_ref: str | None) -> None: ...

    async def failed_notices(self, platform: Platform) -> list[Interrupted]: ...


@dataclass(frozen=True, slots=True)
class SweepReport:
    failed: int = 0  # pending drafts without text whose request died, now `failed`
    expired: int = 0  # pending drafts past `[privacy] pending_ttl`, now `expired`
    unsaved: bool = False  # the outbox still holds writes (storage is still down)


def generation_limit(settings: Settings) -> timedelta:
    """The longest one request may generate: every draft, every regeneration, each its timeout."""
    m = settings.models
    tries = 1 + settings.safety.max_regenerations
    return timedelta(seconds=m.timeout_s * tries * m.n_drafts_max) + SWEEP_MARGIN


async def sweep(repos: Repositories, settings: Settings, by: Actor) -> SweepReport:
    """At start and periodically: write what storage refused earlier, mark failed the drafts
    whose request died, and expire pending drafts past `[privacy] pending_ttl`. Audited."""
    drafts = repos.drafts
    if not isinstance(drafts, MaintainedDrafts):
        return SweepReport()
    saved = await drafts.flush()
    failed = await drafts.interrupted(generation_limit(settings))
    for item in failed:
        await _audit_closed(repos, AuditAction.FAIL, by, item.draft, "interrupted before any text was kept")
    expired = await drafts.expire(before=utcnow() - settings.privacy.pending_ttl)
    for draft in expired:
        await _audit_closed(repos, AuditAction.EXPIRE, by, draft, "pending_ttl")
    if failed or expired:
        log.info("sweep: %d interrupted draft(s) marked failed, %d expired", len(failed), len(expired))
    flushed = await _flush_audit(repos)
    return SweepReport(len(failed), len(expired), unsaved=not (saved and flushed))


async def close_cli_drafts(repos: Repositories, by: Actor) -> SweepReport:
    """When a CLI command ends, its drafts close (expired): nobody can act on them any more."""
    drafts = repos.drafts
    if not isinstance(drafts, MaintainedDrafts):
        return SweepReport()
    # One more try, without the retries the draft already had: the person is waiting to exit.
    if not await drafts.flush(quiet=True):
        return SweepReport(unsaved=True)  # storage is down: the next start's sweep closes them
    expired = await drafts.expire(ids=drafts.opened_here(Platform.CLI))
    for draft in expired:
        await _audit_closed(repos, AuditAction.EXPIRE, by, draft, "cli command ended")
    return SweepReport(expired=len(expired), unsaved=not await _flush_audit(repos))


async def remember_notice(repos: Repositories, draft_id: str, notice_ref: str) -> None:
    """Adapters: where the "writing…" placeholder of a draft is ("chat:message")."""
    if isinstance(repos.drafts, MaintainedDrafts):
        await repos.drafts.set_notice(draft_id, notice_ref)


async def interrupted_notices(repos: Repositories, platform: Platform) -> list[Interrupted]:
    """Adapters: failed drafts whose placeholder still says "writing…"; edit each to
    "interrupted — tap Regenerate", then call `notice_resolved`."""
    if not isinstance(repos.drafts, MaintainedDrafts):
        return []
    return await repos.drafts.failed_notices(platform)


async def notice_resolved(repos: Repositories, draft_id: str) -> None:
    if isinstance(repos.drafts, MaintainedDrafts):
        await repos.drafts.set_notice(draft_id, None)


async def _audit_closed(
    repos: Repositories, action: AuditAction, by: Actor, draft: Draft, detail: str
) -> None:
    await repos.audit.record(
        AuditEntry(
            action,
            by.key,
            draft.community,
            draft_id=draft.id,
            model_id=draft.model_id,
            prompt_version=draft.prompt_version,
            detail=detail,
        )
    )


async def _flush_audit(repos: Repositories) -> bool:
    flush = getattr(repos.audit, "flush", None)
    return bool(await flush()) if flush is not None else True
