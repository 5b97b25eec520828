"""`llumi models compare A B`: two `llumi eval` runs on the same test posts, side by side.

Each model's run is an ordinary `EvalRun` (`evalrun.run_eval`); this module adds the
community preference score to every reply, pairs the two runs post by post, and reports
B − A per dimension with a bootstrap 95 % confidence interval (paired by post: posts are
resampled with replacement, seeded, `RESAMPLES` times). Nothing here logs text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .analysis import DIMENSIONS
from .evalrun import EvalRun
from .preference import PreferenceModel

RESAMPLES = 1000
COMPARED = ("gm", "im")  # the model's own replies; the human answers are the same in both runs
MEASURES = ("preference", *DIMENSIONS, "overall")
EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Compared:
    a: str
    b: str
    runs: tuple[EvalRun, EvalRun]


def bootstrap_ci(
    deltas: Sequence[float], *, resamples: int = RESAMPLES, seed: int = 0, level: float = 0.95
) -> dict[str, float]:
    """Mean of `deltas` and its percentile bootstrap interval (`n` 0: no interval)."""
    values = np.asarray([d for d in deltas if np.isfinite(d)], dtype=np.float64)
    if values.size == 0:
        return {"n": 0}
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, values.size, size=(resamples, values.size))].mean(axis=1)
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return {
        "n": int(values.size),
        "mean": round(float(values.mean()), 4),
        "ci_low": round(float(low), 4),
        "ci_high": round(float(high), 4),
    }


def add_preference(run: EvalRun, model: PreferenceModel | None) -> None:
    """Put the community preference score (and its findings) next to each reply's five dimensions."""
    if model is None:
        return
    for record in run.items:
        for group, text in record["texts"].items():
            allowed = (
                [record["texts"]["human_low"]] if group == "im" and "human_low" in record["texts"] else []
            )
            pref = model.score(record["post"], [text], allowed=allowed)[0]
            record["scores"][group]["preference"] = pref.score
            record["scores"][group]["preference_findings"] = list(pref.findings)


def _paired(a: EvalRun, b: EvalRun, group: str, measure: str) -> tuple[list[float], list[float]]:
    by_id = {r["id"]: r for r in b.items}
    xs, ys = [], []
    for ra in a.items:
        rb = by_id.get(ra["id"])
        sa, sb = ra["scores"].get(group, {}), (rb or {}).get("scores", {}).get(group, {})
        if measure in sa and measure in sb:
            xs.append(float(sa[measure]))
            ys.append(float(sb[measure]))
    return xs, ys


def summarise_compare(c: Compared, *, seed: int = 0) -> dict[str, Any]:
    """Per group (GM drafts, IM improvements) and measure: mean of A, of B, and B − A with its CI."""
    out: dict[str, Any] = {}
    for group in COMPARED:
        rows = {}
        for measure in MEASURES:
            xs, ys = _paired(*c.runs, group, measure)
            if not xs:
                continue
            rows[measure] = {
                "a": round(float(np.mean(xs)), 4),
                "b": round(float(np.mean(ys)), 4),
                "delta": bootstrap_ci([y - x for x, y in zip(xs, ys, strict=True)], seed=seed),
            }
        out[group] = rows
    return out


def examples(c: Compared, k: int = EXAMPLES) -> list[dict[str, Any]]:
    """The first `k` posts with a GM draft from both models, with their scores."""
    by_id = {r["id"]: r for r in c.runs[1].items}
    picked = []
    for ra in c.runs[0].items:
        rb = by_id.get(ra["id"])
        if rb is None or "gm" not in ra["texts"] or "gm" not in rb["texts"]:
            continue
        picked.append(
            {
                "id": ra["id"],
                "post": ra["post"],
                c.a: {"draft": ra["texts"]["gm"], "scores": ra["scores"]["gm"]},
                c.b: {"draft": rb["texts"]["gm"], "scores": rb["scores"]["gm"]},
            }
        )
        if len(picked) == k:
            break
    return picked


def write_compare_report(
    c: Compared, out: Path, meta: dict[str, Any], *, with_text: bool = True, seed: int = 0
) -> dict[str, Any]:
    """Write `out/report.json` and `out/report.md`; returns the JSON object."""
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "meta": {**meta, "generated_at": datetime.now(UTC).isoformat(timespec="seconds")},
        "models": {"a": c.a, "b": c.b},
        "posts": len(c.runs[0].items),
        "errors": {c.a: c.runs[0].errors, c.b: c.runs[1].errors},
        "seconds": {c.a: round(c.runs[0].seconds, 1), c.b: round(c.runs[1].seconds, 1)},
        "bootstrap": {"resamples": RESAMPLES, "seed": seed, "level": 0.95, "paired_by": "post"},
        "groups": summarise_compare(c, seed=seed),
        "examples": examples(c) if with_text else [],
    }
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    return report


_GROUP_TITLES = {"gm": "GM drafts", "im": "IM improvements of the low-voted human answer"}


def markdown(report: dict[str, Any]) -> str:
    a, b = report["models"]["a"], report["models"]["b"]
    lines = [
        f"# {b} vs {a}",
        "",
        f"{report['posts']} posts of the held-out {report['meta'].get('split', 'test')} split. "
        f"Delta = {b} − {a}, with a paired bootstrap 95 % interval ({RESAMPLES} resamples of the posts). "
        "An interval that contains 0 is no evidence of a difference.",
    ]
    validation = report["meta"].get("preference_validation")
    if validation:
        lines += ["", f"Preference model validation: {json.dumps(validation, ensure_ascii=False)}"]
    for group, rows in report["groups"].items():
        lines += ["", f"## {_GROUP_TITLES[group]}", "", f"| measure | {a} | {b} | delta [95 % CI] |"]
        lines.append("|---|---|---|---|")
        for measure, row in rows.items():
            d = row["delta"]
            lines.append(
                f"| {measure} | {row['a']:.3f} | {row['b']:.3f} | "
                f"{d['mean']:+.3f} [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}] |"
            )
    for ex in report["examples"]:
        lines += ["", f"## Example: post {ex['id']}", "", _quote(ex["post"][:600])]
        for name in (a, b):
            scores = ex[name]["scores"]
            label = "preference" if "preference" in scores else "overall"
            lines += ["", f"**{name}** ({label} {scores[label]:.2f}):", "", _quote(ex[name]["draft"])]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines() or [""])
