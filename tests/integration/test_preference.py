"""The community preference model: shipped with provenance, usable replies above unusable ones."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from llumi_core.domain import Actor, Post
from llumi_core.evaluation import preference as pref
from tests.conftest import make_settings
from tests.fakes import ScriptedBackend, scripted_service

POST = (
    "I've been trying to cut down on drinking and made it nine days, then slipped last night. "
    "I feel like I've wasted all the effort and I'm embarrassed to tell my sponsor."
)
GOOD = (
    "Nine days is real progress, and one slip doesn't erase it. Feeling embarrassed makes sense, "
    "and it shows how much this matters to you. Your sponsor has likely heard this many times. "
    "What might make it a little easier to tell them?"
)


def test_pairwise_fit_recovers_the_direction_people_prefer() -> None:
    rng = np.random.default_rng(0)
    truth = np.array([1.0, -0.5, 0.0])
    a, b = rng.normal(size=(400, 3)), rng.normal(size=(400, 3))
    a_wins = (a - b) @ truth + rng.logistic(size=400) * 0.3 > 0
    diffs = np.where(a_wins[:, None], a - b, b - a)
    w = pref.fit_pairwise(diffs, ridge=1e-3)
    assert np.corrcoef(w, truth)[0, 1] > 0.95


def test_shipped_head_has_provenance_and_held_out_figures_and_no_text() -> None:
    raw = json.loads(pref.HEAD_FILE.read_text())
    head = pref.shipped_head()
    assert head.weights.shape == (len(pref.FEATURE_NAMES),)
    assert "train split only" in head.provenance["data"] and head.provenance["contains_text"] is False
    assert head.validation["pairwise_agreement"]["pairs"] > 0
    assert "never fitted on" in head.validation["data"]
    strings = [v for v in json.dumps(raw["provenance"]).split('"') if len(v) > 120]
    assert not strings, "the head file carries figures and names, no quoted text"


def test_findings_put_a_reply_below_the_usable_floor() -> None:
    assert pref.combine(0.99, ("markup (tag)",)) < pref.USABLE_FLOOR < pref.combine(0.01, ())
    assert pref.cut_off("It sounds like you are carrying a lot, and")
    assert not pref.cut_off("It sounds like you are carrying a lot.")


@pytest.fixture(scope="module")
def model() -> pref.PreferenceModel:
    found = pref.default_preference_model()
    if found is None:
        from llumi_core.embedding import encoder_unavailable_reason

        pytest.skip(f"the sentence encoder is not installed: {encoder_unavailable_reason()}")
    return found


@pytest.mark.slow
def test_unusable_drafts_rank_below_a_usable_one(model: pref.PreferenceModel) -> None:
    flawed = {
        "markup": f"<post>{GOOD}</post>",
        "echo": "The member's post is quoted between the tags below. " + GOOD,
        "gate": GOOD + " I'm a trained therapist, so you can trust me on this.",
        "cut off": "Nine days is real progress, and one slip doesn't erase it, and",
        "off-topic": "The recipe needs two cups of flour, a pinch of salt and an hour in the oven at 180 degrees.",
    }
    texts = [GOOD, *flawed.values()]
    scores = model.score(POST, texts)
    assert scores[0].usable and scores[0].score > pref.USABLE_FLOOR, scores[0]
    for (kind, _), s in zip(flawed.items(), scores[1:], strict=True):
        assert not s.usable and s.score < pref.USABLE_FLOOR, (kind, s)
    assert model.rank(POST, list(reversed(texts)))[0] == len(texts) - 1, "the usable reply is ranked first"


@pytest.mark.slow
async def test_several_drafts_come_best_first(tmp_path: Path, model: pref.PreferenceModel) -> None:
    """Best-of-n: the service orders the drafts by the preference model, whatever order they came in."""
    off_topic = "The recipe needs two cups of flour, a pinch of salt and an hour in the oven at 180 degrees."
    backend = ScriptedBackend(off_topic)
    backend.replies = [off_topic, GOOD]
    svc = scripted_service(make_settings(tmp_path), backend)
    result = await svc.draft(Post.local(POST), Actor.local(), n=2)
    assert [d.text for d in result.drafts] == [GOOD, off_topic]
    assert svc.ranker is not None
