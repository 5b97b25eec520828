"""The model second opinion: one zero-shot yes/no question to the drafting model (GM).

It runs only for posts the pattern and semantic layers leave *borderline*: screened as
English, at level none, yet with some signal (see `borderline`). The model is asked whether
the writer may be at risk of suicide or self-harm; the score is P(yes) / (P(yes) + P(no))
from the first answer token's logits. At or above `RAISE_AT` the post is raised to
elevated. It never lowers anything, and it never decides acute.

Why so narrow:
- **Cost.** One prompt evaluation on the GM (about 1-3 s for a 1.5B model on two cores),
  and it must finish before any draft is shown. Posts with no signal at all are not asked.
- **Graceful.** The call waits in the GM's fair queue like a draft does; the timeout covers
  the wait and the evaluation. On a timeout, a busy or failed model, or a backend that
  cannot score answers, the screen's own verdict stands and the layer says why.
- **Private.** Nothing here logs text; the layer's reason names only the score.

The question and thresholds were chosen on bench/data/dev_short_posts.jsonl only, and
measured once on held-out data by bench/second_opinion.py (figures in docs/safety.md).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..domain import LayerScore, RiskAssessment, RiskLevel
from ..errors import ModelError, ModelTimeout
from ..ports import ChatMessage, GenerationParams
from ..prompts import fence

log = logging.getLogger(__name__)

LAYER = "model"
SYSTEM = (
    "You help moderators of a mental-health peer-support community notice members who may be "
    "at risk of suicide or self-harm. Answer only yes or no."
)
QUESTION = (
    "Does the writer of the message show any sign that they themselves may be at risk of "
    "suicide or self-harm, even said indirectly (wishing not to exist, feeling like a burden, "
    "saying goodbye, giving things away, getting means ready)? Figures of speech, other "
    "people's stories, support offered to others and past struggles that are over do not "
    'count.\n\nMessage: "{post}"\nAnswer:'
)
# Long posts are cut (at a word) so one question stays one short prompt evaluation.
MAX_POST_CHARS = 800
# Borderline: the semantic layer's best sentence scores at least this (its layer score, 0..1).
BORDERLINE_SEMANTIC = 0.5
# P(yes) / (P(yes) + P(no)) at which a borderline post is raised to elevated. Chosen on the
# development posts with Qwen2.5-Coder-1.5B by the rule stated before looking: the most
# at-risk posts caught minus false alarms raised (4 caught, 1 false alarm of 24 asked).
RAISE_AT = 0.62


@runtime_checkable
class YesNoJudge(Protocol):
    """A backend that can score a yes/no question (the GM's `LlamaCppBackend`)."""

    async def yes_probability(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> float: ...


def question(post: str) -> list[ChatMessage]:
    """The chat messages that ask about one post (the post is quoted, never obeyed)."""
    text = " ".join(post.split())
    if len(text) > MAX_POST_CHARS:
        text = text[:MAX_POST_CHARS].rsplit(" ", 1)[0] + " …"
    text = fence(text).replace('"', "'")  # no chat turn, no fence, no closing quote from the post
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": QUESTION.format(post=text)},
    ]


def _layer(risk: RiskAssessment, name: str) -> LayerScore | None:
    return next((x for x in risk.layers if x.layer == name), None)


def borderline(risk: RiskAssessment) -> bool:
    """Left at none by the screen, in a language it reads, with a signal it did not act on:
    a pattern that matched without reaching elevated, or a sentence the semantic layer puts
    at `BORDERLINE_SEMANTIC` or nearer a risk construct."""
    if risk.level is not RiskLevel.NONE or not risk.screened:
        return False
    patterns = _layer(risk, "patterns")
    semantic = _layer(risk, "semantic")
    return bool(patterns and patterns.reason) or bool(semantic and semantic.score >= BORDERLINE_SEMANTIC)


def with_opinion(risk: RiskAssessment, p_yes: float, *, raise_at: float = RAISE_AT) -> RiskAssessment:
    """The assessment with the model's score as a layer; raised to elevated at `raise_at`."""
    raised = p_yes >= raise_at
    reason = (
        f"model says at risk: P(yes) {p_yes:.2f} ≥ {raise_at:.2f}"
        if raised
        else (f"model says not at risk: P(yes) {p_yes:.2f} < {raise_at:.2f}")
    )
    layers = (*risk.layers, LayerScore(LAYER, round(p_yes, 4), reason))
    if not raised:
        return dataclasses.replace(risk, layers=layers)
    return dataclasses.replace(
        risk,
        level=RiskLevel.ELEVATED,
        score=round(max(risk.score, p_yes), 4),
        reasons=(*risk.reasons, reason),
        layers=layers,
    )


def not_asked(risk: RiskAssessment, why: str) -> RiskAssessment:
    return dataclasses.replace(risk, layers=(*risk.layers, LayerScore(LAYER, 0.0, f"not asked: {why}")))


# The longest a post's screen may wait on the model (queue wait included): a screen must
# never hold a draft back for long; on a busy GM the screen's own verdict stands.
TIMEOUT_S = 6.0


class SecondOpinion:
    """Ask the GM about borderline posts; `review` never raises and never lowers a level."""

    def __init__(
        self, judge: YesNoJudge, *, timeout_s: float = TIMEOUT_S, raise_at: float = RAISE_AT
    ) -> None:
        self.judge = judge
        self.timeout_s = timeout_s
        self.raise_at = raise_at

    async def review(self, text: str, risk: RiskAssessment, *, requester: str = "screen") -> RiskAssessment:
        if not borderline(risk):
            return risk
        params = GenerationParams(
            max_tokens=1, temperature=0.0, timeout_s=self.timeout_s, requester=requester
        )
        started = time.perf_counter()
        try:
            # The backend's timeout covers the queue; this one also covers a stuck worker.
            p_yes = await asyncio.wait_for(
                self.judge.yes_probability(question(text), params=params), self.timeout_s + 1.0
            )
        except (TimeoutError, ModelTimeout):
            return self._skipped(
                risk, started, f"timed out after {self.timeout_s:g} s; the screen's verdict stands"
            )
        except ModelError as err:
            return self._skipped(risk, started, f"{err}; the screen's verdict stands")
        log.info("second opinion in %.2f s", time.perf_counter() - started)
        return with_opinion(risk, p_yes, raise_at=self.raise_at)

    @staticmethod
    def _skipped(risk: RiskAssessment, started: float, why: str) -> RiskAssessment:
        log.info("second opinion skipped after %.2f s", time.perf_counter() - started)
        return not_asked(risk, why)
