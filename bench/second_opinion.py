"""Does the model second opinion help the risk screen, on posts it was not fitted on?

    python bench/second_opinion.py --set dev [--model NAME_OR_GGUF ...] [--sweep]
    python bench/second_opinion.py --set eval [--model ...]             # held out: run ONCE
    python bench/second_opinion.py --set cssrs [--model ...] [--users N]  # not fitted on: ONCE

Runs the shipped path: `LayeredScreen` (patterns + semantic), then
`SecondOpinion.review` through the real `LlamaCppBackend.yes_probability` for the posts
the screen leaves borderline. Each figure is printed for the screen alone, the screen with
the second opinion, and "flag everyone", from the same run.

- `dev`: bench/data/dev_short_posts.jsonl, where the question, `BORDERLINE_*` and `RAISE_AT`
  were chosen (in sample). `--sweep` prints the dev trade-off behind `RAISE_AT`.
- `eval`: bench/data/eval_short_posts.jsonl, written for evaluation only: aggregates only,
  never single rows.
- `cssrs`: the C-SSRS users (each user's score is the highest of their posts). Nothing here
  is fitted on them: the thresholds come from the dev posts. `--users N` takes a seeded
  sample of N users, stratified by label, when asking about every post would take too long.
Costs: seconds per asked post (median, 2 threads) and the share of posts asked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screen_cssrs import DEFAULT_DATA, NEGATIVE, POSITIVE, User, auroc, load_users  # noqa: E402

DEV = ROOT / "bench" / "data" / "dev_short_posts.jsonl"
EVAL = ROOT / "bench" / "data" / "eval_short_posts.jsonl"
RESULTS = ROOT / "bench" / "results" / "second_opinion.json"
MODELS = ("qwen2.5-coder-1.5b-instruct", "smollm2-135m-instruct")
FLAGGED = {"elevated", "acute"}


@dataclass(frozen=True, slots=True)
class Seen:
    """One post: the screen's verdict, and the model's P(yes) when it was asked."""

    label: int
    acute: bool
    screen_level: str
    screen_score: float
    p_yes: float | None
    level: str
    score: float
    asked_s: float | None


def model_path(name: str) -> Path:
    if name.endswith(".gguf"):
        return Path(name)
    from llumi_core.llm.registry import load_registry

    spec = load_registry(ROOT / "models" / "registry.toml").resolve(name)
    assert spec.path is not None
    return spec.path


async def open_backend(path: Path):  # type: ignore[no-untyped-def]
    from llumi_core.config import ModelsSettings
    from llumi_core.llm.llama_cpp import LlamaCppBackend
    from llumi_core.llm.registry import ModelSpec

    backend = LlamaCppBackend(ModelSpec(name=path.stem, path=path), ModelsSettings(n_ctx=1024, n_threads=2))
    await backend.load()
    return backend


async def review_all(
    backend, texts: Sequence[str], labels: Sequence[tuple[int, bool]], raise_at: float
) -> list[Seen]:  # type: ignore[no-untyped-def]
    from llumi_core.safety.risk import LayeredScreen
    from llumi_core.safety.second_opinion import LAYER, SecondOpinion

    screen = LayeredScreen()
    opinion = SecondOpinion(backend, timeout_s=120.0, raise_at=raise_at)
    seen = []
    for text, (label, acute) in zip(texts, labels, strict=True):
        first = screen.assess(text)
        started = time.perf_counter()
        final = await opinion.review(text, first)
        took = time.perf_counter() - started
        if len(seen) % 200 == 199:
            print(f"{len(seen) + 1} of {len(texts)} posts", file=sys.stderr, flush=True)
        model = next((x for x in final.layers if x.layer == LAYER and "P(yes)" in x.reason), None)
        seen.append(
            Seen(
                label,
                acute,
                first.level.value,
                first.score,
                model.score if model else None,
                final.level.value,
                final.score,
                took if model else None,
            )
        )
    return seen


def post_figures(seen: Sequence[Seen]) -> dict[str, object]:
    pos = [s for s in seen if s.label]
    neg = [s for s in seen if not s.label]
    asked = [s for s in seen if s.p_yes is not None]
    y = [s.label for s in seen]

    def row(levels: Sequence[str], scores: Sequence[float]) -> dict[str, object]:
        flagged = [lv in FLAGGED for lv in levels]
        return {
            "at_risk_missed": f"{sum(not f for f, s in zip(flagged, seen, strict=True) if s.label)} of {len(pos)}",
            "false_alarms": f"{sum(f for f, s in zip(flagged, seen, strict=True) if not s.label)} of {len(neg)}",
            "auroc": round(auroc(list(scores), y), 3),
        }

    asked_y = [s.label for s in asked]
    return {
        "posts": len(seen),
        "asked": len(asked),
        "asked_at_risk": sum(asked_y),
        "seconds_per_asked_post_median": round(statistics.median(s.asked_s for s in asked), 3)
        if asked
        else None,
        "model_auroc_on_asked": round(auroc([s.p_yes for s in asked], asked_y), 3) if asked else None,  # type: ignore[misc]
        "screen": row([s.screen_level for s in seen], [s.screen_score for s in seen]),
        "screen_plus_model": row([s.level for s in seen], [s.score for s in seen]),
        "flag_everyone": row(["elevated"] * len(seen), [1.0] * len(seen)),
    }


def sweep(seen: Sequence[Seen]) -> list[dict[str, object]]:
    """Dev only: what each RAISE_AT would catch and cost among the asked posts."""
    asked = [s for s in seen if s.p_yes is not None]
    rows = []
    for t in sorted({round(s.p_yes, 2) for s in asked}):  # type: ignore[arg-type]
        rows.append(
            {
                "raise_at": t,
                "caught": sum(s.label and s.p_yes >= t for s in asked),  # type: ignore[operator]
                "false_alarms": sum(not s.label and s.p_yes >= t for s in asked),  # type: ignore[operator]
            }
        )
    return rows


def short_posts(path: Path) -> tuple[list[str], list[tuple[int, bool]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows], [(int(r["risk"] != "none"), r["risk"] == "acute") for r in rows]


def sample_users(users: list[User], n: int) -> list[User]:
    """n users, each label keeping its share (seeded, so a rerun asks about the same users)."""
    if not n or n >= len(users):
        return users
    rng = random.Random(10)
    picked: list[User] = []
    for label in sorted({u.label for u in users}):
        group = [u for u in users if u.label == label]
        picked += rng.sample(group, max(1, round(n * len(group) / len(users))))
    return picked


async def cssrs(backend, raise_at: float, n_users: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from llumi_core.errors import InputError
    from llumi_core.text import clean_post

    users = sample_users([u for u in load_users(DEFAULT_DATA) if u.label in POSITIVE | NEGATIVE], n_users)
    texts, owners = [], []
    for u in users:
        for post in u.posts:
            try:
                texts.append(clean_post(post, max_chars=6000).text)
            except InputError:  # a link only, empty: what the bot would refuse, not screen
                continue
            owners.append(u.id)
    seen = await review_all(backend, texts, [(0, False)] * len(texts), raise_at)
    by_user: dict[str, list[Seen]] = {}
    for owner, s in zip(owners, seen, strict=True):
        by_user.setdefault(owner, []).append(s)

    def summary(level_of, score_of) -> dict[str, object]:  # type: ignore[no-untyped-def]
        y = [int(u.label in POSITIVE) for u in users]
        flagged = {u.id: any(level_of(s) in FLAGGED for s in by_user.get(u.id, [])) for u in users}
        ba = [u for u in users if u.label in {"Behavior", "Attempt"}]
        sup = [u for u in users if u.label == "Supportive"]
        return {
            "auroc": round(
                auroc([max((score_of(s) for s in by_user.get(u.id, [])), default=0.0) for u in users], y), 3
            ),
            "behavior_attempt_flagged": round(sum(flagged[u.id] for u in ba) / len(ba), 3),
            "supportive_flagged": round(sum(flagged[u.id] for u in sup) / len(sup), 3),
        }

    asked = [s for s in seen if s.p_yes is not None]
    return {
        "users": len(users),
        "posts": len(seen),
        "asked": len(asked),
        "seconds_per_asked_post_median": round(statistics.median(s.asked_s for s in asked), 3)
        if asked
        else None,  # type: ignore[misc]
        "screen": summary(lambda s: s.screen_level, lambda s: s.screen_score),
        "screen_plus_model": summary(lambda s: s.level, lambda s: s.score),
        "flag_everyone": {"auroc": 0.5, "behavior_attempt_flagged": 1.0, "supportive_flagged": 1.0},
    }


async def run(args: argparse.Namespace) -> dict[str, object]:
    from llumi_core.safety.second_opinion import RAISE_AT

    out: dict[str, object] = {"set": args.set, "raise_at": RAISE_AT}
    for name in args.model:
        backend = await open_backend(model_path(name))
        try:
            figures: dict[str, object] = {}
            if args.set == "dev":
                seen = await review_all(backend, *short_posts(DEV), RAISE_AT)
                figures["dev_short_posts (in sample)"] = post_figures(seen)
                if args.sweep:
                    figures["sweep"] = sweep(seen)
            elif args.set == "eval":
                seen = await review_all(backend, *short_posts(EVAL), RAISE_AT)
                figures["eval_short_posts (held out)"] = post_figures(seen)
            else:
                figures["cssrs_users (not fitted on)"] = await cssrs(backend, RAISE_AT, args.users)
        finally:
            await backend.aclose()
        out[name] = figures
        print(json.dumps({name: figures}, indent=2), flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=("dev", "eval", "cssrs"), default="dev")
    parser.add_argument("--users", type=int, default=0, help="cssrs only: a stratified sample of N users")
    parser.add_argument("--model", action="append", help="registry name or GGUF path (repeatable)")
    parser.add_argument("--sweep", action="store_true", help="dev only: the RAISE_AT trade-off")
    args = parser.parse_args()
    args.model = args.model or list(MODELS)
    result = asyncio.run(run(args))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[args.set] = result
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
