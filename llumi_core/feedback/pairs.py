"""Preference pairs (chosen / rejected) in the format TRL's SFT and DPO trainers read.

One line of the JSONL: `prompt` (chat messages: system + user, rendered with
the same GM/IM templates the bot uses, so training matches inference),
`chosen` and `rejected` (one assistant message each), `task` (`gm`: post →
reply; `im`: post + a weaker human reply → a better reply) and provenance
fields (`source`, `post_id`, scores, `margin`) that trainers ignore.

Pairs follow the LLUMI paper: for one post, a clearly higher-voted reply is
chosen over a lower-voted one (a minimum margin; ties and tiny vote counts
skipped), deduplicated, and redacted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..domain import ModelRole
from ..ports import ChatMessage
from ..prompts import PromptTemplate, load_prompt
from .split import assign_split

log = logging.getLogger(__name__)

Task = Literal["gm", "im"]
TASKS: tuple[Task, ...] = ("gm", "im")
Redactor = Callable[[str, Sequence[str]], str]


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    score: int
    author: str = ""


@dataclass(frozen=True, slots=True)
class Thread:
    """A post and the scored replies to it, from any forum dump."""

    post_id: str
    post: str
    replies: tuple[Reply, ...]
    names: tuple[str, ...] = ()  # people named in the thread (authors): redacted everywhere
    split_label: str | None = None  # the dataset's own split column, when it has one


@dataclass(frozen=True, slots=True)
class PairRules:
    min_margin: int = 1  # chosen score - rejected score
    min_chosen: int = 1  # the chosen reply needs at least this many votes
    min_chars: int = 40  # shorter replies carry too little to learn from
    max_chars: int = 4000
    max_pairs_per_post: int = 4  # one busy thread must not dominate
    tasks: tuple[Task, ...] = TASKS
    # The GM prompt asks for 3 to 6 sentences: GM replies are cut at a sentence boundary to fit,
    # so the model learns the length it is asked for (0: keep replies whole).
    gm_max_sentences: int = 6
    gm_max_words: int = 150


@dataclass
class PairSummary:
    """What an import produced and what it skipped, with reasons."""

    posts: int = 0
    replies: int = 0
    pairs: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    posts_per_split: Counter[str] = field(default_factory=Counter)  # posts with 2+ usable replies
    trimmed: Counter[str] = field(default_factory=Counter)  # GM replies cut to the prompt's length

    def lines(self) -> list[str]:
        out = [f"posts read: {self.posts}, replies read: {self.replies}"]
        out += [f"pairs ({task}): {n}" for task, n in sorted(self.pairs.items())]
        out.append(f"pairs total: {sum(self.pairs.values())}")
        if self.posts_per_split:
            counts = ", ".join(f"{s} {self.posts_per_split[s]}" for s in ("train", "validation", "test"))
            out.append(f"posts per split: {counts} (test is held out of training)")
        if self.trimmed:
            out.append(
                f"GM replies trimmed at a sentence boundary to the prompt's length: chosen "
                f"{self.trimmed['chosen']}, rejected {self.trimmed['rejected']} (the others fit as written)"
            )
        out += [f"skipped ({why}): {n}" for why, n in self.skipped.most_common()]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "replies": self.replies,
            "pairs": dict(self.pairs),
            "skipped": dict(self.skipped),
            "posts_per_split": dict(self.posts_per_split),
            "gm_trimmed": dict(self.trimmed),
        }


@dataclass(frozen=True, slots=True)
class PreferencePair:
    task: Task
    prompt: list[ChatMessage]
    chosen: str
    rejected: str
    source: str
    post_id: str
    chosen_score: float
    rejected_score: float
    extra: dict[str, Any] = field(default_factory=dict)

    def key(self) -> str:
        blob = json.dumps([self.task, self.prompt, self.chosen, self.rejected], sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "chosen": [{"role": "assistant", "content": self.chosen}],
            "rejected": [{"role": "assistant", "content": self.rejected}],
            "task": self.task,
            "source": self.source,
            "post_id": self.post_id,
            "chosen_score": self.chosen_score,
            "rejected_score": self.rejected_score,
            "margin": self.chosen_score - self.rejected_score,
            **self.extra,
        }


_SPACE = re.compile(r"[ \t]+")
_BLANKS = re.compile(r"\n{3,}")


def clean(text: str) -> str:
    """Tidy whitespace without touching the words."""
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    return _BLANKS.sub("\n\n", _SPACE.sub(" ", text)).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")


def fit_to_prompt(text: str, max_sentences: int, max_words: int) -> tuple[str, bool]:
    """(`text` cut after whole sentences to at most `max_sentences` and `max_words`, whether it was cut).

    A reply longer than its first sentence allows keeps at least that sentence.
    """
    if max_sentences <= 0:
        return text, False
    pieces = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    kept: list[str] = []
    words = 0
    for piece in pieces:
        n = len(piece.split())
        if kept and (len(kept) >= max_sentences or words + n > max_words):
            break
        kept.append(piece)
        words += n
    if len(kept) == len(pieces):
        return text, False
    return " ".join(kept), True


def _identity(text: str, names: Sequence[str]) -> str:
    return text


def default_redactor() -> Redactor:
    """The safety package's redaction (imported lazily: it may be absent in a partial install)."""
    try:
        from ..safety.redact import redact
    except ImportError:  # pragma: no cover - the safety package ships with the core
        log.warning("llumi_core.safety.redact is unavailable: pairs are NOT redacted")
        return _identity
    return redact


def _dedupe_replies(replies: Iterable[Reply], summary: PairSummary, rules: PairRules) -> list[Reply]:
    best: dict[str, Reply] = {}
    for r in replies:
        if len(r.text) < rules.min_chars:
            summary.skipped["reply too short"] += 1
            continue
        if len(r.text) > rules.max_chars:
            summary.skipped["reply too long"] += 1
            continue
        key = " ".join(r.text.lower().split())
        if key in best:
            summary.skipped["duplicate reply"] += 1
            if r.score <= best[key].score:
                continue
        best[key] = r
    return sorted(best.values(), key=lambda r: -r.score)


def candidate_pairs(
    replies: Sequence[Reply], rules: PairRules, summary: PairSummary
) -> list[tuple[Reply, Reply]]:
    """(chosen, rejected) pairs of one post, widest margins first, capped per post."""
    found: list[tuple[Reply, Reply]] = []
    for i, hi in enumerate(replies):
        for lo in replies[i + 1 :]:
            if hi.score == lo.score:
                summary.skipped["tied pair"] += 1
            elif hi.score < rules.min_chosen:
                summary.skipped["chosen has too few votes"] += 1
            elif hi.score - lo.score < rules.min_margin:
                summary.skipped["margin too small"] += 1
            else:
                found.append((hi, lo))
    found.sort(key=lambda p: (-(p[0].score - p[1].score), -p[0].score))
    if len(found) > rules.max_pairs_per_post:
        summary.skipped["over the per-post cap"] += len(found) - rules.max_pairs_per_post
    return found[: rules.max_pairs_per_post]


class PairBuilder:
    """Turns threads into redacted, deduplicated pairs, counting what it skipped."""

    def __init__(
        self,
        source: str,
        prompts_dir: Path,
        rules: PairRules | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.source = source
        self.rules = rules or PairRules()
        self.redact = redactor or default_redactor()
        self.summary = PairSummary()
        self._seen: set[str] = set()
        self._templates: dict[Task, PromptTemplate] = {
            "gm": load_prompt(prompts_dir, ModelRole.GM),
            "im": load_prompt(prompts_dir, ModelRole.IM),
        }

    def _fit(self, text: str) -> tuple[str, bool]:
        return fit_to_prompt(text, self.rules.gm_max_sentences, self.rules.gm_max_words)

    def build(self, threads: Iterable[Thread]) -> Iterator[PreferencePair]:
        for thread in threads:
            yield from self._thread(thread)

    def _thread(self, thread: Thread) -> Iterator[PreferencePair]:
        self.summary.posts += 1
        self.summary.replies += len(thread.replies)
        post = clean(thread.post)
        if not post:
            self.summary.skipped["empty post"] += 1
            return
        replies = _dedupe_replies(
            (Reply(clean(r.text), r.score, r.author) for r in thread.replies), self.summary, self.rules
        )
        if len(replies) < 2:
            self.summary.skipped["post with fewer than 2 usable replies"] += 1
            return
        names = tuple(n for n in {*thread.names, *(r.author for r in thread.replies)} if n)
        post_r = self.redact(post, names)
        split = assign_split(thread.post_id, thread.split_label)
        self.summary.posts_per_split[split] += 1
        for hi, lo in candidate_pairs(replies, self.rules, self.summary):
            chosen, rejected = self.redact(hi.text, names), self.redact(lo.text, names)
            for task in self.rules.tasks:
                reply = rejected if task == "im" else None
                task_chosen, task_rejected, fitted = chosen, rejected, {}
                if task == "gm":  # both sides, so that length is not what DPO learns
                    task_chosen, cut_chosen = self._fit(chosen)
                    task_rejected, cut_rejected = self._fit(rejected)
                    fitted = {"chosen_trimmed": cut_chosen, "rejected_trimmed": cut_rejected}
                    self.summary.trimmed["chosen"] += cut_chosen
                    self.summary.trimmed["rejected"] += cut_rejected
                pair = PreferencePair(
                    task=task,
                    prompt=self._templates[task].render(post_r, reply=reply),
                    chosen=task_chosen,
                    rejected=task_rejected,
                    source=self.source,
                    post_id=thread.post_id,
                    chosen_score=hi.score,
                    rejected_score=lo.score,
                    extra={"split": split, **fitted},
                )
                key = pair.key()
                if key in self._seen:
                    self.summary.skipped["duplicate pair"] += 1
                    continue
                self._seen.add(key)
                self.summary.pairs[task] += 1
                yield pair


def write_jsonl(pairs: Iterable[PreferencePair], out: Path) -> int:
    """Write pairs atomically (a temp file renamed into place); returns how many."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        for pair in pairs:
            f.write(json.dumps(pair.to_json(), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(out)
    return n


def read_jsonl(path: Path, task: Task | None = None) -> list[dict[str, Any]]:
    """Read a pairs file (optionally one task only)."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if task is None or row.get("task") == task:
                    rows.append(row)
    return rows
