"""The whole risk screen: language first, then the pattern layer, then the semantic layer.

- **Language.** The layers read English. A post in another language is shown
  as "not screened: language (xx)" with crisis resources one tap away, never as
  "no signs of crisis" — unless the patterns found risk anyway (English words
  inside another language still count).
- **Patterns** (`screen.RiskScreen`): clinical rules and the Suicide Risk
  Lexicon, with context (speaker, negation, past, hyperbole). They alone decide
  "acute".
- **Semantic** (`semantic.SemanticScreen`): sentence embeddings near a risk
  construct raise a post the patterns left at "none" to "elevated", with the
  construct and its nearest prototype as the reason. It never lowers anything.
  When the encoder is not installed the screen runs on patterns and says so in
  the layers it reports.
"""

from __future__ import annotations

import threading

from ..domain import LayerScore, RiskAssessment, RiskLevel
from ..embedding import default_encoder, encoder_unavailable_reason
from ..text import guess_language
from .normalise import fold_unicode
from .screen import RiskScreen, align, normalise, post_context, screen_sentences, voice
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
        self._semantic = semantic
        self._use_semantic = use_semantic
        self._lock = threading.Lock()

    @property
    def semantic(self) -> SemanticScreen | None:
        """The semantic layer, built on first use from the installed encoder (None if it is absent)."""
        if not self._use_semantic:
            return None
        with self._lock:
            if self._semantic is None:
                encoder = default_encoder()
                if encoder is None:
                    self._use_semantic = False
                    return None
                self._semantic = SemanticScreen(encoder)
            return self._semantic

    def semantic_status(self) -> str:
        if self.semantic is not None:
            return "on"
        return "off: " + (encoder_unavailable_reason() or "turned off in [safety] semantic_screen")

    def assess(self, text: str) -> RiskAssessment:
        found = self.patterns.assess(text)
        layers = [LayerScore("patterns", found.score, ", ".join(found.reasons))]
        language = guess_language(fold_unicode(text))
        if language not in _READS and not found.level.flagged:
            reason = f"not screened: language ({language})"
            layers.append(LayerScore("language", 0.0, reason))
            return RiskAssessment(RiskLevel.NONE, 0.0, (reason,), unscreened_language=language, layers=tuple(layers))
        if found.level is RiskLevel.ACUTE:
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        return self._with_semantic(text, found, layers)

    def _with_semantic(self, text: str, found: RiskAssessment, layers: list[LayerScore]) -> RiskAssessment:
        semantic = self.semantic
        if semantic is None:
            layers.append(LayerScore("semantic", 0.0, self.semantic_status()))
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        sentences = screen_sentences(text)
        best = semantic.assess(sentences, [voice(s) for s in sentences])
        if best is None:
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        reason = f"{best.construct} ≈ '{best.prototype}' (sentence {best.index + 1})"
        layers.append(LayerScore("semantic", round(best.score, 4), reason))
        weights = self.patterns.weights
        elevated, acute = float(weights["elevated_threshold"]), float(weights["acute_threshold"])
        # Written to someone else (a supporter's reply) is not raised, as the acute rules hold.
        own_voice = post_context(normalise(text))["supporter voice"] < 0.6
        if best.score < semantic.threshold or not own_voice:
            return RiskAssessment(found.level, found.score, found.reasons, layers=tuple(layers))
        score = min(max(found.score, align(best.score, semantic.threshold, elevated)), acute * 0.99)
        level = max(found.level, RiskLevel.ELEVATED, key=lambda lv: lv.rank)
        return RiskAssessment(level, round(score, 4), (*found.reasons, reason), layers=tuple(layers))
