"""The whole risk screen: language first, then the pattern layer, then the semantic layer.

- **Language.** The layers read English. A post in another language is shown
  as "not screened: language (xx)" with crisis resources one tap away, never as
  "no signs of crisis" — unless the patterns found risk anyway (English words
  inside another language still count).
- **Patterns** (`screen.RiskScreen`): clinical rules and the Suicide Risk
  Lexicon, with context (speaker, negation, past, hyperbole). Their rules make
  a post "acute" by themselves.
- **Semantic** (`semantic.SemanticScreen`): the sentences said in the writer's
  own present voice are compared with risk phrases and their look-alikes; a
  margin from `raise_threshold` raises a post the patterns left at "none" to
  "elevated", with the construct and its nearest phrase as the reason, and to
  "acute" only beside an act the patterns found (a plan, means, a method
  question, an attempt, a goodbye, affairs in order: `ACTS`). It never lowers
  anything. When the encoder is not installed the screen runs on patterns and
  says so in the layers it reports.
"""

from __future__ import annotations

import math

from ..domain import LayerScore, RiskAssessment, RiskLevel
from ..text import guess_language
from .layer import LazyLayer
from .screen import (
    RiskScreen,
    is_specific,
    normalise,
    normalised_features,
    own_voice,
    screen_sentences,
    semantic_gate,
    semantic_segments,
)
from .semantic import SemanticScreen

_READS = {"en", "und"}


class LayeredScreen:
    """`assess(text)` runs every layer; `semantic=False` keeps to patterns (fast, no model)."""

    def __init__(
        self,
        patterns: RiskScreen | None = None,
        semantic: SemanticScreen | None = None,
        *,
        use_semantic: bool = True,
    ) -> None:
        self.patterns = patterns or RiskScreen()
        self._semantic = LazyLayer(SemanticScreen, enabled=use_semantic, layer=semantic)

    @property
    def semantic(self) -> SemanticScreen | None:
        """The semantic layer, built on first use from the installed encoder (None if it is absent)."""
        return self._semantic.get()

    def warm(self) -> None:
        self._semantic.warm()

    def semantic_status(self) -> str:
        return self._semantic.status()

    def assess(self, text: str) -> RiskAssessment:
        norm = normalise(text)
        feats = normalised_features(norm)
        found = self.patterns.verdict(feats)
        layers = [LayerScore("patterns", found.score, ", ".join(found.reasons))]
        language = guess_language(norm)
        if language not in _READS and not found.level.flagged:
            reason = f"not screened: language ({language})"
            layers.append(LayerScore("language", 0.0, reason))
            return RiskAssessment(
                RiskLevel.NONE, 0.0, (reason,), unscreened_language=language, layers=tuple(layers)
            )
        if found.level is RiskLevel.ACUTE:
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        return self._with_semantic(norm, feats, found, layers)

    def _with_semantic(
        self, norm: str, feats: dict[str, float], found: RiskAssessment, layers: list[LayerScore]
    ) -> RiskAssessment:
        semantic = self.semantic
        if semantic is None:
            layers.append(LayerScore("semantic", 0.0, self.semantic_status()))
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        segments = semantic_segments(screen_sentences(norm, normalised=True))
        sentences = [text for _, text in segments]
        gates = [semantic_gate(s) for s in sentences]
        best = semantic.assess(sentences, gates) if own_voice(feats) else None
        if best is None:
            why = "no sentence in the writer's own voice" if sentences else "no text"
            layers.append(LayerScore("semantic", 0.0, f"not read: {why}"))
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        reason = f"{best.construct} ≈ '{best.prototype}' (sentence {segments[best.index][0] + 1})"
        # 0.5 at `borderline_from`, the margin from which short development posts start to be at risk,
        # below the stricter raise: a post the layer reads near risk without raising it is borderline
        # (the second opinion asks about those).
        mid = float(semantic.weights.get("borderline_from", semantic.raise_from))
        layers.append(LayerScore("semantic", round(_sigmoid(10.0 * (best.margin - mid)), 4), reason))
        verdict = combine(self.patterns, semantic.weights, feats, best.margin)
        reasons = found.reasons
        if verdict.level.rank > found.level.rank:
            reasons = (*reasons, reason)
        return RiskAssessment(verdict.level, verdict.score, reasons, layers=tuple(layers))


# Acts the pattern layer finds that make a post acute when the semantic layer, on its own evidence,
# also puts the post at risk: a plan or its particulars, means, a method question, an attempt, a
# goodbye or affairs put in order. The semantic layer alone never makes a post acute.
ACTS = (
    "plan",
    "specific plan",
    "means at hand",
    "method or means",
    "method question",
    "recent attempt",
    "goodbye/finality",
    "farewell",
    "preparation",
    "timeline",
)


def combine(
    patterns: RiskScreen, weights: dict[str, float], feats: dict[str, float], margin: float
) -> RiskAssessment:
    """Patterns and the semantic layer's best sentence (read in the writer's own voice), which may only raise.

    The learned score gains `alpha` times what the sentence's margin has above `raise_from`; the
    level is the patterns' rules on that score, or elevated when the margin alone reaches
    `raise_threshold`, or acute when it does beside an act the patterns found (`ACTS`).
    """
    p = patterns.score(feats)
    z = _logit(p) + float(weights["alpha"]) * max(0.0, margin - float(weights["raise_from"]))
    score = _sigmoid(z)
    level = patterns.verdict(feats).level
    raised = margin >= float(weights["raise_threshold"])
    if level is RiskLevel.NONE:
        by_score = is_specific(feats) and score >= float(weights["elevated_threshold"])
        if by_score or raised:
            level = RiskLevel.ELEVATED
    if level is RiskLevel.ELEVATED and raised and max(feats[a] for a in ACTS) >= 0.5:
        level = RiskLevel.ACUTE
    return RiskAssessment(level, round(patterns.banded(max(score, p), level), 4))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
