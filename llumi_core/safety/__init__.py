"""Safety: the risk screen, crisis resources, output checks and redaction, as one facade.

The service talks only to `Safety`; the parts live in their own modules so each
can be measured and improved on its own (see bench/screen_cssrs.py and
bench/check_outputs.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import PrivacySettings, SafetySettings
from ..domain import CommunityConfig, CrisisResource, OutputIssue, RiskAssessment, RiskLevel
from . import names
from .checks import OutputChecker
from .redact import redact
from .resources import ensure_resources, resources_for, responds_to_risk, with_safety_question
from .risk import LayeredScreen
from .second_opinion import SecondOpinion, YesNoJudge, borderline, not_asked


class Safety:
    def __init__(
        self,
        settings: SafetySettings | None = None,
        privacy: PrivacySettings | None = None,
        *,
        screen: LayeredScreen | None = None,
        checker: OutputChecker | None = None,
    ) -> None:
        self.settings = settings or SafetySettings()
        self.privacy = privacy or PrivacySettings()
        self._screen = screen or LayeredScreen(use_semantic=self.settings.semantic)
        self._checker = checker or OutputChecker(use_semantic=self.settings.semantic)

    def warm(self) -> None:
        """Load the semantic layers (encoder, prototypes) before the first post arrives."""
        self._screen.warm()
        self._checker.warm()
        if self.privacy.redact_before_model or self.privacy.store_content == "redacted":
            names.warm()  # the personal-name detector, when installed (a few seconds, once)

    def status(self) -> dict[str, str]:
        """Content-free facts for `llumi status`: which layers run."""
        return {
            "risk screen semantic layer": self._screen.semantic_status(),
            "output gate semantic layer": self._checker.semantic_status(),
            "personal-name redaction": names.status(),
            "risk screen model second opinion": (
                "on" if self.settings.model_second_opinion else "off: [safety] model_second_opinion is false"
            ),
        }

    def screen(self, text: str) -> RiskAssessment:
        """Assess the risk a post signals. Runs before any draft is made."""
        return self._screen.assess(text)

    async def screen_with_opinion(self, text: str, judge: object, *, for_model: str) -> RiskAssessment:
        """`screen`, then, with `[safety] model_second_opinion`, the GM's yes/no on a borderline post.

        `for_model` is the post as the model may see it (redacted). The opinion may only raise
        the level; on a timeout or a model that cannot answer, the screen's verdict stands.
        """
        risk = self.screen(text)
        if not self.settings.model_second_opinion or not borderline(risk):
            return risk
        if not isinstance(judge, YesNoJudge):
            return not_asked(risk, "the drafting model's backend cannot score a yes/no answer")
        return await SecondOpinion(judge).review(for_model, risk)

    def check(self, text: str) -> tuple[OutputIssue, ...]:
        """Problems in generated text (claims to be human, secrecy, methods, …)."""
        if not self.settings.check_outputs:
            return ()
        return tuple(self._checker.check(text))

    def redact_for_model(self, text: str, names: Sequence[str] = ()) -> str:
        return redact(text, names) if self.privacy.redact_before_model else text

    def redact_text(self, text: str) -> str:
        """Personal data replaced by placeholders (what `store_content = "redacted"` keeps)."""
        return redact(text)

    def redact_for_storage(self, text: str, names: Sequence[str] = ()) -> str:
        """What `[privacy] store_content` allows to be kept of a text: nothing, redacted, or all."""
        policy = self.privacy.store_content
        return "" if policy == "none" else redact(text, names) if policy == "redacted" else text

    def resources(self, community: CommunityConfig | None) -> tuple[CrisisResource, ...]:
        if community is None:
            return resources_for(self.settings.region)
        return resources_for(community.crisis_region, community.custom_resources)

    @staticmethod
    def answer_risk(text: str, risk: RiskAssessment, resources: Sequence[CrisisResource]) -> str:
        """A reply to a flagged post that asks about safety (and, when acute, names the resources).

        When the model neither asked about suicide or safety nor pointed to help, its closing
        question gives way to `SAFETY_QUESTION`: asking directly is what every gatekeeper
        protocol starts with, and a small model does not do it reliably on its own.
        """
        if not risk.level.flagged:
            return text
        if not responds_to_risk(text, resources):
            text = with_safety_question(text)
        return ensure_resources(text, resources) if risk.level is RiskLevel.ACUTE else text


__all__ = ["Safety", "redact"]
