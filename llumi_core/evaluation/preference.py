"""Community preference: a score for a reply to a post that agrees with how people voted.

Two parts, because a draft can be unusable whatever its wording:

- **Quality** (0..1): a small linear head over the sentence encoder's
  all-MiniLM-L6-v2 embeddings (`llumi_core.embedding`) of the reply, the
  post–reply cosine and the reply's length (log words, capped at
  `LENGTH_CAP_WORDS` so that writing past what the prompt asks for earns
  nothing). It is fitted as a Bradley–Terry model on vote pairs (for one post,
  the higher-voted reply over the lower-voted one): P(a beats b) =
  sigmoid(w · (f(a) − f(b))). The shipped head (`preference_head.json`) was
  fitted on the *train* split of CounselChat only (Bertagnolli 2020, MIT);
  its file carries its provenance and the agreement measured on the held-out
  validation and test questions. Refit with `python bench/preference.py --write`.
  A community's own approvals and discards are vote pairs of the same shape
  (`llumi pairs export`), so the same fit can learn from them.
- **Usability findings**: prompt or chat markup, an echo of the prompt's
  instructions, a copy of the post, a reply cut off mid-sentence, a reply off
  the post's topic (cosine under what 99 % of human answers reach), and every
  finding of the safety output gate (claims to be human or a professional,
  methods, secrecy, …). A reply with any finding scores below `USABLE_FLOOR`,
  so below every reply without one.

score = USABLE_FLOOR + (1 − USABLE_FLOOR) · quality without findings, else
USABLE_FLOOR · quality. Nothing here logs text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from .. import replies as reply_text

if TYPE_CHECKING:
    from ..prompts import PromptTemplate

HEAD_FILE = Path(__file__).with_name("preference_head.json")
USABLE_FLOOR = 0.2
LENGTH_CAP_WORDS = 150  # the prompt asks for 3–6 sentences; longer earns no more
EMBEDDING_DIM = 384
# The analyzer's interpretable measures go in too: the fit decides what they are worth.
ANALYSIS_NAMES = (
    "readability",
    "empathy",
    "connection",
    "actionability",
    "safety",
    "emotional_reactions",
    "interpretations",
    "explorations",
    "flesch_reading_ease_per_100",
    "sentiment_compound",
    "next_steps",
    "resources_mentioned",
)
FEATURE_NAMES = (
    *(f"reply_{i}" for i in range(EMBEDDING_DIM)),
    "post_reply_cosine",
    "log_words",
    *ANALYSIS_NAMES,
)
COSINE = EMBEDDING_DIM  # the column of the post-reply cosine
# A reply ending on a word or mark no sentence ends on was cut off (0.06 % of CounselChat answers).
_CUT_OFF = re.compile(
    r"(?:[,;:(\-–—]|\b(?:and|or|but|the|a|an|to|of|with|for|that|is|are|you|your|my|in|on|as|if|so|because))\s*$",
    re.IGNORECASE,
)

Array = npt.NDArray[np.float64]


class Encoder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class Checker(Protocol):
    def check(self, text: str) -> Sequence[Any]: ...


@dataclass(frozen=True, slots=True)
class PreferenceHead:
    weights: Array  # one per FEATURE_NAMES
    centre: float  # the median training-answer logit: quality 0.5
    off_topic_below: float  # post–reply cosine under which a reply is off-topic
    provenance: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)

    def logits(self, features: Array) -> Array:
        return np.asarray(features @ self.weights - self.centre, dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "features": [f"reply embedding ({EMBEDDING_DIM})", *FEATURE_NAMES[EMBEDDING_DIM:]],
            "weights": [round(float(w), 6) for w in self.weights],
            "centre": round(self.centre, 6),
            "off_topic_below": round(self.off_topic_below, 4),
            "provenance": self.provenance,
            "validation": self.validation,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PreferenceHead:
        weights = np.asarray(data["weights"], dtype=np.float64)
        if weights.shape != (len(FEATURE_NAMES),):
            raise ValueError(f"preference head: expected {len(FEATURE_NAMES)} weights, got {weights.shape}")
        return cls(
            weights,
            float(data["centre"]),
            float(data["off_topic_below"]),
            dict(data.get("provenance", {})),
            dict(data.get("validation", {})),
        )


@lru_cache(maxsize=1)
def shipped_head() -> PreferenceHead:
    return PreferenceHead.from_json(json.loads(HEAD_FILE.read_text(encoding="utf-8")))


def word_count(text: str) -> int:
    return len(text.split())


def analysis_row(text: str) -> list[float]:
    """The analyzer's measures of one reply, in ANALYSIS_NAMES order."""
    from .analysis import DIMENSIONS, analyze

    a = analyze(text)
    return [
        *(float(a[d]["score"]) for d in DIMENSIONS),
        *(float(a["empathy"][m]) for m in ("emotional_reactions", "interpretations", "explorations")),
        float(a["readability"]["flesch_reading_ease"]) / 100.0,
        float(a["connection"]["sentiment_compound"]),
        float(a["actionability"]["next_steps"]),
        float(a["actionability"]["resources_mentioned"]),
    ]


def features(
    post_vec: npt.NDArray[Any],
    reply_vecs: npt.NDArray[Any],
    texts: Sequence[str],
    analyses: Sequence[Sequence[float]] | None = None,
) -> Array:
    """Feature rows (one per reply): its embedding, its cosine to the post, capped log words, and
    the analyzer's measures (computed here unless given)."""
    reply_vecs = np.asarray(reply_vecs, dtype=np.float64).reshape(len(texts), EMBEDDING_DIM)
    cosine = reply_vecs @ np.asarray(post_vec, dtype=np.float64)
    words = np.array([math.log1p(min(word_count(t), LENGTH_CAP_WORDS)) for t in texts])
    measured = np.asarray(
        analyses if analyses is not None else [analysis_row(t) for t in texts], dtype=np.float64
    ).reshape(len(texts), len(ANALYSIS_NAMES))
    return np.column_stack([reply_vecs, cosine, words, measured])


def fit_pairwise(diffs: Array, ridge: float, iterations: int = 40) -> Array:
    """Bradley–Terry weights from (chosen − rejected) feature rows: ridge logistic regression by Newton.

    Each pair is used in both orders, so no intercept is needed and the fit is symmetric.
    """
    x = np.vstack([diffs, -diffs])
    y = np.r_[np.ones(len(diffs)), np.zeros(len(diffs))]
    w = np.zeros(x.shape[1])
    n = len(y)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / n + 2 * ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x / n + 2 * ridge * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return w


def cut_off(text: str) -> bool:
    return bool(_CUT_OFF.search(text))


def usability_findings(
    text: str,
    post: str,
    cosine: float,
    head: PreferenceHead,
    *,
    checker: Checker | None,
    guard: reply_text.CopyGuard | None,
) -> tuple[str, ...]:
    """What makes `text` unusable as a reply to `post`, whatever its wording (empty: nothing)."""
    found = [f"markup ({kind})" for kind in reply_text.find_markup(text)]
    if guard is not None:
        if guard.echoes_prompt(text):
            found.append("echoes the prompt")
        if guard.copies_post(text):
            found.append("copies the post")
    if cut_off(text):
        found.append("cut off")
    if not reply_text.enough_words(text):
        found.append("too short")
    if cosine < head.off_topic_below:
        found.append("off-topic")
    if checker is not None:
        found += sorted({f"gate ({getattr(issue, 'kind', 'issue')})" for issue in checker.check(text)})
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Preference:
    score: float  # 0..1; below USABLE_FLOOR when there are findings
    quality: float  # the head's 0..1, before findings
    findings: tuple[str, ...]

    @property
    def usable(self) -> bool:
        return not self.findings


def combine(quality: float, findings: Sequence[str]) -> float:
    if findings:
        return round(USABLE_FLOOR * quality, 4)
    return round(USABLE_FLOOR + (1 - USABLE_FLOOR) * quality, 4)


class PreferenceModel:
    """Scores replies to a post. The encoder is the shared MiniLM one; nothing loads until first use."""

    def __init__(
        self,
        encoder: Encoder,
        *,
        head: PreferenceHead | None = None,
        checker: Checker | None = None,
        instructions: Sequence[str] = (),
        quotable: Sequence[str] = (),
        markers: Sequence[str] = (),
    ) -> None:
        self.encoder = encoder
        self.head = head or shipped_head()
        self.checker = checker
        self._prompt = (tuple(instructions), tuple(quotable), tuple(markers))

    def guard(self, post: str, allowed: Sequence[str] = ()) -> reply_text.CopyGuard:
        instructions, quotable, markers = self._prompt
        return reply_text.CopyGuard(
            (post,), instructions, quotable=quotable, markers=markers, allowed=tuple(allowed)
        )

    def score(self, post: str, texts: Sequence[str], *, allowed: Sequence[str] = ()) -> list[Preference]:
        """One `Preference` per reply. `allowed`: text a reply may repeat (the supporter's own, for the IM)."""
        if not texts:
            return []
        vecs = self.encoder.embed([post, *texts])
        rows = features(vecs[0], vecs[1:], texts)
        quality = 1.0 / (1.0 + np.exp(-self.head.logits(rows)))
        guard = self.guard(post, allowed)
        out = []
        for text, row, q in zip(texts, rows, quality, strict=True):
            found = usability_findings(
                text, post, float(row[COSINE]), self.head, checker=self.checker, guard=guard
            )
            out.append(Preference(combine(float(q), found), round(float(q), 4), found))
        return out

    def rank(self, post: str, texts: Sequence[str]) -> list[int]:
        """Indexes of `texts`, best first (stable for equal scores)."""
        scores = self.score(post, texts)
        return sorted(range(len(texts)), key=lambda i: -scores[i].score)

    def validation(self) -> dict[str, Any]:
        """The head's measured agreement with held-out votes, for reports."""
        return dict(self.head.validation)


def default_preference_model(
    prompts_dir: Path | None = None,
    *,
    encoder: Encoder | None = None,
    head: PreferenceHead | None = None,
    prompt: PromptTemplate | None = None,
) -> PreferenceModel | None:
    """The shipped head over the default encoder, with the output gate and the GM prompt's echo guard
    (`prompt`, else the fallback GM template); None when the encoder is not installed (see
    `llumi_core.embedding.encoder_unavailable_reason`)."""
    from ..config import DEFAULT_MODELS_DIR
    from ..domain import ModelRole
    from ..embedding import default_encoder
    from ..prompts import load_prompt
    from ..safety.checks import OutputChecker

    encoder = encoder or default_encoder()
    if encoder is None:
        return None
    prompt = prompt or load_prompt(prompts_dir or DEFAULT_MODELS_DIR / "prompts", ModelRole.GM)
    return PreferenceModel(
        encoder,
        head=head,
        checker=OutputChecker(use_semantic=True),
        instructions=(prompt.instructions,),
        quotable=prompt.quotable,
        markers=prompt.echo_markers,
    )
