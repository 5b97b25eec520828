"""The pieces both chat adapters share: button vocabulary, stream throttle, resource parser."""

from __future__ import annotations

import asyncio

import pytest

from llumi_core.community_input import parse_resources
from llumi_core.domain import (
    Actor,
    Draft,
    DraftKind,
    DraftStatus,
    OutputIssue,
    Platform,
    PostRef,
    RiskAssessment,
    RiskLevel,
)
from llumi_core.draft_actions import DraftAction, button_id, offered, parse_button
from llumi_core.errors import InputError
from llumi_core.streaming import StreamThrottle


def draft(**changes: object) -> Draft:
    base: dict[str, object] = {
        "id": "abcdef123456",
        "kind": DraftKind.DRAFT,
        "status": DraftStatus.PENDING,
        "post": PostRef(Platform.DISCORD, "g", "c", "m"),
        "post_author_id": "2",
        "requester": Actor(Platform.DISCORD, "1", "mod"),
        "text": "You are not alone.",
        "model_id": "m",
        "prompt_version": "v1",
        "risk": RiskAssessment(RiskLevel.NONE, 0.0),
    }
    base.update(changes)
    return Draft(**base)  # type: ignore[arg-type]


def actions(d: Draft) -> list[tuple[DraftAction, bool]]:
    return [(o.action, o.enabled) for o in offered(d)]


def test_what_a_draft_offers_follows_its_state() -> None:
    assert [a for a, _ in actions(draft())] == [
        DraftAction.POST,
        DraftAction.COPY,
        DraftAction.EDIT,
        DraftAction.REGENERATE,
        DraftAction.IMPROVE,
        DraftAction.RATE,
        DraftAction.DISCARD,
    ]
    improved = actions(draft(kind=DraftKind.IMPROVE))
    assert (DraftAction.MINE, True) in improved and all(a is not DraftAction.REGENERATE for a, _ in improved)
    blocked = dict(actions(draft(issues=(OutputIssue("contact", "555", "a phone number"),))))
    assert blocked[DraftAction.POST] is False and blocked[DraftAction.COPY] is False
    assert blocked[DraftAction.EDIT] is True
    assert dict(actions(draft(text="  ")))[DraftAction.POST] is False  # an empty draft is never posted
    assert actions(draft(status=DraftStatus.POSTED)) == [(DraftAction.RATE, True)]
    flagged = actions(draft(risk=RiskAssessment(RiskLevel.ACUTE, 0.9), status=DraftStatus.DISCARDED))
    assert flagged == [(DraftAction.ESCALATE, True), (DraftAction.RATE, True)]  # Escalate first, always


def test_button_ids_round_trip_and_old_ids_still_parse() -> None:
    for action in DraftAction:
        value = button_id("abcdef123456", action)
        assert len(value.encode()) <= 64  # Telegram's callback limit; Discord allows 100
        press = parse_button(value)
        assert press is not None and press.action is action and press.draft_id == "abcdef123456"
    old = parse_button("llumi:abcdef123456:esc")  # Telegram's Escalate before the shared vocabulary
    assert old is not None and old.action is DraftAction.ESCALATE
    unknown = parse_button("llumi:abcdef123456:rate_e_4")
    assert unknown is not None and unknown.action is None and unknown.raw == "rate_e_4"
    assert parse_button("llumi:zz:post") is None and parse_button("llset:1:toggle") is None


def test_one_resource_parser_reads_lines_and_semicolons() -> None:
    lines = parse_resources("Peer line | 0800 123 | https://example.org\nWarm line | text HELLO", "uk-ie")
    inline = parse_resources("Peer line | 0800 123 | https://example.org; Warm line | text HELLO", "uk-ie")
    assert lines == inline and [r.name for r in lines] == ["Peer line", "Warm line"]
    assert lines[0].url == "https://example.org" and lines[1].url is None and lines[0].region == "uk-ie"
    assert parse_resources("  ", "us") == []
    with pytest.raises(InputError, match="Name \\| how to reach them"):
        parse_resources("just a name", "us")


async def test_the_stream_throttle_keeps_edits_apart_and_ends_on_the_last_text() -> None:
    shown: list[str] = []

    async def edit(text: str) -> None:
        await asyncio.sleep(0.01)  # a slow platform call
        shown.append(text)

    async with StreamThrottle(edit, 0.05) as stream:
        for i in range(40):
            await stream.update(f"word {i}")
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.12)
        await stream.update("word 39")  # the same text again: no edit
        await asyncio.sleep(0.06)
    assert 2 <= len(shown) <= 10  # throttled: far fewer edits than pieces
    assert shown[-1] == "word 39" and len(shown) == len(set(shown))
    assert stream.edits == len(shown)


async def test_the_stream_throttle_survives_a_failed_edit() -> None:
    calls: list[str] = []

    async def edit(text: str) -> None:
        calls.append(text)
        if len(calls) == 1:
            raise ConnectionError("rate limited")

    async with StreamThrottle(edit, 0.01) as stream:
        await stream.update("a")
        await asyncio.sleep(0.03)
        await stream.update("b")
        await asyncio.sleep(0.03)
    assert calls == ["a", "b"] and stream.edits == 1
