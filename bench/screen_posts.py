"""The risk screen on posts it was never fitted on: short everyday posts, SDCNL, Spanish tweets.

    python bench/screen_posts.py [--no-semantic] [--baseline-commit 979f703]
    python bench/screen_posts.py --dev [--misses]   # the development sets only (never the held-out set)

- bench/data/eval_short_posts.jsonl: 90 short posts written for evaluation only (never
  fitted on, never tuned against): 45 at risk in indirect everyday words, 45 hard negatives.
  Targets: <= 2 of the at-risk missed, <= 2 false alarms, acute posts acute in >= 90 %.
- ../shared/eval/posts/sdcnl_train.csv: r/SuicideWatch (1) vs r/depression (0), forum labels,
  no licence (evaluation only). Target AUROC >= 0.75. The screen is not fitted on it.
- ../shared/eval/posts/es_suicidio_dev.csv: Spanish tweets, evaluation only. Target AUROC >= 0.80,
  or every post "not screened: language".

`--dev` measures on the development sets only: bench/data/dev_short_posts.jsonl (160 posts)
and the two parts of bench/data/dev3_short_posts.jsonl (280 posts written for issue 10 before
anything was fitted; its "fit" part may be fitted on, its "check" part is never fitted on).
`--misses` lists the ids and kinds (never the text) of the development posts it gets wrong.
The held-out set is read only without `--dev`, and no per-post result of it is ever printed.

Each figure is printed for this screen, for the screen as it was at --baseline-commit (read
from git, so both run in the same process on the same rows), and for "flag everyone".
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screen_cssrs import auroc  # noqa: E402

SHORT = ROOT / "bench" / "data" / "eval_short_posts.jsonl"
DEV = ROOT / "bench" / "data" / "dev_short_posts.jsonl"
DEV3 = ROOT / "bench" / "data" / "dev3_short_posts.jsonl"
DEV_RESULTS = ROOT / "bench" / "results" / "screen_dev_posts.json"
SDCNL = ROOT.parent / "shared" / "eval" / "posts" / "sdcnl_train.csv"
SPANISH = ROOT.parent / "shared" / "eval" / "posts" / "es_suicidio_dev.csv"
RESULTS = ROOT / "bench" / "results" / "screen_posts.json"
RANK = {"none": 0, "elevated": 1, "acute": 2}

Assess = Callable[[str], tuple[str, float, bool]]  # (level, score, screened)


def current(semantic: bool) -> Assess:
    from llumi_core.safety.risk import LayeredScreen

    screen = LayeredScreen(use_semantic=semantic)

    def run(text: str) -> tuple[str, float, bool]:
        r = screen.assess(text)
        return str(r.level), r.score, r.screened

    return run


def baseline(commit: str) -> Assess:
    """The pattern screen as it was at `commit`, loaded from git into a throwaway package."""
    tmp = Path(tempfile.mkdtemp(prefix="llumi-baseline-"))
    pkg = tmp / "baseline_safety"
    pkg.mkdir()
    for name in ("screen.py", "screen_weights.json"):
        blob = subprocess.run(
            ["git", "show", f"{commit}:llumi_core/safety/{name}"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        (pkg / name).write_bytes(blob.replace(b"from ..domain import", b"from llumi_core.domain import"))
    (pkg / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp))
    module = importlib.import_module("baseline_safety.screen")
    screen = module.RiskScreen()

    def run(text: str) -> tuple[str, float, bool]:
        r = screen.assess(text)
        return str(r.level), r.score, True

    return run


def flag_everyone(text: str) -> tuple[str, float, bool]:
    return "elevated", 1.0, True


def read_posts(path: Path, split: str | None = None) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r.get("split") == split]


def dev_sets() -> dict[str, list[dict[str, str]]]:
    """The development posts: never the held-out set."""
    return {
        "dev (160)": read_posts(DEV),
        "dev3 fit": read_posts(DEV3, "fit"),
        "dev3 check": read_posts(DEV3, "check"),
    }


def short_posts(
    assess: Assess, rows: list[dict[str, str]] | None = None, misses: bool = False
) -> dict[str, object]:
    rows = read_posts(SHORT) if rows is None else rows
    at_risk = [r for r in rows if r["risk"] != "none"]
    safe = [r for r in rows if r["risk"] == "none"]
    acute = [r for r in rows if r["risk"] == "acute"]
    got = {r["id"]: assess(r["text"]) for r in rows}
    shown = {k: v[0] != "none" or not v[2] for k, v in got.items()}  # flagged, or "not screened"
    out: dict[str, object] = {
        "at_risk_missed": f"{sum(not shown[r['id']] for r in at_risk)} of {len(at_risk)}",
        "false_alarms": f"{sum(got[r['id']][0] != 'none' for r in safe)} of {len(safe)}",
        "acute_as_acute": round(sum(got[r["id"]][0] == "acute" for r in acute) / len(acute), 3),
        "auroc": round(auroc([got[r["id"]][1] for r in rows], [int(r["risk"] != "none") for r in rows]), 3),
    }
    if misses:  # development sets only: ids and kinds, never text
        out["missed"] = [f"{r['id']}:{r['kind']}" for r in at_risk if not shown[r["id"]]]
        out["false_alarm_ids"] = [f"{r['id']}:{r['kind']}" for r in safe if got[r["id"]][0] != "none"]
        out["acute_not_acute"] = [
            f"{r['id']}:{r['kind']}:{got[r['id']][0]}" for r in acute if got[r["id"]][0] != "acute"
        ]
    return out


def dev_main(screens: dict[str, Assess], misses: bool) -> int:
    result: dict[str, dict[str, object]] = {}
    for name, assess in screens.items():
        result[name] = {part: short_posts(assess, rows, misses) for part, rows in dev_sets().items()}
        print(f"{name}:")
        for part, figures in result[name].items():
            print(f"  {part}: {figures}")
    if not misses:
        DEV_RESULTS.parent.mkdir(parents=True, exist_ok=True)
        DEV_RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def sdcnl(assess: Assess) -> dict[str, object]:
    with SDCNL.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    scores, labels = [], []
    for r in rows:
        text = f"{r.get('title', '')}. {r.get('selftext', '')}".strip()
        scores.append(assess(text)[1])
        labels.append(int(float(r["is_suicide"])))
    return {"posts": len(rows), "auroc": round(auroc(scores, labels), 3)}


def spanish(assess: Assess) -> dict[str, object]:
    with SPANISH.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    got = [assess(r["tweet_clean"]) for r in rows]
    labels = [int(float(r["suicidio"])) for r in rows]
    screened = [(g, y) for g, y in zip(got, labels, strict=True) if g[2]]
    return {
        "tweets": len(rows),
        "not_screened_language": round(1 - len(screened) / len(rows), 3),
        "at_risk_shown_as_none": sum(
            1 for g, y in zip(got, labels, strict=True) if y and g[2] and g[0] == "none"
        ),
        "auroc_all": round(auroc([g[1] for g in got], labels), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-semantic", action="store_true", help="patterns only")
    parser.add_argument("--baseline-commit", default="979f703", help="the screen to compare against")
    parser.add_argument("--dev", action="store_true", help="the development sets only, not the held-out set")
    parser.add_argument("--misses", action="store_true", help="with --dev: list wrong ids and kinds")
    parser.add_argument("--only-this", action="store_true", help="with --dev: this screen alone")
    args = parser.parse_args()
    screens: dict[str, Assess] = {"this screen": current(not args.no_semantic)}
    if not (args.dev and args.only_this):
        screens[f"screen at {args.baseline_commit}"] = baseline(args.baseline_commit)
        screens["flag everyone"] = flag_everyone
    if args.dev:
        return dev_main(screens, args.misses)
    result: dict[str, dict[str, object]] = {}
    for name, assess in screens.items():
        started = time.perf_counter()
        result[name] = {"short posts": short_posts(assess)}
        if SDCNL.exists():
            result[name]["sdcnl"] = sdcnl(assess)
        if SPANISH.exists():
            result[name]["spanish"] = spanish(assess)
        result[name]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"{name}:")
        for part, figures in result[name].items():
            print(f"  {part}: {figures}")
    print(
        "targets: short posts <= 2 missed, <= 2 false alarms, acute >= 0.90; SDCNL AUROC >= 0.75; "
        "Spanish AUROC >= 0.80 or all not screened"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
