"""`llumi train export`'s registry, `llumi models promote | unregister | compare`: the real CLI, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from llumi_core.llm.registry import user_registry_path
from tests.cli.test_user_errors import config, llumi, one_line


def bare_llumi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with no LLUMI_MODELS__* variables, so what is promoted is what is used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLUMI_")}
    cmd = [sys.executable, "-m", "bot.cli", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def _user_model(tmp_path: Path, name: str = "tuned-1") -> Path:
    data = tmp_path / "data"
    gguf = data / "models" / f"{name}.gguf"
    gguf.parent.mkdir(parents=True, exist_ok=True)
    gguf.write_bytes(b"GGUF" + b"\0" * 2048)
    with user_registry_path(data).open("a", encoding="utf-8") as f:
        f.write(f'\n[models."{name}"]\npath = "models/{name}.gguf"\ncontext_length = 2048\n')
    return gguf


def test_export_refuses_a_taken_name_before_writing_anything(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    model = tmp_path / "trained"
    model.mkdir()
    out = tmp_path / "out" / "smollm2-135m-instruct.gguf"
    proc = llumi(
        "--config", str(cfg), "train", "export", "--model", str(model), "--out", str(out), cwd=tmp_path
    )
    one_line(proc, "'smollm2-135m-instruct' is a shipped model", "choose another name")
    _user_model(tmp_path)
    proc = llumi(
        "--config", str(cfg), "train", "export", "--model", str(model), "--out", str(out), "--name", "tuned-1",
        cwd=tmp_path,
    )  # fmt: skip
    one_line(proc, "already has a model 'tuned-1'")
    assert not out.exists()  # nothing written: the name was checked first


def test_a_shadowing_user_entry_is_one_line(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    user = user_registry_path(tmp_path / "data")
    user.parent.mkdir(parents=True)
    user.write_text('[models.smollm2-135m-instruct]\npath = "x.gguf"\n', encoding="utf-8")
    one_line(llumi("--config", str(cfg), "models", "list", cwd=tmp_path), "may not shadow a shipped one")


def test_promote_then_unregister(tmp_path: Path) -> None:
    cfg = config(tmp_path, '[models]\ngm = "smollm2-135m-instruct"\nim = "smollm2-135m-instruct"\n')
    gguf = _user_model(tmp_path)

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return bare_llumi("--config", str(cfg), "models", *argv, cwd=tmp_path)

    one_line(run("promote", "nope", "--role", "gm"), "no model 'nope' in the registry")
    one_line(run("promote", "tuned-1", "--role", "boss"), "invalid choice: 'boss'")
    one_line(run("promote", "tuned-1"), "--role")
    proc = run("promote", "tuned-1", "--role", "im")
    assert proc.returncode == 0, proc.stderr
    assert "tuned-1 is the IM now (was smollm2-135m-instruct)" in proc.stdout
    assert (tmp_path / "data" / "models.toml").read_text(encoding="utf-8").count('im = "tuned-1"') == 1
    listed = run("list")
    assert "tuned-1 [im] (registered by you)" in listed.stdout, listed.stdout
    one_line(run("unregister", "tuned-1"), "'tuned-1' is the IM now: promote another model first")
    one_line(run("unregister", "smollm2-135m-instruct"), "is a shipped model", "only models you registered")
    one_line(run("unregister", "ghost"), "no model 'ghost'", "registered by you: tuned-1")
    assert run("promote", "smollm2-135m-instruct", "--role", "im").returncode == 0
    proc = run("unregister", "tuned-1")
    assert proc.returncode == 0, proc.stderr
    assert f"its weights are still on disk: {gguf.resolve()}" in proc.stdout and gguf.is_file()
    assert "tuned-1" not in run("list").stdout
    # An environment variable still wins, and promote says so.
    _user_model(tmp_path, "tuned-2")
    proc = llumi("--config", str(cfg), "models", "promote", "tuned-2", "--role", "gm", cwd=tmp_path)
    assert proc.returncode == 0 and "LLUMI_MODELS__GM is set and still wins" in proc.stderr
