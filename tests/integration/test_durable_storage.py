"""The durable draft repository on a real SQLite file: outbox, sweeps, expiry, content policy."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from llumi_core import retention
from llumi_core.domain import (
    Actor,
    Draft,
    DraftKind,
    DraftStatus,
    Platform,
    PostRef,
    RiskAssessment,
    RiskLevel,
    utcnow,
)
from llumi_core.ports import Repositories
from llumi_core.storage.db import create_engine, session_factory, upgrade_schema
from llumi_core.storage.durable import (
    ContentPolicy,
    DurableDraftRepository,
    RetryPolicy,
    build_repositories,
    worker_alive,
    worker_token,
)
from tests.conftest import make_settings

MOD = Actor(Platform.TELEGRAM, "42", "mod")
SYSTEM = Actor(Platform.CLI, "system", "llumi")


def draft(
    draft_id: str, *, text: str = "", platform: Platform = Platform.TELEGRAM, age: timedelta = timedelta(0)
) -> Draft:
    at = utcnow() - age
    return Draft(
        id=draft_id,
        kind=DraftKind.DRAFT,
        status=DraftStatus.PENDING,
        post=PostRef(platform, "chat-1", "chat-1", f"m-{draft_id}"),
        post_author_id="7",
        requester=MOD,
        text=text,
        model_text=text,
        model_id="m",
        prompt_version="gm-1",
        risk=RiskAssessment(RiskLevel.NONE, 0.0),
        post_text="Write to me at someone@example.org",
        created_at=at,
        updated_at=at,
    )


@contextlib.asynccontextmanager
async def repos_at(
    tmp_path: Path, *, worker: str | None = None, mode: str = "full"
) -> AsyncIterator[Repositories]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}", sqlite_busy_timeout_ms=50)
    await upgrade_schema(engine)
    try:
        policy = ContentPolicy(mode, lambda t: t.replace("someone@example.org", "[email]"))  # type: ignore[arg-type]
        yield build_repositories(
            session_factory(engine), policy=policy, retry=RetryPolicy((0.01,)), worker=worker
        )
    finally:
        await engine.dispose()


def dead_worker() -> str:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return f"{socket.gethostname()}:{child.stdout.strip()}:"


def test_worker_tokens_tell_live_dead_and_unknown_processes() -> None:
    assert worker_alive(worker_token()) is True
    assert worker_alive(dead_worker()) is False
    assert worker_alive("another-host:1:1") is None
    assert worker_alive(None) is None
    pid_one = f"{socket.gethostname()}:1:999999999"  # pid 1 runs, but started at another time
    assert worker_alive(pid_one) is False


async def test_sweep_fails_only_drafts_whose_request_died(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    async with repos_at(tmp_path, worker=dead_worker()) as old_process:
        await old_process.drafts.add(draft("killed"))
    async with repos_at(tmp_path, worker="elsewhere:1:1") as other_host:
        await other_host.drafts.add(draft("remote-recent"))
        await other_host.drafts.add(draft("remote-stale", age=timedelta(days=1)))
    async with repos_at(tmp_path) as this:
        await this.drafts.add(draft("writing-now"))
        await retention.remember_notice(this, "killed", "chat-1:555")
        report = await retention.sweep(this, settings, SYSTEM)
        assert (report.failed, report.expired) == (2, 0)
        status = {d.id: d.status for d in await this.drafts.list()}
        assert status == {
            "killed": DraftStatus.FAILED,
            "remote-stale": DraftStatus.FAILED,
            "remote-recent": DraftStatus.PENDING,
            "writing-now": DraftStatus.PENDING,
        }
        audit = {(e.action.value, e.draft_id) for e in await this.audit.entries()}
        assert audit == {("fail", "killed"), ("fail", "remote-stale")}
        # The Telegram adapter edits the placeholder of each, then says so.
        notices = await retention.interrupted_notices(this, Platform.TELEGRAM)
        assert [(n.draft.id, n.notice_ref) for n in notices] == [("killed", "chat-1:555")]
        await retention.notice_resolved(this, "killed")
        assert await retention.interrupted_notices(this, Platform.TELEGRAM) == []


async def test_pending_drafts_expire_after_pending_ttl(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, privacy={"pending_ttl": "01:00:00"})
    async with repos_at(tmp_path, mode="none") as repos:
        await repos.drafts.add(draft("old", text="a reply", age=timedelta(hours=2)))
        await repos.drafts.add(draft("new", text="another reply"))
        report = await retention.sweep(repos, settings, SYSTEM)
        assert report.expired == 1
        old, new = await repos.drafts.get("old"), await repos.drafts.get("new")
        assert old is not None and old.status is DraftStatus.EXPIRED and old.text == ""
        assert new is not None and new.status is DraftStatus.PENDING and new.text == "another reply"


async def test_redacted_mode_writes_only_redacted_text_but_the_person_sees_theirs(tmp_path: Path) -> None:
    async with repos_at(tmp_path, mode="redacted") as repos:
        mine = draft("d1", text="mail someone@example.org")
        await repos.drafts.add(mine)
        got = await repos.drafts.get("d1")
        assert got is not None and got.text == mine.text and got.post_text == mine.post_text
    with contextlib.closing(sqlite3.connect(tmp_path / "db.sqlite3")) as con:
        assert con.execute("SELECT text, post_text FROM drafts").fetchall() == [
            ("mail [email]", "Write to me at [email]")
        ]


async def test_a_new_draft_storage_refuses_is_held_and_inserted_later(tmp_path: Path) -> None:
    async with repos_at(tmp_path) as repos:
        drafts = repos.drafts
        assert isinstance(drafts, DurableDraftRepository)
        await drafts.add(draft("first"))  # the schema and WAL files exist now
        con = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None, timeout=0)
        con.execute("BEGIN EXCLUSIVE")
        try:
            second = draft("second", text="the second draft of n")
            await drafts.add(second)  # no error: the text is held
            assert not drafts.is_saved("second")
            assert (await drafts.get("second")) == second  # from memory while storage is locked
            with pytest.raises(Exception, match="busy"):
                await drafts.add(draft("third"))  # nothing generated yet: refusing is honest
        finally:
            con.execute("ROLLBACK")
            con.close()
        assert await drafts.flush()
        stored = await drafts.inner.get("second")
        assert stored is not None and stored.text == "the second draft of n"
        assert (
            dataclasses.replace(stored, created_at=second.created_at, updated_at=second.updated_at) == second
        )
