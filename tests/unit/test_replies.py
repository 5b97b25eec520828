"""Replies made fit to show: prompt markup stripped, copied spans found (issue 10, item 7)."""

from __future__ import annotations

import pytest

from llumi_core.prompts import STOP_SEQUENCES
from llumi_core.replies import (
    CopyGuard,
    drop_sentences,
    find_markup,
    strip_markup,
    strip_partial,
    trim_unfinished,
)
from llumi_core.service import tidy_model_text

POST = "I feel like nobody would notice if I disappeared tomorrow and that scares me a lot."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<response>I'm sorry you're hurting.</response>", "I'm sorry you're hurting."),
        ("I hear you.</reply>", "I hear you."),
        ("<reply>\nI hear you.\n</reply>", "I hear you."),
        ("<pre>I hear you, friend.</pre>", "I hear you, friend."),
        ("That's a lot.\n<post>\nI want to die\n</post>", "That's a lot."),
        ("That's a lot.\n<post>\nI want to die", "That's a lot."),
        ("<post>I feel alone</post>\nI'm sorry you feel alone.", "I'm sorry you feel alone."),
        ("<post>\nI'm so sorry you feel this way.\n</post>", "I'm so sorry you feel this way."),
        ("<post>\nI'm so sorry you feel", "I'm so sorry you feel"),
        ("Hello ‹post› the member's words", "Hello"),
        ("I'm here.<|im_end|>\n<|im_start|>user\nthanks", "I'm here."),
        ("I'm here.\nUser: thanks\nAssistant: ok", "I'm here."),
        ("User: I feel sad\nAssistant: I'm sorry you feel sad.", "I'm sorry you feel sad."),
        ("User: I feel sad", ""),
        ("### Response\nI'm here for you.\n### Instruction\nWrite more", "I'm here for you."),
        ("```\nI'm with you.\n```", "I'm with you."),
        ("I'm with you.\n```\nthe member's post\n```", "I'm with you."),
        ("I'm glad you wrote.\n<pre>\nthe member's post", "I'm glad you wrote."),
        (
            "You matter <3, <@123> and <https://example.org>",
            "You matter <3, <@123> and <https://example.org>",
        ),
        ("<<Dear friend, I hear you.", "Dear friend, I hear you."),
        ("Sender: thanks for the post\nReply:\nI hear you.\n- Sender: ok", "I hear you."),
    ],
)
def test_markup_is_stripped_and_quotes_are_cut(raw: str, clean: str) -> None:
    assert strip_markup(raw) == clean
    assert not find_markup(strip_markup(raw)) or "<@" in clean


def test_tidy_strips_markup_and_announcements() -> None:
    assert tidy_model_text('Reply: <response>"I hear you."</response>') == "I hear you."
    assert tidy_model_text("The supporter could reply:\n- I hear you.") == "I hear you."


@pytest.mark.parametrize(
    "partial", ["I hear you <", "I hear you </po", "I hear <|im_e", "I hear ``", "I ### Res"]
)
def test_streamed_partials_never_show_half_a_tag(partial: str) -> None:
    shown = strip_partial(partial)
    assert shown.startswith("I") and not any(c in shown for c in "<|`#")


def test_stop_sequences_cover_the_fences_and_chat_tokens() -> None:
    for stop in ("</post>", "\n<post>", "</reply>", "<|im_end|>", "<|im_start|>", "<|endoftext|>", "</s>"):
        assert stop in STOP_SEQUENCES
    # A reply wrapped in these (the default model does it often) would come back empty.
    assert "<reply>" not in STOP_SEQUENCES and "<post>" not in STOP_SEQUENCES


def test_copy_of_eight_words_is_found_on_normalised_words() -> None:
    guard = CopyGuard([POST])
    draft = "I'm so sorry. You wrote: I FEEL like nobody would\u200b notice if I disappeared. What helps?"
    spans = guard.find(draft)
    assert len(spans) == 1 and draft[spans[0].start : spans[0].end].startswith("I FEEL")
    assert drop_sentences(draft, spans) == "I'm so sorry. What helps?"
    assert guard.copies("I'm sorry; I feel like nobody would notice if I disappeared.")


def test_short_reflection_is_not_a_copy() -> None:
    guard = CopyGuard([POST])
    assert not guard.copies("It sounds like you feel nobody would notice if you disappeared.")
    # 7 words of the post inside a reply of its own (a short draft that is only them is a copy).
    assert not guard.copies("You said nobody would notice if I disappeared tomorrow. I would.")


def test_inflections_still_count_as_a_copy() -> None:
    guard = CopyGuard(["I've been clean from self harm for 30 days today!"])
    assert guard.copies("I've been clean from self-harming for 30 days, well done.")


def test_allowed_text_may_be_repeated() -> None:
    mine = "you said nobody would notice if you disappeared and I would notice"
    guard = CopyGuard([mine + " today"], allowed=[mine])
    assert guard.copies(mine + " today")
    assert not guard.copies(mine)


INSTRUCTIONS = (
    "The member's post is quoted between <post> and </post>. If they may be in danger, say you are glad "
    "they reached out and encourage them to contact a crisis line or emergency services now."
)


def test_five_words_of_the_instructions_are_an_echo_unless_quotable() -> None:
    guard = CopyGuard([POST], [INSTRUCTIONS], quotable=["contact a crisis line or emergency services now"])
    assert guard.echoes_prompt("I hear you. The member's post is quoted") and not guard.copies_post("x")
    assert not guard.copies("Please contact a crisis line or emergency services now.")
    assert not guard.copies("The member's post")  # four words


@pytest.mark.parametrize(
    ("text", "trimmed"),
    [
        ("I hear you, friend. You matter so much.\n\nThe member's post is quoted between", None),
        ("That sounds so hard for you. It takes a lot of effort to improve in any field or area,", None),
        (
            "I hear you. It takes a lot of effort",
            "I hear you. It takes a lot of effort",
        ),  # too little before it
        ("Sending you a hug", "Sending you a hug"),
        ("I'm sorry you feel this way. Some ideas:\n- walk\n- call a friend", None),
        ("I'm with you 💛", "I'm with you 💛"),
    ],
)
def test_an_unfinished_last_sentence_is_dropped(text: str, trimmed: str | None) -> None:
    expected = trimmed if trimmed is not None else text
    if trimmed is None and "\n- " not in text:
        expected = text[: max(text.rfind("."), text.rfind("?")) + 1]
    assert trim_unfinished(text) == expected


def test_echo_markers_count_anywhere_unless_the_supporter_wrote_them() -> None:
    guard = CopyGuard([POST], markers=["quoted between", "the member's"])
    assert guard.echoes_prompt("I hear you. The post is quoted between")
    assert guard.echoes_prompt("Here is a reply to the member's post: I hear you.")
    assert not guard.copies("The members here care about you.")
    mine = CopyGuard([POST], markers=["the member's"], allowed=["I read the member's post twice."])
    assert not mine.copies("I read the member's post twice, and I hear you.")


def test_a_short_draft_that_is_the_post_is_a_copy() -> None:
    guard = CopyGuard(["bad day.", POST])
    assert guard.copies_post("Bad day!") and guard.copies("nobody would notice if I disappeared")
    assert not guard.copies("I'm sorry it was a bad day.") and not guard.copies("nobody would notice")
