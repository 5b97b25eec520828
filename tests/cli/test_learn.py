"""`llumi learn`: bad input is one line; the whole loop runs, resumes and redoes stages (tiny model)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from bot.cli import main
from llumi_core.llm.registry import load_registry, user_registry_path
from tests.cli.test_user_errors import config, llumi, one_line
from tests.unit.test_pairs import write_counselchat

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "registry.toml"


def test_learn_bad_input_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    source = write_counselchat(tmp_path / "cc.csv")
    work = tmp_path / "work"
    base = ("--config", str(cfg), "learn", "--source", str(source), "--format", "counselchat")
    common = (*base, "--work", str(work))

    def run(*argv: str) -> str:
        return one_line(llumi(*argv, cwd=tmp_path))

    assert "is a shipped model" in run(
        *common, "--base", "smollm2-135m-instruct", "--name", "smollm2-135m-instruct"
    )
    assert "no such folder, file or registry model" in run(*common, "--base", "nope", "--name", "t1")
    assert "no such file or folder" in run(
        "--config", str(cfg), "learn", "--source", str(tmp_path / "none.csv"), "--format", "counselchat",
        "--base", "smollm2-135m-instruct", "--name", "t1", "--work", str(work),
    )  # fmt: skip
    assert "invalid choice: 'sfx'" in run(
        *common, "--base", "smollm2-135m-instruct", "--name", "t1", "--from", "sfx"
    )
    assert "must be 0 or more" in run(
        *common, "--base", "smollm2-135m-instruct", "--name", "t1", "--sft-steps", "-1"
    )
    assert "model name 'a b'" in run(*common, "--base", "smollm2-135m-instruct", "--name", "a b")
    assert not work.exists()


_TRAIN_MISSING = [
    m
    for m in ("torch", "transformers", "trl", "peft", "datasets", "gguf")
    if importlib.util.find_spec(m) is None
]


@pytest.mark.train
@pytest.mark.slow
@pytest.mark.skipif(bool(_TRAIN_MISSING), reason="needs the [train] extra: pip install -e '.[train]'")
def test_learn_runs_resumes_and_redoes_from_a_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from llumi_core.training.trainer import init_tiny_llama
    from tests.integration.test_train_smoke import _default_gguf

    tiny = init_tiny_llama(tmp_path / "tiny", _default_gguf(), layers=2, hidden=64)
    data = tmp_path / "data"
    cfg = config(tmp_path, "")
    source = write_counselchat(tmp_path / "cc.csv")
    work = data / "learn" / "tiny-tuned"
    argv = [
        "--config", str(cfg), "learn", "--source", str(source), "--format", "counselchat", "--base", str(tiny),
        "--name", "tiny-tuned", "--sft-steps", "2", "--dpo-steps", "2", "--limit", "2", "--batch-size", "1",
        "--grad-accum", "1", "--max-length", "512", "--outtype", "f32", "--task", "gm", "--no-progress",
    ]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    for stage in ("pairs", "split", "sft", "dpo", "export", "register"):
        assert f"{stage:9} done" in out, out
    state = json.loads((work / "learn.json").read_text(encoding="utf-8"))
    assert state["stages"]["sft"]["steps"] == 2 and state["stages"]["dpo"]["steps"] == 2
    split = json.loads((work / "split.json").read_text(encoding="utf-8"))["pairs"]
    assert split["train"] > 0 and set(split) == {"train", "validation", "test"}
    spec = load_registry(SHIPPED, user_registry_path(data)).resolve("tiny-tuned")
    assert spec.path == (work / "tiny-tuned.gguf").resolve() and spec.path.stat().st_size > 0

    # Again: every stage is complete, so every stage is skipped (nothing retrained).
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("skipped") == 6, out

    # A training stage that did not finish (as after Ctrl-C) is resumed, and everything after it reruns.
    meta_file = work / "sft" / "llumi_train.json"
    meta_file.write_text(json.dumps({**json.loads(meta_file.read_text()), "stopped_early": True}))
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "(resuming)" in out and all(f"{s:9} done" in out for s in ("sft", "dpo", "export", "register")), (
        out
    )
    assert all(f"{s:9} skipped" in out for s in ("pairs", "split")), out

    # Changed DPO settings are refused unless that stage is redone; --from dpo redoes dpo and later.
    changed = list(argv)
    changed[changed.index("--dpo-steps") + 1] = "3"
    assert main(changed) == 2
    assert "--from dpo" in capsys.readouterr().err
    assert main([*changed, "--from", "dpo"]) == 0
    out = capsys.readouterr().out
    assert all(f"{s:9} skipped" in out for s in ("pairs", "split", "sft")), out
    assert all(f"{s:9} done" in out for s in ("dpo", "export", "register")), out
    assert json.loads((work / "learn.json").read_text())["stages"]["dpo"]["steps"] == 3
    assert load_registry(SHIPPED, user_registry_path(data)).user_names() == ["tiny-tuned"]
