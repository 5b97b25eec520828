"""SFT on the real SmolLM2-135M on this CPU: the current defaults against the old ones.

    python bench/sft_step_time.py [--steps 4] [--limit 64]   (needs pip install -e '.[train]')

Same pairs (the GM pairs of CounselChat's train split, `llumi pairs import`), same
base (the SmolLM2-135M GGUF, dequantised), same batch and accumulation, one run each:

- `before`: the defaults before issue 14: sequences padded to 1024 tokens, gradient
  checkpointing on, no packing;
- `after`: today's defaults: the length from the data, checkpointing off for a small
  model, short examples packed into one sequence.

Printed per variant: the median seconds per optimiser step (the first step, which
warms up, left out), the steps one epoch of these pairs takes, and so the estimated
epoch time; then after/before ratios. Goal: a step at least 3x faster.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import ROOT, write_result

from llumi_core.config import DEFAULT_MODELS_DIR, load_settings
from llumi_core.feedback.forums import import_forum_pairs
from llumi_core.feedback.pairs import PairRules
from llumi_core.llm.registry import settings_registry
from llumi_core.training.trainer import TrainOptions, train

COUNSELCHAT = ROOT.parent / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
VARIANTS = {
    "before": {"max_length": 1024, "gradient_checkpointing": True, "packing": False},
    "after": {},
}


class StepClock:
    """Times each optimiser step and reads how many steps one epoch takes."""

    def __init__(self, grad_accum: int) -> None:
        self.grad_accum = grad_accum
        self.ends: list[float] = []
        self.start = 0.0
        self.steps_per_epoch = 0

    def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        loader = kw.get("train_dataloader")
        if loader is not None:
            self.steps_per_epoch = math.ceil(len(loader) / self.grad_accum)
        self.start = time.perf_counter()

    def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self.ends.append(time.perf_counter())

    def __getattr__(self, name: str) -> Any:  # the other TrainerCallback events: nothing to do
        if name.startswith("on_"):
            return lambda *a, **k: None
        raise AttributeError(name)

    def step_seconds(self) -> list[float]:
        marks = [self.start, *self.ends]
        return [b - a for a, b in itertools.pairwise(marks)][1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--limit", type=int, default=64, help="pairs used (the same for both)")
    args = ap.parse_args()
    settings = load_settings(use_file=False)
    base = settings_registry(settings).resolve("smollm2-135m-instruct")
    result: dict[str, Any] = {"base": "smollm2-135m-instruct", "pairs": args.limit, "steps": args.steps}
    with tempfile.TemporaryDirectory() as tmp:
        pairs = Path(tmp) / "pairs.jsonl"
        import_forum_pairs(COUNSELCHAT, "counselchat", DEFAULT_MODELS_DIR / "prompts", PairRules(tasks=("gm",)), pairs)
        for name, overrides in VARIANTS.items():
            opts = TrainOptions(max_steps=args.steps, limit=args.limit, save_steps=10_000, progress=False, task="gm",
                                **overrides)
            clock = StepClock(opts.grad_accum)
            train("sft", pairs, Path(base.path), Path(tmp) / name, opts, on_message=lambda m: None, callbacks=[clock])
            steps = clock.step_seconds()
            step_s = statistics.median(steps)
            result[name] = {"step_s_median": round(step_s, 2), "step_s": [round(s, 2) for s in steps],
                            "steps_per_epoch": clock.steps_per_epoch,
                            "epoch_s_estimate": round(step_s * clock.steps_per_epoch, 1)}
            print(name, result[name], flush=True)
    b, a = result["before"], result["after"]
    result["step_speedup"] = round(b["step_s_median"] / a["step_s_median"], 2)
    if a["epoch_s_estimate"]:
        result["epoch_speedup"] = round(b["epoch_s_estimate"] / a["epoch_s_estimate"], 2)
    print(f"step: {result['step_speedup']}x faster; one epoch: {result.get('epoch_speedup')}x faster (goal: step >= 3x)")
    write_result("sft_step_time", result)


if __name__ == "__main__":
    main()
