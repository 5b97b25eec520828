"""Readers for public forum dumps with votes: CounselChat CSV and Reddit JSONL archives.

Each yields `Thread`s (a post and its scored replies) for `PairBuilder`.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .pairs import PairBuilder, PairRules, PairSummary, Reply, Thread, write_jsonl

log = logging.getLogger(__name__)

COUNSELCHAT_COLUMNS = {"questionID", "questionTitle", "questionText", "answerText", "upvotes"}
_REMOVED = {"[deleted]", "[removed]", ""}


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def read_counselchat(path: Path) -> Iterator[Thread]:
    """CounselChat (Bertagnolli 2020): one row per therapist answer, grouped by questionID.

    Its `split` column (train / val / test), when present, decides each question's split."""
    csv.field_size_limit(10_000_000)
    try:
        f = path.open(encoding="utf-8", newline="")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    with f:
        reader = csv.DictReader(f)
        missing = COUNSELCHAT_COLUMNS - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"{path}: not a CounselChat CSV (missing columns: {', '.join(sorted(missing))})")
        order: list[str] = []
        posts: dict[str, str] = {}
        replies: dict[str, list[Reply]] = {}
        names: dict[str, set[str]] = {}
        labels: dict[str, str | None] = {}
        for row in reader:
            qid = row["questionID"]
            if qid not in posts:
                order.append(qid)
                title, body = (row["questionTitle"] or "").strip(), (row["questionText"] or "").strip()
                posts[qid] = f"{title}\n\n{body}" if title and body and title not in body else body or title
                replies[qid], names[qid] = [], set()
                labels[qid] = row.get("split")
            votes = _int(row["upvotes"])
            if votes is None:
                continue
            therapist = (row.get("therapistInfo") or "").split(",")[0].strip()
            replies[qid].append(Reply(row["answerText"] or "", votes, therapist))
            if therapist:
                names[qid].add(therapist)
    for qid in order:
        yield Thread(qid, posts[qid], tuple(replies[qid]), tuple(sorted(names[qid])), labels[qid])


def _reddit_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in {".jsonl", ".json", ".ndjson"})
    return [path]


def read_reddit(path: Path) -> Iterator[Thread]:
    """Reddit archives (Pushshift-style JSONL): submissions and comments, in one file or a folder.

    Submissions have `title`/`selftext`; comments have `body`, `link_id` (t3_<submission id>)
    and `parent_id`. Only top-level comments answer the post; removed text is skipped.
    """
    submissions: dict[str, dict[str, Any]] = {}
    comments: dict[str, list[Reply]] = {}
    for file in _reddit_files(path):
        try:
            f = file.open(encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot read {file}: {err.strerror}") from None
        with f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    raise InputError(f"{file}:{n}: not a JSON line") from None
                if not isinstance(obj, dict):
                    continue
                _take(obj, submissions, comments)
    if not submissions:
        raise InputError(f"{path}: no Reddit submissions found (expected JSONL with title/selftext)")
    for sid, sub in submissions.items():
        post = f"{sub.get('title', '')}\n\n{sub.get('selftext', '')}".strip()
        if sub.get("selftext") in ("[deleted]", "[removed]"):
            post = str(sub.get("title", ""))
        replies = tuple(comments.get(sid, ()))
        names = tuple({str(sub.get("author", "")), *(r.author for r in replies)} - {"", "[deleted]"})
        label = sub.get("split")
        yield Thread(sid, post, replies, names, label if isinstance(label, str) else None)


def _take(
    obj: dict[str, Any], submissions: dict[str, dict[str, Any]], comments: dict[str, list[Reply]]
) -> None:
    if "body" in obj and "link_id" in obj:
        link = str(obj["link_id"]).removeprefix("t3_")
        parent = str(obj.get("parent_id", obj["link_id"]))
        body, score = str(obj.get("body") or ""), _int(obj.get("score"))
        if parent.startswith("t3_") and body.strip() not in _REMOVED and score is not None:
            comments.setdefault(link, []).append(Reply(body, score, str(obj.get("author") or "")))
    elif "title" in obj and "id" in obj:
        submissions[str(obj["id"]).removeprefix("t3_")] = obj


def import_forum_pairs(
    path: Path, fmt: str, prompts_dir: Path, rules: PairRules, out: Path
) -> tuple[int, PairSummary]:
    """`llumi pairs import`: pairs from a CounselChat CSV or Reddit dump into `out` (JSONL, split per row)."""
    builder = PairBuilder(fmt, prompts_dir, rules)
    threads = read_counselchat(path) if fmt == "counselchat" else read_reddit(path)
    return write_jsonl(builder.build(threads), out), builder.summary
