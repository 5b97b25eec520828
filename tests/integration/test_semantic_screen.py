"""The semantic layer of the risk screen with the real encoder (all-MiniLM-L6-v2 through llama.cpp)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from llumi_core.domain import RiskLevel
from llumi_core.embedding import default_encoder, encoder_unavailable_reason
from llumi_core.safety.risk import LayeredScreen
from llumi_core.safety.semantic import RISK_CONSTRUCTS, SemanticScreen, prototypes, shipped_exemplars

pytestmark = pytest.mark.skipif(
    default_encoder() is None, reason=f"sentence encoder not installed: {encoder_unavailable_reason()}"
)


@pytest.fixture(scope="module")
def screen() -> LayeredScreen:
    s = LayeredScreen()
    assert s.semantic is not None
    return s


@pytest.fixture(scope="module")
def patterns() -> LayeredScreen:
    return LayeredScreen(use_semantic=False)


def semantic_layer(screen: LayeredScreen, text: str) -> tuple[float, str]:
    layer = {x.layer: x for x in screen.assess(text).layers}["semantic"]
    return layer.score, layer.reason


def test_raises_what_patterns_miss_and_names_the_construct(
    screen: LayeredScreen, patterns: LayeredScreen
) -> None:
    text = "i wish i had never been born"
    assert patterns.assess(text).level is RiskLevel.NONE
    result = screen.assess(text)
    assert result.level is RiskLevel.ELEVATED  # the layer alone never makes a post acute
    _, reason = semantic_layer(screen, text)
    assert reason in result.reasons
    assert "≈ '" in reason and reason.endswith("(sentence 1)")
    assert reason.split(" ≈ ")[0] in RISK_CONSTRUCTS


def test_the_margin_ranks_paraphrases_of_risk_above_look_alikes(screen: LayeredScreen) -> None:
    def score(text: str) -> float:
        return semantic_layer(screen, text)[0]

    risky = ["part of me wants to be gone permanently", "nobody would even notice if i was gone"]
    alike = ["I can't sleep", "my grandma died last week and i miss her", "i had a long day at work"]
    assert min(map(score, risky)) > max(map(score, alike))


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself tonight, I have the pills ready.",
        "I have a plan. It happens on friday.",
        "i just want to sleep and never wake up",
    ],
)
def test_never_lowers_what_the_patterns_found(
    screen: LayeredScreen, patterns: LayeredScreen, text: str
) -> None:
    assert screen.assess(text).level.rank >= patterns.assess(text).level.rank


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


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("my brother keeps saying he wants to disappear forever", "about someone else"),
        ("i used to want to disappear forever, therapy helped", "past"),
        ("if you want to disappear forever, please message us first", "written to someone else"),
    ],
)
def test_sentences_in_another_voice_are_not_read(screen: LayeredScreen, text: str, why: str) -> None:
    from llumi_core.safety.screen import semantic_gate

    assert semantic_gate(text) == why
    score, reason = semantic_layer(screen, text)
    assert score == 0.0 and reason.startswith("not read")
    assert screen.assess(text).level is RiskLevel.NONE


def test_acute_needs_an_act_the_patterns_found(screen: LayeredScreen, patterns: LayeredScreen) -> None:
    # Things given away (an act the patterns find, not acute alone) and a wish the layer reads: acute.
    with_act = "gave my records to my cousin. some days i just want everything to stop for good"
    assert patterns.assess(with_act).level is RiskLevel.NONE
    assert screen.assess(with_act).level is RiskLevel.ACUTE
    # The same wish beside an ordinary sentence: elevated, not acute.
    without = "my neighbour has my cat now. i wish i had never been born"
    assert screen.assess(without).level is RiskLevel.ELEVATED


def test_every_layer_reports_a_score_and_a_reason(screen: LayeredScreen) -> None:
    result = screen.assess("nobody would even notice if i was gone")
    names = [x.layer for x in result.layers]
    assert names == ["patterns", "semantic"]
    assert all(0.0 <= x.score <= 1.0 for x in result.layers)


def test_prototypes_come_from_the_lexicon_the_written_phrases_and_the_development_posts() -> None:
    protos = prototypes()
    assert "wish I could disappear" in protos["passive ideation"]  # the lexicon
    assert "I don't plan on being around much longer" in protos["other suicidal language"]  # written
    exemplars = shipped_exemplars()
    assert exemplars["risk"] and exemplars["contrast"]
    assert all(row["text"] in protos[row["construct"]] for row in exemplars["risk"] + exemplars["contrast"])
    assert all(protos[name] for name in protos)
    assert not any(p.lower() in {"kill me", "safety plan"} for p in protos["other suicidal language"])


def test_weights_and_phrases_ship_their_provenance() -> None:
    files = resources.files("llumi_core.safety")
    weights = json.loads(files.joinpath("semantic_weights.json").read_text(encoding="utf-8"))
    assert {"raise_threshold", "raise_from", "alpha", "elevated_threshold"} <= set(weights)
    assert "CC BY 4.0" in weights["note"] and "dev3" in weights["note"]
    for name in ("screen_prototypes.json", "screen_exemplars.json"):
        data = json.loads(files.joinpath(f"data/{name}").read_text(encoding="utf-8"))
        assert "written for this project" in data["source"].lower() or "for this project" in data["source"]
        assert data["licence"]


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
