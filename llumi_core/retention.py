"""Retention: blank draft content past each community's retention period.

Works from the repositories and settings alone, so `llumi privacy purge` and
the daily purge in `llumi run` need no model.
"""

from __future__ import annotations

from datetime import timedelta

from .config import Settings
from .domain import Actor, AuditAction, AuditEntry, utcnow
from .ports import Repositories


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
