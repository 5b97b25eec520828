"""`llumi models compare`'s statistics: the paired bootstrap and the side-by-side summary."""

from __future__ import annotations

from typing import Any

import numpy as np

from llumi_core.evaluation.compare import Compared, bootstrap_ci, examples, markdown, summarise_compare
from llumi_core.evaluation.evalrun import EvalRun


def test_bootstrap_is_seeded_and_brackets_the_mean() -> None:
    rng = np.random.default_rng(1)
    deltas = list(rng.normal(0.1, 0.2, size=60))
    ci = bootstrap_ci(deltas, seed=3)
    assert ci == bootstrap_ci(deltas, seed=3)  # repeatable
    assert ci["n"] == 60 and ci["ci_low"] < ci["mean"] < ci["ci_high"]
    # close to the normal-theory interval mean ± 1.96 se
    se = float(np.std(deltas, ddof=1)) / 60**0.5
    assert abs((ci["ci_high"] - ci["ci_low"]) - 2 * 1.96 * se) < 0.25 * 2 * 1.96 * se


def test_bootstrap_edge_cases() -> None:
    assert bootstrap_ci([]) == {"n": 0}
    assert bootstrap_ci([0.25]) == {"n": 1, "mean": 0.25, "ci_low": 0.25, "ci_high": 0.25}
    assert bootstrap_ci([0.0, float("nan"), 0.0])["n"] == 2  # a missing score is left out


def _run(scores: list[dict[str, Any]]) -> EvalRun:
    items = [
        {"id": str(i), "post": f"post {i}", "texts": {"gm": f"draft {i}"}, "scores": {"gm": s}}
        for i, s in enumerate(scores)
    ]
    return EvalRun(items=items)


def test_summary_pairs_posts_and_reports_b_minus_a() -> None:
    a = _run([{"overall": 0.5, "safety": 1.0, "preference": 0.4} for _ in range(5)])
    b = _run([{"overall": 0.6, "safety": 1.0, "preference": 0.3} for _ in range(5)])
    b.items.pop(0)  # a post B failed on is left out of every pair
    summary = summarise_compare(Compared("base", "tuned", (a, b)))
    gm = summary["gm"]
    assert gm["overall"]["delta"] == {"n": 4, "mean": 0.1, "ci_low": 0.1, "ci_high": 0.1}
    assert gm["preference"]["delta"]["mean"] == -0.1 and gm["safety"]["delta"]["mean"] == 0.0
    assert summary["im"] == {}
    picked = examples(Compared("base", "tuned", (a, b)), k=2)
    assert [p["id"] for p in picked] == ["1", "2"] and picked[0]["tuned"]["draft"] == "draft 1"
    report = {
        "models": {"a": "base", "b": "tuned"},
        "posts": 5,
        "meta": {},
        "groups": summary,
        "examples": [],
    }
    assert "| preference | 0.400 | 0.300 | -0.100 [-0.100, -0.100] |" in markdown(report)
