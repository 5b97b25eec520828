"""Preference pairs from the bot's own history (`llumi pairs export`).

Only communities whose admins turned learning on (`[learning] enabled` for
all, or the community's own setting) are read. For one post: chosen is what
the human approved or posted (after their edits); rejected is each draft they
discarded, and the model's own text when the human changed it heavily.
Ratings are attached; every text is redacted.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from ..config import Settings
from ..domain import Draft, DraftKind, DraftStatus, ModelRole
from ..errors import InputError
from ..ports import Repositories
from ..prompts import load_prompt
from ..safety.redact import redact
from .pairs import PairSummary, PreferencePair, Task, write_jsonl
from .split import hashed_split

HEAVY_EDIT = 0.6  # below this word-level similarity, the human rewrote the model's text


async def export_pairs(
    repos: Repositories,
    settings: Settings,
    *,
    out: Path,
    community: str | None = None,
    since: str | None = None,
) -> PairSummary:
    """Write pairs from approved/posted vs discarded or heavily edited drafts; returns the summary."""
    cutoff = _parse_since(since)
    configs = {c.key: c for c in await repos.communities.all()}
    drafts = await repos.drafts.list(community=community, since=cutoff)
    summary = PairSummary()
    by_post: dict[str, list[Draft]] = defaultdict(list)
    for d in drafts:
        cfg = configs.get(d.community)
        if settings.learning.enabled or (cfg is not None and cfg.learning_enabled):
            by_post[d.post.key].append(d)
        else:
            summary.skipped["community without learning enabled"] += 1
    pairs: list[PreferencePair] = []
    for group in by_post.values():
        pairs += await _pairs_for_post(group, settings, summary, repos)
    write_jsonl(pairs, out)
    return summary


def _parse_since(since: str | None) -> datetime | None:
    if since is None:
        return None
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        raise InputError(f"--since must be an ISO date such as 2026-11-01, not {since!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _pairs_for_post(
    group: list[Draft], settings: Settings, summary: PairSummary, repos: Repositories
) -> list[PreferencePair]:
    summary.posts += 1
    summary.replies += len(group)
    chosen = [d for d in group if d.status in (DraftStatus.APPROVED, DraftStatus.POSTED) and d.text]
    discarded = [d.model_text for d in group if d.status is DraftStatus.DISCARDED and d.model_text]
    if not chosen:
        summary.skipped["post with no approved or posted draft"] += 1
        return []
    out: list[PreferencePair] = []
    for winner in chosen:
        if not winner.post_text:
            summary.skipped["no post text kept (store_content or retention)"] += 1
            continue
        losers = list(discarded)
        if winner.model_text and _similarity(winner.model_text, winner.text) < HEAVY_EDIT:
            losers.append(winner.model_text)
        if not losers:
            summary.skipped["approved draft with nothing rejected"] += 1
        for loser in dict.fromkeys(losers):
            pair = await _pair(winner, loser, settings, summary, repos)
            if pair is not None:
                out.append(pair)
    return out


async def _pair(
    winner: Draft, loser: str, settings: Settings, summary: PairSummary, repos: Repositories
) -> PreferencePair | None:
    chosen, rejected = redact(winner.text), redact(loser)
    if chosen == rejected:
        summary.skipped["chosen equals rejected"] += 1
        return None
    task: Task = "im" if winner.kind is DraftKind.IMPROVE and winner.human_text else "gm"
    role = ModelRole.IM if task == "im" else ModelRole.GM
    reply = redact(winner.human_text) if task == "im" and winner.human_text else None
    prompt = load_prompt(settings.models.prompts_dir, role).render(winner.post_text, reply=reply)
    ratings = [r.scores() for r in await repos.ratings.for_draft(winner.id)]
    summary.pairs[task] += 1
    return PreferencePair(
        task=task,
        prompt=prompt,
        chosen=chosen,
        rejected=rejected,
        source=f"llumi:{winner.community}",
        post_id=winner.id,
        chosen_score=1.0,
        rejected_score=0.0,
        extra={
            "chosen_ratings": ratings,
            "prompt_version": winner.prompt_version,
            "model": winner.model_id,
            # By the post, so every draft of one post lands in the same split.
            "split": hashed_split(winner.post.key),
        },
    )


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a.split(), b=b.split(), autojunk=False).ratio()
