"""A draft the checks flag, and a draft littered with markup, through the real discord.py client.

The model is scripted (whether the real one writes a flagged draft is chance);
the App, the safety checks, SQLite, the bot and what Discord receives are real.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llumi_core.domain import DraftStatus
from llumi_core.safety.resources import SAFETY_QUESTION
from tests.fakes import ScriptedBackend

from .conftest import app_with, configure, discord_settings, start_bot
from .fake_discord import FakeDiscord, buttons, embed_text
from .test_discord_flows import MOD, SAD, ask_draft, draft_id_of, has_draft, press, status_becomes

pytestmark = [pytest.mark.model, pytest.mark.asyncio(loop_scope="module")]

FLAGGED = "I'm a licensed therapist, and I promise this stays between us. DM me any time."
MARKED_UP = "<response>I'm so sorry this week has been so lonely. What would help?</response>\n<post>\n" + SAD


async def test_a_flagged_draft_stays_unpostable_through_regenerate(fake: FakeDiscord, tmp_path: Path) -> None:
    flagged = ScriptedBackend(FLAGGED)
    async with app_with(discord_settings(tmp_path, check_outputs=True), backend=flagged) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            _, _, message = await ask_draft(fake)
            assert len(flagged.calls) == 3  # the first try and two regenerations were all flagged
            assert buttons(message)["post"]["disabled"] and buttons(message)["copy"]["disabled"]
            assert "secrecy" in embed_text(message)

            first = draft_id_of(message)
            await press(fake, MOD, message, "regen")
            await fake.until(
                lambda: has_draft(message) and draft_id_of(message) != first, what="the regenerated draft"
            )
            assert len(flagged.calls) == 6
            assert buttons(message)["post"]["disabled"] and "Checks found problems" in embed_text(message)
            assert fake.channel_posts() == []
        finally:
            await running.shutdown()


async def test_markup_and_an_echoed_post_never_reach_discord(fake: FakeDiscord, tmp_path: Path) -> None:
    async with app_with(discord_settings(tmp_path), backend=ScriptedBackend(MARKED_UP)) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            _, _, message = await ask_draft(fake)
            await press(fake, MOD, message, "post")
            await fake.until(lambda: fake.channel_posts(), what="the posted reply")
            await status_becomes(app, draft_id_of(message), MOD, DraftStatus.POSTED)
        finally:
            await running.shutdown()
    sent = [json.dumps(c.body, ensure_ascii=False) for c in fake.calls if isinstance(c.body, dict)]
    assert not any(tag in body for body in sent for tag in ("<response>", "</response>", "<post>"))
    assert not any("Nobody seems to notice me" in body for body in sent)
    (posted,) = fake.channel_posts()
    # The post may signal a crisis, so the reply's own question gave way to the safety question.
    assert posted["content"].startswith(f"I'm so sorry this week has been so lonely. {SAFETY_QUESTION}")
