"""`llumi draft` / `llumi improve` for a draft the checks still flag: findings shown, not postable.

The model is a scripted fake (a flagged draft cannot be forced from the real
one); everything else is the real command, settings, safety and service.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.bootstrap import App
from bot.cli import main
from llumi_core.config import Settings
from tests.fakes import ScriptedBackend, scripted_service

FLAGGED = "I'm a licensed therapist, and I promise this stays between us. DM me any time."
CLEAN = "That sounds like a heavy week. What has helped you a little, even for a moment?"


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ScriptedBackend:
    """Every `llumi draft`/`improve` in the test runs on this backend and in-memory storage."""
    backend = ScriptedBackend(CLEAN)
    monkeypatch.setenv("LLUMI_STORAGE__DATA_DIR", str(tmp_path))

    @asynccontextmanager
    async def fake_app(settings: Settings, *, load_models: bool = True) -> AsyncIterator[App]:
        service = scripted_service(settings, backend)
        yield App(settings, service.repos, service.safety, None, service)

    monkeypatch.setattr("bot.commands.draft.open_app", fake_app)
    monkeypatch.setattr("bot.commands.improve.open_app", fake_app)
    return backend


def test_flagged_draft_json_is_not_postable_and_lists_findings(
    model: ScriptedBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    model.replies = [FLAGGED]
    assert main(["draft", "--json", "I had an awful week."]) == 0
    out = json.loads(capsys.readouterr().out)
    (draft,) = out["drafts"]
    assert draft["postable"] is False and {"claims_human", "secrecy"} <= {i["kind"] for i in draft["issues"]}
    assert len(model.calls) == 3  # the first try and two regenerations were all flagged


def test_flagged_draft_plain_text_says_it_must_be_edited(
    model: ScriptedBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    model.replies = [FLAGGED]
    assert main(["draft", "I had an awful week."]) == 0
    out = capsys.readouterr().out
    assert "NOT READY TO POST" in out and "secrecy" in out
    assert out.index(FLAGGED[:20]) < out.index("NOT READY TO POST")


def test_a_regeneration_that_passes_is_postable(
    model: ScriptedBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    model.replies = [FLAGGED, CLEAN]
    assert main(["draft", "--json", "I had an awful week."]) == 0
    (draft,) = json.loads(capsys.readouterr().out)["drafts"]
    assert draft["postable"] is True and draft["issues"] == [] and draft["text"] == CLEAN
    assert len(model.calls) == 2


def test_improve_json_marks_a_flagged_improvement(
    model: ScriptedBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    model.replies = [FLAGGED]
    assert main(["improve", "--json", "--post", "I had an awful week.", "--reply", "sorry to hear"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["improved"]["postable"] is False and out["issues"]
