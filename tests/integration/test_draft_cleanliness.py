"""Real default-model drafts: no markup, no copied post, and seeds that mean what they say.

The full 200-draft run is `bench/draft_cleanliness.py`; this is its quick sample.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import open_app
from llumi_core import replies
from llumi_core.domain import Actor, Platform, Post, PostRef
from llumi_core.errors import ModelError
from tests.conftest import make_settings

pytestmark = pytest.mark.model

MOD = Actor(Platform.DISCORD, "42", "mod")
POSTS = Path(__file__).resolve().parents[2] / "bench" / "data" / "cleanliness_posts.jsonl"


def post(text: str, n: int = 1) -> Post:
    return Post(PostRef(Platform.DISCORD, "g", "c", f"m{n}"), author_id="7", text=text)


def sample_posts(k: int) -> list[str]:
    rows = [json.loads(line) for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows[::3]][:k]


async def test_twelve_real_drafts_carry_no_markup_and_no_copy(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, models={"max_tokens": 64, "sampling": {"temperature": 0.7, "seed": 7}})
    partials_with_markup = 0
    async with open_app(settings) as app:
        prompt = app.service.gm.prompt

        async def watch(text: str) -> None:
            nonlocal partials_with_markup
            partials_with_markup += bool(replies.find_markup(text))

        for n, text in enumerate(sample_posts(12)):
            guard = replies.CopyGuard((text,), (prompt.instructions,), quotable=prompt.quotable)
            try:
                draft = (await app.service.draft(post(text, n), MOD, on_text=watch)).draft
            except ModelError as err:  # a refusal is allowed; showing a copy is not
                assert "retry" in err.user_message
                continue
            assert not replies.find_markup(draft.text), n
            assert not guard.copies(draft.text), n
    assert partials_with_markup == 0


async def _two_drafts(tmp_path: Path, seed: int | None) -> tuple[str, str]:
    """Two drafts from a freshly loaded model, as two separate runs of the bot would make them."""
    sampling: dict[str, Any] = {"temperature": 0.8, "seed": seed}
    settings = make_settings(tmp_path, models={"max_tokens": 24, "sampling": sampling})
    async with open_app(settings) as app:
        first = await app.service.draft(post("I can't stop worrying about my exams.", 1), MOD)
        second = await app.service.draft(post("My dog died last week and I miss him.", 2), MOD)
    return first.draft.text, second.draft.text


async def test_seed_unset_differs_between_runs_and_a_fixed_seed_repeats(tmp_path: Path) -> None:
    assert await _two_drafts(tmp_path / "a", None) != await _two_drafts(tmp_path / "b", None)
    assert await _two_drafts(tmp_path / "c", 1234) == await _two_drafts(tmp_path / "d", 1234)
