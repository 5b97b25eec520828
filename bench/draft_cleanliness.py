"""Real default-model drafts over varied posts: how many carry markup or a copied post.

    python bench/draft_cleanliness.py [--rounds N] [--tokens N] [--posts FILE]

Each round drafts a reply to every post in `bench/data/cleanliness_posts.jsonl`
(40 posts written for this benchmark: everyday worries, grief, recovery,
passive and acute risk, third person, figurative speech, one-word posts,
lists, emoji, Spanish, and posts that try to inject prompt markup) through
the whole `DraftService.draft` path, with the shipped sampling and seed
unset (random, as in production). Counted on what a moderator would see:

- drafts with markup: tags (`<post>`, `</reply>`, `<pre>`), chat tokens,
  role labels, headings or code fences in the final text;
- drafts with a copied span: 8 consecutive normalised words shared with the
  member's post;
- drafts with a prompt echo: 5 consecutive words of the prompt's instructions
  (other than the phrases the prompt marks quotable), e.g. "The member's post
  is quoted between";
- drafts with a gate finding: the output checks flagged them (Post disabled);
- streamed partials with markup: what the platform would have shown mid-way;
- raw attempts with markup / copies: before cleaning, for scale.

Target (issue 10): 0 drafts with markup, 0 with a copied span (or a prompt
echo), in 200 drafts.
No post or draft text is printed, only counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from _common import ROOT, quiet_native, write_result

from bot.bootstrap import App, open_app
from llumi_core import replies
from llumi_core.config import load_settings
from llumi_core.domain import Actor, Post
from llumi_core.errors import ModelError
from llumi_core.ports import BackendStatus, ChatMessage, GenerationParams, LLMBackend
from llumi_core.service import RoleModel

POSTS_FILE = ROOT / "bench" / "data" / "cleanliness_posts.jsonl"


class Recorder:
    """Passes calls through to the real backend and keeps every raw attempt's text."""

    def __init__(self, inner: LLMBackend) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.raw: list[str] = []

    async def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> AsyncIterator[str]:
        self.raw.append("")
        async for piece in self.inner.generate(messages, params=params):
            self.raw[-1] += piece
            yield piece

    async def aclose(self) -> None:
        await self.inner.aclose()

    def status(self) -> BackendStatus:
        return self.inner.status()


def load_posts(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


COUNTS = (
    "drafts",
    "refused",
    "with_markup",
    "with_copied_span",
    "with_prompt_echo",
    "with_gate_finding",
    "partials_with_markup",
    "attempts",
    "raw_with_markup",
    "raw_with_copy_or_echo",
)


async def draft_one(app: App, recorder: Recorder, text: str, message_id: str, counts: dict[str, int]) -> None:
    """One draft through the whole service, counted on what the moderator would see."""
    prompt = app.service.gm.prompt
    guard = replies.CopyGuard((text,), (prompt.instructions,), quotable=prompt.quotable)
    first_attempt = len(recorder.raw)

    async def watch(partial: str) -> None:
        counts["partials_with_markup"] += bool(replies.find_markup(partial))

    try:
        result = await app.service.draft(
            Post.local(text, message_id=message_id), Actor.local(), on_text=watch
        )
    except ModelError:
        counts["refused"] += 1
    else:
        for d in result.drafts:
            counts["drafts"] += 1
            counts["with_markup"] += bool(replies.find_markup(d.text))
            counts["with_copied_span"] += guard.copies_post(d.text)
            counts["with_prompt_echo"] += guard.echoes_prompt(d.text)
            counts["with_gate_finding"] += bool(d.issues)
    for raw in recorder.raw[first_attempt:]:
        counts["attempts"] += 1
        counts["raw_with_markup"] += bool(replies.find_markup(raw))
        counts["raw_with_copy_or_echo"] += guard.copies(raw)


async def main(rounds: int, tokens: int, posts_file: Path) -> None:
    posts = load_posts(posts_file)
    counts = dict.fromkeys(COUNTS, 0)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, quiet_native():
        settings = load_settings(use_file=False, storage={"data_dir": tmp}, models={"max_tokens": tokens})
        async with open_app(settings) as app:
            recorder = Recorder(app.service.gm.backend)
            app.service.gm = RoleModel(recorder, app.service.gm.prompt)
            for r in range(rounds):
                for i, row in enumerate(posts):
                    await draft_one(app, recorder, row["text"], f"clean-{r}-{i}", counts)
                print(
                    f"round {r + 1}/{rounds}: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True
                )
    report(rounds, len(posts), tokens, time.perf_counter() - started, counts)


def report(rounds: int, posts: int, tokens: int, took: float, counts: dict[str, int]) -> None:
    dirty = ("with_markup", "with_copied_span", "with_prompt_echo", "partials_with_markup")
    met = all(counts[k] == 0 for k in dirty)
    print(f"\n{rounds} rounds x {posts} posts, max_tokens {tokens}, seed unset, {took:.0f} s:")
    for key, value in counts.items():
        print(f"  {key.replace('_', ' '):24} {value}")
    print(f"  target: 0 with markup, a copied span or a prompt echo -> {'met' if met else 'NOT met'}")
    write_result(
        "draft_cleanliness",
        {"rounds": rounds, "posts": posts, "tokens": tokens, "seconds": round(took), **counts, "met": met},
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--posts", type=Path, default=POSTS_FILE)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.tokens, args.posts))
