"""SFT then DPO with TRL and LoRA (PEFT), on CPU or GPU. Needs the `[train]` extra.

Each run writes into its output folder:

- `checkpoints/`: the trainer's checkpoints (LoRA adapter + optimiser state). Stopping a run
  (Ctrl-C once) saves a checkpoint; running the same command again resumes from it.
- `loss_log.jsonl`: one line per logged step (`step`, `loss`, DPO reward margins ...).
- the merged model (LoRA folded into the base) in Hugging Face format, plus its tokenizer,
  ready for the next stage (`dpo --base` the SFT output) or for `llumi train export`.
- `llumi_train.json`: what was trained on what, and the tokenizer's GGUF source if any.

torch, transformers, trl and peft are imported inside the functions: the core
imports without them.
"""

from __future__ import annotations

import json
import logging
import math
import signal
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any, Literal

from ..errors import InputError
from .data import TaskFilter, dpo_rows, sft_rows

log = logging.getLogger(__name__)

META_FILE = "llumi_train.json"
LOSS_LOG = "loss_log.jsonl"
MAX_LENGTH_CAP = 1024  # examples longer than this (prompt + reply tokens) are dropped, and counted
BIG_MODEL_PARAMS = 1_000_000_000
ESTIMATE_AFTER_STEPS = 2  # the first step is slower (warm-up), so estimate after two
Stage = Literal["sft", "dpo"]


class TrainExtraMissing(InputError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"training needs the [train] extra ({what} is not installed): pip install -e '.[train]'"
        )


def require_train_extra() -> None:
    """Fail with one actionable line when torch/transformers/trl/peft are absent."""
    import importlib.util

    for mod in ("torch", "transformers", "trl", "peft", "datasets"):
        if importlib.util.find_spec(mod) is None:
            raise TrainExtraMissing(mod)


@dataclass(frozen=True, slots=True)
class TrainOptions:
    """Knobs of one stage. `max_steps` > 0 wins over `epochs`."""

    epochs: float = 1.0
    max_steps: int = 0
    learning_rate: float = 2e-4
    batch_size: int = 2
    grad_accum: int = 4
    max_length: int = 0  # 0: from the data (the longest example, up to MAX_LENGTH_CAP)
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    beta: float = 0.1  # DPO's KL strength
    save_steps: int = 50
    logging_steps: int = 1
    seed: int = 0
    task: TaskFilter = "both"
    limit: int | None = None  # use at most this many pairs
    # None: on for models of BIG_MODEL_PARAMS or more (memory), off below (it costs ~30 % more time).
    gradient_checkpointing: bool | None = None
    packing: bool = True  # SFT: several short examples in one sequence, no padding
    progress: bool = True


@dataclass
class TrainResult:
    out: Path
    stage: Stage
    steps: int
    losses: list[float] = field(default_factory=list)
    stopped: bool = False  # stopped early by the user; rerun to resume
    seconds: float = 0.0
    reward_accuracy: float = math.nan  # DPO: chosen rewarded above rejected, last fifth of the steps

    @property
    def first_loss(self) -> float:
        return self.losses[0] if self.losses else math.nan

    @property
    def last_loss(self) -> float:
        return self.losses[-1] if self.losses else math.nan

    @property
    def smoothed_first_loss(self) -> float:
        """Mean of the first fifth of the logged losses (one step's loss is noise)."""
        return _head_mean(self.losses)

    @property
    def smoothed_last_loss(self) -> float:
        return _tail_mean(self.losses)


def _head_mean(values: Sequence[float]) -> float:
    return _tail_mean(list(reversed(values)))


def read_meta(model_dir: Path) -> dict[str, Any]:
    path = model_dir / META_FILE
    if path.is_file():
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    return {}


def load_base(base: Path) -> tuple[Any, Any, dict[str, Any]]:
    """(model, tokenizer, meta) from a Hugging Face folder or a GGUF file (dequantised to float32)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if base.is_file() and base.suffix == ".gguf":
        kwargs: dict[str, Any] = {"gguf_file": base.name}
        folder, meta = base.parent, {"base": str(base), "tokenizer_gguf": str(base)}
    elif base.is_dir() and (base / "config.json").is_file():
        kwargs, folder, meta = {}, base, read_meta(base)
        meta["base"] = str(base)
    else:
        raise InputError(f"base model {base}: expected a Hugging Face model folder or a .gguf file")
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
    except (OSError, ValueError) as err:
        raise InputError(f"cannot load base model {base}: {err}") from None
    if "gguf_file" in kwargs:
        trainable_float(model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if not tokenizer.chat_template:
        raise InputError(f"base model {base}: its tokenizer has no chat template")
    return model, tokenizer, meta


def trainable_float(model: Any) -> Any:
    """Make a model loaded with `gguf_file=` trainable.

    transformers dequantises GGUF weights into ordinary float tensors, yet marks the model as
    quantized (an `hf_quantizer` and a `quantization_config`), and the Trainer refuses to
    fine-tune a quantized model ("The model you want to train is loaded in 8-bit precision"
    style errors). The weights are plain float32 here, so the marks are cleared.
    """
    for obj in (model, getattr(model, "base_model", None)):
        if obj is None:
            continue
        if getattr(obj, "hf_quantizer", None) is not None:
            obj.hf_quantizer = None
        if getattr(obj, "is_quantized", False):
            obj.is_quantized = False  # a plain attribute set by from_pretrained
        config = getattr(obj, "config", None)
        if config is not None and hasattr(config, "quantization_config"):
            del config.quantization_config
    return model


class _StopFlag:
    """Ctrl-C (once) asks the trainer to save a checkpoint and stop after the current step."""

    def __init__(self) -> None:
        self.requested = False

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum: int, frame: FrameType | None) -> None:
            if self.requested:  # a second Ctrl-C: stop now
                raise KeyboardInterrupt
            self.requested = True
            print("\nstopping after this step; a checkpoint is saved (rerun to resume)", flush=True)

        previous = signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _callback(
    out: Path, losses: list[float], logs: list[dict[str, float]], stop: _StopFlag, say: Callable[[str], None]
) -> Any:
    from transformers import TrainerCallback

    class LossLog(TrainerCallback):  # type: ignore[misc,unused-ignore]
        started = 0.0
        first_step = 0

        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.started, self.first_step = time.perf_counter(), state.global_step

        def on_log(
            self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any
        ) -> None:
            if not logs or "loss" not in logs:
                return
            losses.append(float(logs["loss"]))
            entry = {
                "step": state.global_step,
                **{k: v for k, v in logs.items() if isinstance(v, int | float)},
            }
            history.append({k: float(v) for k, v in entry.items()})
            with (out / LOSS_LOG).open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            done = state.global_step - self.first_step
            if done == ESTIMATE_AFTER_STEPS and state.max_steps > state.global_step:
                per_step = (time.perf_counter() - self.started) / done
                left = (state.max_steps - state.global_step) * per_step
                say(
                    f"{per_step:.1f} s per step: about {left / 60:.0f} min for the remaining "
                    f"{state.max_steps - state.global_step} steps (Ctrl-C saves and stops)"
                )
            if stop.requested:
                control.should_save = True
                control.should_training_stop = True

    history = logs
    return LossLog()


def _common_args(opts: TrainOptions, ckpt: Path) -> dict[str, Any]:
    import torch

    return {
        "output_dir": str(ckpt),
        "num_train_epochs": opts.epochs,
        "max_steps": opts.max_steps if opts.max_steps > 0 else -1,
        "per_device_train_batch_size": opts.batch_size,
        "gradient_accumulation_steps": opts.grad_accum,
        "learning_rate": opts.learning_rate,
        "logging_steps": opts.logging_steps,
        "save_steps": opts.save_steps,
        "save_total_limit": 2,
        "seed": opts.seed,
        "report_to": [],
        "disable_tqdm": not opts.progress,
        "max_length": opts.max_length,
        "use_cpu": not torch.cuda.is_available(),
        "dataloader_num_workers": 0,
        "lr_scheduler_type": "constant",
        "warmup_steps": 0,
        "gradient_checkpointing": bool(opts.gradient_checkpointing),
    }


def _lora(opts: TrainOptions) -> Any:
    from peft import LoraConfig

    return LoraConfig(
        r=opts.lora_r,
        lora_alpha=opts.lora_alpha,
        lora_dropout=opts.lora_dropout,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    )


def _has_checkpoint(ckpt: Path) -> bool:
    return ckpt.is_dir() and any(p.name.startswith("checkpoint-") for p in ckpt.iterdir())


def train(
    stage: Stage,
    pairs: Path,
    base: Path,
    out: Path,
    opts: TrainOptions = TrainOptions(),
    on_message: Callable[[str], None] = print,
    callbacks: Sequence[Any] = (),
) -> TrainResult:
    """Run one stage (SFT or DPO) with LoRA, then save the merged model in `out`.

    Only the train split of `pairs` is read (see `data.py`). A run stopped with Ctrl-C saves a
    checkpoint *and* the merged model so far, so it can be exported; rerunning resumes.
    """
    require_train_extra()
    from datasets import Dataset

    rows = (sft_rows if stage == "sft" else dpo_rows)(pairs, opts.task, opts.limit, opts.seed)
    out.mkdir(parents=True, exist_ok=True)
    ckpt = out / "checkpoints"
    resume = _has_checkpoint(ckpt)
    if not resume and (out / LOSS_LOG).exists():
        (out / LOSS_LOG).unlink()  # a fresh run; a resumed one appends
    model, tokenizer, meta = load_base(base)
    rows, max_length, dropped = fit_lengths(rows, tokenizer, opts.max_length or MAX_LENGTH_CAP)
    if not rows:
        raise InputError(f"no pair fits in {opts.max_length or MAX_LENGTH_CAP} tokens: raise --max-length")
    checkpointing = _checkpointing(opts, model)
    opts = replace(opts, max_length=max_length, gradient_checkpointing=checkpointing)
    losses: list[float] = []
    logs: list[dict[str, float]] = []
    stop = _StopFlag()
    trainer = _make_trainer(stage, model, tokenizer, Dataset.from_list(rows), opts, ckpt)
    trainer.add_callback(_callback(out, losses, logs, stop, on_message))
    for cb in callbacks:
        trainer.add_callback(cb)
    on_message(
        f"{stage}: {len(rows)} pairs (train split), base {base}; max length {max_length} tokens "
        f"from the data ({dropped} longer examples dropped); gradient checkpointing "
        f"{'on' if checkpointing else 'off'}"
        + ("; packing" if stage == "sft" and opts.packing else "")
        + (" (resuming)" if resume else "")
    )
    start = time.perf_counter()
    with stop.installed():
        trainer.train(resume_from_checkpoint=True if resume else None)
    result = TrainResult(out, stage, int(trainer.state.global_step), losses, stop.requested)
    result.seconds = time.perf_counter() - start
    result.reward_accuracy = _tail_mean([x.get("rewards/accuracies", math.nan) for x in logs])
    merged = trainer.model.merge_and_unload() if hasattr(trainer.model, "merge_and_unload") else trainer.model
    merged.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    meta.update(
        {
            "stage": stage,
            "pairs": str(pairs),
            "rows": len(rows),
            "dropped_too_long": dropped,
            "steps": result.steps,
            "stopped_early": result.stopped,
            "first_loss": result.first_loss,
            "last_loss": result.last_loss,
            "smoothed_loss": [result.smoothed_first_loss, result.smoothed_last_loss],
            "reward_accuracy": result.reward_accuracy,
            "options": asdict(opts),
            "history": [*meta.get("history", []), {"stage": stage, "base": str(base), "pairs": str(pairs)}],
        }
    )
    (out / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return result


def fit_lengths(
    rows: list[dict[str, Any]], tokenizer: Any, cap: int
) -> tuple[list[dict[str, Any]], int, int]:
    """(rows that fit in `cap` tokens, the longest of them, how many were dropped).

    Truncating a reply teaches the model to stop mid-sentence, so a long example is dropped,
    not cut; and the max length is what the data needs, not a fixed 1024.
    """
    kept, longest = [], 0
    for row in rows:
        replies = [row[k] for k in ("completion", "chosen", "rejected") if k in row]
        n = max(_chat_tokens(tokenizer, [*row["prompt"], *reply]) for reply in replies)
        if n <= cap:
            kept.append(row)
            longest = max(longest, n)
    return kept, min(cap, -(-longest // 8) * 8), len(rows) - len(kept)


def _chat_tokens(tokenizer: Any, messages: list[dict[str, str]]) -> int:
    ids = tokenizer.apply_chat_template(messages, tokenize=True)
    if isinstance(ids, dict) or hasattr(ids, "keys"):
        ids = ids["input_ids"]
    return len(ids)


def _checkpointing(opts: TrainOptions, model: Any) -> bool:
    if opts.gradient_checkpointing is not None:
        return opts.gradient_checkpointing
    params: int = sum(p.numel() for p in model.parameters())  # torch's numel() is untyped here
    return params >= BIG_MODEL_PARAMS


def _tail_mean(values: Sequence[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return math.nan
    k = max(1, len(finite) // 5)
    return statistics.fmean(finite[-k:])


def _make_trainer(
    stage: Stage, model: Any, tokenizer: Any, dataset: Any, opts: TrainOptions, ckpt: Path
) -> Any:
    if stage == "sft":
        from trl import SFTConfig, SFTTrainer  # type: ignore[attr-defined,unused-ignore]

        sft_args = SFTConfig(
            **_common_args(opts, ckpt),
            completion_only_loss=True,
            dataset_num_proc=None,
            packing=opts.packing,
        )
        return SFTTrainer(
            model=model,
            args=sft_args,
            train_dataset=dataset,
            processing_class=tokenizer,
            peft_config=_lora(opts),
        )
    from trl import DPOConfig, DPOTrainer  # type: ignore[attr-defined,unused-ignore]

    dpo_args = DPOConfig(**_common_args(opts, ckpt), beta=opts.beta, dataset_num_proc=None)
    return DPOTrainer(
        model=model, args=dpo_args, train_dataset=dataset, processing_class=tokenizer, peft_config=_lora(opts)
    )


def init_tiny_llama(
    out: Path,
    tokenizer_gguf: Path,
    *,
    layers: int = 2,
    hidden: int = 64,
    heads: int = 4,
    kv_heads: int = 2,
    seed: int = 0,
) -> Path:
    """A randomly initialised, tiny Llama with a real tokenizer (read from a GGUF): for CI smoke tests."""
    require_train_extra()
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_gguf.parent, gguf_file=tokenizer_gguf.name)
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=kv_heads,
        max_position_embeddings=2048,
        rms_norm_eps=1e-5,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = LlamaForCausalLM(config)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    meta = {"base": "random tiny llama", "tokenizer_gguf": str(tokenizer_gguf)}
    (out / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out
