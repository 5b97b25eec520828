"""Five-dimension linguistic analysis of a supportive reply (the LLUMI paper's dimensions).

Each dimension returns its interpretable sub-measures plus a `score` in 0..1:

- readability: Flesch reading ease and Flesch–Kincaid grade (textstat), sentence length.
- empathy: EPITOME emotional reactions, interpretations, explorations (0–2 each; `empathy`).
- connection: second- vs first-person focus, questions to the writer, validation, warmth (VADER).
- actionability: concrete next steps offered, resources mentioned.
- safety: the output checks of `llumi_core.safety.checks` (issues found), when available.

Everything is offline and numpy-only. Heavy objects (VADER's lexicon, the
empathy head) are built on first use, never at import.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any, Protocol

from .empathy import MECHANISMS, empathy_levels
from .features import VALIDATION, count_phrases, cues, normalise, sentences, tokens

log = logging.getLogger(__name__)

DIMENSIONS = ("readability", "empathy", "connection", "actionability", "safety")

NEXT_STEPS = (
    "you could",
    "you might",
    "you can",
    "try",
    "trying",
    "consider",
    "it might help",
    "it may help",
    "it could help",
    "one thing",
    "a good first step",
    "first step",
    "next step",
    "start by",
    "start with",
    "have you tried",
    "talking to",
    "make a list",
    "write down",
    "take a walk",
    "reach out",
    "talk to",
    "talk with",
    "ask",
    "schedule",
    "set aside",
    "practice",
    "practise",
    "breathe",
    "breathing",
    "journal",
    "journaling",
    "sleep",
    "exercise",
    "would you be willing",
    "what if you",
    "how about",
    "i suggest",
    "i recommend",
    "my suggestion",
    "recommend",
    "suggest",
)
RESOURCES = (
    "therapist",
    "therapy",
    "counselor",
    "counsellor",
    "counseling",
    "counselling",
    "psychologist",
    "psychiatrist",
    "doctor",
    "gp",
    "hotline",
    "helpline",
    "crisis line",
    "lifeline",
    "988",
    "samaritans",
    "text line",
    "support group",
    "emergency",
    "911",
    "112",
    "999",
    "professional",
    "clinic",
    "hospital",
)
_URL_OR_PHONE = re.compile(r"https?://\S+|www\.\S+|\b\d{3}[-.\s]?\d{3}[-.\s]?\d{4}\b|\b\d{3}\b")
# Used only when the safety package's OutputChecker is not available.
_FALLBACK_UNSAFE = (
    "just get over it",
    "get over it",
    "snap out of it",
    "calm down",
    "stop being",
    "you're overreacting",
    "you are overreacting",
    "attention seeking",
    "others have it worse",
    "man up",
    "kill yourself",
    "you should die",
    "stop taking your",
    "stop your medication",
)


class _Checker(Protocol):
    def check(self, text: str) -> list[Any]: ...


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _output_checker() -> _Checker | None:
    """The safety package's checker, imported lazily; None if it is not there or cannot start."""
    try:
        from llumi_core.safety.checks import OutputChecker  # type: ignore[import-not-found,unused-ignore]

        checker: _Checker = OutputChecker()
        return checker
    except Exception:  # a missing or broken checker must not break analysis
        log.debug("output checker unavailable; using the fallback phrase list", exc_info=True)
        return None


def _clip01(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 3)


def readability(text: str) -> dict[str, Any]:
    """Flesch reading ease 60–80 is plain language; 100+ words of grade 12+ reads as a wall."""
    import textstat

    ease = float(textstat.flesch_reading_ease(text)) if text.strip() else 0.0
    grade = float(textstat.flesch_kincaid_grade(text)) if text.strip() else 0.0
    sents = sentences(text)
    words = len([t for t in tokens(text) if t[0].isalnum()])
    avg_len = words / max(1, len(sents))
    # Peak at ease ~70; both very dense (<30) and telegraphic (>100) text lose points.
    ease_part = 1.0 - abs(min(ease, 100.0) - 70.0) / 50.0
    length_part = 1.0 - max(0.0, avg_len - 20.0) / 20.0
    return {
        "flesch_reading_ease": round(ease, 1),
        "flesch_kincaid_grade": round(grade, 1),
        "words": words,
        "sentences": len(sents),
        "avg_sentence_words": round(avg_len, 1),
        "score": _clip01(0.7 * ease_part + 0.3 * length_part) if words else 0.0,
    }


def empathy(text: str) -> dict[str, Any]:
    levels = empathy_levels(text) if text.strip() else dict.fromkeys(MECHANISMS, 0.0)
    out: dict[str, Any] = dict(levels)
    out["score"] = _clip01(sum(levels.values()) / 6.0 * 1.5)  # 2 of 6 points is already a warm reply
    return out


def connection(text: str) -> dict[str, Any]:
    c = cues(text)
    sentiment = _vader().polarity_scores(text) if text.strip() else {"compound": 0.0, "pos": 0.0}
    words = max(1, c.words)
    you_share = c.second_person / max(1, c.second_person + c.first_person)
    parts = (
        min(1.0, you_share * 1.25),
        min(1.0, c.questions_about_you / 1.0),
        min(1.0, c.validation / 2.0),
        (float(sentiment["compound"]) + 1.0) / 2.0,
    )
    return {
        "second_person_per_100_words": round(c.second_person / words * 100, 1),
        "first_person_per_100_words": round(c.first_person / words * 100, 1),
        "questions_to_writer": c.questions_about_you,
        "validation_phrases": count_phrases(normalise(text), VALIDATION),
        "sentiment_compound": round(float(sentiment["compound"]), 3),
        "score": _clip01(0.35 * parts[0] + 0.2 * parts[1] + 0.25 * parts[2] + 0.2 * parts[3])
        if c.words
        else 0.0,
    }


def actionability(text: str) -> dict[str, Any]:
    norm = normalise(text)
    steps = count_phrases(norm, NEXT_STEPS)
    resources = count_phrases(norm, RESOURCES) + len(_URL_OR_PHONE.findall(text))
    return {
        "next_steps": steps,
        "resources_mentioned": resources,
        "score": _clip01(min(steps, 3) / 3.0 * 0.7 + min(resources, 1) * 0.3),
    }


def safety(text: str) -> dict[str, Any]:
    """1.0 with no issues; each issue found costs a third. `checker` says which checks ran."""
    checker = _output_checker()
    if checker is not None:
        issues = [str(getattr(i, "kind", "issue")) for i in checker.check(text)]
        source = "llumi_core.safety.checks"
    else:
        issues = [f"phrase:{p}" for p in _FALLBACK_UNSAFE if p in normalise(text)]
        source = "fallback"
    return {"issues": issues, "checker": source, "score": _clip01(1.0 - len(issues) / 3.0)}


def analyze(response: str, post: str | None = None) -> dict[str, Any]:
    """All five dimensions of one reply. `post` is accepted for context-aware measures (unused yet)."""
    del post  # the current measures read only the reply
    return {
        "readability": readability(response),
        "empathy": empathy(response),
        "connection": connection(response),
        "actionability": actionability(response),
        "safety": safety(response),
    }


def overall(result: dict[str, Any]) -> float:
    """Unweighted mean of the five dimension scores."""
    return round(sum(float(result[d]["score"]) for d in DIMENSIONS) / len(DIMENSIONS), 3)
