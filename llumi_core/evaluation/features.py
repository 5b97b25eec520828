"""Text features shared by the analysis and the empathy head: tokens, hashed n-grams, cue counts.

Pure Python + numpy, nothing built at import time beyond compiled regexes. The
hashing uses crc32 so features are stable across processes and Python versions
(Python's own `hash` is salted per process).
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

N_BUCKETS = 1 << 13

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?!]|<3|:\)|:\(")
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")

SECOND_PERSON = frozenset(
    {"you", "your", "you're", "yours", "yourself", "you've", "you'll", "you'd", "u", "ur"}
)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "we're", "we've"})

# Cue phrases per EPITOME mechanism. Matched on the lower-cased, whitespace-normalised text.
VALIDATION = (
    "that makes sense",
    "makes sense",
    "it's okay to",
    "its okay to",
    "it's ok to",
    "you're not alone",
    "you are not alone",
    "it's understandable",
    "understandable",
    "valid",
    "not your fault",
    "that's normal",
    "completely normal",
    "it's normal",
    "you deserve",
    "proud of you",
    "that takes courage",
    "you're doing",
    "you are doing",
)
EMOTION_REACTION = (
    "sorry",
    "hugs",
    "hug",
    "<3",
    "heart goes out",
    "feel for you",
    "that sucks",
    "sucks",
    "awful",
    "terrible",
    "horrible",
    "so sad",
    "breaks my heart",
    "heartbreaking",
    "must be hard",
    "rough",
    "i'm here for you",
    "here for you",
    "wish i could",
    "sending",
    "care about you",
    "that's hard",
    "that is hard",
    "painful",
    "hope you",
    "glad you",
)
INTERPRETATION = (
    "it sounds like",
    "sounds like",
    "it seems like",
    "seems like",
    "must feel",
    "must be",
    "i understand",
    "i can understand",
    "i know how",
    "i know what",
    "i know the feeling",
    "been there",
    "i've been there",
    "i have been there",
    "same here",
    "same thing",
    "i feel the same",
    "i felt",
    "i went through",
    "i had the same",
    "i used to",
    "i was in",
    "i've had",
    "i have had",
    "i can relate",
    "relate",
    "i get it",
    "i get that",
    "you feel",
    "you're feeling",
    "you are feeling",
    "me too",
    "i too",
    "when i was",
)
EXPLORATION = (
    "what happened",
    "do you want to talk",
    "want to talk",
    "tell me",
    "can you tell",
    "how are you",
    "how do you",
    "how long",
    "what do you",
    "what are you",
    "have you",
    "do you",
    "are you",
    "did you",
    "would you",
    "what's going on",
    "what is going on",
    "why do you",
    "what makes you",
    "is there",
    "anything you",
    "talk about it",
    "pm me",
    "message me",
    "feel free to",
)
FEELING_WORDS = frozenset(
    [
        "sad",
        "lonely",
        "alone",
        "hurt",
        "hurting",
        "pain",
        "angry",
        "anger",
        "afraid",
        "scared",
        "fear",
        "anxious",
        "anxiety",
        "depressed",
        "depression",
        "hopeless",
        "helpless",
        "worthless",
        "tired",
        "exhausted",
        "overwhelmed",
        "stressed",
        "upset",
        "frustrated",
        "guilty",
        "ashamed",
        "shame",
        "empty",
        "numb",
        "miserable",
        "grief",
        "grieving",
        "lost",
        "confused",
        "broken",
        "heartbroken",
        "cry",
        "crying",
        "feel",
        "feeling",
        "feelings",
        "felt",
        "emotions",
        "emotional",
    ]
)
QUESTION_OPENERS = frozenset(
    [
        "what",
        "how",
        "why",
        "when",
        "where",
        "who",
        "which",
        "do",
        "does",
        "did",
        "are",
        "is",
        "was",
        "have",
        "has",
        "can",
        "could",
        "would",
        "will",
        "should",
    ]
)

CUE_NAMES = (
    "bias",
    "log_words",
    "questions",
    "q_sentences_you",
    "q_share",
    "exclaims",
    "second_person",
    "first_person",
    "first_plural",
    "feeling_words",
    "validation",
    "emotion_reaction",
    "interpretation",
    "exploration",
    "starts_question",
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, keeping '?', '!' and a few emoticons as tokens."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENT_SPLIT.split(text)) if s]


def count_phrases(norm_text: str, phrases: Iterable[str]) -> int:
    """How many cue phrases occur (each counted once) in already normalised text."""
    padded = f" {norm_text} "
    return sum(1 for p in phrases if f" {p} " in padded or (not p[0].isalnum() and p in padded))


def normalise(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(frozen=True, slots=True)
class Cues:
    """Interpretable counts over one response (the analysis reports these)."""

    words: int
    questions: int
    questions_about_you: int
    exclaims: int
    second_person: int
    first_person: int
    first_plural: int
    feeling_words: int
    validation: int
    emotion_reaction: int
    interpretation: int
    exploration: int
    starts_question: bool

    def vector(self) -> npt.NDArray[np.float64]:
        w = max(self.words, 1)
        return np.array(
            [
                1.0,
                np.log1p(self.words),
                min(self.questions, 4),
                min(self.questions_about_you, 3),
                self.questions / max(1.0, w / 12.0),
                min(self.exclaims, 4),
                self.second_person / w * 10,
                self.first_person / w * 10,
                self.first_plural / w * 10,
                min(self.feeling_words, 5),
                min(self.validation, 3),
                min(self.emotion_reaction, 4),
                min(self.interpretation, 4),
                min(self.exploration, 4),
                float(self.starts_question),
            ],
            dtype=np.float64,
        )


def cues(text: str) -> Cues:
    toks = tokens(text)
    norm = " ".join(toks)
    sents = sentences(text)
    q_sents = [s for s in sents if s.rstrip().endswith("?")]
    q_you = sum(1 for s in q_sents if SECOND_PERSON & set(tokens(s)))
    first = tokens(sents[0]) if sents else []
    return Cues(
        words=sum(1 for t in toks if t[0].isalnum()),
        questions=toks.count("?"),
        questions_about_you=q_you,
        exclaims=toks.count("!"),
        second_person=sum(1 for t in toks if t in SECOND_PERSON),
        first_person=sum(1 for t in toks if t in FIRST_PERSON),
        first_plural=sum(1 for t in toks if t in FIRST_PLURAL),
        feeling_words=sum(1 for t in toks if t in FEELING_WORDS),
        validation=count_phrases(norm, VALIDATION),
        emotion_reaction=count_phrases(norm, EMOTION_REACTION),
        interpretation=count_phrases(norm, INTERPRETATION),
        exploration=count_phrases(norm, EXPLORATION),
        starts_question=bool(first) and first[0] in QUESTION_OPENERS and "?" in sents[0],
    )


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % N_BUCKETS


def hashed_ngrams(text: str) -> dict[int, float]:
    """Bag of hashed unigrams and bigrams (binary, L2-normalised), as {bucket: value}."""
    toks = tokens(text)
    feats = set(toks)
    feats.update(f"{a} {b}" for a, b in itertools.pairwise(toks))
    feats.add(f"^ {toks[0]}" if toks else "^")
    counts: dict[int, float] = {}
    for f in feats:
        b = _bucket(f)
        counts[b] = counts.get(b, 0.0) + 1.0
    norm = float(np.sqrt(sum(v * v for v in counts.values()))) or 1.0
    return {b: v / norm for b, v in counts.items()}


def design_row(text: str) -> tuple[npt.NDArray[np.float64], dict[int, float]]:
    """The dense cue vector and the sparse hashed part of one response."""
    return cues(text).vector(), hashed_ngrams(text)


def design_matrix(texts: Iterable[str]) -> npt.NDArray[np.float64]:
    """Dense [cues | hashed n-grams] matrix, for training and cross-validation."""
    rows = list(texts)
    m = np.zeros((len(rows), len(CUE_NAMES) + N_BUCKETS), dtype=np.float64)
    for i, text in enumerate(rows):
        dense, sparse = design_row(text)
        m[i, : len(CUE_NAMES)] = dense
        for b, v in sparse.items():
            m[i, len(CUE_NAMES) + b] += v
    return m
