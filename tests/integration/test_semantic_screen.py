"""The semantic layer of the risk screen with the real encoder (all-MiniLM-L6-v2 through llama.cpp)."""

from __future__ import annotations

import pytest

from llumi_core.domain import RiskLevel
from llumi_core.embedding import default_encoder, encoder_unavailable_reason
from llumi_core.safety.risk import LayeredScreen
from llumi_core.safety.semantic import RISK_CONSTRUCTS, SemanticScreen, prototypes

pytestmark = pytest.mark.skipif(
    default_encoder() is None, reason=f"sentence encoder not installed: {encoder_unavailable_reason()}"
)


@pytest.fixture(scope="module")
def screen() -> LayeredScreen:
    s = LayeredScreen()
    assert s.semantic is not None
    return s


def semantic_layer(screen: LayeredScreen, text: str) -> str:
    layers = {x.layer: x for x in screen.assess(text).layers}
    return layers["semantic"].reason


def test_raises_what_patterns_miss_and_names_the_construct(screen: LayeredScreen) -> None:
    text = "i wish i had never been born"
    assert LayeredScreen(use_semantic=False).assess(text).level is RiskLevel.NONE
    result = screen.assess(text)
    assert result.level is RiskLevel.ELEVATED
    reason = semantic_layer(screen, text)
    assert reason in result.reasons
    assert "≈ '" in reason and reason.endswith("(sentence 1)")
    assert reason.split(" ≈ ")[0] in RISK_CONSTRUCTS


def test_paraphrases_of_risk_score_above_look_alikes(screen: LayeredScreen) -> None:
    def semantic_score(text: str) -> float:
        return {x.layer: x for x in screen.assess(text).layers}["semantic"].score

    risky = ["part of me wants to be gone permanently", "everyone would be better off if i was gone"]
    alike = ["I can't sleep", "this exam is killing me lol", "my grandma died last week and i miss her"]
    assert min(map(semantic_score, risky)) > max(map(semantic_score, alike))


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself tonight, I have the pills ready.",
        "I have a plan. It happens on friday.",
        "i just want to sleep and never wake up",
    ],
)
def test_never_lowers_what_the_patterns_found(screen: LayeredScreen, text: str) -> None:
    patterns_only = LayeredScreen(use_semantic=False).assess(text)
    assert screen.assess(text).level.rank >= patterns_only.level.rank


@pytest.mark.parametrize(
    "text",
    [
        "I can't sleep",
        "this exam is killing me lol",
        "please don't hurt yourself, we are all here for you and you matter",
        "my grandma died last week and i miss her",
    ],
)
def test_look_alikes_are_not_raised(screen: LayeredScreen, text: str) -> None:
    assert screen.assess(text).level is RiskLevel.NONE


def test_every_layer_reports_a_score_and_a_reason(screen: LayeredScreen) -> None:
    result = screen.assess("nobody would even notice if i was gone")
    names = [x.layer for x in result.layers]
    assert names == ["patterns", "semantic"]
    assert all(0.0 <= x.score <= 1.0 for x in result.layers)


def test_prototypes_come_from_the_lexicon_and_the_contrast_lists() -> None:
    protos = prototypes()
    assert "wish I could disappear" in protos["passive ideation"]
    assert all(protos[name] for name in protos)
    assert not any(p.lower() in {"kill me", "safety plan"} for p in protos["other suicidal language"])


def test_prototype_embeddings_are_cached(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLUMI_CACHE_DIR", str(tmp_path))
    encoder = default_encoder()
    assert encoder is not None
    SemanticScreen(encoder).warm()
    assert list(tmp_path.glob("prototypes-*.npy"))


def test_without_the_encoder_the_screen_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import llumi_core.safety.layer as layer

    monkeypatch.setattr(layer, "default_encoder", lambda: None)
    monkeypatch.setattr(layer, "encoder_unavailable_reason", lambda: "the model package is not installed")
    result = LayeredScreen().assess("part of me wants to be gone permanently")
    semantic = {x.layer: x for x in result.layers}["semantic"]
    assert semantic.reason == "off: the model package is not installed"
