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


def _posts(tmp_path: Path, n: int = 2) -> Path:
    import json

    rows = [
        {
            "id": f"p{i}",
            "split": "test",
            "post": "I moved to a new city and I have not talked to anyone in weeks. I feel invisible.",
            "answers": [
                {
                    "text": "That sounds really lonely. Moving is hard. What did you enjoy doing before?",
                    "score": 5,
                },
                {"text": "Just go out more and you will make friends soon enough.", "score": 1},
            ],
        }
        for i in range(n)
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    path.with_name("train_only.jsonl").write_text(json.dumps({**rows[0], "split": "train"}) + "\n")
    return path


def test_compare_bad_input_is_one_line(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    posts = _posts(tmp_path)
    out = str(tmp_path / "cmp")

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return llumi("--config", str(cfg), "models", "compare", *argv, cwd=tmp_path)

    one_line(run("a", "a", "--posts", str(posts), "--out", out), "two different models")
    one_line(run("smollm2-135m-instruct", "nope", "--posts", str(posts), "--out", out), "no model 'nope'")
    one_line(run("smollm2-135m-instruct", "x", "--out", out), "--posts")
    _user_model(tmp_path)
    args = ("smollm2-135m-instruct", "tuned-1", "--out", out)
    one_line(run(*args, "--posts", str(tmp_path / "none.jsonl")), "no such posts file")
    one_line(run(*args, "--posts", str(tmp_path / "train_only.jsonl")), "is in the test split")
    one_line(run(*args, "--posts", str(posts), "--limit", "0"), "--limit must be at least 1")
    _user_model(tmp_path, "gone").unlink()
    line = one_line(
        run("smollm2-135m-instruct", "gone", "--posts", str(posts), "--out", out), "does not exist"
    )
    assert "gone.gguf" in line


def test_compare_writes_one_report_side_by_side(tmp_path: Path) -> None:
    """B is the same GGUF as A under another name: with greedy sampling every delta is exactly 0."""
    import json

    from llumi_core.config import load_settings
    from llumi_core.llm.registry import settings_registry

    shipped = settings_registry(load_settings(use_file=False)).resolve("smollm2-135m-instruct").path
    data = tmp_path / "data"
    data.mkdir()
    user_registry_path(data).write_text(
        f'[models.same-weights]\npath = "{shipped}"\nfamily = "smollm2"\n', encoding="utf-8"
    )
    cfg = config(tmp_path, "[models]\nmax_tokens = 40\n[models.sampling]\ntemperature = 0.0\nseed = 7\n")
    out = tmp_path / "cmp"
    proc = llumi(
        "--config", str(cfg), "models", "compare", "smollm2-135m-instruct", "same-weights",
        "--posts", str(_posts(tmp_path)), "--out", str(out), "--no-progress", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["models"] == {"a": "smollm2-135m-instruct", "b": "same-weights"} and report["posts"] == 2
    assert report["bootstrap"] == {"resamples": 1000, "seed": 0, "level": 0.95, "paired_by": "post"}
    for group in ("gm", "im"):
        rows = report["groups"][group]
        assert {"preference", "readability", "empathy", "connection", "actionability", "safety"} <= set(rows)
        for row in rows.values():
            assert row["delta"] == {"n": 2, "mean": 0.0, "ci_low": 0.0, "ci_high": 0.0}
            assert row["a"] == row["b"]
    assert len(report["examples"]) == 2 and report["meta"]["preference_validation"]
    assert "## GM drafts" in (out / "report.md").read_text(encoding="utf-8")
    assert "gm preference" in proc.stdout
    # Never post or draft text on the terminal.
    assert "invisible" not in proc.stdout + proc.stderr
    assert report["examples"][0]["same-weights"]["draft"] not in proc.stdout + proc.stderr
