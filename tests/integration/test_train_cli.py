"""`llumi train` input checks and registry writing: fast, no training."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.commands import train as train_cmd
from llumi_core.errors import InputError
from llumi_core.llm.registry import load_registry
from llumi_core.training.data import dpo_rows, sft_rows
from llumi_core.training.export import export_gguf, gguf_name, register_model

PAIR = {
    "prompt": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}],
    "chosen": [{"role": "assistant", "content": "good"}],
    "rejected": [{"role": "assistant", "content": "bad"}],
    "task": "gm",
}


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=None)
    train_cmd.register(parser.add_subparsers())
    return parser.parse_args(["train", *argv])


def test_rows_for_each_trainer(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(PAIR) + "\n" + json.dumps({**PAIR, "task": "im"}) + "\n", encoding="utf-8")
    assert sft_rows(path, "gm") == [{"prompt": PAIR["prompt"], "completion": PAIR["chosen"]}]
    assert set(dpo_rows(path)[0]) == {"prompt", "chosen", "rejected"} and len(dpo_rows(path)) == 2
    with pytest.raises(InputError, match="no pairs for task"):
        sft_rows(_only(tmp_path, "gm"), "im")


def _only(tmp: Path, task: str) -> Path:
    p = tmp / f"{task}.jsonl"
    p.write_text(json.dumps({**PAIR, "task": task}) + "\n", encoding="utf-8")
    return p


def test_bad_pairs_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "not messages"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="lacks prompt/chosen/rejected"):
        dpo_rows(bad)
    with pytest.raises(InputError, match="no such pairs file"):
        sft_rows(tmp_path / "missing.jsonl")


def test_export_refuses_non_llama(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "gpt2"}', encoding="utf-8")
    with pytest.raises(InputError, match="Llama architecture"):
        export_gguf(tmp_path, tmp_path / "x.gguf")
    with pytest.raises(InputError, match=r"\.gguf"):
        train_cmd.run_export(_args("export", "--model", str(tmp_path), "--out", str(tmp_path / "x.bin")))


def test_tensor_names_follow_llama_cpp() -> None:
    assert gguf_name("model.embed_tokens.weight") == "token_embd.weight"
    assert gguf_name("model.layers.3.self_attn.k_proj.weight") == "blk.3.attn_k.weight"
    assert gguf_name("model.layers.0.mlp.down_proj.weight") == "blk.0.ffn_down.weight"
    assert gguf_name("model.rotary_emb.inv_freq") is None


def test_register_model_adds_a_resolvable_entry(tmp_path: Path) -> None:
    registry = tmp_path / "models" / "registry.toml"
    registry.parent.mkdir()
    registry.write_text('# mine\n[models.base]\npath = "base.gguf"\n', encoding="utf-8")
    gguf = tmp_path / "models" / "tuned.gguf"
    gguf.write_bytes(b"GGUF")
    register_model(registry, "tuned", gguf, context_length=2048, description='say "hi"')
    spec = load_registry(registry).resolve("tuned")
    assert spec.path == gguf.resolve() and spec.context_length == 2048
    assert registry.read_text(encoding="utf-8").startswith("# mine")
    with pytest.raises(InputError, match="already has"):
        register_model(registry, "tuned", gguf, context_length=2048)
    with pytest.raises(InputError, match="model name"):
        register_model(registry, "bad name", gguf, context_length=2048)


@pytest.mark.train
def test_stage_checks_inputs_before_loading_anything(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="the [train] extra is not installed")
    with pytest.raises(InputError, match="no such pairs file"):
        train_cmd.run_stage(
            _args("sft", "--pairs", str(tmp_path / "none"), "--base", "x", "--out", str(tmp_path))
        )
    pairs = _only(tmp_path, "gm")
    with pytest.raises(InputError, match="batch-size"):
        train_cmd.run_stage(
            _args("sft", "--pairs", str(pairs), "--base", "x", "--out", str(tmp_path), "--batch-size", "0")
        )
    with pytest.raises(InputError, match="no such folder, file or registry model"):
        train_cmd.run_stage(
            _args("sft", "--pairs", str(pairs), "--base", "nope-model", "--out", str(tmp_path / "o"))
        )
