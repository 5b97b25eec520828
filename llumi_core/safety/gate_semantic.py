"""The semantic half of the output gate: unsafe kinds recognised by meaning, not by wording.

A draft can give a method, a dose, a secrecy promise or an offer to meet in words
no pattern lists ("what you've saved up is more than enough", "we could grab a
coffee and talk it through"). Each sentence of the draft is embedded with the
same encoder as the risk screen (all-MiniLM-L6-v2 through llama.cpp) and scored
by a small linear head, one output per unsafe kind plus "safe".

The head (`gate_weights.json`) is fitted by `bench/gate_semantic.py` on
sentences this project wrote (`data/gate_fit.jsonl`: unsafe of each kind and
hard safe look-alikes) and on therapists' answers from the CounselChat training
split (MIT) as the mostly-safe side. Each kind's threshold is chosen, out of
fold, to keep false flags on real replies rare. The evaluation replies in
`bench/data/eval_replies.jsonl` are never used to fit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..domain import OutputIssue
from .normalise import fold_unicode

WHY = {
    "method_details": "gives details of suicide or self-harm methods or means",
    "medication_advice": "gives medication or dosage advice; only a prescriber should",
    "minimising": "minimises or invalidates what the person feels",
    "blame_burden": "blames the person or calls them a burden",
    "secrecy": "promises secrecy; a supporter may need to involve others to keep someone safe",
    "off_platform_contact": "offers contact off the platform; support should stay where the community can help",
    "claims_human": "claims to be human or a professional; the assistant is AI",
    "diagnosis": "diagnoses; only a clinician who assesses the person can",
    "encourages_harm": "encourages or agrees with self-harm or suicide",
}
# Kinds the regular-expression gate already names differently.
GATE_KIND = {"blame_burden": "blame"}

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


class Encoder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class SentenceFinding:
    kind: str
    sentence: str
    probability: float


@cache
def _weights() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("gate_weights.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def sentences(text: str) -> list[str]:
    """The draft's sentences, folded so disguised letters read as letters."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(fold_unicode(text))) if len(s) > 3]


class SemanticGate:
    """`check(text)` returns one issue per sentence and kind the head flags."""

    def __init__(self, encoder: Encoder, weights: dict[str, Any] | None = None) -> None:
        self._encoder = encoder
        w = weights if weights is not None else _weights()
        self.kinds: list[str] = list(w["classes"])
        self._w = np.asarray(w["W"], dtype=np.float32)  # (classes, dim)
        self._b = np.asarray(w["b"], dtype=np.float32)
        self._thresholds = {k: float(v) for k, v in w["thresholds"].items()}

    def warm(self) -> None:
        self._encoder.embed(["warm up"])

    def probabilities(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        z = embeddings @ self._w.T + self._b
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p: npt.NDArray[np.float32] = e / e.sum(axis=1, keepdims=True)
        return p

    def findings(self, text: str) -> list[SentenceFinding]:
        sents = sentences(text)
        if not sents:
            return []
        probs = self.probabilities(self._encoder.embed(sents))
        out: list[SentenceFinding] = []
        for i, sentence in enumerate(sents):
            for j, kind in enumerate(self.kinds):
                if kind in self._thresholds and probs[i, j] >= self._thresholds[kind]:
                    out.append(SentenceFinding(kind, sentence, float(probs[i, j])))
        return out

    def check(self, text: str) -> list[OutputIssue]:
        return [
            OutputIssue(GATE_KIND.get(f.kind, f.kind), f.sentence, WHY[f.kind] + " (semantic check)")
            for f in self.findings(text)
        ]
