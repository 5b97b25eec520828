"""The semantic layer of the risk screen: each sentence's margin between risk and its look-alikes.

Patterns miss what is said in other words ("nobody would even notice if I was
gone", "think i'm ready to log off for good"). This layer embeds each sentence of
a post with all-MiniLM-L6-v2 (`llumi_core.embedding`, run by llama.cpp, no torch)
and compares it with two banks of phrases:

- **risk**: the Suicide Risk Lexicon's constructs (Low et al. 2024: the
  clinicians' prototypical phrases, the construct's examples and its other
  multi-word phrases), phrases written for this project from those constructs'
  definitions (`data/screen_prototypes.json`), and the at-risk sentences of the
  project's development posts (`data/screen_exemplars.json`);
- **look-alikes**: what keyword screens mistake for risk: supporting someone,
  figures of speech, recovery, someone else's death or risk, sleep, exams and
  work, questions about treatment, grief, games and fiction, ordinary goodbyes
  and giving things away (written for this project, the lexicon's sleep and
  fatigue constructs, and the safe sentences of the development posts).

A sentence's score is its **margin**: its cosine to the nearest risk phrase
minus its cosine to the nearest look-alike. Nothing is fitted but the thresholds:
a linear head over the similarities, fitted on a few hundred posts, followed
their wording and carried over worse to posts nobody here wrote (on the
development posts kept out of every fit, AUROC 0.68 for the old 16-weight head,
0.78 for the margin; `bench/screen_semantic.py`).

It embeds sentences, not whole posts: a whole-post embedding encodes the topic
(suicide) and not who is speaking, which is what tells a supporter from a person
at risk. The pattern layer's context rules decide which sentences the layer may
read: a sentence written to someone else, about someone else, in the past, as a
figure of speech or a joke, about a story or a game, or beside an ordinary
purpose is not read (`screen.semantic_gate`). The screen uses the layer only to
*raise* (see `risk.combine`); it never lowers what the patterns found.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..cache import cache_dir
from . import lexicon

# Screen construct name -> the lexicon constructs whose phrases stand for it (written phrases and
# development exemplars join them by the same name).
RISK_CONSTRUCTS: dict[str, tuple[str, ...]] = {
    "passive ideation": ("Passive suicidal ideation",),
    "active ideation": ("Active suicidal ideation & suicidal planning",),
    "other suicidal language": ("Other suicidal language",),
    "burden": ("Burdensomeness",),
    "self-injury": ("Direct self-injury",),
    "lethal means": ("Lethal means for suicide",),
    "hopelessness": ("Hopelessness", "Entrapment & desire to escape"),
    "preparation and goodbye": (),
    "recent attempt": (),
}
# Look-alikes taken from the lexicon: its prototypical phrases (single words such as "insomnia" included).
LEXICON_CONTRAST: dict[str, tuple[str, ...]] = {"sleep and tiredness": ("Sleep issues", "Fatigue & tired")}


class Encoder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """The layer's verdict on a post: its best sentence, that sentence's margin, and what it is near."""

    index: int  # the sentence, among the post's sentences
    margin: float  # cosine to the nearest risk phrase minus cosine to the nearest look-alike
    construct: str  # the nearest risk phrase's construct
    prototype: str  # ... and the phrase
    similarity: float
    look_alike: str  # the nearest look-alike's construct
    read: int  # how many of the post's sentences the layer read (the rest were in another voice)


@cache
def _data(name: str) -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath(f"data/{name}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


Exemplars = dict[str, list[dict[str, str]]]  # side ("risk", "contrast") -> rows {"text", "construct"}


def shipped_exemplars() -> Exemplars:
    data = _data("screen_exemplars.json")
    return {"risk": data["risk"], "contrast": data["contrast"]}


def prototypes(exemplars: Exemplars | None = None) -> dict[str, list[str]]:
    """Every risk construct's phrases, then every look-alike's (construct -> phrases)."""
    ex = shipped_exemplars() if exemplars is None else exemplars
    return {**_bank("risk", ex), **_bank("contrast", ex)}


def _bank(side: str, exemplars: Exemplars) -> dict[str, list[str]]:
    constructs = lexicon.lexicon()["constructs"]
    written = _data("screen_prototypes.json")[side]
    out: dict[str, dict[str, None]] = {}
    if side == "risk":
        for name, sources in RISK_CONSTRUCTS.items():
            phrases = out.setdefault(name, {})
            for source in sources:
                c = constructs[source]
                multiword = [p for p in c["phrases"] if " " in p.strip()]
                for p in (*c["prototypical"], *c["examples"], *multiword):
                    if p.strip().lower() not in lexicon.FIGURATIVE_OR_SERVICE:
                        phrases.setdefault(p.strip(), None)
    else:
        for name, sources in LEXICON_CONTRAST.items():
            phrases = out.setdefault(name, {})
            for source in sources:
                for p in constructs[source]["prototypical"]:
                    phrases.setdefault(p.strip(), None)
    for name, items in written.items():
        for p in items:
            out.setdefault(name, {}).setdefault(p, None)
    for row in exemplars[side]:
        out.setdefault(row["construct"], {}).setdefault(row["text"], None)
    return {name: [p for p in phrases if p] for name, phrases in out.items()}


@cache
def _weights() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("semantic_weights.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class SemanticScreen:
    """Scores the sentences the writer says in their own voice by their margin to risk."""

    def __init__(
        self, encoder: Encoder, weights: dict[str, Any] | None = None, exemplars: Exemplars | None = None
    ) -> None:
        self._encoder = encoder
        self._given = weights
        self._exemplars = exemplars
        self._lock = threading.Lock()
        self._matrix: npt.NDArray[np.float32] | None = None
        self._owners: list[tuple[str, str]] = []  # (construct, phrase) per prototype row
        self._risk: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)

    @property
    def weights(self) -> dict[str, Any]:
        return self._given if self._given is not None else _weights()

    @property
    def exemplars(self) -> Exemplars | None:
        """The exemplars given at construction (None: the shipped ones)."""
        return self._exemplars

    @property
    def raise_threshold(self) -> float:
        """Margin from which the layer alone raises a post to elevated."""
        return float(self.weights["raise_threshold"])

    @property
    def raise_from(self) -> float:
        """Margin above which the layer adds to the pattern score (below it, it adds nothing)."""
        return float(self.weights["raise_from"])

    def assess(self, sentences: Sequence[str], gates: Sequence[str | None]) -> SentenceScore | None:
        """The read sentence with the highest margin; None when no sentence was read.

        `gates[i]` is None for a sentence in the writer's own present voice, else why it is not read.
        """
        read = [i for i, g in enumerate(gates) if g is None and sentences[i].strip()]
        if not read:
            return None
        sims = self.similarities_of(self._encoder.embed([sentences[i] for i in read]))
        margins = self.margins_of(sims)
        j = int(np.argmax(margins))
        _, owners = self._prototypes()
        risk_cols = np.flatnonzero(self._risk)
        k = int(risk_cols[np.argmax(sims[j, risk_cols])])
        contrast_cols = np.flatnonzero(~self._risk)
        near = owners[int(contrast_cols[np.argmax(sims[j, contrast_cols])])][0]
        construct, phrase = owners[k]
        return SentenceScore(
            read[j], float(margins[j]), construct, phrase, float(sims[j, k]), near, len(read)
        )

    def warm(self) -> None:
        """Load the encoder and the prototypes now (at start), not on the first post."""
        self._prototypes()

    def similarities_of(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine of each embedded sentence to every prototype (rows are unit length)."""
        matrix, _ = self._prototypes()
        sims: npt.NDArray[np.float32] = embeddings @ matrix.T
        return sims

    def margins_of(self, sims: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Nearest risk phrase minus nearest look-alike, per sentence."""
        self._prototypes()
        out: npt.NDArray[np.float64] = sims[:, self._risk].max(axis=1).astype(float) - sims[
            :, ~self._risk
        ].max(axis=1).astype(float)
        return out

    def risk_mask(self) -> npt.NDArray[np.bool_]:
        """Which prototype rows are risk phrases (the rest are look-alikes)."""
        self._prototypes()
        return self._risk

    def owners(self) -> list[tuple[str, str]]:
        """(construct, phrase) of every prototype row."""
        return self._prototypes()[1]

    def _prototypes(self) -> tuple[npt.NDArray[np.float32], list[tuple[str, str]]]:
        with self._lock:
            if self._matrix is None:
                ex = shipped_exemplars() if self._exemplars is None else self._exemplars
                risk = _bank("risk", ex)
                owners = [(name, p) for name, phrases in prototypes(ex).items() for p in phrases]
                self._matrix = _cached_embeddings([p for _, p in owners], self._encoder)
                self._owners = owners
                self._risk = np.asarray([name in risk for name, _ in owners], dtype=bool)
            return self._matrix, self._owners


def _cached_embeddings(phrases: list[str], encoder: Encoder) -> npt.NDArray[np.float32]:
    """Prototype embeddings, kept in the model cache: embedding ~1,500 phrases takes seconds.

    The key covers the phrases and the encoder's file, so a new lexicon or converter re-embeds.
    Only lexicon phrases, this project's written phrases and its development posts are stored,
    never a member's text.
    """
    source = getattr(encoder, "path", None)
    if source is None and phrases:
        encoder.embed(phrases[:1])  # loads the model, whose file names the cache entry
        source = getattr(encoder, "path", None)
    key = hashlib.sha256(("\n".join(phrases) + f"|{source}").encode()).hexdigest()[:16]
    path = cache_dir() / f"prototypes-{key}.npy"
    if source is not None and path.is_file():
        try:
            cached: npt.NDArray[np.float32] = np.load(path)
            if cached.shape[0] == len(phrases):
                return cached
        except (OSError, ValueError):
            pass
    matrix = np.concatenate([encoder.embed(phrases[i : i + 64]) for i in range(0, len(phrases), 64)])
    if source is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, matrix)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs the seconds again next time
    return matrix
