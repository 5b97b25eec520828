"""The whole core as `llumi` builds it: the real default model and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import open_app
from llumi_core.domain import Actor, AuditAction, DraftKind, DraftStatus, Platform, Post, PostRef, RiskLevel
from tests.conftest import make_settings

pytestmark = pytest.mark.model

MOD = Actor(Platform.DISCORD, "42", "mod")


def post(text: str) -> Post:
    return Post(PostRef(Platform.DISCORD, "g", "c", "m1"), author_id="7", text=text, author_name="Sam")


async def test_draft_improve_and_post_with_the_real_model(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, models={"max_tokens": 32})
    async with open_app(settings) as app:
        assert app.backends is not None and app.backends.shared  # GM and IM: one load
        streamed: list[str] = []

        async def on_text(text: str) -> None:
            streamed.append(text)

        result = await app.service.draft(post("Work has been crushing me and I can't sleep."), MOD, on_text=on_text)
        draft = result.draft
        assert draft.text.strip() and draft.kind is DraftKind.DRAFT
        assert streamed and len(streamed) >= 2 and streamed[-1].strip()  # arrived in pieces
        assert draft.model_id == "smollm2-135m-instruct" and draft.prompt_version == "gm-1"

        improved = (await app.service.improve(post("I failed my exam."), "that sucks, study harder", MOD)).draft
        assert improved.text.strip() and improved.human_text == "that sucks, study harder"

        await app.service.approve(draft.id, MOD)
        await app.service.mark_posted(draft.id, MOD, "999")
        audit = [e.action for e in await app.repos.audit.entries(draft_id=draft.id)]
        assert audit == [AuditAction.DRAFT, AuditAction.APPROVE, AuditAction.POST]

    # Everything was written to the SQLite file: reopen and read it back.
    async with open_app(settings, load_models=False) as app:
        stored = await app.repos.drafts.get(draft.id)
        assert stored is not None and stored.status is DraftStatus.POSTED
        assert stored.posted_message_id == "999"


async def test_acute_post_draft_always_carries_crisis_resources(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, models={"max_tokens": 24}, safety={"region": "uk-ie"})
    async with open_app(settings) as app:
        text = "I have the pills in front of me and I'm going to take them all tonight. Goodbye everyone."
        result = await app.service.draft(post(text), MOD)
    assert result.risk.level is RiskLevel.ACUTE
    assert any("116 123" in r.contact for r in result.resources)
    assert "116 123" in result.draft.text
