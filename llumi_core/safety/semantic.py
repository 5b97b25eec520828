"""The semantic layer of the risk screen: sentence embeddings against clinical construct prototypes.

Patterns miss what is said in other words ("nobody would even notice if I was
gone", "I keep thinking everyone's life would be easier"). This layer embeds
each sentence of a post with all-MiniLM-L6-v2 (`llumi_core.embedding`, run by
llama.cpp, no torch) and measures how close it comes to the prototypes of each
construct of the Suicide Risk Lexicon (Low et al. 2024: the clinicians'
prototypical phrases and the construct's own examples), and to contrast
prototypes that look alike but are not risk (supporting someone else, figures
of speech, recovery, someone else's death, sleep problems).

It embeds sentences, not whole posts: a whole-post embedding encodes the topic
(suicide) and not who is speaking, which is exactly what tells a supporter from
a person at risk. The same context rules as the patterns decide which sentences
speak in the writer's own voice.

A linear head over those similarities and the sentence's voice (weights in
`semantic_weights.json`, fitted by `bench/screen_semantic.py` on short posts
written for this project, `bench/data/dev_short_posts.jsonl`; signs fixed by
the rule that nearness to a risk construct raises and nearness to a look-alike
lowers) gives each sentence a logit. The screen uses the layer only to *raise*: it adds to the pattern
score what the best sentence has above `raise_from`, and raises a post to
elevated on its own from `raise_threshold`. It never lowers what the patterns found.
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

# Screen construct name -> the lexicon constructs whose prototypes stand for it.
RISK_CONSTRUCTS: dict[str, tuple[str, ...]] = {
    "passive ideation": ("Passive suicidal ideation",),
    "active ideation": ("Active suicidal ideation & suicidal planning",),
    "other suicidal language": ("Other suicidal language",),
    "burden": ("Burdensomeness",),
    "self-injury": ("Direct self-injury",),
    "lethal means": ("Lethal means for suicide",),
    "hopelessness": ("Hopelessness", "Entrapment & desire to escape"),
}

# Look-alikes that are not the writer's risk. Written for this layer (not taken from any
# evaluation set): the voices that make keyword screens fail on supporters and on slang.
CONTRAST: dict[str, tuple[str, ...]] = {
    "supporting someone": (
        "please don't hurt yourself, we care about you",
        "if you are thinking about suicide, please reach out to a crisis line",
        "you are not alone, I'm here for you",
        "have you talked to a therapist about these feelings?",
        "it gets better, hang in there",
        "please stay safe tonight and message the moderators",
        "your family would be devastated, please don't do it",
        "I hope you find a reason to keep going",
    ),
    "figure of speech": (
        "this exam is killing me",
        "I'm dead tired after work",
        "I would rather die than sing in public",
        "my boss is going to kill me if I'm late",
        "I nearly died laughing",
        "this traffic makes me want to scream",
        "I'm dying to see the new movie",
        "kill me now, this meeting is so boring",
    ),
    "recovery": (
        "I've been clean from self-harm for two years",
        "I used to feel suicidal but therapy helped me",
        "looking back, I'm glad I'm still here",
        "things got better after I got help",
    ),
    "someone else": (
        "my friend told me she wants to die and I don't know how to help",
        "the character in the show killed himself",
        "I read an article about suicide prevention",
        "my uncle died by suicide when I was a kid",
    ),
    "sleep and tiredness": ("Sleep issues", "Fatigue & tired"),
    "everyday trouble sleeping": (
        "I can't sleep again tonight",
        "my insomnia is back and I'm exhausted",
        "I keep waking up at 3am",
        "I'm so tired I could sleep for a week",
    ),
}
_LEXICON_CONTRAST = {"sleep and tiredness"}

FEATURES = (*RISK_CONSTRUCTS, *CONTRAST, "first person", "second person", "hyperbole")


class Encoder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """The layer's verdict on one sentence: its score and the construct and prototype it is nearest."""

    index: int
    logit: float  # the head's logit for the sentence (the layer's score before calibration)
    construct: str
    prototype: str
    similarity: float


def prototypes() -> dict[str, list[str]]:
    """Every construct's prototype phrases: for risk, the lexicon's clinician-rated prototypical
    phrases, its examples and its other multi-word phrases (figures of speech and service names
    left out, as in the pattern layer); for contrast, the phrases written above."""
    constructs = lexicon.lexicon()["constructs"]
    out: dict[str, list[str]] = {}
    for name, sources in RISK_CONSTRUCTS.items():
        phrases: dict[str, None] = {}
        for source in sources:
            c = constructs[source]
            multiword = [p for p in c["phrases"] if " " in p.strip()]
            for p in (*c["prototypical"], *c["examples"], *multiword):
                if p.strip().lower() not in lexicon.FIGURATIVE_OR_SERVICE:
                    phrases.setdefault(p.strip(), None)
        out[name] = [p for p in phrases if p]
    for name, items in CONTRAST.items():
        if name in _LEXICON_CONTRAST:
            out[name] = [p for source in items for p in constructs[source]["prototypical"]]
        else:
            out[name] = list(items)
    return out


@cache
def _weights() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("semantic_weights.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class SemanticScreen:
    """Scores sentences by their nearness to risk constructs, in the writer's own voice."""

    def __init__(self, encoder: Encoder, weights: dict[str, Any] | None = None) -> None:
        self._encoder = encoder
        self._given = weights
        self._lock = threading.Lock()
        self._matrix: npt.NDArray[np.float32] | None = None
        self._owners: list[tuple[str, str]] = []  # (construct, phrase) per prototype row

    @property
    def weights(self) -> dict[str, Any]:
        return self._given if self._given is not None else _weights()

    @property
    def raise_threshold(self) -> float:
        """Logit from which the layer alone raises a post to elevated."""
        return float(self.weights["raise_threshold"])

    @property
    def raise_from(self) -> float:
        """Logit above which the layer adds to the pattern score (below it, it adds nothing)."""
        return float(self.weights["raise_from"])

    @property
    def elevated_threshold(self) -> float:
        """The combined score's elevated threshold (with a suicide-specific signal)."""
        return float(self.weights["elevated_threshold"])

    def logits(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The head's logit per sentence: a linear function of its similarities and voice.

        Only similarities and voice, not the raw embedding: a head over 384 dimensions fitted on
        long Reddit histories learned their topics and did not carry over to short posts.
        """
        w = self.weights
        coef = np.asarray([float(w["coef"][f]) for f in FEATURES])
        z: npt.NDArray[np.float64] = rows @ coef + float(w["bias"])
        return z

    def assess(
        self, sentences: Sequence[str], voices: Sequence[tuple[bool, bool, bool]]
    ) -> SentenceScore | None:
        """The highest-scoring sentence, with the risk prototype it is nearest; None if no text."""
        if not sentences:
            return None
        sims = self._similarities(sentences)
        z = self.logits(self._rows(sims, voices))
        best = int(np.argmax(z))
        _, owners = self._prototypes()
        risk = [k for k, (owner, _) in enumerate(owners) if owner in RISK_CONSTRUCTS]
        k = max(risk, key=lambda i: float(sims[best, i]))
        return SentenceScore(best, float(z[best]), owners[k][0], owners[k][1], float(sims[best, k]))

    def warm(self) -> None:
        """Load the encoder and the prototypes now (at start), not on the first post."""
        self._prototypes()

    def _similarities(self, sentences: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.similarities_of(self._encoder.embed(list(sentences)))

    def similarities_of(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine of each embedded sentence to every prototype (rows are unit length)."""
        matrix, _ = self._prototypes()
        sims: npt.NDArray[np.float32] = embeddings @ matrix.T
        return sims

    def rows_of(
        self, embeddings: npt.NDArray[np.float32], voices: Sequence[tuple[bool, bool, bool]]
    ) -> npt.NDArray[np.float64]:
        """Feature rows for sentences already embedded (the fitting bench caches embeddings)."""
        return self._rows(self.similarities_of(embeddings), voices)

    def _rows(
        self, sims: npt.NDArray[np.float32], voices: Sequence[tuple[bool, bool, bool]]
    ) -> npt.NDArray[np.float64]:
        _, owners = self._prototypes()
        names = [*RISK_CONSTRUCTS, *CONTRAST]
        rows = np.zeros((sims.shape[0], len(FEATURES)))
        for j, name in enumerate(names):
            cols = [k for k, (owner, _) in enumerate(owners) if owner == name]
            rows[:, j] = sims[:, cols].max(axis=1)
        rows[:, len(names) :] = np.asarray(voices, dtype=float).reshape(sims.shape[0], 3)
        return rows

    def _prototypes(self) -> tuple[npt.NDArray[np.float32], list[tuple[str, str]]]:
        with self._lock:
            if self._matrix is None:
                owners = [(name, p) for name, phrases in prototypes().items() for p in phrases]
                self._matrix = _cached_embeddings([p for _, p in owners], self._encoder)
                self._owners = owners
            return self._matrix, self._owners


def _cached_embeddings(phrases: list[str], encoder: Encoder) -> npt.NDArray[np.float32]:
    """Prototype embeddings, kept in the model cache: embedding ~900 phrases takes seconds.

    The key covers the phrases and the encoder's file, so a new lexicon or converter re-embeds.
    Only lexicon phrases and this module's own are stored, never member text.
    """
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
    matrix = encoder.embed(phrases)
    if source is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, matrix)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs the seconds again next time
    return matrix
