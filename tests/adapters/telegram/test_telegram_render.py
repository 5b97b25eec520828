"""Rendering and keyboards without a bot: splitting, mentions, callback sizes, alerts."""

from __future__ import annotations

from adapters.telegram import keyboards, render
from adapters.telegram.convert import post_link
from llumi_core.domain import (
    Actor,
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
from llumi_core.service import new_draft_id

REF = PostRef(Platform.TELEGRAM, "-1001234567890", "-1001234567890", "42")
ME = Actor(Platform.TELEGRAM, "1", "Alice")


def make_draft(text: str = "You are not alone.", **kw: object) -> Draft:
    base: dict[str, object] = {
        "id": new_draft_id(),
        "kind": DraftKind.DRAFT,
        "status": DraftStatus.PENDING,
        "post": REF,
        "post_author_id": "2",
        "requester": ME,
        "text": text,
        "model_id": "m",
        "prompt_version": "v1",
        "risk": RiskAssessment(RiskLevel.NONE, 0.0),
    }
    base.update(kw)
    return Draft(**base)  # type: ignore[arg-type]


def test_split_respects_limit_and_boundaries() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 150 for i in range(20))
    parts = render.split_text(text)
    assert len(parts) > 1
    assert all(render.utf16_len(p) <= render.LIMIT for p in parts)
    assert all(p.startswith("Paragraph") for p in parts)  # cut between paragraphs
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_split_counts_emoji_as_two_units_and_handles_no_spaces() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, no boundary anywhere
    parts = render.split_text(text)
    assert all(render.utf16_len(p) <= render.LIMIT for p in parts)
    assert "".join(parts) == text
    assert render.split_text("short") == ["short"]


def test_no_mentions_defuses_every_at_name() -> None:
    out = render.no_mentions("hi @bob and @everyone, mail me at a@b.c")
    assert "@bob" not in out and "@everyone" not in out
    assert out.replace("\u200b", "") == "hi @bob and @everyone, mail me at a@b.c"


def test_callback_data_fits_telegram_and_round_trips() -> None:
    draft = make_draft(risk=RiskAssessment(RiskLevel.ACUTE, 0.9))
    markups = [keyboards.actions(draft), keyboards.rating(draft.id), keyboards.escalate(draft)]
    datas = [b.callback_data for m in markups if m for row in m.inline_keyboard for b in row]
    assert datas and all(isinstance(d, str) and len(d.encode()) < 64 for d in datas)
    for d in datas:
        press = keyboards.parse(str(d))
        assert press is not None and press.draft_id == draft.id
    assert keyboards.parse("llumi:zz:post") is None and keyboards.parse("other") is None
    assert keyboards.parse_rating("rate_e_4") == ("empathy", 4)
    assert keyboards.parse_rating("rate_x_4") is None


def test_blocked_draft_has_no_post_button_and_lists_issues() -> None:
    draft = make_draft(
        issues=(OutputIssue("claims_human", "I am a person", "the assistant must not claim to be human"),)
    )
    actions = {
        str(b.callback_data).rsplit(":", 1)[1]
        for row in keyboards.actions(draft).inline_keyboard
        for b in row
    }
    assert "post" not in actions and "blocked" in actions
    body = render.draft_body(draft)
    assert "Post is disabled" in body and "claims_human" in body


def test_header_puts_resources_first_for_flagged_posts() -> None:
    resources = (CrisisResource("Lifeline", "call 988", "us"),)
    acute = render.header(RiskAssessment(RiskLevel.ACUTE, 0.9, ("plan",)), resources)
    assert acute.index("ACUTE") < acute.index("Lifeline: call 988")
    calm = render.header(RiskAssessment(RiskLevel.NONE, 0.0), resources)
    assert "Lifeline" not in calm


def test_alert_is_content_free() -> None:
    draft = make_draft("secret draft words", risk=RiskAssessment(RiskLevel.ELEVATED, 0.5))
    text = render.alert(draft, ME, post_link(REF))
    assert "secret draft words" not in text
    assert "https://t.me/c/1234567890/42" in text and "ELEVATED" in text
    assert post_link(PostRef(Platform.TELEGRAM, "-42", "-42", "7")) == "message 7 in chat -42"


def test_every_draft_status_renders_including_failed_and_expired() -> None:
    for status in DraftStatus:
        draft = make_draft(status=status)
        assert render.draft_messages(draft)
        render.closed(draft)
    assert "Regenerate" in render.closed(make_draft(status=DraftStatus.FAILED))
