"""Redaction of personal data before the model and before storage."""

from __future__ import annotations

import pytest

from llumi_core.safety.redact import find_personal_data, redact


@pytest.mark.parametrize(
    ("text", "placeholder", "secret"),
    [
        ("write to jane.doe+x@example.co.uk please", "[email]", "jane.doe"),
        ("my number is +44 20 7946 0958", "[phone]", "7946"),
        ("call me on (555) 123-4567 tonight", "[phone]", "123-4567"),
        ("see https://example.com/path?q=1 for it", "[url]", "example.com"),
        ("my blog is www.mysite.org", "[url]", "mysite"),
        ("it's at reddit.com/r/secretplace", "[url]", "secretplace"),
        ("hey <@123456789012345678> look", "[user]", "123456789012345678"),
        ("hey <@!123456789012345678> look", "[user]", "123456789012345678"),
        ("ask <@&123456789012345678> roles", "[user]", "123456789012345678"),
        ("ping @sad_panda about it", "[user]", "sad_panda"),
        ("ask u/throwaway_22 on reddit", "[user]", "throwaway_22"),
        ("I live at 221B Baker Street, London", "[address]", "Baker"),
        ("we moved to 12 North Oak Ave. last year", "[address]", "Oak"),
        ("Ich wohne in der Hauptstraße 5", "[address]", "Hauptstraße"),
        ("j'habite 12 rue de la Paix", "[address]", "Paix"),
        ("postcode SW1A 1AA", "[address]", "SW1A"),
    ],
)
def test_personal_data_becomes_a_typed_placeholder(text: str, placeholder: str, secret: str) -> None:
    out = redact(text)
    assert placeholder in out
    assert secret not in out


def test_given_names_are_redacted_in_any_case_and_in_parts() -> None:
    out = redact("Jane Doe said jane doe was sad. Jane's cat is fine.", ["Jane Doe"])
    assert "Jane" not in out and "jane" not in out and "Doe" not in out
    assert out.count("[name]") == 3
    assert "[name]'s cat" in out


def test_a_name_that_is_a_word_leaves_the_word_alone() -> None:
    out = redact("Will said he will call.", ["Will"])
    assert out == "[name] said he will call."


def test_handles_are_matched_case_insensitively() -> None:
    assert redact("SAD_PANDA was here", ["sad_panda"]) == "[name] was here"


@pytest.mark.parametrize(
    "text",
    [
        "I am 25 years old and it was 2019.",
        "On 2023-01-15 at 10:30 I took 3 of my 20 pills.",
        "call 988 or 13 11 14",
        "e.g. this, i.e. that.",
        "I feel like I can't go on.",
        "We met @ the park.",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_email_is_not_also_a_handle() -> None:
    spans = find_personal_data("mail a.b@example.com")
    assert [s.kind for s in spans] == ["email"]


def test_redact_is_idempotent() -> None:
    text = "Mail jane@example.com or call 0161 496 0000, ask @mod_sam."
    once = redact(text, ["Sam"])
    assert redact(once, ["Sam"]) == once
