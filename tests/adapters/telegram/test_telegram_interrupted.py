"""A bot killed while it writes a draft: after the restart, the moderator's "✍ Writing…"
placeholder says the draft was interrupted, and its Regenerate button makes a new draft.

`llumi run` (a subprocess, the real model, the SQLite file of the harness) is killed with
SIGKILL after the placeholder was sent; the harness then starts on the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram.render import INTERRUPTED
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
)
from tests.adapters.telegram.conftest import GROUP, Harness
from tests.conftest import TEST_MODEL

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[3]
POST = (
    "I've been feeling really lonely lately and nobody in my life seems to notice when I'm struggling. "
    "Please write me a very long reply, many paragraphs."
)
LOST_WORDS = "only my cat knows about Zanzibar"  # the post of a draft whose placeholder was deleted


def write_config(tg: Harness) -> Path:
    """`llumi run` on the harness's database and fake Bot API; long drafts, so it is still writing."""
    config = tg.tmp_path / "config.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{tg.tmp_path.as_posix()}"\n'
        f'[models]\ngm = "{TEST_MODEL}"\nim = "{TEST_MODEL}"\nmax_tokens = 4096\n'
        "[models.sampling]\ntemperature = 0.7\n"
        f'[telegram]\nenabled = true\nbase_url = "{tg.api.base_url}"\n',
        encoding="utf-8",
    )
    return config


@contextlib.asynccontextmanager
async def llumi_run(tg: Harness) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {**os.environ, "LLUMI_TELEGRAM__TOKEN": tg.api.token, "LLUMI_DEBUG": ""}
    with (tg.tmp_path / "run.log").open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "--config", str(write_config(tg)), "run",
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            yield proc
        finally:
            if proc.returncode is None:
                proc.kill()
            await proc.wait()


def query(tg: Harness, sql: str, *args: str) -> list[sqlite3.Row]:
    with contextlib.closing(sqlite3.connect(tg.tmp_path / "llumi.sqlite3", timeout=5)) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, args).fetchall()


async def placeholder_kept(tg: Harness, other_than: str, timeout_s: float = 60) -> str:
    """The id of the draft whose placeholder the running bot has stored."""
    for _ in range(int(timeout_s / 0.02)):
        with contextlib.suppress(sqlite3.Error):
            if found := query(
                tg, "SELECT id FROM drafts WHERE notice_ref IS NOT NULL AND id != ?", other_than
            ):
                return str(found[0]["id"])
        await asyncio.sleep(0.02)
    raise AssertionError("the placeholder was never stored with its draft")


async def seed_deleted_placeholder(tg: Harness) -> str:
    """A draft this process was writing, whose placeholder the moderator has deleted since."""
    assert tg.app is not None
    lost = Draft(
        id="0ddba11cafe0",
        kind=DraftKind.DRAFT,
        status=DraftStatus.PENDING,
        post=PostRef(Platform.TELEGRAM, str(GROUP), str(GROUP), "1"),
        post_author_id=str(tg.member["id"]),
        requester=Actor(Platform.TELEGRAM, str(tg.admin["id"]), "Alice"),
        text="",
        model_id=TEST_MODEL,
        prompt_version="gm",
        risk=RiskAssessment(RiskLevel.NONE, 0.0),
        post_text=LOST_WORDS,
    )
    await tg.app.repos.drafts.add(lost)
    await retention.remember_notice(tg.app.repos, lost.id, f"{tg.admin['id']}:987654")  # no such message
    return lost.id


def buttons(call: Any) -> list[str]:
    return [b["callback_data"].rsplit(":", 1)[1] for b in call.buttons]


async def test_a_killed_bots_placeholder_says_interrupted_and_regenerate_makes_a_new_draft(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await tg.configure()
    uid = tg.admin["id"]
    deleted = await seed_deleted_placeholder(tg)
    await tg.stop()  # one poller at a time: `llumi run` takes over

    post = tg.api.send(GROUP, tg.member, POST)
    mark = tg.mark()
    tg.api.command(GROUP, tg.admin, "/draft", reply_to=post)
    async with llumi_run(tg) as run:
        writing = await tg.private(
            uid,
            lambda c: c.method == "sendMessage" and c.text.startswith("✍ Writing"),
            after=mark,
            timeout=240,
        )
        draft_id = await placeholder_kept(tg, other_than=deleted)
        os.kill(run.pid, signal.SIGKILL)
        await run.wait()
    left = query(tg, "SELECT status, text, notice_ref FROM drafts WHERE id = ?", draft_id)[0]
    assert (left["status"], left["text"]) == ("pending", ""), "the draft was finished before the kill"
    assert left["notice_ref"] == f"{uid}:{writing.params['_result']['message_id']}"

    mark = tg.mark()
    with caplog.at_level(logging.WARNING, logger="adapters.telegram.interrupted"):
        await tg.start()  # the start's sweep marks both drafts failed; the adapter edits the placeholders
        edited = await tg.private(
            uid,
            lambda c: (
                c.method == "editMessageText"
                and c.params["message_id"] == str(writing.params["_result"]["message_id"])
            ),
            after=mark,
        )
    assert edited.text == INTERRUPTED and buttons(edited) == ["regen"]
    # The deleted placeholder came first: its edit failed, was logged without content, and resolved.
    warned = [r for r in caplog.records if r.name == "adapters.telegram.interrupted"]
    assert [r.levelno for r in warned] == [logging.WARNING] and "BadRequest" in warned[0].getMessage()
    assert LOST_WORDS not in caplog.text and "lonely" not in caplog.text
    assert tg.app is not None
    assert await retention.interrupted_notices(tg.app.repos, Platform.TELEGRAM) == []
    for closed in (draft_id, deleted):
        stored = await tg.app.repos.drafts.get(closed)
        assert stored is not None and stored.status is DraftStatus.FAILED
        assert [e.action.value for e in await tg.app.repos.audit.entries(draft_id=closed)] == ["fail"]

    mark = tg.mark()
    qid = tg.press(tg.admin, edited, "regen")
    assert "Writing a new version" in (await tg.answer(qid)).params.get("text", "")
    shown = await tg.draft_message(uid, after=mark)
    new_id = shown.buttons[0]["callback_data"].split(":")[1]
    new = await tg.app.repos.drafts.get(new_id)
    assert new is not None and new.id != draft_id and new.parent_id == draft_id
    assert new.requester.user_id == str(uid) and new.status is DraftStatus.PENDING and new.text.strip()
    # The interrupted placeholder's button is gone once the new draft exists.
    await tg.api.wait_for(
        lambda c: (
            c.method == "editMessageReplyMarkup"
            and c.params["message_id"] == str(edited.params["message_id"])
        ),
        after=mark,
    )
