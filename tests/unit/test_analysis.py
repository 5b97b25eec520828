"""The five-dimension analysis: properties on hand-written replies (no model needed)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from llumi_core.evaluation import analysis, empathy
from llumi_core.evaluation.analysis import DIMENSIONS, analyze, overall

WARM = (
    "I'm so sorry you're going through this; it sounds like you feel really alone right now. "
    "I've been there too. What has been the hardest part for you this week? "
    "It might help to talk to a counselor, and you could try writing down what you feel each evening."
)
COLD = "Whatever. Just get over it."


def test_every_dimension_has_a_score_between_0_and_1() -> None:
    for text in (WARM, COLD, "ok", ""):
        result = analyze(text)
        assert set(result) == set(DIMENSIONS)
        for dim in DIMENSIONS:
            assert 0.0 <= result[dim]["score"] <= 1.0, (text, dim)
        assert 0.0 <= overall(result) <= 1.0


def test_empathy_mechanisms_are_0_to_2_and_warm_beats_cold() -> None:
    warm, cold = analyze(WARM)["empathy"], analyze(COLD)["empathy"]
    for mech in empathy.MECHANISMS:
        assert 0.0 <= warm[mech] <= 2.0 and 0.0 <= cold[mech] <= 2.0
    assert warm["score"] > cold["score"] + 0.3


def test_a_question_to_the_writer_reads_as_exploration() -> None:
    asked = empathy.empathy_levels(
        "How are you feeling about it now? Do you want to talk about what happened?"
    )
    told = empathy.empathy_levels("That happens to a lot of people. It gets better with time.")
    assert asked["explorations"] > told["explorations"] + 0.5


def test_sympathy_reads_as_emotional_reaction() -> None:
    sorry = empathy.empathy_levels("I'm so sorry, that sounds awful. Sending hugs.")
    flat = empathy.empathy_levels("Go to the doctor and get a prescription.")
    assert sorry["emotional_reactions"] > flat["emotional_reactions"] + 0.5


def test_connection_actionability_and_safety_separate_the_replies() -> None:
    warm, cold = analyze(WARM), analyze(COLD)
    assert warm["connection"]["questions_to_writer"] >= 1
    assert warm["connection"]["score"] > cold["connection"]["score"]
    assert warm["actionability"]["next_steps"] >= 2 and warm["actionability"]["resources_mentioned"] >= 1
    assert warm["actionability"]["score"] > cold["actionability"]["score"]
    assert cold["safety"]["issues"], "a dismissive reply must raise a safety issue"
    assert warm["safety"]["score"] > cold["safety"]["score"]


def test_readability_prefers_plain_language() -> None:
    plain = analyze("You are not alone. Many people feel this way. It is okay to ask for help.")
    dense = analyze(
        "Notwithstanding the multifactorial aetiology of depressive symptomatology, psychopharmacological "
        "interventions, contextualised within comprehensive psychotherapeutic frameworks, demonstrate "
        "considerable heterogeneity regarding longitudinal effectiveness across demographic subpopulations."
    )
    assert plain["readability"]["flesch_reading_ease"] > dense["readability"]["flesch_reading_ease"]
    assert plain["readability"]["score"] > dense["readability"]["score"]


def test_analysis_is_fast_enough_for_batch_reports() -> None:
    analyze(WARM)  # first call loads the lexicon and the head
    start = time.perf_counter()
    for _ in range(50):
        analyze(WARM)
    assert (time.perf_counter() - start) / 50 < 0.02


def test_shipped_head_carries_attribution_and_no_text() -> None:
    data = json.loads(empathy.HEAD_FILE.read_text(encoding="utf-8"))
    assert "EPITOME" in data["attribution"]
    assert set(data["heads"]) == set(empathy.MECHANISMS)
    assert all(isinstance(v, float) for v in data["heads"]["interpretations"]["ngram_w"][:100])
    assert data["metrics"]["cv_spearman"]["interpretations"] >= 0.45


def test_spearman_handles_ties_and_constants() -> None:
    assert empathy.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert empathy.spearman([1, 1, 2, 2], [2, 2, 1, 1]) == pytest.approx(-1.0)
    assert empathy.spearman([1, 1, 1], [1, 2, 3]) == 0.0


def test_fallback_when_the_checker_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "_output_checker", lambda: None)
    result = analysis.safety("Just get over it, others have it worse.")
    assert result["checker"] == "fallback" and result["score"] < 1.0


EPITOME = Path(__file__).resolve().parents[3] / "shared" / "eval" / "epitome"


def test_cross_validation_recovers_a_signal_on_a_small_sample() -> None:
    if not (EPITOME / "explorations-reddit.csv").exists():
        pytest.skip(f"EPITOME data not found at {EPITOME}")
    import csv

    with (EPITOME / "explorations-reddit.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:400]
    texts, labels = [r["response_post"] for r in rows], [float(r["level"]) for r in rows]
    rho = empathy.spearman(empathy.cross_validate(texts, labels, k=4), labels)
    assert rho > 0.3
