"""How much of a writer's reply an "improvement" kept: meaning and words.

Two numpy-free, offline measures, both 0..1:

- `content_similarity`: cosine of content-word (stop words removed, crude stemming)
  TF-IDF vectors, IDF from the texts of the run when given: did the same things get said?
- `kept_words`: the share of the original's word sequence found, in order, in the new text
  (difflib): did the writer's own words survive?

An IM output that scores low on both replaced the writer instead of improving them.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Iterable, Mapping

from .features import tokens

STOP_WORDS = frozenset(
    """a an the and or but if so of to in on at by for with from as is are was were be been being am do does
    did have has had having i me my we our you your he him his she her it its they them their this that these
    those there here what which who whom when where why how not no nor too very can will just would could
    should may might must also than then about into over out up down again once all any both each few more
    most other some such only own same s t don now ? ! re ve ll d m""".split()
)


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> Counter[str]:
    return Counter(_stem(t) for t in tokens(text) if t not in STOP_WORDS and t[0].isalnum())


def idf_from(texts: Iterable[str]) -> dict[str, float]:
    """Smoothed inverse document frequency over a set of texts."""
    docs = [set(content_terms(t)) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d)
    n = len(docs)
    return {term: math.log((1 + n) / (1 + k)) + 1.0 for term, k in df.items()}


def content_similarity(a: str, b: str, idf: Mapping[str, float] | None = None) -> float:
    ta, tb = content_terms(a), content_terms(b)
    if not ta or not tb:
        return 1.0 if not ta and not tb else 0.0
    w = idf or {}
    va = {k: v * w.get(k, 1.0) for k, v in ta.items()}
    vb = {k: v * w.get(k, 1.0) for k, v in tb.items()}
    dot = sum(v * vb.get(k, 0.0) for k, v in va.items())
    na = math.sqrt(sum(v * v for v in va.values()))
    nb = math.sqrt(sum(v * v for v in vb.values()))
    return round(dot / (na * nb), 4)


def kept_words(original: str, revised: str) -> float:
    a, b = tokens(original), tokens(revised)
    if not a:
        return 1.0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return round(kept / len(a), 4)
