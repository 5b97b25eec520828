"""Rendering and conversion without Discord or a model: limits, order, blocked drafts, links."""

from __future__ import annotations

import dataclasses

import pytest

from adapters.discord import render
from adapters.discord.convert import jump_url, parse_message_link
from adapters.discord.render import Action
from llumi_core.domain import (
    Actor,
    Change,
    ChangeKind,
    CrisisResource,
    Draft,
    DraftKind,
    DraftStatus,
    OutputIssue,
    Platform,
    PostRef,
    RiskAssessment,
    RiskLevel,
)
from llumi_core.errors import InputError

REF = PostRef(Platform.DISCORD, "1", "2", "3")
ACUTE = RiskAssessment(RiskLevel.ACUTE, 0.95, ("plan",))
NONE = RiskAssessment(RiskLevel.NONE, 0.01)
LINE = CrisisResource("Lifeline", "call 988", "us", "https://988lifeline.org")


def draft(**changes: object) -> Draft:
    base = Draft(
        id="abcdef123456",
        kind=DraftKind.DRAFT,
        status=DraftStatus.PENDING,
        post=REF,
        post_author_id="9",
        requester=Actor(Platform.DISCORD, "5"),
        text="I'm really glad you told us. I'm a real person who gets it.",
        model_id="m",
        prompt_version="gm-1",
        risk=NONE,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_blocked_draft_disables_post_and_copy_and_highlights_the_issue() -> None:
    issue = OutputIssue("claims_human", "I'm a real person", "the assistant must not claim to be human")
    blocked = draft(issues=(issue,))
    specs = {b.action: b for b in render.draft_buttons(blocked)}
    assert specs[Action.POST].disabled and specs[Action.COPY].disabled and not specs[Action.EDIT].disabled
    embed = render.draft_embeds(blocked)[0]
    assert "__**I'm a real person**__" in (embed.description or "")
    assert "claims_human" in embed.fields[0].value


def test_flagged_risk_puts_resources_and_escalate_first() -> None:
    flagged = draft(risk=ACUTE)
    content = render.header(ACUTE, (LINE,))
    assert content.startswith("🔴") and "call 988" in content
    assert render.draft_buttons(flagged)[0].action is Action.ESCALATE
    assert all(b.action is not Action.ESCALATE for b in render.draft_buttons(draft()))


def test_custom_ids_are_short_and_parse_back() -> None:
    for spec in render.draft_buttons(draft(risk=ACUTE)):
        assert len(spec.custom_id) <= 64 and spec.custom_id.startswith("llumi:abcdef123456:")


def test_improve_lists_changes_and_offers_use_mine() -> None:
    improved = draft(
        kind=DraftKind.IMPROVE,
        human_text="sorry that happend",
        changes=(Change(ChangeKind.REPLACE, "happend", "happened", "spelling"),),
    )
    actions = [b.action for b in render.draft_buttons(improved)]
    assert Action.MINE in actions and Action.REGENERATE not in actions
    assert "happened" in render.draft_embeds(improved)[0].fields[0].value


def test_text_limits_are_respected() -> None:
    long = draft(text="word " * 2000)
    assert len(render.draft_embeds(long)[0].description or "") <= render.DESCRIPTION_MAX
    parts = render.split_message("para one. " * 500)
    assert all(len(p) <= render.CONTENT_MAX for p in parts) and len(parts) > 1
    assert len(render.header(ACUTE, (LINE,) * 200)) <= render.CONTENT_MAX


def test_alert_has_link_and_risk_but_no_post_text() -> None:
    alert = render.alert(who_id="5", who_name="mod_*one*", draft=draft(risk=ACUTE))
    assert jump_url(REF) in alert and "acute" in alert and "<@5>" in alert
    assert "glad you told us" not in alert


def test_message_links_and_ids() -> None:
    link = parse_message_link("https://canary.discord.com/channels/1/22/333")
    assert (link.channel_id, link.message_id) == (22, 333)
    assert parse_message_link("<https://discordapp.com/channels/1/22/333>").message_id == 333
    assert parse_message_link(" 444 ").channel_id is None
    with pytest.raises(InputError):
        parse_message_link("not a link")


def test_escalate_shows_while_writing_and_after_a_failure_for_flagged_posts_only() -> None:
    writing = render.progress(ACUTE, [LINE], DraftKind.DRAFT, "", draft_id="abcdef123456")
    assert [b.custom_id for b in writing.buttons] == ["llumi:abcdef123456:escalate"]
    assert "988" in writing.content  # resources before any text
    assert render.progress(NONE, [LINE], DraftKind.DRAFT, "", draft_id="abcdef123456").buttons == ()
    assert render.progress(ACUTE, [LINE], DraftKind.DRAFT, "").buttons == ()  # no draft stored yet
    failed = render.failure("The model timed out", risk=ACUTE, resources=[LINE], draft_id="abcdef123456")
    assert [b.action for b in failed.buttons] == [Action.ESCALATE] and "ACUTE" in failed.content
    assert render.failure("The model timed out", risk=NONE, draft_id="abcdef123456").buttons == ()
