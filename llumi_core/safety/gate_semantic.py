"""The semantic half of the output gate: unsafe kinds recognised by meaning, not by wording.

A draft can give a method, a dose, a secrecy promise or an offer to meet in words
no pattern lists ("what you've saved up is more than enough", "we could grab a
coffee and talk it through"). Each sentence of the draft is embedded with the
same encoder as the risk screen (all-MiniLM-L6-v2 through llama.cpp) and
compared with example sentences: a sentence is flagged when it is much closer to
the unsafe examples of one kind than to any safe sentence (a nearest-neighbour
margin: the mean cosine of its 3 nearest unsafe examples of that kind minus the
mean cosine of its 3 nearest safe sentences).

The examples (`gate_weights.json`) are written by `bench/gate_semantic.py`:
sentences this project wrote (`data/gate_fit.jsonl` and the bench's own written
sentences: unsafe of each kind and hard safe look-alikes) and sentences of
therapists' answers from the CounselChat training split (MIT) as the mostly-safe
side. They are stored as 8-bit codes of a 128-dimension projection of the
embeddings (principal components of the fit sentences), never as text. The one
threshold is chosen, out of fold, so that about 0.07 % of real sentences are
flagged. Linear heads were measured too and found half as sensitive at that
rate (`bench/results/gate_semantic_cv.json`). The evaluation replies in
`bench/data/eval_replies.jsonl` are never used to fit.
"""

from __future__ import annotations

import base64
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
    score: float  # the margin: how much nearer the kind's unsafe examples are than any safe sentence


@cache
def _weights() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("gate_weights.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def sentences(text: str) -> list[str]:
    """The draft's sentences, folded so disguised letters read as letters."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(fold_unicode(text))) if len(s) > 3]


def decode_codes(b64: str, rows: int, dim: int) -> npt.NDArray[np.float32]:
    """8-bit codes (base64) back to unit-length float rows."""
    raw = np.frombuffer(base64.b64decode(b64), dtype=np.int8).reshape(rows, dim)
    out = raw.astype(np.float32) / 127.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: npt.NDArray[np.float32] = out / np.maximum(norms, 1e-6)
    return result


def encode_codes(rows: npt.NDArray[np.floating[Any]]) -> str:
    """Unit-length rows as 8-bit codes (base64), the inverse of `decode_codes`."""
    codes = np.clip(np.round(np.asarray(rows) * 127.0), -127, 127).astype(np.int8)
    return base64.b64encode(codes.tobytes()).decode("ascii")


class SemanticGate:
    """`check(text)` returns one issue per sentence the nearest-neighbour margin flags."""

    def __init__(self, encoder: Encoder, weights: dict[str, Any] | None = None) -> None:
        self._encoder = encoder
        w = weights if weights is not None else _weights()
        self.kinds: list[str] = list(w["classes"])
        self._mean = np.asarray(w["mean"], dtype=np.float32)
        self._components = np.asarray(w["components"], dtype=np.float32)  # (dim, 384)
        dim = self._components.shape[0]
        self._unsafe = decode_codes(w["unsafe_codes"], len(w["unsafe_kinds"]), dim)
        self._unsafe_kind = np.asarray(w["unsafe_kinds"], dtype=np.int64)
        self._safe = decode_codes(w["safe_codes"], int(w["safe_rows"]), dim)
        self._top = int(w.get("top", 3))
        self._safe_top = int(w.get("safe_top", 3))
        self.threshold = float(w["threshold"])

    def warm(self) -> None:
        self._encoder.embed(["warm up"])

    def project(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        z = (np.asarray(embeddings, dtype=np.float32) - self._mean) @ self._components.T
        out: npt.NDArray[np.float32] = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-6)
        return out

    def margins(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """(sentences, kinds): mean cosine to the kind's 3 nearest unsafe examples minus to the 3 nearest safe."""
        z = self.project(embeddings)
        safe_sim = np.sort(z @ self._safe.T, axis=1)[:, -self._safe_top :].mean(axis=1)
        unsafe_sim = z @ self._unsafe.T
        out = np.full((len(z), len(self.kinds)), -2.0, dtype=np.float32)
        for j in range(len(self.kinds)):
            mine = unsafe_sim[:, self._unsafe_kind == j]
            if mine.shape[1]:
                out[:, j] = np.sort(mine, axis=1)[:, -self._top :].mean(axis=1) - safe_sim
        return out

    def findings(self, text: str) -> list[SentenceFinding]:
        sents = sentences(text)
        if not sents:
            return []
        m = self.margins(self._encoder.embed(sents))
        out: list[SentenceFinding] = []
        for i, sentence in enumerate(sents):
            j = int(np.argmax(m[i]))
            if m[i, j] >= self.threshold:
                out.append(SentenceFinding(self.kinds[j], sentence, float(m[i, j])))
        return out

    def check(self, text: str) -> list[OutputIssue]:
        return [
            OutputIssue(GATE_KIND.get(f.kind, f.kind), f.sentence, WHY[f.kind] + " (semantic check)")
            for f in self.findings(text)
        ]
