"""EPITOME empathy: emotional reactions, interpretations, explorations, each 0–2.

A small learned head per mechanism: ridge regression over interpretable cue
counts plus hashed unigrams/bigrams of the response (see `features`). The
shipped parameters (`empathy_head.json`) were fitted on the EPITOME Reddit
data (Sharma, Miner, Atkins, Althoff, "A Computational Approach to
Understanding Empathy Expressed in Text-Based Mental Health Support",
EMNLP 2020; research use). The data itself is not shipped. Refit with
`python bench/empathy_epitome.py --write`.

Run time is numpy-only: one sparse dot product per mechanism.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .features import CUE_NAMES, N_BUCKETS, design_matrix, design_row

log = logging.getLogger(__name__)

MECHANISMS = ("emotional_reactions", "interpretations", "explorations")
HEAD_FILE = Path(__file__).with_name("empathy_head.json")
ATTRIBUTION = (
    "Fitted on EPITOME (Sharma, Miner, Atkins, Althoff, EMNLP 2020; Reddit empathy labels, research use). "
    "Parameters only; no data is included."
)
CUE_SCALE = 0.3  # cues are standardised, then shrunk so the n-grams are not drowned out
RIDGE_LAMBDA = 1.0

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LinearHead:
    """Prediction = clip(cue_part + ngram_part + bias, 0, 2)."""

    cue_mean: Array
    cue_std: Array
    cue_w: Array
    ngram_w: Array
    bias: float

    def predict_row(self, dense: Array, sparse: dict[int, float]) -> float:
        z = (dense - self.cue_mean) / self.cue_std * CUE_SCALE
        value = float(z @ self.cue_w) + self.bias
        value += sum(self.ngram_w[b] * v for b, v in sparse.items())
        return float(min(2.0, max(0.0, value)))


def _standardise(x: Array) -> tuple[Array, Array]:
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-6
    mean[0], std[0] = 0.0, 1.0  # the bias column stays a constant 1
    return mean, std


def fit_head(x: Array, y: Array, lam: float = RIDGE_LAMBDA) -> LinearHead:
    """Ridge regression in its dual form: n (~2k) is far smaller than the feature count (~8k)."""
    nc = len(CUE_NAMES)
    mean, std = _standardise(x[:, :nc])
    xs = x.copy()
    xs[:, :nc] = (x[:, :nc] - mean) / std * CUE_SCALE
    bias = float(y.mean())
    gram = xs @ xs.T
    alpha = np.linalg.solve(gram + lam * np.eye(len(y)), y - bias)
    w = xs.T @ alpha
    return LinearHead(mean, std, w[:nc], w[nc:], bias)


def predict_matrix(head: LinearHead, x: Array) -> Array:
    nc = len(CUE_NAMES)
    z = (x[:, :nc] - head.cue_mean) / head.cue_std * CUE_SCALE
    out = z @ head.cue_w + x[:, nc:] @ head.ngram_w + head.bias
    return np.clip(out, 0.0, 2.0)


def rank(values: Array) -> Array:
    """Ranks with ties averaged (as Spearman needs)."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_vals = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0
        i = j + 1
    return ranks


def spearman(a: Sequence[float] | Array, b: Sequence[float] | Array) -> float:
    """Spearman's rho (Pearson on tie-averaged ranks); 0.0 when either side is constant."""
    ra, rb = rank(np.asarray(a, dtype=np.float64)), rank(np.asarray(b, dtype=np.float64))
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def cross_validate(texts: Sequence[str], labels: Sequence[float], k: int = 5, seed: int = 0) -> Array:
    """Out-of-fold predictions (k-fold): the honest estimate of how the head does on unseen rows."""
    x = design_matrix(texts)
    y = np.asarray(labels, dtype=np.float64)
    folds = np.random.default_rng(seed).permutation(len(y)) % k
    pred = np.zeros(len(y))
    for fold in range(k):
        train, test = folds != fold, folds == fold
        pred[test] = predict_matrix(fit_head(x[train], y[train]), x[test])
    return pred


def head_to_json(heads: dict[str, LinearHead], metrics: dict[str, Any]) -> dict[str, Any]:
    def r(a: Array) -> list[float]:
        return [round(float(v), 5) for v in a]

    return {
        "format": "llumi-empathy-head/1",
        "attribution": ATTRIBUTION,
        "n_buckets": N_BUCKETS,
        "cues": list(CUE_NAMES),
        "cue_scale": CUE_SCALE,
        "ridge_lambda": RIDGE_LAMBDA,
        "metrics": metrics,
        "heads": {
            name: {
                "cue_mean": r(h.cue_mean),
                "cue_std": r(h.cue_std),
                "cue_w": r(h.cue_w),
                "ngram_w": r(h.ngram_w),
                "bias": round(h.bias, 6),
            }
            for name, h in heads.items()
        },
    }


@lru_cache(maxsize=2)
def load_heads(path: Path = HEAD_FILE) -> dict[str, LinearHead]:
    """Read the shipped parameters once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("n_buckets") != N_BUCKETS or data.get("cues") != list(CUE_NAMES):
        raise ValueError(f"{path}: made for other features; refit with bench/empathy_epitome.py --write")
    heads: dict[str, LinearHead] = {}
    for name, h in data["heads"].items():
        heads[name] = LinearHead(
            np.asarray(h["cue_mean"], dtype=np.float64),
            np.asarray(h["cue_std"], dtype=np.float64),
            np.asarray(h["cue_w"], dtype=np.float64),
            np.asarray(h["ngram_w"], dtype=np.float64),
            float(h["bias"]),
        )
    return heads


def empathy_levels(response: str) -> dict[str, float]:
    """EPITOME levels (0–2 floats) of one response, by mechanism."""
    heads = load_heads()
    dense, sparse = design_row(response)
    return {m: round(heads[m].predict_row(dense, sparse), 3) for m in MECHANISMS}
