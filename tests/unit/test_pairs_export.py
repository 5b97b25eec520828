"""`llumi pairs export`: what moderators posted vs what they discarded or rewrote, per community opt-in."""

from __future__ import annotations

import json
from pathlib import Path

from llumi_core.domain import Actor, CommunityConfig, Platform, Post, PostRef
from llumi_core.feedback.history import export_pairs
from tests.conftest import make_settings
from tests.fakes import ScriptedBackend, scripted_service

MOD = Actor(Platform.DISCORD, "1", "mod")


def post(community: str) -> Post:
    ref = PostRef(Platform.DISCORD, community, "c", "m")
    return Post(ref, author_id="9", text="I feel so alone, write to me at sam@example.com", author_name="Sam")


async def test_export_pairs_only_from_learning_communities(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    backend = ScriptedBackend("That sounds lonely. Have you tried joining a club at school?")
    svc = scripted_service(settings, backend)
    await svc.update_community(
        CommunityConfig(Platform.DISCORD, "on", learning_enabled=True), MOD, changed="learning"
    )
    for community in ("on", "off"):
        discarded = (await svc.draft(post(community), MOD)).draft
        await svc.discard(discarded.id, MOD)
        kept = (await svc.draft(post(community), MOD)).draft
        await svc.edit(
            kept.id,
            MOD,
            "I'm really glad you told us. Loneliness is heavy; what does a usual evening look like?",
        )
        await svc.rate(kept.id, MOD, {"empathy": 5})
        await svc.approve(kept.id, MOD)
        await svc.mark_posted(kept.id, MOD, "42")

    out = tmp_path / "pairs.jsonl"
    summary = await export_pairs(svc.repos, settings, out=out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary.pairs["gm"] == 1 and len(rows) == 1  # discarded and rewritten model text are the same
    row = rows[0]
    assert row["task"] == "gm" and row["source"] == "llumi:discord:on"
    assert row["chosen"][0]["content"].startswith("I'm really glad")
    assert row["rejected"][0]["content"].startswith("That sounds lonely")
    assert row["chosen_ratings"] == [{"empathy": 5}]
    prompt = json.dumps(row["prompt"])
    assert "alone" in prompt and "sam@example.com" not in prompt and "Sam" not in prompt
    assert summary.skipped["community without learning enabled"] == 2
