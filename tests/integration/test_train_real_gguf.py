"""Training runs on the real default GGUF: loaded dequantised, trainable, a few SFT steps (CPU)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

pytestmark = [pytest.mark.train, pytest.mark.slow]

if any(importlib.util.find_spec(m) is None for m in ("torch", "transformers", "trl", "peft", "datasets")):
    pytest.skip("needs the [train] extra: pip install -e '.[train]'", allow_module_level=True)

from llumi_core.training.trainer import LOSS_LOG, TrainOptions, train  # noqa: E402

from .test_train_smoke import _default_gguf  # noqa: E402


def test_sft_steps_from_the_real_smollm2_gguf(tmp_path: Path) -> None:
    gguf = _default_gguf()
    from llumi_core.config import DEFAULT_MODELS_DIR
    from llumi_core.feedback.forums import read_counselchat
    from llumi_core.feedback.pairs import PairBuilder, write_jsonl
    from tests.unit.test_pairs import write_counselchat

    pairs = tmp_path / "pairs.jsonl"
    builder = PairBuilder("counselchat", DEFAULT_MODELS_DIR / "prompts")
    assert write_jsonl(builder.build(read_counselchat(write_counselchat(tmp_path / "cc.csv"))), pairs) > 0
    opts = TrainOptions(max_steps=2, batch_size=1, grad_accum=1, limit=2, progress=False, save_steps=100)
    result = train("sft", pairs, gguf, tmp_path / "sft", opts, on_message=lambda _: None)
    assert result.steps == 2 and all(math.isfinite(x) for x in result.losses)
    meta = json.loads((tmp_path / "sft" / "llumi_train.json").read_text())
    assert meta["options"]["gradient_checkpointing"] is False, "off for a 135M model"
    assert 0 < meta["options"]["max_length"] <= 1024, "from the data"
    assert (tmp_path / "sft" / LOSS_LOG).is_file() and (tmp_path / "sft" / "model.safetensors").is_file()
