"""`llumi eval`'s engine: GM drafts and IM improvements of human answers, analysed on five dimensions.

The model calls come in as two async callables (GM: post → reply; IM: post +
human reply → improved reply), so this module needs no storage and no
platform: the CLI wires them to `DraftService`.
"""

from __future__ import annotations

import csv
import json
import logging
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..feedback.split import Split, assign_split
from .analysis import DIMENSIONS, analyze, overall
from .similarity import content_similarity, idf_from, kept_words

log = logging.getLogger(__name__)

GROUPS = ("gm", "human_top", "human_low", "im")
GROUP_LABELS = {
    "gm": "GM draft",
    "human_top": "Human (top-voted)",
    "human_low": "Human (low-voted)",
    "im": "IM (low-voted, improved)",
}
Generate = Callable[[str], Awaitable[str]]
Improve = Callable[[str, str], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    score: int


@dataclass(frozen=True, slots=True)
class EvalItem:
    id: str
    post: str
    top: Answer | None = None
    low: Answer | None = None
    split: Split = "test"


@dataclass
class EvalRun:
    items: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0


def load_items(path: Path, limit: int, seed: int = 0, split: Split | None = "test") -> list[EvalItem]:
    """Posts from JSONL (`{"id", "post", "answers": [{"text", "score"}]}`) or a CounselChat CSV.

    Only the posts of `split` (default: the held-out test split, which training never sees;
    a row's `split` field or column, else the hash of its id); None reads every post.
    """
    if not path.is_file():
        raise InputError(f"no such posts file: {path}")
    every = _from_csv(path) if path.suffix.lower() == ".csv" else _from_jsonl(path)
    if not every:
        raise InputError(f"{path}: no posts found")
    items = [i for i in every if split is None or i.split == split]
    if not items:
        raise InputError(f"{path}: none of its {len(every)} posts is in the {split} split")
    # Prefer posts whose answers disagree in votes: they give a top and a low human answer to compare.
    contrast = [i for i in items if i.top and i.low and i.top.score > i.low.score]
    rest = [i for i in items if i not in contrast]
    rng = random.Random(seed)
    rng.shuffle(contrast)
    rng.shuffle(rest)
    return (contrast + rest)[:limit]


def _pick(item_id: str, post: str, answers: Sequence[Answer], label: str | None = None) -> EvalItem:
    usable = sorted((a for a in answers if a.text.strip()), key=lambda a: -a.score)
    top = usable[0] if usable else None
    low = usable[-1] if len(usable) > 1 else None
    return EvalItem(item_id, post, top, low, assign_split(item_id, label))


def _from_csv(path: Path) -> list[EvalItem]:
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if not {"questionID", "questionText", "answerText", "upvotes"} <= set(reader.fieldnames or ()):
            raise InputError(
                f"{path}: a CSV must be the CounselChat export (questionID, questionText, answerText, upvotes)"
            )
        posts: dict[str, str] = {}
        answers: dict[str, list[Answer]] = {}
        labels: dict[str, str | None] = {}
        for row in reader:
            qid = row["questionID"]
            if qid not in posts:
                labels[qid] = row.get("split")
                title, body = (row.get("questionTitle") or "").strip(), (row["questionText"] or "").strip()
                posts[qid] = f"{title}\n\n{body}" if title and title not in body else body or title
                answers[qid] = []
            try:
                answers[qid].append(Answer(row["answerText"] or "", int(float(row["upvotes"] or 0))))
            except ValueError:
                continue
    return [_pick(qid, posts[qid], answers[qid], labels[qid]) for qid in posts if posts[qid]]


def _from_jsonl(path: Path) -> list[EvalItem]:
    items = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                post = row.get("post") or row.get("text")
                answers = [Answer(str(a["text"]), int(a.get("score", 0))) for a in row.get("answers", [])]
            except (json.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
                raise InputError(
                    f'{path}:{n}: expected {{"id", "post", "answers": [{{"text", "score"}}]}}'
                ) from None
            if not isinstance(post, str) or not post.strip():
                raise InputError(f"{path}:{n}: 'post' must be non-empty text")
            label = row.get("split")
            items.append(_pick(str(row.get("id", n)), post, answers, label if isinstance(label, str) else None))
    return items


def _scores(result: dict[str, Any]) -> dict[str, Any]:
    """The compact per-text record kept in report.json."""
    out: dict[str, Any] = {d: result[d]["score"] for d in DIMENSIONS}
    out["overall"] = overall(result)
    out["empathy_mechanisms"] = {
        k: result["empathy"][k] for k in ("emotional_reactions", "interpretations", "explorations")
    }
    out["flesch_reading_ease"] = result["readability"]["flesch_reading_ease"]
    out["words"] = result["readability"]["words"]
    out["safety_issues"] = result["safety"]["issues"]
    return out


async def run_eval(items: Sequence[EvalItem], gm: Generate, im: Improve, *, progress: bool = True) -> EvalRun:
    """Draft (GM) every post and improve (IM) each low-voted human answer; analyse everything."""
    from tqdm import tqdm

    run = EvalRun()
    start = time.perf_counter()
    bar = tqdm(total=len(items), desc="eval", unit="post", disable=not progress, file=sys.stderr)
    for item in items:
        record: dict[str, Any] = {"id": item.id, "post": item.post, "texts": {}, "scores": {}, "seconds": {}}
        if item.top:
            record["texts"]["human_top"], record["votes_top"] = item.top.text, item.top.score
        if item.low:
            record["texts"]["human_low"], record["votes_low"] = item.low.text, item.low.score
        await _timed(record, "gm", gm(item.post), run)
        if item.low:
            await _timed(record, "im", im(item.post, item.low.text), run)
        for group, text in record["texts"].items():
            record["scores"][group] = _scores(analyze(text, item.post))
        run.items.append(record)
        bar.update(1)
    bar.close()
    _similarities(run.items)
    run.seconds = time.perf_counter() - start
    return run


async def _timed(record: dict[str, Any], group: str, call: Awaitable[str], run: EvalRun) -> None:
    t0 = time.perf_counter()
    try:
        record["texts"][group] = await call
    except Exception as err:  # one failed generation must not lose a long run
        log.warning("eval: %s failed on one post (%s)", group, type(err).__name__)
        record.setdefault("errors", []).append(f"{group}: {type(err).__name__}")
        run.errors += 1
    record["seconds"][group] = round(time.perf_counter() - t0, 2)


def _similarities(records: list[dict[str, Any]]) -> None:
    idf = idf_from(t for r in records for t in r["texts"].values())
    for r in records:
        before, after = r["texts"].get("human_low"), r["texts"].get("im")
        if before and after:
            r["im_similarity"] = {
                "content_similarity": content_similarity(before, after, idf),
                "kept_words": kept_words(before, after),
            }


def _stats(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return {
        "n": len(values),
        "mean": round(mean, 4),
        "sd": round(sd, 4),
        "se": round(sd / len(values) ** 0.5, 4),
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def summarise(run: EvalRun) -> dict[str, Any]:
    """Per group and dimension statistics, the IM's before/after deltas, and meaning preservation."""
    groups: dict[str, Any] = {}
    for g in GROUPS:
        rows = [r["scores"][g] for r in run.items if g in r["scores"]]
        dims = {d: _stats([s[d] for s in rows]) for d in (*DIMENSIONS, "overall")}
        mechs = {
            m: _stats([s["empathy_mechanisms"][m] for s in rows])
            for m in ("emotional_reactions", "interpretations", "explorations")
        }
        groups[g] = {
            "label": GROUP_LABELS[g],
            "n": len(rows),
            "dimensions": dims,
            "empathy_mechanisms": mechs,
            # The community preference score, when `compare.add_preference` put it on the replies.
            "preference": _stats([s["preference"] for s in rows if "preference" in s]),
        }
    paired = [r for r in run.items if "im" in r["scores"] and "human_low" in r["scores"]]
    deltas = {
        d: _stats([r["scores"]["im"][d] - r["scores"]["human_low"][d] for r in paired])
        for d in (*DIMENSIONS, "overall")
    }
    sims = [r["im_similarity"] for r in run.items if "im_similarity" in r]
    gm_secs = [r["seconds"]["gm"] for r in run.items if "gm" in r["seconds"]]
    im_secs = [r["seconds"]["im"] for r in run.items if "im" in r["seconds"]]
    return {
        "posts": len(run.items),
        "errors": run.errors,
        "seconds": round(run.seconds, 1),
        "groups": groups,
        "im_delta": {"pairs": len(paired), "dimensions": deltas},
        "im_similarity": {
            "content_similarity": _stats([s["content_similarity"] for s in sims]),
            "kept_words": _stats([s["kept_words"] for s in sims]),
        },
        "timing": {"gm_seconds": _stats(gm_secs), "im_seconds": _stats(im_secs)},
    }
