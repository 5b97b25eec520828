"""Fault injection with the real model and a real SQLite file.

Each test breaks storage (or the process) in the middle of a draft and then
checks three things by reading the database file itself: nothing the model
wrote was lost, no pending draft is left without text, and the file holds
only what `[privacy] store_content` allows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import SYSTEM_ACTOR, build_service
from llumi_core import retention
from llumi_core.config import Settings
from llumi_core.domain import Actor, CommunityConfig, Platform, Post, PostRef
from llumi_core.errors import ModelError
from llumi_core.llm import RoleBackends, build_backends
from llumi_core.safety import Safety
from llumi_core.service import DraftService
from llumi_core.storage.db import create_engine, session_factory, upgrade_schema
from llumi_core.storage.durable import ContentPolicy, DurableDraftRepository, RetryPolicy, build_repositories
from llumi_core.writing import NOT_SAVED
from tests.conftest import TEST_MODEL, make_settings

pytestmark = pytest.mark.model

MOD = Actor(Platform.DISCORD, "42", "mod")
EMAIL = "priya.raman@example.org"
POST_WORDS = "lighthouse-keeper-marmalade"  # a phrase only the post contains
POST_TEXT = f"I can't sleep since the move ({POST_WORDS}). Write to me at {EMAIL} if you can."
FAST_RETRY = RetryPolicy((0.05, 0.1))


def discord_post(text: str = POST_TEXT, message_id: str = "m1") -> Post:
    return Post(PostRef(Platform.DISCORD, "g", "c", message_id), author_id="7", text=text)


@dataclass
class Rig:
    settings: Settings
    service: DraftService
    repos: Any
    db: Path

    @property
    def drafts(self) -> DurableDraftRepository:
        assert isinstance(self.repos.drafts, DurableDraftRepository)
        return self.repos.drafts


@pytest.fixture
async def backends(tmp_path: Path) -> AsyncIterator[RoleBackends]:
    loaded = await build_backends(make_settings(tmp_path, models={"max_tokens": 40}))
    yield loaded
    await loaded.aclose()


@asynccontextmanager
async def rig(data_dir: Path, backends: RoleBackends, **privacy: Any) -> AsyncIterator[Rig]:
    """The service as bootstrap builds it, with a short busy timeout and short retries."""
    settings = make_settings(data_dir, models={"max_tokens": 40}, privacy=privacy)
    engine = create_engine(settings.storage.database_url(), sqlite_busy_timeout_ms=100)
    try:
        await upgrade_schema(engine)
        safety = Safety(settings.safety, settings.privacy)
        policy = ContentPolicy(settings.privacy.store_content, safety.redact_text)
        repos = build_repositories(session_factory(engine), policy=policy, retry=FAST_RETRY)
        service = build_service(settings, backends=backends, repos=repos, safety=safety)
        yield Rig(settings, service, repos, data_dir / "llumi.sqlite3")
    finally:
        await engine.dispose()


# --- reading the file itself -------------------------------------------------------------------


def rows(db: Path, sql: str = "SELECT * FROM drafts") -> list[sqlite3.Row]:
    with contextlib.closing(sqlite3.connect(db)) as con:
        con.row_factory = sqlite3.Row
        return list(con.execute(sql))


def file_bytes(db: Path) -> bytes:
    """The database and its WAL after a checkpoint: every byte a reader of the disk could see."""
    with contextlib.closing(sqlite3.connect(db)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def assert_no_dangling_pending(db: Path) -> None:
    empty = rows(db, "SELECT id FROM drafts WHERE status = 'pending' AND text = '' AND model_text = ''")
    assert empty == [], "a pending draft without text was left behind"


@contextlib.contextmanager
def exclusive_lock(db: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(db, isolation_level=None, timeout=0)
    con.execute("BEGIN EXCLUSIVE")
    try:
        yield con
    finally:
        con.execute("ROLLBACK")
        con.close()


# --- an exclusive lock while the model writes --------------------------------------------------


async def test_exclusive_lock_during_generation_loses_nothing(tmp_path: Path, backends: RoleBackends) -> None:
    async with rig(tmp_path, backends, store_content="full") as r:
        lock: list[contextlib.ExitStack] = []

        async def take_lock(_draft: Any) -> None:  # after the empty draft is stored, before the model
            stack = contextlib.ExitStack()
            stack.enter_context(exclusive_lock(r.db))
            lock.append(stack)

        result = await r.service.draft(discord_post(), MOD, on_start=take_lock)
        draft = result.draft
        assert draft.text.strip(), "the person got the text although storage was locked"
        assert not r.drafts.is_saved(draft.id)
        assert NOT_SAVED in result.notes  # shown with the draft on every platform
        stored = rows(r.db, f"SELECT text, status FROM drafts WHERE id = '{draft.id}'")
        assert stored[0]["text"] == "" and stored[0]["status"] == "pending"
        # While storage is still locked, the buttons still find the text in this process.
        held = await r.service.get(draft.id, MOD)
        assert held.text == draft.text

        lock[0].close()  # storage is back
        report = await retention.sweep(r.repos, r.settings, SYSTEM_ACTOR)
        assert not report.unsaved and report.failed == 0
        assert r.drafts.is_saved(draft.id)
        saved = rows(r.db, f"SELECT text, status FROM drafts WHERE id = '{draft.id}'")[0]
        assert saved["text"] == draft.text and saved["status"] == "pending"
        actions = [
            a["action"] for a in rows(r.db, f"SELECT action FROM audit_log WHERE draft_id = '{draft.id}'")
        ]
        assert actions == ["draft"], "the audit entry held during the lock was written too"
        await r.service.discard(draft.id, MOD)
        assert_no_dangling_pending(r.db)


async def test_a_generation_that_fails_leaves_a_failed_draft_not_a_pending_one(
    tmp_path: Path, backends: RoleBackends
) -> None:
    async with rig(tmp_path, backends) as r:
        r.settings.models.timeout_s = 0.001
        with pytest.raises(ModelError):
            await r.service.draft(discord_post(), MOD)
        assert [row["status"] for row in rows(r.db)] == ["failed"]
        assert_no_dangling_pending(r.db)
        # "interrupted — tap Regenerate": Regenerate starts again from the failed draft.
        failed_id = rows(r.db)[0]["id"]
        r.settings.models.timeout_s = 120
        config = CommunityConfig(Platform.DISCORD, "g", all_channels=True, draft_users=[MOD.user_id])
        await r.service.update_community(config, MOD, changed="test")
        result = await r.service.regenerate(failed_id, MOD, PostStillThere(discord_post()))
        assert result.draft.text.strip() and result.draft.parent_id == failed_id
        status = {row["id"]: row["status"] for row in rows(r.db)}
        assert status == {failed_id: "failed", result.draft.id: "pending"}


class PostStillThere:
    """The platform side of Regenerate: the post as it is now, in the channel it was in."""

    def __init__(self, post: Post) -> None:
        self.post = post

    async def places(self, ref: PostRef) -> tuple[str | None, ...]:
        return (ref.thread_id, ref.channel_id)

    async def current_post(self, ref: PostRef) -> Post | None:
        return self.post


# --- a full disk while the model writes --------------------------------------------------------


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8); cannot fill a file system safely here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or done.returncode})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory: Path) -> Path:
    """Write until the file system is full; the filler is removed to free it again."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):  # big blocks, then whatever room is left
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


async def test_full_disk_during_generation_loses_nothing(small_fs: Path, backends: RoleBackends) -> None:
    async with rig(small_fs, backends, store_content="full") as r:
        fillers: list[Path] = []

        async def fill_disk(_draft: Any) -> None:
            fillers.append(fill(small_fs))

        result = await r.service.draft(discord_post(), MOD, on_start=fill_disk)
        draft = result.draft
        assert draft.text.strip(), "the person got the text although the disk was full"
        assert not r.drafts.is_saved(draft.id)

        fillers[0].unlink()  # space again
        report = await retention.sweep(r.repos, r.settings, SYSTEM_ACTOR)
        assert not report.unsaved
        saved = rows(r.db, f"SELECT text FROM drafts WHERE id = '{draft.id}'")[0]
        assert saved["text"] == draft.text
        assert_no_dangling_pending(r.db)


# --- SIGKILL in the middle of a draft, then a restart ------------------------------------------


def write_config(data_dir: Path, store_content: str) -> Path:
    config = data_dir / "config.toml"
    config.write_text(
        f"""
[models]
gm = "{TEST_MODEL}"
im = "{TEST_MODEL}"
max_tokens = 4096

[models.sampling]
temperature = 0.7

[storage]
data_dir = "{data_dir.as_posix()}"

[privacy]
store_content = "{store_content}"
""",
        encoding="utf-8",
    )
    return config


def llumi(config: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "LLUMI_DEBUG": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--config", str(config), *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


def wait_for_pending(db: Path, process: subprocess.Popen[str], timeout_s: float = 120) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"llumi draft ended before it could be killed: {err.strip()[-300:]}")
        if db.exists():
            with contextlib.suppress(sqlite3.Error):
                found = rows(db, "SELECT id FROM drafts WHERE status = 'pending' AND text = ''")
                if found:
                    return str(found[0]["id"])
        time.sleep(0.05)
    pytest.fail("no pending draft appeared")


def test_sigkill_mid_draft_then_restart_leaves_nothing_dangling(tmp_path: Path) -> None:
    config = write_config(tmp_path, "none")
    db = tmp_path / "llumi.sqlite3"
    drafting = llumi(config, "draft", POST_TEXT + " Please write me a very long reply, many paragraphs.")
    draft_id = wait_for_pending(db, drafting)
    time.sleep(0.3)  # the model is writing now
    os.kill(drafting.pid, signal.SIGKILL)
    drafting.wait(timeout=30)
    assert drafting.returncode == -signal.SIGKILL
    stuck = rows(db, f"SELECT status, text FROM drafts WHERE id = '{draft_id}'")[0]
    assert stuck["status"] == "pending"  # what a kill leaves behind

    restart = llumi(config, "privacy", "purge")  # any start sweeps
    _out, err = restart.communicate(timeout=120)
    assert restart.returncode == 0, err

    row = rows(db, f"SELECT status, text, post_text FROM drafts WHERE id = '{draft_id}'")[0]
    assert row["status"] == "failed"
    audit = rows(db, f"SELECT action, detail FROM audit_log WHERE draft_id = '{draft_id}'")
    assert [a["action"] for a in audit] == ["fail"]
    assert_no_dangling_pending(db)
    assert POST_WORDS.encode() not in file_bytes(db)  # store_content = none: the post was never written


# --- each store_content mode -------------------------------------------------------------------


MODES = ("none", "redacted", "full")


@pytest.mark.parametrize("mode", MODES)
async def test_store_content_holds_from_the_first_write(
    tmp_path: Path, backends: RoleBackends, mode: str
) -> None:
    reply = f"hey, so sorry - email me at {EMAIL} any time"
    async with rig(tmp_path, backends, store_content=mode) as r:
        kept = await r.service.draft(discord_post(message_id="m1"), MOD)  # left pending (buttons)
        closed = await r.service.improve(discord_post(message_id="m2"), reply, MOD)
        # During the request and while pending, the person sees exactly what was written.
        assert closed.draft.human_text == reply
        assert (await r.service.get(closed.draft.id, MOD)).human_text == reply
        await r.service.discard(closed.draft.id, MOD)
        cli = await r.service.draft(
            Post.local(POST_TEXT + f" {POST_WORDS}-cli"), Actor.local(), community=None
        )
        await retention.close_cli_drafts(r.repos, SYSTEM_ACTOR)  # what the end of a command does

        by_id = {row["id"]: row for row in rows(r.db)}
        assert by_id[cli.draft.id]["status"] == "expired"
        assert by_id[closed.draft.id]["status"] == "discarded"
        assert by_id[kept.draft.id]["status"] == "pending" and by_id[kept.draft.id]["text"]
        assert_no_dangling_pending(r.db)
        stored = file_bytes(r.db)
        if mode == "full":
            assert POST_WORDS.encode() in stored and EMAIL.encode() in stored
            return
        assert EMAIL.encode() not in stored, "the email address reached the file"
        if mode == "redacted":
            assert by_id[closed.draft.id]["human_text"] == "hey, so sorry - email me at [email] any time"
            assert "[email]" in by_id[kept.draft.id]["post_text"]
            return
        # none: no post text ever; closed drafts keep no text; only the pending one keeps its draft.
        assert POST_WORDS.encode() not in stored
        assert all(row["post_text"] == "" for row in by_id.values())
        for closed_id in (closed.draft.id, cli.draft.id):
            row = by_id[closed_id]
            assert (row["text"], row["model_text"], row["human_text"]) == ("", "", None)
            assert closed.draft.text.encode() not in stored
        # ... and the pending one goes too once it expires.
        r.settings.privacy.pending_ttl = __import__("datetime").timedelta(microseconds=1)
        report = await retention.sweep(r.repos, r.settings, SYSTEM_ACTOR)
        assert report.expired == 1
        assert kept.draft.text.encode() not in file_bytes(r.db)
        assert [a["action"] for a in rows(r.db, "SELECT action FROM audit_log WHERE action = 'expire'")] == [
            "expire",
            "expire",
        ]
