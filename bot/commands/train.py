"""`llumi train sft|dpo|export`: tune a local model on preference pairs (needs the [train] extra)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from llumi_core.errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "train",
        help="SFT + DPO with LoRA, then export to GGUF (pip install -e '.[train]')",
        description="Stage 1: sft on the chosen replies. Stage 2: dpo on chosen vs rejected. Then export "
        "the result to GGUF and register it so [models] gm / im can use it. Ctrl-C saves a checkpoint; "
        "run the same command again to resume.",
    )
    stages = p.add_subparsers(dest="train_stage", metavar="STAGE")
    stages.required = True
    for stage, help_text in (
        ("sft", "supervised fine-tuning on the chosen replies"),
        ("dpo", "DPO on pairs"),
    ):
        s = stages.add_parser(stage, help=help_text)
        s.add_argument("--pairs", type=Path, required=True, help="pairs JSONL (llumi pairs import/export)")
        s.add_argument(
            "--base",
            required=True,
            help="Hugging Face model folder, a .gguf file, or a registry model name (e.g. smollm2-135m-instruct)",
        )
        s.add_argument("--out", type=Path, required=True, help="output folder (checkpoints, loss log, model)")
        s.add_argument("--task", choices=("gm", "im", "both"), default="both")
        s.add_argument("--epochs", type=float, default=1.0)
        s.add_argument(
            "--max-steps", type=int, default=0, help="stop after this many steps (wins over --epochs)"
        )
        s.add_argument("--lr", type=float, default=2e-4 if stage == "sft" else 5e-5)
        s.add_argument("--batch-size", type=int, default=2)
        s.add_argument("--grad-accum", type=int, default=4)
        s.add_argument(
            "--max-length",
            type=int,
            default=0,
            help="tokens per example (prompt + reply); longer ones are dropped and counted "
            "(default: the longest example, up to 1024)",
        )
        s.add_argument(
            "--gradient-checkpointing",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="trade ~30%% more time for less memory (default: on for models of 1B parameters or more)",
        )
        s.add_argument("--lora-r", type=int, default=16)
        s.add_argument("--save-steps", type=int, default=50)
        s.add_argument("--limit", type=int, default=None, help="use at most this many pairs")
        s.add_argument("--seed", type=int, default=0)
        if stage == "dpo":
            s.add_argument("--beta", type=float, default=0.1, help="DPO's KL strength")
        else:
            s.add_argument(
                "--no-packing", action="store_true", help="one example per sequence (default: packed)"
            )
        s.set_defaults(handler=run_stage, stage=stage)

    e = stages.add_parser("export", help="write a trained model folder as GGUF (and register it)")
    e.add_argument("--model", type=Path, required=True, help="a folder written by train sft/dpo")
    e.add_argument("--out", type=Path, required=True, help="the .gguf file to write")
    e.add_argument("--outtype", choices=("f16", "f32", "q8_0"), default="f16")
    e.add_argument("--name", default=None, help="registry name (default: the file name without .gguf)")
    e.add_argument("--no-register", action="store_true", help="do not add it to the model registry")
    e.add_argument(
        "--registry",
        type=Path,
        default=None,
        help="registry file to add it to (default: the user registry <data_dir>/registry.toml; "
        "the shipped models/registry.toml is never written)",
    )
    e.set_defaults(handler=run_export)


def _resolve_base(raw: str, config: str | None) -> Path:
    path = Path(raw)
    if path.exists():
        return path
    from llumi_core.config import load_settings
    from llumi_core.llm.registry import settings_registry

    registry = settings_registry(load_settings(config))
    if raw not in registry:
        raise InputError(f"base model '{raw}': no such folder, file or registry model")
    spec = registry.resolve(raw)
    if spec.path is None:
        raise InputError(f"base model '{raw}' is served remotely; training needs its weights")
    return spec.path


def run_stage(args: argparse.Namespace) -> int:
    from llumi_core.training.trainer import TrainOptions, require_train_extra, train

    require_train_extra()
    if not args.pairs.is_file():
        raise InputError(f"no such pairs file: {args.pairs}")
    for flag in ("batch_size", "grad_accum", "lora_r", "save_steps"):
        if getattr(args, flag) < 1:
            raise InputError(f"--{flag.replace('_', '-')} must be at least 1")
    if args.max_length < 0:
        raise InputError("--max-length must be at least 1 (or 0: from the data)")
    if not (0 < args.lr < 1) or args.epochs <= 0:
        raise InputError("--lr must be in (0, 1) and --epochs above 0")
    opts = TrainOptions(
        epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        grad_accum=args.grad_accum,
        max_length=args.max_length,
        lora_r=args.lora_r,
        lora_alpha=2 * args.lora_r,
        save_steps=args.save_steps,
        task=args.task,
        limit=args.limit,
        seed=args.seed,
        beta=getattr(args, "beta", 0.1),
        gradient_checkpointing=args.gradient_checkpointing,
        packing=not getattr(args, "no_packing", True),
    )
    result = train(args.stage, args.pairs, _resolve_base(args.base, args.config), args.out, opts)
    if not all(math.isfinite(x) for x in result.losses):
        print("warning: the loss was not finite at some step; try a lower --lr")
    accuracy = (
        f", reward accuracy {result.reward_accuracy:.2f}" if math.isfinite(result.reward_accuracy) else ""
    )
    print(
        f"{args.stage}: {result.steps} steps in {result.seconds:.0f} s, loss (mean of the first and last "
        f"fifth of the steps) {result.smoothed_first_loss:.4f} -> {result.smoothed_last_loss:.4f}{accuracy}; "
        f"model in {args.out} (loss log: {args.out / 'loss_log.jsonl'})"
    )
    if result.stopped:
        print(
            f"stopped at step {result.steps}: the model so far is saved (it can be exported); "
            "run the same command again to resume from the checkpoint"
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from llumi_core.training.export import check_free_name, export_gguf, register_model

    if args.out.suffix != ".gguf":
        raise InputError("--out must name a .gguf file")
    name = args.name or args.out.stem
    shipped, user = _registries(args.config)
    registry: Path | None = None if args.no_register else args.registry or user
    if registry is not None:
        check_free_name(registry, name, shipped)  # before writing hundreds of MB
    result = export_gguf(args.model, args.out, outtype=args.outtype, name=name)
    print(f"wrote {result.path} ({result.bytes / 1e6:.1f} MB, {result.tensors} tensors, {args.outtype})")
    if registry is not None:
        register_model(
            registry,
            name,
            result.path,
            context_length=result.context_length,
            description=f"trained with llumi train from {args.model}",
            shipped=shipped,
            family=_base_family(args.config, args.model),
        )
        print(
            f"registered as '{name}' in {registry}: llumi models promote {name} --role gm (or im) to use it"
        )
    return 0


def _base_family(config: str | None, model: Path) -> str | None:
    """The prompt family of the registry model training started from (its GGUF), so the tuned
    model is prompted as its base was."""
    from llumi_core.config import load_settings
    from llumi_core.llm.registry import settings_registry
    from llumi_core.llm.user_models import family_of
    from llumi_core.training.trainer import read_meta

    gguf = read_meta(model).get("tokenizer_gguf")
    return family_of(settings_registry(load_settings(config)), Path(gguf) if gguf else None)


def _registries(config: str | None) -> tuple[Path, Path]:
    """(the shipped registry, the user registry training writes to)."""
    from llumi_core.config import load_settings
    from llumi_core.llm.registry import user_registry_path

    settings = load_settings(config)
    return settings.models.registry, user_registry_path(settings.storage.data_dir)
