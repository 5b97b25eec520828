"""`llumi learn`: pairs → split → SFT → DPO → export → register, as resumable stages.

Every stage writes into one work folder and is recorded in `learn.json` there once it
is complete; running `llumi learn` again skips a recorded stage whose output is still
there, and resumes an interrupted SFT or DPO from its checkpoint. A stage that runs makes
every later one run again (its input is new); `from_stage` redoes a stage and every later
one. The stages are the existing functions (`pairs import`, `train sft|dpo`, `train
export`, the user registry); this module only orchestrates.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..feedback.forums import import_forum_pairs
from ..feedback.pairs import PairRules, read_jsonl
from ..feedback.split import SPLITS, row_split
from ..llm.registry import load_registry
from ..llm.user_models import check_free_name
from .export import OutType, export_gguf, register_model
from .trainer import TrainOptions, read_meta, train

STAGES = ("pairs", "split", "sft", "dpo", "export", "register")
STATE_FILE = "learn.json"
SourceFormat = Literal["counselchat", "reddit", "pairs"]
Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LearnPlan:
    work: Path  # every stage's output
    name: str  # the tuned model's registry name
    base: Path  # base weights: a GGUF file or a Hugging Face folder
    source: Path  # a forum dump, or a pairs JSONL (`llumi pairs import|export`)
    source_format: SourceFormat
    prompts_dir: Path
    shipped_registry: Path
    user_registry: Path
    rules: PairRules = field(default_factory=PairRules)
    sft: TrainOptions = field(default_factory=TrainOptions)
    dpo: TrainOptions = field(default_factory=lambda: TrainOptions(learning_rate=5e-5))
    outtype: OutType = "f16"
    family: str | None = None  # the base's prompt family, kept for the tuned model

    @property
    def pairs(self) -> Path:
        return self.work / "pairs.jsonl"

    @property
    def gguf(self) -> Path:
        return self.work / f"{self.name}.gguf"

    def inputs(self) -> dict[str, Any]:
        """What each stage was made from: a changed input invalidates that stage and later ones.

        As JSON reads it back (tuples become lists), so a rerun compares equal to what was saved."""
        inputs = {
            "pairs": {"source": str(self.source), "format": self.source_format, "rules": asdict(self.rules)},
            "sft": {"base": str(self.base), "options": _options(self.sft)},
            "dpo": {"options": _options(self.dpo)},
            "export": {"outtype": self.outtype, "name": self.name},
        }
        result: dict[str, Any] = json.loads(json.dumps(inputs))
        return result


def _options(opts: TrainOptions) -> dict[str, Any]:
    return {k: v for k, v in asdict(opts).items() if k != "progress"}


@dataclass
class StageRun:
    stage: str
    status: Literal["skipped", "done", "stopped"]
    seconds: float = 0.0
    detail: str = ""


@dataclass
class LearnResult:
    stages: list[StageRun] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return any(s.status == "stopped" for s in self.stages)


def _load_state(plan: LearnPlan) -> dict[str, Any]:
    path = plan.work / STATE_FILE
    if not path.is_file():
        return {"inputs": {}, "stages": {}}
    try:
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(f"{path}: not a learn state file; use another --work folder") from None
    return state


def _save_state(plan: LearnPlan, state: dict[str, Any]) -> None:
    tmp = plan.work / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    tmp.replace(plan.work / STATE_FILE)


def _first_changed(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    return next((stage for stage in new if stage in old and old[stage] != new[stage]), None)


def _registered_here(plan: LearnPlan) -> bool:
    registry = load_registry(plan.shipped_registry, plan.user_registry)
    if not registry.is_user(plan.name):
        return False
    path = registry.resolve(plan.name, need_file=False).path
    return path is not None and path.resolve() == plan.gguf.resolve()


def check_plan(plan: LearnPlan, from_stage: str | None = None) -> None:
    """Refuse before any work: a taken name, a missing source or base, changed inputs."""
    if from_stage is not None and from_stage not in STAGES:
        raise InputError(f"--from {from_stage!r}: one of {', '.join(STAGES)}")
    if not plan.source.exists():
        raise InputError(f"no such file or folder: {plan.source}")
    if not plan.base.exists():
        raise InputError(f"base model {plan.base} does not exist")
    if not _registered_here(plan):
        check_free_name(load_registry(plan.shipped_registry, plan.user_registry), plan.name)
    if plan.work.is_file():
        raise InputError(f"--work {plan.work} is a file; give a folder")
    changed = _first_changed(_load_state(plan).get("inputs", {}), plan.inputs())
    if changed is not None and (from_stage is None or STAGES.index(from_stage) > STAGES.index(changed)):
        raise InputError(
            f"{plan.work} was made with other {changed} settings: add --from {changed} to redo it "
            "and what follows, or use another --work folder"
        )


def _complete(plan: LearnPlan, stage: str, record: dict[str, Any] | None) -> bool:
    """A stage is complete when it was recorded done and its output is still there."""
    if not record or not record.get("done"):
        return False
    if stage == "pairs":
        return plan.pairs.is_file()
    if stage == "split":
        return True
    if stage in ("sft", "dpo"):
        meta = read_meta(plan.work / stage)
        return meta.get("stage") == stage and not meta.get("stopped_early", True)
    if stage == "export":
        return plan.gguf.is_file() and plan.gguf.stat().st_size == record.get("bytes")
    return _registered_here(plan)


def _reset_from(plan: LearnPlan, state: dict[str, Any], from_stage: str) -> None:
    """Forget `from_stage` and every later stage; a training stage restarts from step 0."""
    for stage in STAGES[STAGES.index(from_stage) :]:
        state["stages"].pop(stage, None)
        if stage in ("sft", "dpo"):
            shutil.rmtree(plan.work / stage / "checkpoints", ignore_errors=True)


def run_learn(plan: LearnPlan, *, from_stage: str | None = None, say: Say = print) -> LearnResult:
    """Run every stage not yet complete, in order; stop after a training stage stopped by Ctrl-C."""
    check_plan(plan, from_stage)
    try:
        plan.work.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"--work {plan.work}: cannot create it ({err.strerror or err})") from None
    state = _load_state(plan)
    if from_stage is not None:
        _reset_from(plan, state, from_stage)
    state["inputs"] = plan.inputs()
    result, ran = LearnResult(), False
    for stage in STAGES:
        # Once a stage has run, every later one runs too: its input is new.
        if not ran and _complete(plan, stage, state["stages"].get(stage)):
            result.stages.append(StageRun(stage, "skipped", detail="complete before"))
            continue
        say(f"learn: {stage} ...")
        start = time.perf_counter()
        record = _STAGE_FUNCTIONS[stage](plan, say)
        run = StageRun(stage, "stopped" if record.get("stopped") else "done", time.perf_counter() - start)
        run.detail = str(record.get("detail", ""))
        state["stages"][stage] = {**record, "done": run.status == "done", "seconds": round(run.seconds, 1)}
        _save_state(plan, state)
        result.stages.append(run)
        ran = True
        if run.status == "stopped":
            break
    return result


def _pairs(plan: LearnPlan, say: Say) -> dict[str, Any]:
    if plan.source_format == "pairs":
        read_jsonl(plan.source)  # a readable pairs file, or one clear line
        shutil.copyfile(plan.source, plan.pairs)
        return {"detail": f"copied {plan.source}"}
    n, summary = import_forum_pairs(plan.source, plan.source_format, plan.prompts_dir, plan.rules, plan.pairs)
    for line in summary.lines():
        say(f"  {line}")
    if n == 0:
        raise InputError(f"{plan.source}: no pairs; check --format, or the vote margins")
    return {"pairs": n, "detail": f"{n} pairs"}


def _split(plan: LearnPlan, say: Say) -> dict[str, Any]:
    try:
        rows = read_jsonl(plan.pairs)
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{plan.pairs}: not a pairs JSONL file") from None
    counts = dict.fromkeys(SPLITS, 0)
    posts: dict[str, set[str]] = {s: set() for s in SPLITS}
    for row in rows:
        split = row_split(row)
        counts[split] += 1
        posts[split].add(str(row.get("post_id", "")))
    if not counts["train"]:
        raise InputError(f"{plan.pairs}: no pair is in the train split")
    detail = ", ".join(f"{counts[s]} {s} pairs ({len(posts[s])} posts)" for s in SPLITS)
    (plan.work / "split.json").write_text(json.dumps({"pairs": counts}, indent=2), encoding="utf-8")
    return {"pairs": counts, "detail": detail + "; training reads only train"}


def _trainer(stage: Literal["sft", "dpo"]) -> Callable[[LearnPlan, Say], dict[str, Any]]:
    def run(plan: LearnPlan, say: Say) -> dict[str, Any]:
        base = plan.base if stage == "sft" else plan.work / "sft"
        opts = plan.sft if stage == "sft" else plan.dpo
        r = train(stage, plan.pairs, base, plan.work / stage, opts, on_message=say)
        detail = f"{r.steps} steps, loss {r.smoothed_first_loss:.4f} -> {r.smoothed_last_loss:.4f}"
        return {"steps": r.steps, "stopped": r.stopped, "seconds_training": r.seconds, "detail": detail}

    return run


def _export(plan: LearnPlan, say: Say) -> dict[str, Any]:
    r = export_gguf(plan.work / "dpo", plan.gguf, outtype=plan.outtype, name=plan.name)
    return {"bytes": r.bytes, "context_length": r.context_length, "detail": f"{r.bytes / 1e6:.1f} MB"}


def _register(plan: LearnPlan, say: Say) -> dict[str, Any]:
    if not _registered_here(plan):
        context = json.loads((plan.work / STATE_FILE).read_text(encoding="utf-8"))["stages"]["export"]
        register_model(
            plan.user_registry,
            plan.name,
            plan.gguf,
            context_length=int(context["context_length"]),
            description=f"tuned by llumi learn from {plan.base} on {plan.source.name}",
            shipped=plan.shipped_registry,
            family=plan.family,
        )
    return {"detail": f"'{plan.name}' in {plan.user_registry}"}


_STAGE_FUNCTIONS: dict[str, Callable[[LearnPlan, Say], dict[str, Any]]] = {
    "pairs": _pairs,
    "split": _split,
    "sft": _trainer("sft"),
    "dpo": _trainer("dpo"),
    "export": _export,
    "register": _register,
}
