"""Crisis resource presets, admin overrides, and resources in acute drafts."""

from __future__ import annotations

import re

import pytest

from llumi_core.crisis_resources import PRESETS, resources_for
from llumi_core.domain import CrisisResource
from llumi_core.errors import ConfigError
from llumi_core.safety.resources import (
    SAFETY_QUESTION,
    ensure_resources,
    has_resources,
    responds_to_risk,
    with_safety_question,
)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(
    ("region", "needle"),
    [
        ("us", "988"),
        ("uk-ie", "116123"),
        ("ca", "988"),
        ("au", "131114"),
        ("in", "14416"),
        ("de", "08001110111"),
        ("de", "08001110222"),
        ("fr", "3114"),
    ],
)
def test_presets_carry_the_national_lines(region: str, needle: str) -> None:
    assert any(needle in digits(r.contact) for r in PRESETS[region])


def test_international_points_to_find_a_helpline() -> None:
    assert any("findahelpline.com" in (r.url or "") + r.contact for r in PRESETS["international"])


def test_every_preset_has_an_emergency_line_and_a_region() -> None:
    for region, resources in PRESETS.items():
        assert resources, region
        assert all(r.region == region for r in resources)
        assert any(r.note == "immediate danger" for r in resources), region


def test_every_entry_names_its_source_in_the_code() -> None:
    from importlib import resources as res

    source = res.files("llumi_core").joinpath("crisis_resources.py").read_text(encoding="utf-8")
    assert (
        source.count("# Source:")
        >= sum(1 for rs in PRESETS.values() for r in rs if r.note != "immediate danger") - 1
    )


def test_custom_resources_replace_the_preset() -> None:
    mine = (CrisisResource("Our peer line", "call 0123", "local"),)
    assert resources_for("us", mine) == mine
    assert resources_for("us") == PRESETS["us"]


@pytest.mark.parametrize("alias", ["UK", "ireland", "uk_ie", " US ", "Germany"])
def test_region_aliases(alias: str) -> None:
    assert resources_for(alias)


def test_unknown_region_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as err:
        resources_for("narnia")
    message = str(err.value)
    assert "narnia" in message
    for region in ("us", "uk-ie", "ca", "au", "in", "de", "fr", "international"):
        assert region in message


def test_ensure_resources_appends_when_missing() -> None:
    draft = "I'm so sorry you're going through this. We're here."
    out = ensure_resources(draft, PRESETS["us"])
    assert out.startswith(draft)
    assert "988" in out and has_resources(out, PRESETS["us"])


def test_ensure_resources_keeps_a_draft_that_has_them() -> None:
    draft = "Please call or text 988 right now, you don't have to face tonight alone."
    assert ensure_resources(draft, PRESETS["us"]) == draft
    uk = "You can ring Samaritans free on 116 123, any time."
    assert ensure_resources(uk, PRESETS["uk-ie"]) == uk


def test_ensure_resources_is_idempotent_and_handles_empty() -> None:
    once = ensure_resources("Thinking of you.", PRESETS["au"])
    assert ensure_resources(once, PRESETS["au"]) == once
    assert ensure_resources("text", ()) == "text"


@pytest.mark.parametrize(
    "reply",
    [
        "I'm glad you told us. Are you thinking about suicide?",
        "That sounds heavy. Are you safe right now?",
        "Is someone with you right now?",
        "Please call a crisis line tonight, you matter.",
        "If you are in danger, contact emergency services.",
        "Are you having thoughts of ending your life?",
    ],
)
def test_a_reply_that_asks_about_safety_or_points_to_help_answers_the_risk(reply: str) -> None:
    assert responds_to_risk(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "That sounds lonely. What do you like to do at weekends?",
        "Is there a safe place to park near the office?",
        "You mentioned suicide in your post. That must be hard.",  # names it, asks nothing
        "What do you think the world could see if you were gone?",
    ],
)
def test_a_reply_that_neither_asks_nor_points_to_help_does_not(reply: str) -> None:
    assert not responds_to_risk(reply)


def test_a_named_resource_answers_the_risk() -> None:
    resources = resources_for("uk-ie")
    assert responds_to_risk(f"You could talk to {resources[0].name}.", resources)


def test_the_safety_question_replaces_a_closing_question_or_ends_the_reply() -> None:
    assert with_safety_question("You matter. What helps?") == f"You matter. {SAFETY_QUESTION}"
    assert with_safety_question("You matter.") == f"You matter. {SAFETY_QUESTION}"
    assert with_safety_question("What helps?") == f"What helps? {SAFETY_QUESTION}"
