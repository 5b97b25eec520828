"""`llumi learn`: pairs → split → SFT → DPO → export → register, resumable (needs the [train] extra)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from llumi_core.errors import InputError

STAGE_NAMES = ("pairs", "split", "sft", "dpo", "export", "register")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "learn",
        help="the whole learning loop in one command: pairs, split, SFT, DPO, export, register",
        description="Builds preference pairs (or copies a pairs file), checks the held-out split, runs "
        "SFT then DPO (LoRA) on the train split only, exports the result to GGUF and registers it in "
        "<data_dir>/registry.toml. Each stage is recorded in WORK/learn.json when complete and skipped "
        "on the next run; Ctrl-C saves a checkpoint and the same command resumes. Then: llumi models "
        "compare BASE NAME, llumi models promote NAME --role gm.",
    )
    p.add_argument("--source", type=Path, required=True, help="forum dump (CSV/JSONL) or a pairs JSONL")
    p.add_argument("--format", choices=("counselchat", "reddit", "pairs"), required=True)
    p.add_argument("--base", required=True, help="registry name, .gguf file or Hugging Face folder")
    p.add_argument("--name", required=True, help="the tuned model's registry name")
    p.add_argument("--work", type=Path, default=None, help="stage outputs (default <data_dir>/learn/NAME)")
    p.add_argument("--from", dest="from_stage", choices=STAGE_NAMES, default=None, help="redo from here")
    p.add_argument("--task", choices=("gm", "im", "both"), default="both")
    p.add_argument("--sft-steps", type=int, default=0, help="SFT steps (default 0: --epochs)")
    p.add_argument("--dpo-steps", type=int, default=0, help="DPO steps (default 0: --epochs)")
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--limit", type=int, default=None, help="use at most this many train pairs")
    p.add_argument("--batch-size", type=int, default=2)
    p.add_argument("--grad-accum", type=int, default=4)
    p.add_argument("--max-length", type=int, default=0, help="tokens per example (0: from the data)")
    p.add_argument("--outtype", choices=("f16", "f32", "q8_0"), default="f16")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(handler=run)


def _check(args: argparse.Namespace) -> None:
    if args.sft_steps < 0 or args.dpo_steps < 0 or args.max_length < 0:
        raise InputError("--sft-steps, --dpo-steps and --max-length must be 0 or more")
    if args.batch_size < 1 or args.grad_accum < 1 or (args.limit is not None and args.limit < 1):
        raise InputError("--batch-size, --grad-accum and --limit must be at least 1")
    if args.epochs <= 0:
        raise InputError("--epochs must be above 0")


def _plan(args: argparse.Namespace) -> Any:
    from llumi_core.config import load_settings
    from llumi_core.feedback.pairs import TASKS, PairRules
    from llumi_core.llm.registry import settings_registry, user_registry_path
    from llumi_core.llm.user_models import family_of
    from llumi_core.training.learn import LearnPlan
    from llumi_core.training.trainer import TrainOptions

    from .train import _resolve_base

    settings = load_settings(args.config)
    base = _resolve_base(args.base, args.config)
    common = {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "grad_accum": args.grad_accum,
        "max_length": args.max_length,
        "task": args.task,
        "limit": args.limit,
        "seed": args.seed,
        "progress": not args.no_progress,
    }
    return LearnPlan(
        work=args.work or settings.storage.data_dir / "learn" / args.name,
        name=args.name,
        base=base,
        source=args.source,
        source_format=args.format,
        prompts_dir=settings.models.prompts_dir,
        shipped_registry=settings.models.registry,
        user_registry=user_registry_path(settings.storage.data_dir),
        rules=PairRules(tasks=TASKS if args.task == "both" else (args.task,)),
        sft=TrainOptions(max_steps=args.sft_steps, learning_rate=2e-4, **common),
        dpo=TrainOptions(max_steps=args.dpo_steps, learning_rate=5e-5, **common),
        outtype=args.outtype,
        family=family_of(settings_registry(settings), base),
    )


def run(args: argparse.Namespace) -> int:
    from llumi_core.training.learn import check_plan, run_learn
    from llumi_core.training.trainer import require_train_extra

    _check(args)
    plan = _plan(args)
    check_plan(plan, args.from_stage)  # a taken name or changed inputs fail before the extra is needed
    require_train_extra()
    result = run_learn(plan, from_stage=args.from_stage)
    for s in result.stages:
        took = f" in {s.seconds:.0f} s" if s.status != "skipped" else ""
        print(f"{s.stage:9} {s.status}{took}: {s.detail}")
    if result.stopped:
        print("stopped: the checkpoint is saved; run the same command again to resume")
        return 0
    print(
        f"'{plan.name}' is registered. Next: llumi models compare {args.base} {plan.name} --posts FILE "
        f"--out DIR, then llumi models promote {plan.name} --role gm"
    )
    return 0
