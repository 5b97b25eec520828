"""`llumi check`, `llumi privacy …` and `llumi audit` against a real SQLite file."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.bootstrap import open_app
from bot.cli import main
from llumi_core.config import load_settings
from llumi_core.domain import (
    Actor,
    AuditAction,
    AuditEntry,
    Draft,
    DraftKind,
    DraftStatus,
    Platform,
    PostRef,
    RiskAssessment,
    RiskLevel,
    utcnow,
)

ALICE = Actor(Platform.DISCORD, "111", "alice")
MEMBER = "999"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndata_dir = "{tmp_path.as_posix()}"\n', encoding="utf-8")
    return path


def make_draft(draft_id: str, *, status: DraftStatus, age_days: float = 0, author: str = MEMBER) -> Draft:
    at = utcnow() - timedelta(days=age_days)
    return Draft(
        id=draft_id,
        kind=DraftKind.DRAFT,
        status=status,
        post=PostRef(Platform.DISCORD, "g1", "c1", f"m-{draft_id}"),
        post_author_id=author,
        requester=ALICE,
        text="You are not alone in this.",
        model_text="You are not alone in this.",
        model_id="smollm2",
        prompt_version="gm-1",
        risk=RiskAssessment(RiskLevel.NONE, 0.1),
        created_at=at,
        updated_at=at,
    )


def seed(config: Path, drafts: list[Draft], entries: list[AuditEntry]) -> None:
    async def go() -> None:
        async with open_app(load_settings(config), load_models=False) as app:
            for d in drafts:
                await app.repos.drafts.add(d)
            for e in entries:
                await app.repos.audit.record(e)

    asyncio.run(go())


def stored(config: Path) -> tuple[list[Draft], list[AuditEntry]]:
    async def go() -> tuple[list[Draft], list[AuditEntry]]:
        async with open_app(load_settings(config), load_models=False) as app:
            return await app.repos.drafts.list(), await app.repos.audit.entries()

    return asyncio.run(go())


def audit(action: AuditAction, draft_id: str) -> AuditEntry:
    return AuditEntry(
        action, ALICE.key, "discord:g1", draft_id=draft_id, model_id="smollm2", prompt_version="gm-1"
    )


# --- llumi check -----------------------------------------------------------------------------------


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", "As a therapist I promise this stays between us."]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert {i["kind"] for i in result["issues"]} >= {"claims_human", "secrecy"}
    assert all(set(i) == {"kind", "text", "why"} for i in result["issues"])


def test_check_clean_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", "I'm not a therapist, but I hear you."]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "issues": []}


def test_check_jsonl_keeps_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "@everyone look"}\n\n{"id": 7, "text": "That sounds hard."}\n')
    assert main(["check", "--jsonl", str(src)]) == 1  # a problem in any line
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", 7]
    assert lines[0]["ok"] is False and lines[1]["ok"] is True


def test_check_exit_status_is_0_clean_1_problems_2_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "I'm not a therapist, but I'm listening."]) == 0
    assert capsys.readouterr().out.startswith("ok")
    assert main(["check", "Let's keep this our secret, DM me."]) == 1
    assert "secrecy" in capsys.readouterr().out
    clean = tmp_path / "clean.jsonl"
    clean.write_text('{"id": 1, "text": "That sounds hard."}\n{"id": 2, "text": "I hear you."}\n')
    assert main(["check", "--jsonl", str(clean)]) == 0
    assert main(["check", "   "]) == 2
    assert main(["check", "--file", str(tmp_path / "missing.txt")]) == 2
    assert main(["check", "text", "--jsonl", str(clean)]) == 2


def test_check_help_documents_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", "--help"])
    assert exited.value.code == 0
    assert "1 problems found" in " ".join(capsys.readouterr().out.split())


def test_check_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a"}\n')
    assert main(["check", "--jsonl", str(src)]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and "Traceback" not in err
    assert main(["check", "--jsonl", str(tmp_path / "missing.jsonl")]) == 2


# --- llumi privacy ---------------------------------------------------------------------------------


def test_purge_blanks_old_closed_drafts_only(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(
        config,
        [
            make_draft("old", status=DraftStatus.DISCARDED, age_days=40),
            make_draft("new", status=DraftStatus.DISCARDED),
        ],
        [],
    )
    assert main(["--config", str(config), "privacy", "purge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["purged"] == 1
    drafts, entries = stored(config)
    by_id = {d.id: d for d in drafts}
    assert by_id["old"].text == "" and by_id["old"].model_text == ""
    assert by_id["new"].text
    assert any(e.action is AuditAction.PURGE for e in entries)
    # A second purge finds nothing left.
    assert main(["--config", str(config), "privacy", "purge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["purged"] == 0


def test_export_and_delete_user(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(
        config,
        [
            make_draft("d1", status=DraftStatus.PENDING),
            make_draft("d2", status=DraftStatus.PENDING, author="555"),
        ],
        [],
    )
    assert (
        main(["--config", str(config), "privacy", "export-user", "--platform", "discord", "--user", MEMBER])
        == 0
    )
    export = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in export["drafts_about_or_by_user"]] == ["d1"]
    assert export["opted_out"] is False

    assert (
        main(["--config", str(config), "privacy", "delete-user", "--platform", "discord", "--user", MEMBER])
        == 0
    )
    assert "--yes" in capsys.readouterr().out
    assert {d.id for d in stored(config)[0]} == {"d1", "d2"}  # nothing deleted without --yes

    args = [
        "--config",
        str(config),
        "privacy",
        "delete-user",
        "--platform",
        "discord",
        "--user",
        MEMBER,
        "--yes",
        "--json",
    ]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["deleted"] == 1
    drafts, entries = stored(config)
    assert {d.id for d in drafts} == {"d2"}
    deletion = [e for e in entries if e.action is AuditAction.DELETE_USER]
    assert deletion and MEMBER not in deletion[0].detail and MEMBER not in deletion[0].community


def test_privacy_rejects_unknown_platform(config: Path) -> None:
    with pytest.raises(SystemExit) as err:
        main(["--config", str(config), "privacy", "export-user", "--platform", "myspace", "--user", "1"])
    assert err.value.code == 2


# --- llumi audit -----------------------------------------------------------------------------------


def test_audit_lists_a_content_free_trail(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(
        config,
        [make_draft("d1", status=DraftStatus.POSTED)],
        [audit(AuditAction.DRAFT, "d1"), audit(AuditAction.APPROVE, "d1"), audit(AuditAction.POST, "d1")],
    )
    assert main(["--config", str(config), "audit", "--json", "--since", "1d"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["action"] for r in rows] == ["draft", "approve", "post"]
    assert "not alone" not in json.dumps(rows)
    assert main(["--config", str(config), "audit", "--verify"]) == 0
    assert capsys.readouterr().out.startswith("ok")


def test_audit_verify_fails_on_a_double_post(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(
        config,
        [make_draft("d1", status=DraftStatus.POSTED), make_draft("d2", status=DraftStatus.POSTED)],
        [
            audit(AuditAction.DRAFT, "d1"),
            audit(AuditAction.APPROVE, "d1"),
            audit(AuditAction.POST, "d1"),
            audit(AuditAction.POST, "d1"),
            audit(AuditAction.DRAFT, "d2"),
            audit(AuditAction.POST, "d2"),
        ],
    )
    assert main(["--config", str(config), "audit", "--verify"]) == 2
    err = capsys.readouterr().err
    assert "d1 was posted 2 times" in err
    assert "d2 was posted without an approve action" in err


def test_audit_since_must_be_a_date(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(config), "audit", "--since", "yesterday"]) == 2
    assert "--since" in capsys.readouterr().err


def test_optouts_lists_ids_only(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async def go() -> None:
        async with open_app(load_settings(config), load_models=False) as app:
            await app.repos.optouts.add(Platform.DISCORD, "777")
            await app.repos.optouts.add(Platform.TELEGRAM, "888")

    asyncio.run(go())
    assert main(["--config", str(config), "privacy", "optouts", "--platform", "discord", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"platform": "discord", "opted_out": ["777"]}
