"""`llumi` as a user runs it: a subprocess, JSON out, exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_MODEL

CRISIS = "I feel like nobody would notice if I disappeared"


def llumi(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # The fast test model, unless the test wrote its own settings (which name their own model).
    test_model = (
        {}
        if (cwd / "config.toml").exists()
        else {"LLUMI_MODELS__GM": TEST_MODEL, "LLUMI_MODELS__IM": TEST_MODEL}
    )
    full_env = {
        **os.environ,
        **test_model,
        "LLUMI_MODELS__MAX_TOKENS": "40",
        "LLUMI_MODELS__SAMPLING__SEED": "3",
        **(env or {}),
    }
    full_env.pop("LLUMI_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def assert_bad_input(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("llumi:"), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.model
def test_draft_json_for_a_post_that_signals_risk(tmp_path: Path) -> None:
    proc = llumi("draft", CRISIS, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["risk"]["level"] in {"elevated", "acute"} and out["risk"]["reasons"]
    assert out["resources"] and all(r["contact"] for r in out["resources"])
    assert len(out["drafts"]) == 1 and out["drafts"][0]["text"].strip() and out["drafts"][0]["id"]
    assert out["drafts"][0]["postable"] is (not out["drafts"][0]["issues"])
    assert out["model"] == "smollm2-135m-instruct" and out["prompt_version"] == "gm-1"
    assert out["timings"]["generate_ms"] >= 0 and out["timings"]["queue_ms"] >= 0
    assert (tmp_path / "data" / "llumi.sqlite3").exists()


@pytest.mark.model
def test_draft_plain_text_shows_risk_before_the_draft(tmp_path: Path) -> None:
    proc = llumi("draft", CRISIS, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.index("Risk:") < proc.stdout.index("Draft")
    assert "nothing was posted" in proc.stdout


@pytest.mark.model
def test_draft_n_and_stdin(tmp_path: Path) -> None:
    proc = llumi("draft", "--n", "2", "--json", cwd=tmp_path, stdin=b"Exams are stressing me out so much.")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["risk"]["level"] == "none" and out["resources"] == []
    assert len({d["id"] for d in out["drafts"]}) == 2


@pytest.mark.model
def test_improve_json(tmp_path: Path) -> None:
    proc = llumi(
        "improve",
        "--post",
        "My dog died and I can't stop crying.",
        "--reply",
        "just get another dog lol",
        "--json",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["improved"]["text"].strip() and out["improved"]["id"]
    assert isinstance(out["changes"], list)
    assert all(
        c["kind"] in {"insert", "replace", "delete"} and {"before", "after"} <= c.keys()
        for c in out["changes"]
    )
    assert out["prompt_version"].startswith("im-")


@pytest.mark.model
def test_huge_post_is_truncated_with_a_note(tmp_path: Path) -> None:
    post = tmp_path / "huge.txt"
    post.write_text("I am so tired of everything and I don't know who to talk to. " * 3300)
    assert post.stat().st_size > 200_000
    proc = llumi("draft", "--file", str(post), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "note:" in proc.stderr and "characters" in proc.stderr
    assert json.loads(proc.stdout)["drafts"][0]["text"].strip()


@pytest.mark.model
@pytest.mark.parametrize(
    "text", ["😢😢😢💔", "Je me sens tellement seul ce soir, personne ne me comprend vraiment."]
)
def test_emoji_only_or_other_language_drafts_with_a_note(tmp_path: Path, text: str) -> None:
    proc = llumi("draft", text, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "note:" in proc.stderr
    assert json.loads(proc.stdout)["notes"]


def test_screen_jsonl(tmp_path: Path) -> None:
    rows = [
        {"id": 1, "text": "I'm going to kill myself tonight"},
        {"id": "b", "text": "lovely weather today"},
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    proc = llumi("screen", "--jsonl", str(tmp_path / "in.jsonl"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b"]
    assert out[0]["level"] != "none" and out[1]["level"] == "none"
    assert all(0.0 <= o["score"] <= 1.0 for o in out)


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (("draft", ""), None, ("empty",)),
        (("draft", "   \n\t "), None, ("empty",)),
        (("draft", "https://example.com/some/page"), None, ("link",)),
        (("draft",), b"", ("empty",)),
        (("improve", "--post", "I'm sad", "--reply", "  "), None, ("reply", "empty")),
        (("draft", "--n", "0", "hello there"), None, ("n must",)),
    ],
)
def test_unanswerable_input_exits_2(
    tmp_path: Path, args: tuple[str, ...], stdin: bytes | None, words: tuple[str, ...]
) -> None:
    assert_bad_input(llumi(*args, cwd=tmp_path, stdin=stdin), *words)


def test_binary_and_invalid_utf8_files_exit_2(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes(b"I feel sad\x00\x01\x02")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 and I feel alone".encode("latin-1"))
    assert_bad_input(llumi("draft", "--file", str(tmp_path / "nul.txt"), cwd=tmp_path), "NUL")
    assert_bad_input(llumi("draft", "--file", str(tmp_path / "latin1.txt"), cwd=tmp_path), "UTF-8")
    assert_bad_input(llumi("draft", "--file", str(tmp_path / "missing.txt"), cwd=tmp_path), "does not exist")


def test_config_typo_exits_2_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[models]\nmax_tokenz = 10\n")
    assert_bad_input(llumi("config", "check", cwd=tmp_path), "models.max_tokenz")
    (tmp_path / "config.toml").write_text('[models]\ntimeout_s = "lots"\n')
    assert_bad_input(llumi("config", "check", cwd=tmp_path), "models.timeout_s")
    (tmp_path / "config.toml").write_text("[models\n")
    assert_bad_input(llumi("config", "check", cwd=tmp_path), "TOML")


def test_config_check_ok_and_missing_config_file(tmp_path: Path) -> None:
    proc = llumi("config", "check", cwd=tmp_path)
    assert proc.returncode == 0 and "config ok" in proc.stdout, proc.stderr
    assert_bad_input(llumi("--config", "nope.toml", "config", "check", cwd=tmp_path), "nope.toml")


def _registry_with(tmp_path: Path, model_file: Path) -> Path:
    registry = tmp_path / "registry.toml"
    registry.write_text(f'[models.broken]\npath = "{model_file}"\n')
    (tmp_path / "config.toml").write_text(
        f'[models]\nregistry = "{registry}"\ngm = "broken"\nim = "broken"\n'
    )
    return registry


def test_missing_model_file_exits_2_naming_it(tmp_path: Path) -> None:
    _registry_with(tmp_path, tmp_path / "gone.gguf")
    assert_bad_input(llumi("config", "check", cwd=tmp_path), "gone.gguf")
    assert_bad_input(llumi("draft", "hello, I feel low", cwd=tmp_path), "gone.gguf")


def test_corrupt_model_file_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4096))  # right magic, garbage inside
    _registry_with(tmp_path, bad)
    assert_bad_input(llumi("draft", "hello, I feel low", cwd=tmp_path), "bad.gguf")
    bad.write_bytes(b"not a model at all")
    assert_bad_input(llumi("config", "check", cwd=tmp_path), "bad.gguf")


def test_unwritable_database_path_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    proc = llumi("draft", "I feel low", cwd=tmp_path, env={"LLUMI_STORAGE__DATA_DIR": str(blocker / "sub")})
    assert_bad_input(proc, "afile")


def test_unknown_env_setting_and_unknown_command(tmp_path: Path) -> None:
    assert_bad_input(
        llumi("config", "check", cwd=tmp_path, env={"LLUMI_MODELS__MAX_TOKENS": "many"}), "max_tokens"
    )
    proc = llumi("frobnicate", cwd=tmp_path)
    assert proc.returncode == 2


def test_run_without_an_enabled_adapter_or_token(tmp_path: Path) -> None:
    assert_bad_input(llumi("run", cwd=tmp_path), "no adapter is enabled")
    (tmp_path / "config.toml").write_text("[discord]\nenabled = true\n")
    assert_bad_input(llumi("run", cwd=tmp_path), "LLUMI_DISCORD__TOKEN")
