"""Draft and audit writes that survive a busy or full database, stored as `[privacy] store_content` allows.

Two promises, kept here so every use case gets them without thinking about them:

- **Nothing generated is lost to a storage fault.** Each write is retried with
  backoff (a SQLite lock usually clears in seconds). An update that still fails
  is held in memory (the outbox) and written when storage answers again: the
  next call, the periodic sweep, or the end of a CLI command. It does not raise,
  so the use case goes on and the person gets the text; `is_saved` tells whether
  it is stored yet, so the reply can be marked "not saved".
- **Only what the policy allows reaches the database, from the first write.**
  `ContentPolicy.stored` is applied to every draft written: `redacted` writes
  redacted text only; `none` writes no post text at all and blanks a draft's
  text once it is closed (a pending draft keeps the text its buttons need). The
  exact text of this process's pending drafts is kept in memory (`get` returns
  it), so what a person edits and posts is what they saw.

Requests that died (a killed process, a failed write of a failed generation)
leave a pending draft without text; `interrupted` finds them by the process
stamped on each draft (`worker_token`) and marks them failed.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import dataclasses
import logging
import os
import socket
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from ..domain import AuditEntry, Change, Draft, DraftStatus, OutputIssue, Platform, utcnow
from ..errors import StorageError
from ..ports import Repositories
from .db import ConstraintViolation
from .repositories import (
    Sessions,
    SqlAuditLog,
    SqlCommunityConfigRepository,
    SqlDraftRepository,
    SqlEscalationRepository,
    SqlOptOutRepository,
    SqlRatingRepository,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
StoreContent = Literal["none", "redacted", "full"]

# Pending drafts whose exact text this process keeps in memory, at most (oldest go first;
# they keep their stored, policy-filtered text).
LIVE_MAX = 10_000


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Pauses between attempts of one write (each attempt also waits SQLite's busy timeout)."""

    delays_s: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0)


@dataclass(frozen=True, slots=True)
class Interrupted:
    """A draft marked failed because its request died; `notice_ref` is the adapter's placeholder."""

    draft: Draft
    notice_ref: str | None


class ContentPolicy:
    """What of a draft may be written, per `[privacy] store_content`."""

    def __init__(self, mode: StoreContent = "full", redact: Callable[[str], str] | None = None) -> None:
        self.mode = mode
        self._redact = redact or (lambda text: text)

    def stored(self, draft: Draft) -> Draft:
        if self.mode == "full":
            return draft
        if self.mode == "redacted":
            return self._redacted(draft)
        if draft.status is DraftStatus.PENDING:
            return dataclasses.replace(draft, post_text="")  # the buttons need the draft, not the post
        return dataclasses.replace(
            draft,
            text="",
            model_text="",
            human_text=None,
            changes=(),
            issues=tuple(OutputIssue(i.kind, "", i.why) for i in draft.issues),
            post_text="",
        )

    def _redacted(self, draft: Draft) -> Draft:
        r = self._redact
        return dataclasses.replace(
            draft,
            text=r(draft.text),
            model_text=r(draft.model_text),
            human_text=r(draft.human_text) if draft.human_text is not None else None,
            changes=tuple(Change(c.kind, r(c.before), r(c.after), r(c.why)) for c in draft.changes),
            issues=tuple(OutputIssue(i.kind, r(i.text), i.why) for i in draft.issues),
            post_text=r(draft.post_text),
        )


# --- which process writes a draft ------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a process from /proc, or None where unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            # The command name (2nd field) may hold spaces: split after its closing parenthesis.
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (fields[0], fields[19]) if len(fields) > 19 else None


def worker_token() -> str:
    """This process: `host:pid:start` (the start time tells a reused pid apart)."""
    stat = _proc_stat(os.getpid())
    return f"{socket.gethostname()}:{os.getpid()}:{stat[1] if stat else ''}"


def worker_alive(token: str | None) -> bool | None:
    """Whether the process that stamped `token` still runs; None when this host cannot tell."""
    if not token:
        return None
    host, pid_text, start_ticks = _split(token)
    if host != socket.gethostname():
        return None
    try:
        pid = int(pid_text)
    except ValueError:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, start = stat
    if state in ("Z", "X"):  # killed and not yet reaped: it will write nothing more
        return False
    return not start_ticks or start_ticks == start


def _split(token: str) -> tuple[str, str, str]:
    host, _, tail = token.partition(":")
    pid, _, start = tail.partition(":")
    return host, pid, start


# --- the repositories --------------------------------------------------------------------------


@dataclass
class Outbox:
    """Writes that failed after their retries, in memory until storage answers again."""

    drafts: dict[str, Draft] = dataclasses.field(default_factory=dict)
    audit: list[AuditEntry] = dataclasses.field(default_factory=list)
    new: set[str] = dataclasses.field(default_factory=set)  # drafts never inserted yet

    def __bool__(self) -> bool:
        return bool(self.drafts or self.audit)


async def _retrying(op: Callable[[], Awaitable[T]], retry: RetryPolicy) -> T:
    for delay in (*retry.delays_s, None):
        try:
            return await op()
        except ConstraintViolation:
            raise  # a duplicate stays a duplicate
        except StorageError as err:
            if delay is None:
                raise
            log.info("storage: %s; retrying in %.1f s", err, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


class LiveDrafts:
    """What this process knows of the drafts it added, beyond what the database holds: the
    exact text of the pending ones (what the person saw, whatever the policy stores), which
    are still being written, and where each was opened."""

    def __init__(self, limit: int = LIVE_MAX) -> None:
        self.limit = limit
        self._pending: OrderedDict[str, Draft] = OrderedDict()  # oldest first
        self._writing: dict[str, float] = {}  # text not yet written: id -> since (monotonic s)
        self._opened: dict[str, Platform] = {}

    def added(self, draft: Draft) -> None:
        self.remember(draft)
        self._opened[draft.id] = draft.post.platform
        if not draft.text:
            self._writing[draft.id] = time.monotonic()

    def remember(self, draft: Draft) -> None:
        """Keep a pending draft's exact text; a closed one is forgotten."""
        if draft.status is not DraftStatus.PENDING:
            self.forget(draft.id)
            return
        self._pending[draft.id] = draft
        self._pending.move_to_end(draft.id)
        while len(self._pending) > self.limit:
            self._pending.popitem(last=False)

    def forget(self, draft_id: str) -> None:
        self._pending.pop(draft_id, None)
        self._writing.pop(draft_id, None)

    def written(self, draft_id: str) -> None:
        """Its request is no longer writing it (the text is stored, or held in the outbox)."""
        self._writing.pop(draft_id, None)

    def get(self, draft_id: str) -> Draft | None:
        return self._pending.get(draft_id)

    def pending(self) -> dict[str, Draft]:
        return dict(self._pending)

    def as_seen(self, stored: Draft) -> Draft:
        """The stored draft with the text the person saw and may post, where this process has it."""
        live = self._pending.get(stored.id)
        if live is None:
            return stored
        return dataclasses.replace(
            stored,
            text=live.text,
            model_text=live.model_text,
            human_text=live.human_text,
            changes=live.changes,
            issues=live.issues,
            post_text=live.post_text,
        )

    def is_writing(self, draft_id: str) -> bool:
        return draft_id in self._writing

    def still_writing(self, draft_id: str, stale_after: timedelta) -> bool:
        """Added by this process and not yet filled or closed, within any generation's time."""
        since = self._writing.get(draft_id)
        return since is not None and time.monotonic() - since < stale_after.total_seconds()

    def opened(self, platform: Platform | None = None) -> builtins.list[str]:
        return [i for i, p in self._opened.items() if platform is None or p is platform]


class DurableDraftRepository:
    """`DraftRepository` over SQL with retries, an outbox, the content policy and the sweeps."""

    def __init__(
        self,
        inner: SqlDraftRepository,
        policy: ContentPolicy | None = None,
        *,
        retry: RetryPolicy | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or ContentPolicy()
        self.retry = retry or RetryPolicy()
        self.outbox = outbox if outbox is not None else Outbox()
        self.worker = inner.worker
        self.live = LiveDrafts()

    # -- the DraftRepository protocol --

    async def add(self, draft: Draft) -> None:
        """Store a new draft (retried). When it has no text yet, failure raises (nothing was
        generated yet); a draft with text is held in the outbox instead, like `update`."""
        try:
            await self._retrying(lambda: self.inner.add(self.policy.stored(draft)))
        except ConstraintViolation:
            raise
        except StorageError as err:
            if not draft.text:
                raise
            self.outbox.drafts[draft.id] = draft
            self.outbox.new.add(draft.id)
            log.warning("storage: a new draft could not be saved (%s); held until storage is back", err)
        self.live.added(draft)

    async def get(self, draft_id: str) -> Draft | None:
        """The draft as this process last wrote it while pending, else as stored."""
        await self.flush(quiet=True)
        try:
            stored = await self._retrying(lambda: self.inner.get(draft_id))
        except StorageError:
            held = self.outbox.drafts.get(draft_id) or self.live.get(draft_id)
            if held is None:
                raise
            return held  # storage is down, but this process holds the draft
        if stored is None:
            return self.outbox.drafts.get(draft_id)  # a new draft storage has not taken yet
        if stored.status is not DraftStatus.PENDING:
            self.live.forget(draft_id)
            return stored
        if (held := self.outbox.drafts.get(draft_id)) is not None:
            return held
        return stored if self.policy.mode == "full" else self.live.as_seen(stored)

    async def update(self, draft: Draft) -> None:
        """Overwrite a draft. When storage still fails after the retries, the draft is held
        in the outbox (see `is_saved`) and written when storage is back; nothing raises then,
        so the caller still shows the text. NotFound when there is no such draft."""
        self.live.remember(draft)
        try:
            await self._retrying(lambda: self.inner.update(self.policy.stored(draft)))
        except ConstraintViolation:
            raise
        except StorageError as err:
            self.outbox.drafts[draft.id] = draft
            self.live.written(draft.id)
            log.warning("storage: a draft could not be saved (%s); held until storage is back", err)
            return
        self.outbox.drafts.pop(draft.id, None)
        if draft.text:
            self.live.written(draft.id)

    def is_saved(self, draft_id: str) -> bool:
        """False while the draft's last change waits in the outbox for storage to come back."""
        return draft_id not in self.outbox.drafts

    async def transition(self, draft_id: str, expected: DraftStatus, new: Draft) -> bool:
        won = await self._retrying(lambda: self.inner.transition(draft_id, expected, self.policy.stored(new)))
        if won:
            self.outbox.drafts.pop(draft_id, None)
            self.live.remember(new)  # a closed draft is forgotten
        return won

    async def list(
        self,
        *,
        community: str | None = None,
        since: datetime | None = None,
        status: DraftStatus | None = None,
    ) -> builtins.list[Draft]:
        """Drafts as stored (what the policy let through), oldest first."""
        await self.flush(quiet=True)
        return await self._retrying(lambda: self.inner.list(community=community, since=since, status=status))

    async def purge_content(
        self,
        older_than: datetime,
        community: str | None = None,
        *,
        include_open: bool = False,
        exclude: Collection[str] = (),
    ) -> int:
        count = await self._retrying(
            lambda: self.inner.purge_content(
                older_than, community, include_open=include_open, exclude=exclude
            )
        )
        # Purged drafts must not come back from memory.
        for draft_id, draft in self.live.pending().items():
            in_scope = community is None or draft.community == community
            if draft.created_at < older_than and in_scope and draft.community not in exclude:
                self.live.forget(draft_id)
        return count

    async def delete_for_user(self, platform: Platform, user_id: str) -> int:
        count = await self._retrying(lambda: self.inner.delete_for_user(platform, user_id))
        for draft_id, draft in {**self.live.pending(), **self.outbox.drafts}.items():
            if draft.post.platform is platform and user_id in (draft.post_author_id, draft.requester.user_id):
                self.live.forget(draft_id)
                self.outbox.drafts.pop(draft_id, None)
        return count

    # -- durability --

    async def flush(self, *, quiet: bool = False) -> bool:
        """Write what the outbox holds; True when it is empty afterwards.

        `quiet`: one attempt each, no retries (called before ordinary reads).
        """
        if not self.outbox.drafts:
            return True
        for draft_id, draft in list(self.outbox.drafts.items()):
            try:
                await self._write_held(draft, retry=not quiet)
            except StorageError:
                return False
            self.outbox.drafts.pop(draft_id, None)
            self.outbox.new.discard(draft_id)
            log.info("storage is back: a held draft was saved")
        return True

    async def _write_held(self, draft: Draft, *, retry: bool) -> None:
        stored = self.policy.stored(draft)
        if draft.id in self.outbox.new:

            async def op() -> object:
                with contextlib.suppress(ConstraintViolation):  # an earlier try got through
                    await self.inner.add(stored)
                return None
        elif draft.status is DraftStatus.PENDING:
            # Only over a still-pending row: a sweep elsewhere may have closed it meanwhile.
            async def op() -> object:
                return await self.inner.transition(draft.id, DraftStatus.PENDING, stored)
        else:

            async def op() -> object:
                await self.inner.update(stored)
                return None

        await (_retrying(op, self.retry) if retry else op())

    async def interrupted(self, stale_after: timedelta) -> builtins.list[Interrupted]:
        """Mark failed the pending drafts without text whose request died; return them.

        Dead: written by this process but no longer in flight here; written by a process
        of this host that has ended; or, where no process can be asked (another host, an
        older row), untouched for longer than any generation may take (`stale_after`).
        """
        now = utcnow()
        found: builtins.list[Interrupted] = []
        for draft, worker, notice in await self._retrying(self.inner.pending_without_text):
            if self.live.still_writing(draft.id, stale_after) or draft.id in self.outbox.drafts:
                continue
            if worker == self.worker and self.worker is not None:
                dead = True
            else:
                alive = worker_alive(worker)
                dead = alive is False or (alive is None and draft.updated_at < now - stale_after)
            if not dead:
                continue
            failed = dataclasses.replace(draft, status=DraftStatus.FAILED, updated_at=now)
            if await self.transition(draft.id, DraftStatus.PENDING, failed):
                found.append(Interrupted(failed, notice))
        return found

    async def expire(
        self, *, before: datetime | None = None, ids: Collection[str] = ()
    ) -> builtins.list[Draft]:
        """Close as expired the pending drafts last changed before `before`, and those in `ids`."""
        candidates: dict[str, Draft] = {}
        if before is not None:
            for old in await self._retrying(lambda: self.inner.pending_before(before)):
                candidates[old.id] = old
        for draft_id in ids:
            if (mine := await self.get(draft_id)) is not None and mine.is_open:
                candidates[draft_id] = mine
        expired: builtins.list[Draft] = []
        now = utcnow()
        for draft_id, draft in candidates.items():
            if self.live.is_writing(draft_id):
                continue  # being written now; its request will close it
            closed = dataclasses.replace(draft, status=DraftStatus.EXPIRED, updated_at=now)
            if await self.transition(draft_id, DraftStatus.PENDING, closed):
                expired.append(closed)
        return expired

    def opened_here(self, platform: Platform | None = None) -> builtins.list[str]:
        """Ids of the drafts this process added (on `platform`)."""
        return self.live.opened(platform)

    async def set_notice(self, draft_id: str, notice_ref: str | None) -> None:
        await self._retrying(lambda: self.inner.set_notice(draft_id, notice_ref))

    async def failed_notices(self, platform: Platform) -> builtins.list[Interrupted]:
        """Failed drafts on `platform` whose placeholder still says "writing"."""
        rows = await self._retrying(lambda: self.inner.failed_with_notice(platform))
        return [Interrupted(draft, notice) for draft, notice in rows]

    # -- internals --

    async def _retrying(self, op: Callable[[], Awaitable[T]]) -> T:
        return await _retrying(op, self.retry)


class DurableAuditLog:
    """`AuditLog` with retries; an entry that still cannot be written waits in the outbox."""

    def __init__(self, inner: SqlAuditLog, *, retry: RetryPolicy | None = None, outbox: Outbox | None = None):
        self.inner = inner
        self.retry = retry or RetryPolicy()
        self.outbox = outbox if outbox is not None else Outbox()

    async def record(self, entry: AuditEntry) -> None:
        """Write the entry; never raises for storage: an action that happened stays done."""
        try:
            await self.flush(quiet=True)
            await _retrying(lambda: self.inner.record(entry), self.retry)
        except StorageError as err:
            self.outbox.audit.append(entry)
            log.warning("storage: an audit entry could not be written (%s); held until storage is back", err)

    async def entries(
        self, *, since: datetime | None = None, draft_id: str | None = None
    ) -> builtins.list[AuditEntry]:
        await self.flush(quiet=True)
        return await _retrying(lambda: self.inner.entries(since=since, draft_id=draft_id), self.retry)

    async def flush(self, *, quiet: bool = False) -> bool:
        while self.outbox.audit:
            entry = self.outbox.audit[0]
            try:
                if quiet:
                    await self.inner.record(entry)
                else:
                    await _retrying(lambda: self.inner.record(entry), self.retry)  # noqa: B023
            except StorageError:
                return False
            self.outbox.audit.pop(0)
        return True


# --- all of them -------------------------------------------------------------------------------


def build_repositories(
    sessions: Sessions,
    *,
    policy: ContentPolicy | None = None,
    retry: RetryPolicy | None = None,
    worker: str | None = None,
) -> Repositories:
    """All repositories over one session factory (see `db.session_factory`).

    Drafts and audit entries are written durably and as `policy` allows (see above);
    `worker` names this process on the drafts it writes (default: `worker_token()`).
    """
    outbox = Outbox()
    drafts = SqlDraftRepository(sessions, worker=worker or worker_token())
    return Repositories(
        drafts=DurableDraftRepository(drafts, policy, retry=retry, outbox=outbox),
        ratings=SqlRatingRepository(sessions),
        communities=SqlCommunityConfigRepository(sessions),
        audit=DurableAuditLog(SqlAuditLog(sessions), retry=retry, outbox=outbox),
        escalations=SqlEscalationRepository(sessions),
        optouts=SqlOptOutRepository(sessions),
    )
