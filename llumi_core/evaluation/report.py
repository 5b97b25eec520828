"""The evaluation report: report.json plus a self-contained report.html with matplotlib charts.

Charts are rendered with the non-interactive Agg backend and embedded as
base64 PNGs (also written under `charts/` so they can be looked at alone).
"""

from __future__ import annotations

import base64
import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .analysis import DIMENSIONS
from .evalrun import GROUP_LABELS, GROUPS, EvalRun, summarise

COLOURS = {"gm": "#4C72B0", "human_top": "#55A868", "human_low": "#C44E52", "im": "#8172B2"}
MECHANISMS = ("emotional_reactions", "interpretations", "explorations")


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def _bars(
    summary: dict[str, Any], keys: tuple[str, ...], section: str, title: str, ylabel: str, ylim: float
) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    groups = [g for g in GROUPS if summary["groups"][g]["n"]]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.8 / max(1, len(groups))
    x = np.arange(len(keys))
    for i, g in enumerate(groups):
        stats = summary["groups"][g][section]
        means = [stats[k].get("mean", 0.0) for k in keys]
        errs = [stats[k].get("se", 0.0) for k in keys]
        label = f"{GROUP_LABELS[g]} (n={summary['groups'][g]['n']})"
        ax.bar(
            x + (i - (len(groups) - 1) / 2) * width,
            means,
            width,
            yerr=errs,
            capsize=3,
            label=label,
            color=COLOURS[g],
        )
    ax.set_xticks(x, [k.replace("_", " ") for k in keys])
    ax.set_ylim(0, ylim)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    data = _png(fig)
    plt.close(fig)
    return data


def _im_before_after(run: EvalRun, summary: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = (*DIMENSIONS, "overall")
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]})
    deltas = summary["im_delta"]["dimensions"]
    means = [deltas[k].get("mean", 0.0) for k in keys]
    errs = [deltas[k].get("se", 0.0) for k in keys]
    colours = ["#55A868" if m >= 0 else "#C44E52" for m in means]
    ax.bar(range(len(keys)), means, yerr=errs, capsize=3, color=colours)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(keys)), [k.replace("_", " ") for k in keys], rotation=20)
    ax.set_ylabel("IM score − original score (mean ± SE)")
    ax.set_title(f"IM before → after, per dimension (pairs={summary['im_delta']['pairs']})")
    ax.grid(axis="y", alpha=0.3)
    pairs = [r for r in run.items if "im" in r["scores"] and "human_low" in r["scores"]]
    for r in pairs:
        ax2.plot(
            [0, 1],
            [r["scores"]["human_low"]["overall"], r["scores"]["im"]["overall"]],
            color="#8172B2",
            alpha=0.5,
            marker="o",
        )
    ax2.set_xticks([0, 1], ["original (low-voted)", "IM improved"])
    ax2.set_xlim(-0.3, 1.3)
    ax2.set_ylim(0, 1)
    ax2.set_ylabel("overall score (mean of five)")
    ax2.set_title("each reply, before and after")
    ax2.grid(axis="y", alpha=0.3)
    data = _png(fig)
    plt.close(fig)
    return data


def _distributions(run: EvalRun) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    groups = [g for g in GROUPS if any(g in r["scores"] for r in run.items)]
    values = [[r["scores"][g]["overall"] for r in run.items if g in r["scores"]] for g in groups]
    box = ax.boxplot(values, patch_artist=True)
    for patch, g in zip(box["boxes"], groups, strict=True):
        patch.set_facecolor(COLOURS[g])
        patch.set_alpha(0.6)
    ax.set_xticks(
        range(1, len(groups) + 1), [GROUP_LABELS[g].replace(" (", "\n(") for g in groups], fontsize=8
    )
    ax.set_ylim(0, 1)
    ax.set_ylabel("overall score")
    ax.set_title("distribution of overall scores")
    ax.grid(axis="y", alpha=0.3)
    sims = [r["im_similarity"] for r in run.items if "im_similarity" in r]
    bins = [i / 10 for i in range(11)]
    ax2.hist(
        [s["content_similarity"] for s in sims],
        bins=bins,
        alpha=0.6,
        label="content similarity (TF-IDF cosine)",
        color="#4C72B0",
    )
    ax2.hist(
        [s["kept_words"] for s in sims],
        bins=bins,
        alpha=0.6,
        label="writer's words kept (in order)",
        color="#DD8452",
    )
    ax2.set_xlim(0, 1)
    ax2.set_xlabel("0 = the IM replaced the writer, 1 = unchanged")
    ax2.set_ylabel("replies")
    ax2.set_title(f"IM meaning preservation (n={len(sims)})")
    ax2.legend(fontsize=8)
    data = _png(fig)
    plt.close(fig)
    return data


def charts(run: EvalRun, summary: dict[str, Any]) -> dict[str, bytes]:
    """name -> PNG bytes."""
    return {
        "dimensions": _bars(
            summary,
            (*DIMENSIONS, "overall"),
            "dimensions",
            "Five dimensions by source (mean ± SE)",
            "score (0–1)",
            1.0,
        ),
        "empathy": _bars(
            summary,
            MECHANISMS,
            "empathy_mechanisms",
            "EPITOME empathy mechanisms by source",
            "level (0–2)",
            2.0,
        ),
        "im_before_after": _im_before_after(run, summary),
        "distributions": _distributions(run),
    }


def _table(summary: dict[str, Any]) -> str:
    keys = (*DIMENSIONS, "overall")
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    rows = []
    for g in GROUPS:
        s = summary["groups"][g]
        if not s["n"]:
            continue
        cells = "".join(f"<td>{s['dimensions'][k].get('mean', 0):.3f}</td>" for k in keys)
        rows.append(f"<tr><th>{html.escape(s['label'])}</th><td>{s['n']}</td>{cells}</tr>")
    return f"<table><tr><th>source</th><th>n</th>{head}</tr>{''.join(rows)}</table>"


def _items_table(run: EvalRun, with_text: bool) -> str:
    rows = []
    for r in run.items:
        cells = "".join(
            f"<td>{r['scores'][g]['overall']:.2f}</td>" if g in r["scores"] else "<td>–</td>" for g in GROUPS
        )
        sim = r.get("im_similarity", {})
        sim_cell = f"{sim['content_similarity']:.2f} / {sim['kept_words']:.2f}" if sim else "–"
        text = ""
        if with_text:
            parts = [f"<b>post</b>: {html.escape(r['post'][:400])}"]
            parts += [
                f"<b>{html.escape(GROUP_LABELS[g])}</b>: {html.escape(r['texts'][g][:600])}"
                for g in GROUPS
                if g in r["texts"]
            ]
            text = f"<details><summary>texts</summary><p>{'</p><p>'.join(parts)}</p></details>"
        rows.append(f"<tr><td>{html.escape(str(r['id']))}{text}</td>{cells}<td>{sim_cell}</td></tr>")
    head = "".join(f"<th>{html.escape(GROUP_LABELS[g])}</th>" for g in GROUPS)
    return f"<table><tr><th>post</th>{head}<th>IM similarity<br>(content / kept)</th></tr>{''.join(rows)}</table>"


_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}
details p{text-align:left;max-width:900px;white-space:pre-wrap}.note{color:#555;font-size:14px}"""


def _preference_line(summary: dict[str, Any], meta: dict[str, Any]) -> str:
    """The community preference score per source, with the figure that says how far to trust it."""
    means = [
        f"{html.escape(g['label'])} {g['preference']['mean']:.2f}"
        for g in summary["groups"].values()
        if g.get("preference", {}).get("n")
    ]
    if not means:
        return "<p>No community preference score: the sentence encoder is not installed.</p>"
    agreement = (meta.get("preference_validation") or {}).get("pairwise_agreement", {}).get("micro")
    trust = f" (it agrees with held-out community votes on {agreement:.0%} of pairs)" if agreement else ""
    return f"<p>Community preference score, 0–1{trust}: {'; '.join(means)}.</p>"


def write_report(run: EvalRun, out: Path, meta: dict[str, Any], *, with_text: bool = True) -> dict[str, Any]:
    """Write report.json, report.html and charts/*.png into `out`; returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    summary = summarise(run)
    images = charts(run, summary)
    (out / "charts").mkdir(exist_ok=True)
    for name, png in images.items():
        (out / "charts" / f"{name}.png").write_bytes(png)
    meta = {**meta, "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    items = (
        run.items
        if with_text
        else [{k: v for k, v in r.items() if k not in ("texts", "post")} for r in run.items]
    )
    (out / "report.json").write_text(
        json.dumps({"meta": meta, "summary": summary, "items": items}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    sim = summary["im_similarity"]
    imgs = "".join(
        f'<h2>{html.escape(title)}</h2><img alt="{name}" src="data:image/png;base64,{base64.b64encode(images[name]).decode()}">'
        for name, title in (
            ("dimensions", "Five dimensions by source"),
            ("empathy", "Empathy (EPITOME mechanisms)"),
            ("im_before_after", "Improvement model: before and after"),
            ("distributions", "Distributions and meaning preservation"),
        )
    )
    meta_rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in meta.items()
    )
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LLUMI evaluation</title><style>{_CSS}</style></head><body>
<h1>LLUMI evaluation report</h1>
<p class="note">{summary["posts"]} posts, {summary["errors"]} failed generations, {summary["seconds"]:.0f} s.
Scores are 0–1 per dimension (higher is better), from <code>llumi analyze</code>: readability (Flesch), empathy
(EPITOME mechanisms, a head fitted on expert labels), connection, actionability, safety (output checks).
These are text measures, not a judgement by the community: read the replies too.</p>
<table>{meta_rows}</table>
<h2>Mean scores</h2>{_table(summary)}
{_preference_line(summary, meta)}
<p>IM meaning preservation: content similarity mean {sim["content_similarity"].get("mean", 0):.2f}
(min {sim["content_similarity"].get("min", 0):.2f}); writer's words kept mean {sim["kept_words"].get("mean", 0):.2f}.
Low values mean the "improvement" replaced what the writer said.</p>
{imgs}
<h2>Per post</h2>{_items_table(run, with_text)}
</body></html>"""
    (out / "report.html").write_text(page, encoding="utf-8")
    return summary
