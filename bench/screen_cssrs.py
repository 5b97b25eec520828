"""Measure the risk screen on clinician-labelled Reddit users (C-SSRS, Gaur et al. 2019, CC BY 4.0).

    python bench/screen_cssrs.py                 # through `llumi screen --jsonl` (the real path)
    python bench/screen_cssrs.py --direct        # call RiskScreen in-process (development)
    python bench/screen_cssrs.py --fit           # fit the logistic layer; report 5-fold-by-user CV
    python bench/screen_cssrs.py --fit --write   # ... and write llumi_core/safety/screen_weights.json

Each user's risk is the highest score across their posts. Positives are
Ideation, Behavior and Attempt users; negatives are Supportive and Indicator.
Printed: AUROC, recall of Behavior+Attempt at level >= elevated, the share of
Supportive users flagged, and the same for the "flag everyone" baseline.
The data is read from ../shared/eval/cssrs (never copied into the repository).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "cssrs" / "cssrs_reddit_500.csv"
RESULTS = ROOT / "bench" / "results" / "screen_cssrs.json"
WEIGHTS = ROOT / "llumi_core" / "safety" / "screen_weights.json"
POSITIVE = {"Ideation", "Behavior", "Attempt"}
NEGATIVE = {"Supportive", "Indicator"}
LEVEL_RANK = {"none": 0, "elevated": 1, "acute": 2}
FLOORS: dict[str, float] = {}
_UNUSED_FLOORS = {
    "explicit intent": 2.0,
    "plan": 1.0,
    "goodbye/finality": 1.0,
    "passive ideation": 1.0,
    "recent attempt": 1.0,
    "self-harm": 0.8,
    "third-person concern": 0.5,
}
TARGET_RECALL = float(os.environ.get("SCREEN_TARGET_RECALL", "0.97"))


@dataclass(frozen=True, slots=True)
class User:
    id: str
    label: str
    posts: tuple[str, ...]


def parse_posts(cell: str) -> tuple[str, ...]:
    """The Post column is a Python list literal; some cells were cut at 32,759 chars by a spreadsheet."""
    try:
        value = ast.literal_eval(cell)
        return tuple(str(p) for p in value)
    except (ValueError, SyntaxError):
        pass
    for sep in ("', '", "', \"", "\", '", '", "'):
        cut = cell.rfind(sep)
        while cut > 0:
            try:
                return tuple(str(p) for p in ast.literal_eval(cell[: cut + 1] + "]"))
            except (ValueError, SyntaxError):
                cut = cell.rfind(sep, 0, cut)
    return (cell.strip("[]'\""),)


def load_users(path: Path) -> list[User]:
    with path.open(encoding="utf-8", newline="") as f:
        return [User(row["User"], row["Label"], parse_posts(row["Post"])) for row in csv.DictReader(f)]


# --- metrics -------------------------------------------------------------------------------------


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Mann-Whitney AUROC with ties counted half."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    wins = 0.0
    for p in pos:
        for n in neg:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(pos) * len(neg))


def summarise(users: Sequence[User], score: dict[str, float], level: dict[str, str]) -> dict[str, object]:
    kept = [u for u in users if u.label in POSITIVE | NEGATIVE]
    y = [1 if u.label in POSITIVE else 0 for u in kept]
    flagged = {u.id: LEVEL_RANK[level[u.id]] >= 1 for u in kept}
    ba = [u for u in kept if u.label in {"Behavior", "Attempt"}]
    sup = [u for u in kept if u.label == "Supportive"]
    by_label: dict[str, dict[str, float]] = {}
    for lab in ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt"):
        group = [u for u in kept if u.label == lab]
        if group:
            by_label[lab] = {
                "users": len(group),
                "flagged": round(sum(flagged[u.id] for u in group) / len(group), 3),
                "acute": round(sum(level[u.id] == "acute" for u in group) / len(group), 3),
            }
    tp = sum(flagged[u.id] for u in kept if u.label in POSITIVE)
    fp = sum(flagged[u.id] for u in kept if u.label in NEGATIVE)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / sum(y) if sum(y) else 0.0
    return {
        "users": len(kept),
        "auroc": round(auroc([score[u.id] for u in kept], y), 4),
        "recall_behavior_attempt": round(sum(flagged[u.id] for u in ba) / len(ba), 4) if ba else None,
        "supportive_flagged": round(sum(flagged[u.id] for u in sup) / len(sup), 4) if sup else None,
        "precision_flagged": round(precision, 4),
        "recall_flagged": round(recall, 4),
        "f1_flagged": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "by_label": by_label,
    }


def baseline(users: Sequence[User]) -> dict[str, object]:
    """Flag everyone, all with the same score: AUROC 0.5, recall 1, every Supportive user flagged."""
    return summarise(users, {u.id: 1.0 for u in users}, {u.id: "elevated" for u in users})


# --- running the screen --------------------------------------------------------------------------


def run_cli(users: Sequence[User]) -> tuple[dict[str, float], dict[str, str], int, float]:
    """Screen every post through `llumi screen --jsonl` (a subprocess, as a user would run it)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "posts.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for u in users:
                for i, post in enumerate(u.posts):
                    f.write(json.dumps({"id": f"{u.id}\t{i}", "text": post}) + "\n")
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "bot.cli", "screen", "--jsonl", str(src)],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"llumi screen failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    score: dict[str, float] = {}
    level: dict[str, str] = {}
    n = 0
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        uid = str(row["id"]).split("\t")[0]
        n += 1
        _take_max(score, level, uid, float(row["score"]), str(row["level"]))
    return score, level, n, elapsed


def run_direct(users: Sequence[User]) -> tuple[dict[str, float], dict[str, str], int, float]:
    from llumi_core.safety.screen import RiskScreen

    screen = RiskScreen()
    score: dict[str, float] = {}
    level: dict[str, str] = {}
    n = 0
    started = time.perf_counter()
    for u in users:
        for post in u.posts:
            a = screen.assess(post)
            n += 1
            _take_max(score, level, u.id, a.score, str(a.level))
    return score, level, n, time.perf_counter() - started


def _take_max(score: dict[str, float], level: dict[str, str], uid: str, s: float, lev: str) -> None:
    if uid not in score or s > score[uid]:
        score[uid] = s
    if uid not in level or LEVEL_RANK[lev] > LEVEL_RANK[level[uid]]:
        level[uid] = lev


# --- fitting the logistic layer (multiple-instance: a user's score is their highest post) ----------


def _post_features(users: Sequence[User]) -> dict[str, list[list[float]]]:
    from llumi_core.safety.screen import FEATURES, text_features

    out: dict[str, list[list[float]]] = {}
    for u in users:
        rows = [text_features(p) for p in u.posts] or [text_features("")]
        out[u.id] = [[f[k] for k in FEATURES] for f in rows]
    return out


def fit(
    users: Sequence[User],
    feats: dict[str, list[list[float]]],
    l2: float = 0.01,
    steps: int = 1500,
    nonneg_features: Sequence[bool] | None = None,
):
    """Logistic regression on a soft maximum of each user's post logits (multiple-instance), numpy + Adam.

    Signal weights are kept >= 0 (a signal may only raise risk, which keeps reasons honest);
    the post-voice features may take either sign.
    """
    import numpy as np

    from llumi_core.safety.screen import FEATURES, SIGNALS

    kept = [u for u in users if u.label in POSITIVE | NEGATIVE]
    x = np.asarray([row for u in kept for row in feats[u.id]], dtype=float)
    seg = np.repeat(np.arange(len(kept)), [len(feats[u.id]) for u in kept])
    starts = np.r_[0, np.cumsum([len(feats[u.id]) for u in kept])[:-1]]
    y = np.asarray([1.0 if u.label in POSITIVE else 0.0 for u in kept])
    if nonneg_features is None:
        nonneg_features = [f in SIGNALS for f in FEATURES]
        # Clinical prior: signals too rare in this data to be learned still weigh at least this much.
        floor = np.asarray([FLOORS.get(f, 0.0) for f in FEATURES])
    else:
        floor = np.zeros(len(nonneg_features))
    nonneg = np.asarray(nonneg_features)
    d = x.shape[1]
    theta = np.zeros(d + 1)
    theta[-1] = -2.0
    m_t = np.zeros_like(theta)
    v_t = np.zeros_like(theta)
    sharp = 3.0
    for t in range(1, steps + 1):
        z = x @ theta[:-1] + theta[-1]
        zmax = np.maximum.reduceat(z, starts)
        e = np.exp(sharp * (z - zmax[seg]))
        tot = np.add.reduceat(e, starts)
        soft = zmax + np.log(tot) / sharp
        att = e / tot[seg]
        p = 1.0 / (1.0 + np.exp(-soft))
        g_user = (p - y) / len(kept)
        g_post = g_user[seg] * att
        grad = np.r_[x.T @ g_post + l2 * theta[:-1], g_post.sum()]
        m_t = 0.9 * m_t + 0.1 * grad
        v_t = 0.999 * v_t + 0.001 * grad**2
        theta -= 0.05 * (m_t / (1 - 0.9**t)) / (np.sqrt(v_t / (1 - 0.999**t)) + 1e-8)
        theta[:-1][nonneg] = np.maximum(theta[:-1][nonneg], floor[nonneg])
    return theta[:-1], theta[-1]


def cross_validate(users: Sequence[User], feats, folds: int = 5, seed: int = 13) -> dict[str, object]:
    """5-fold by user: fit on four folds, score the fifth; report the pooled out-of-fold figures."""
    from llumi_core.safety.screen import FEATURES, RiskScreen

    kept = [u for u in users if u.label in POSITIVE | NEGATIVE]
    order = kept[:]
    random.Random(seed).shuffle(order)
    score: dict[str, float] = {}
    level: dict[str, str] = {}
    base = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    for k in range(folds):
        test = order[k::folds]
        test_ids = {u.id for u in test}
        train = [u for u in order if u.id not in test_ids]
        w, b = fit(train, feats)
        weights = dict(base, bias=float(b), coef={s: float(v) for s, v in zip(FEATURES, w, strict=True)})
        weights["elevated_threshold"] = _threshold(train, feats, w, b)
        screen = RiskScreen(weights)
        for u in test:
            for post_x in feats[u.id]:
                f = dict(zip(FEATURES, post_x, strict=True))
                s = screen.score(f)
                _take_max(score, level, u.id, s, str(screen.level(s, f)))
    return summarise(kept, score, level)


def _threshold(train: Sequence[User], feats, w, b, target_recall: float = TARGET_RECALL) -> float:
    """The highest threshold that still flags `target_recall` of the training Behavior+Attempt users."""
    import numpy as np

    user_max = []
    for u in train:
        if u.label in {"Behavior", "Attempt"}:
            z = np.asarray(feats[u.id]) @ w + b
            user_max.append(float(1 / (1 + np.exp(-z.max()))))
    user_max.sort()
    idx = int(np.floor((1 - target_recall) * len(user_max)))
    # A post with no risk signal at all is never flagged, whatever a small fold's quantile says.
    no_signal = float(1 / (1 + np.exp(-b)))
    return max(no_signal + 0.01, user_max[idx] - 1e-6)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--direct", action="store_true", help="call RiskScreen in-process instead of the CLI")
    parser.add_argument("--fit", action="store_true", help="fit the logistic layer and report 5-fold CV")
    parser.add_argument("--write", action="store_true", help="with --fit: write the weights file")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"C-SSRS data not found at {args.data}; nothing to measure", file=sys.stderr)
        return 2
    users = load_users(args.data)
    if args.fit:
        return _fit_main(users, args.write)
    score, level, n_posts, elapsed = run_direct(users) if args.direct else run_cli(users)
    result = {
        "data": str(args.data.name),
        "path": "direct" if args.direct else "llumi screen --jsonl",
        "posts": n_posts,
        "seconds": round(elapsed, 2),
        "posts_per_second": round(n_posts / elapsed, 1) if elapsed else None,
        "screen": summarise(users, score, level),
        "flag_everyone": baseline(users),
        "targets": {"auroc": 0.80, "recall_behavior_attempt": 0.95, "supportive_flagged_max": 0.35},
    }
    cv_file = args.out.with_name("screen_cssrs_cv.json")
    if cv_file.exists():
        result["cross_validated"] = json.loads(cv_file.read_text(encoding="utf-8"))
    _print(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ok = (
        result["screen"]["auroc"] >= 0.80
        and result["screen"]["recall_behavior_attempt"] >= 0.95
        and result["screen"]["supportive_flagged"] <= 0.35
    )
    return 0 if ok else 1


def _fit_main(users: Sequence[User], write: bool) -> int:
    from llumi_core.safety.screen import FEATURES

    feats = _post_features(users)
    cv = cross_validate(users, feats)
    print("5-fold-by-user cross-validated (the honest figure):")
    _print_block(cv)
    w, b = fit(users, feats)
    thr = _threshold([u for u in users if u.label in POSITIVE | NEGATIVE], feats, w, b)
    print(
        "weights:",
        {s: round(float(v), 3) for s, v in zip(FEATURES, w, strict=True)},
        "bias",
        round(float(b), 3),
    )
    print("elevated threshold:", round(thr, 4))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.with_name("screen_cssrs_cv.json").write_text(json.dumps(cv, indent=2) + "\n", encoding="utf-8")
    if write:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        data.update(
            version=f"fitted-{time.strftime('%Y-%m-%d')}",
            note=(
                "Logistic layer over the screen's signal features, fitted by bench/screen_cssrs.py --fit "
                "on the C-SSRS Reddit data: Gaur et al., 'Knowledge-aware Assessment of Severity of Suicide "
                "Risk for Early Intervention', WWW 2019, doi 10.5281/zenodo.2667859, CC BY 4.0. "
                "Only these learned numbers are shipped, never the data."
            ),
            bias=round(float(b), 4),
            coef={s: round(float(v), 4) for s, v in zip(FEATURES, w, strict=True)},
            elevated_threshold=round(thr, 4),
        )
        WEIGHTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


def _print_block(s: dict[str, object]) -> None:
    print(
        f"  AUROC {s['auroc']:.3f} | Behavior+Attempt recall at >= elevated {s['recall_behavior_attempt']:.3f} "
        f"| Supportive flagged {s['supportive_flagged']:.3f} | P {s['precision_flagged']:.3f} "
        f"R {s['recall_flagged']:.3f} F1 {s['f1_flagged']:.3f}"
    )
    for lab, v in s["by_label"].items():  # type: ignore[union-attr]
        print(f"    {lab:<10} n={v['users']:>3}  flagged {v['flagged']:.2f}  acute {v['acute']:.2f}")


def _print(result: dict[str, object]) -> None:
    print(f"C-SSRS users: {result['screen']['users']}  posts: {result['posts']}  via {result['path']}")  # type: ignore[index]
    print(f"  {result['posts_per_second']} posts/s")
    print("screen:")
    _print_block(result["screen"])  # type: ignore[arg-type]
    print("flag-everyone baseline:")
    _print_block(result["flag_everyone"])  # type: ignore[arg-type]
    if "cross_validated" in result:
        print("5-fold-by-user cross-validated (learned layer refit per fold):")
        _print_block(result["cross_validated"])  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
