"""Every error a user can cause is one line naming the cause (exit 2), never `internal error`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from llumi_core.config import load_settings
from llumi_core.llm.registry import load_registry
from tests.conftest import TEST_MODEL


def llumi(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "LLUMI_MODELS__GM": TEST_MODEL, "LLUMI_MODELS__IM": TEST_MODEL, **(env or {})}
    full_env.pop("LLUMI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


def one_line(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, exactly one line on stderr, naming the cause; no traceback, no 'internal error'."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndata_dir = "{(tmp_path / "data").as_posix()}"\n' + body, encoding="utf-8")
    return path


# --- the CLI's own input -----------------------------------------------------------------------


def test_broken_pipe_is_one_line(tmp_path: Path) -> None:
    rows = tmp_path / "replies.jsonl"
    rows.write_text('{"id": 1, "response": "I hear you, that sounds so hard."}\n' * 2000, encoding="utf-8")
    env = {**os.environ}
    env.pop("LLUMI_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "analyze", "--jsonl", str(rows)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["id"] == 1  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err.strip().splitlines() == ["llumi: output closed before everything was printed (broken pipe)"]


def test_invalid_utf8_in_analyze_jsonl_names_the_line(tmp_path: Path) -> None:
    rows = tmp_path / "bad.jsonl"
    rows.write_bytes(b'{"id": 1, "response": "fine"}\n{"id": 2, "response": "caf\xe9"}\n')
    one_line(llumi("analyze", "--jsonl", str(rows), cwd=tmp_path), "bad.jsonl:2", "not valid UTF-8")


def test_pairs_import_into_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text("", encoding="utf-8")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "missing" / "pairs.jsonl"  # a folder that cannot be made
    proc = llumi("pairs", "import", str(dump), "--format", "reddit", "--out", str(out), cwd=tmp_path)
    one_line(proc, str(out.parent), "cannot create the folder")


def test_pairs_export_of_an_unknown_community(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    out = str(tmp_path / "pairs.jsonl")
    base = ("--config", str(cfg), "pairs", "export", "--out", out, "--community")
    one_line(llumi(*base, "discord:123", cwd=tmp_path), "discord:123", "no such community")
    one_line(llumi(*base, "nope", cwd=tmp_path), "expected platform:id")
    assert not Path(out).exists()


# --- config check --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ('[safety]\nregion = "mars"\n', ("safety.region", "unknown crisis region 'mars'", "valid regions")),
        ('url = "mysql://u:p@db/x"\n', ("storage.url", "unsupported database URL scheme 'mysql'")),
    ],
)
def test_config_check_refuses_bad_settings(tmp_path: Path, body: str, needles: tuple[str, ...]) -> None:
    one_line(llumi("--config", str(config(tmp_path, body)), "config", "check", cwd=tmp_path), *needles)


def test_config_check_refuses_a_data_dir_it_cannot_write(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[storage]\ndata_dir = "/proc/nope"\n', encoding="utf-8")
    one_line(llumi("--config", str(cfg), "config", "check", cwd=tmp_path), "storage.data_dir", "/proc/nope")


def test_config_check_finds_a_truncated_gguf(tmp_path: Path) -> None:
    settings = load_settings(use_file=False)
    good = load_registry(settings.models.registry).resolve(TEST_MODEL).path
    assert good is not None
    truncated = tmp_path / "truncated.gguf"
    with good.open("rb") as f:
        truncated.write_bytes(f.read(good.stat().st_size - 4096))  # a download cut short
    registry = tmp_path / "registry.toml"
    registry.write_text(f'[models."cut-short"]\npath = "{truncated.as_posix()}"\n', encoding="utf-8")
    body = f'[models]\nregistry = "{registry.as_posix()}"\ngm = "cut-short"\nim = "cut-short"\n'
    proc = llumi(
        "--config",
        str(config(tmp_path, body)),
        "config",
        "check",
        cwd=tmp_path,
        env={"LLUMI_MODELS__GM": "cut-short", "LLUMI_MODELS__IM": "cut-short"},
    )
    one_line(proc, "models.gm", str(truncated), "truncated or corrupt")


def test_config_check_reports_the_model_file(tmp_path: Path) -> None:
    proc = llumi("--config", str(config(tmp_path, "")), "config", "check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "vocabulary 49152" in proc.stdout and "(writable)" in proc.stdout


def test_an_env_var_typo_is_blamed_on_the_env_var(tmp_path: Path) -> None:
    proc = llumi(
        "--config",
        str(config(tmp_path, "")),
        "config",
        "check",
        cwd=tmp_path,
        env={"LLUMI_MODELS__MAX_TOKEN": "64"},
    )
    line = one_line(
        proc, "environment variable LLUMI_MODELS__MAX_TOKEN", "unknown setting 'models.max_token'"
    )
    assert "config.toml" not in line


def test_export_user_is_audited(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    proc = llumi(
        "--config", str(cfg), "privacy", "export-user", "--platform", "discord", "--user", "7", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(tmp_path / "data" / "llumi.sqlite3") as con:
        audit = con.execute(
            "SELECT action, community, detail FROM audit_log WHERE action = 'export_user'"
        ).fetchall()
    assert audit == [("export_user", "discord:*", "drafts=0")]  # the member's id is not written there
