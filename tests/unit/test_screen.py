"""The risk screen on the hard cases that break keyword screens (issue 5)."""

from __future__ import annotations

import json
import re
import time
from importlib import resources
from pathlib import Path

import pytest

from llumi_core.domain import RiskLevel
from llumi_core.safety import screen as screen_module
from llumi_core.safety.screen import RiskScreen, find_signals, normalise


@pytest.fixture(scope="module")
def screen() -> RiskScreen:
    return RiskScreen()


def level(screen: RiskScreen, text: str) -> RiskLevel:
    return screen.assess(text).level


ACUTE = [
    "I'm going to kill myself tonight. I've got the pills ready.",
    "I have a plan and I wrote my note. Goodbye everyone.",
    "im gonna end it this weekend, i already bought a rope",
    "This is my last post. I'm going to do it tonight.",
    # Means at hand with a time or a farewell, with no word of "suicide" at all.
    "I have the pills in front of me and I'm going to take them all tonight. Goodbye everyone.",
    "I'm going to take all my pills tonight",
    "I have the pills ready and I'm going to take them all tonight",
]
ELEVATED_OR_MORE = [
    "I want to die.",
    "I keep thinking about killing myself.",
    "I tried to kill myself last month and I still feel the same.",
    "I cut myself again last night.",
    "I'm so suicidal lately.",
]


@pytest.mark.parametrize("text", ACUTE)
def test_explicit_intent_with_plan_or_time_is_acute(screen: RiskScreen, text: str) -> None:
    assert level(screen, text) is RiskLevel.ACUTE


@pytest.mark.parametrize("text", ELEVATED_OR_MORE)
def test_first_person_risk_is_flagged(screen: RiskScreen, text: str) -> None:
    assert level(screen, text).flagged


@pytest.mark.parametrize(
    "text",
    [
        "Please don't kill yourself, talk to me. I'm here for you.",
        "If you are feeling suicidal, please call 988 or text a crisis line.",
        "Have you told anyone that you want to die? You deserve support.",
        "Suicide is never the answer, you matter to so many people.",
        "Why do you want to end your life? What happened today?",
    ],
)
def test_supporters_writing_about_suicide_are_not_flagged(screen: RiskScreen, text: str) -> None:
    assert level(screen, text) is RiskLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, just tired.",
        "I would never kill myself, I just need to vent about work.",
        "I don't want to die, I want things to change.",
    ],
)
def test_negation(screen: RiskScreen, text: str) -> None:
    assert level(screen, text) is RiskLevel.NONE


def test_recovery_and_distant_past_weigh_less_than_now(screen: RiskScreen) -> None:
    clean = screen.assess("Two years clean from cutting today and I'm proud of myself.")
    now = screen.assess("I cut myself again last night.")
    assert clean.level is RiskLevel.NONE
    assert clean.score < now.score


@pytest.mark.parametrize(
    "text",
    [
        "this homework is killing me lol",
        "I'm literally dying of laughter 😂",
        "my boss is going to kill me if I'm late again haha",
        "I'm dying to see the new movie",
        "ugh mondays make me want to die lol",
        "I'm going to take them all to the movies tonight",
        "I take my pills every morning and they help",
    ],
)
def test_hyperbole(screen: RiskScreen, text: str) -> None:
    assert level(screen, text) is RiskLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "honestly i just want to kms",
        "i want to unalive myself",
        "thinking about sewerslide again",
        "I want to k1ll mys3lf",
        "i want to k i l l  m y s e l f",
        "i want to s.u.i.c.i.d.e",
        "thinking about su*cide",
    ],
)
def test_slang_and_obfuscation(screen: RiskScreen, text: str) -> None:
    assert level(screen, text).flagged


def test_normalise_undoes_obfuscation() -> None:
    assert "kill myself" in normalise("K1LL MYS3LF")
    assert "kill myself" in normalise("k i l l  m y s e l f")
    assert "suicide" in normalise("sewer slide")


def test_hopelessness_alone_is_a_reason_not_a_banner(screen: RiskScreen) -> None:
    # C-SSRS: hopelessness without a word of dying is an indicator; the moderator sees why it scored.
    result = screen.assess("I don't see the point in anything anymore.")
    assert result.level is RiskLevel.NONE and "hopelessness/burden" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Everyone would be better off without me.",
        "I wish I could just go to sleep and not wake up.",
        "I don't want to be alive anymore.",
        "I'm just a burden to everyone around me.",
    ],
)
def test_passive_ideation_without_keywords(screen: RiskScreen, text: str) -> None:
    result = screen.assess(text)
    assert result.level.flagged
    assert result.reasons


def test_third_person_concern(screen: RiskScreen) -> None:
    result = screen.assess("My friend told me she wants to kill herself and I don't know what to do.")
    assert result.level.flagged
    assert "third-person concern" in result.reasons


def test_reasons_name_the_signals(screen: RiskScreen) -> None:
    result = screen.assess("I'm going to kill myself tonight, I have the pills. Goodbye.")
    assert {"explicit intent", "timeline", "goodbye/finality"} <= set(result.reasons)


def test_neutral_and_empty_posts(screen: RiskScreen) -> None:
    for text in ("", "   ", "What's a good book for a long train ride?", "I had a rough day at work."):
        result = screen.assess(text)
        assert result.level is RiskLevel.NONE
        assert 0.0 <= result.score < 0.5


def test_score_is_monotone_with_risk(screen: RiskScreen) -> None:
    calm = screen.assess("I had a nice walk today.").score
    sad = screen.assess("I feel so hopeless and alone.").score
    acute = screen.assess("I'm going to kill myself tonight, I have the pills ready.").score
    assert 0.0 <= calm < sad < acute <= 1.0


def test_fast_enough_for_a_busy_server(screen: RiskScreen) -> None:
    posts = [
        "I don't know what to do anymore, my parents keep fighting and I can't sleep.",
        "Please don't give up, you matter and we are here for you.",
        "i want to kms tonight honestly",
        "Had a good day today, finally went outside.",
    ] * 250
    started = time.perf_counter()
    for post in posts:
        screen.assess(post)
    rate = len(posts) / (time.perf_counter() - started)
    # About 2,000 posts/s on one core; the bound leaves room for a busy shared CI machine.
    assert rate > 500, f"only {rate:.0f} posts/s"


def test_stems_cover_every_pattern() -> None:
    """The substring prefilter must never hide a pattern: with stems disabled, results are the same."""
    texts = (
        ACUTE
        + ELEVATED_OR_MORE
        + [
            "Everyone would be better off without me.",
            "I was out of the hospital last week after my attempt.",
            "My friend told me she wants to kill herself.",
            "I've been so depressed and lonely, I can't sleep.",
            "thank you all for everything, by the time you read this I'll be gone",
            "i have a gun to my head",
        ]
    )
    with_stems = [sorted((h.signal, h.weight) for h in find_signals(t)) for t in texts]
    without = [
        sorted((h.signal, h.weight) for h in screen_module._find(normalise(t), prefilter=False))
        for t in texts
    ]
    assert with_stems == without


def test_weights_file_is_small_attributed_and_holds_no_text() -> None:
    path = resources.files("llumi_core.safety").joinpath("screen_weights.json")
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert len(raw) < 5000
    assert "CC BY 4.0" in data["note"] and "Gaur" in data["note"]
    assert set(data["coef"]) == set(screen_module.FEATURES)
    assert 0 < data["elevated_threshold"] < data["acute_threshold"] <= 1
    # Only names and numbers: no sentences from the data.
    assert not re.search(r"\b(?:I|my|me)\b", json.dumps(data["coef"]))


def test_import_builds_nothing_heavy() -> None:
    # The weights load on first use, not at import.
    assert screen_module._weights.cache_info().currsize in (0, 1)


CSSRS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "cssrs" / "cssrs_reddit_500.csv"


@pytest.mark.slow
def test_cssrs_targets_on_clinician_labelled_users() -> None:
    """The pattern layer with its shipped weights on the public C-SSRS users, in sample: a floor
    that catches regressions. The honest, cross-validated figures are bench/screen_semantic.py's."""
    if not CSSRS.exists():
        pytest.skip(f"C-SSRS evaluation data not found at {CSSRS} (see ../shared/eval/README.md)")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import screen_cssrs

    users = screen_cssrs.load_users(CSSRS)
    score, level, _, _ = screen_cssrs.run_direct(users)
    result = screen_cssrs.summarise(users, score, level)
    assert result["auroc"] >= 0.80
    # Issue 10's context rules (quotes, topics, groups, "no painless way") took the Supportive share
    # from 0.30 to 0.21 for 0.88 -> 0.85 of Behavior+Attempt in sample.
    assert result["recall_behavior_attempt"] >= 0.84
    assert result["supportive_flagged"] <= 0.25


def test_stems_cover_every_pattern_on_the_development_posts() -> None:
    """The prefilter hides nothing on the 440 development posts either (every rule class of issue 10)."""
    data = Path(__file__).resolve().parents[2] / "bench" / "data"
    texts = [
        json.loads(line)["text"]
        for name in ("dev_short_posts.jsonl", "dev3_short_posts.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for text in texts:
        norm = normalise(text)
        fast = sorted((h.signal, h.weight) for h in screen_module._find(norm))
        assert fast == sorted((h.signal, h.weight) for h in screen_module._find(norm, prefilter=False))
