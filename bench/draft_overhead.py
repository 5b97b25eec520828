"""A full `DraftService.draft` vs a bare llama-cpp-python `create_chat_completion`.

    python bench/draft_overhead.py [--rounds N] [--tokens N]

`ours`: the whole path a moderator's request takes -- `bot.bootstrap.open_app`
(SQLite in a temp dir, the default model, prompts, safety), then
`service.draft(post, actor)`: opt-out check, clean-up, risk screen, redaction,
prompt rendering, the fair queue, the worker thread and token hand-off,
output checks, storage of the draft and its audit entry.
`raw`: a bare `Llama` (same GGUF, n_ctx, threads) streaming
`create_chat_completion` with exactly the messages, seed, sampling and
max_tokens the service sent (recorded on the way through). Both greedy, so
both generate the same tokens. Rounds alternate which goes first.
Regeneration after failed output checks is switched off (it would change the
amount of work, not the overhead); findings are counted and reported.
Target (issue 6): ours / raw <= 1.03.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

from _common import POSTS, median, quiet_native, raw_llama, verdict, write_result

from bot.bootstrap import open_app
from llumi_core.config import load_settings
from llumi_core.domain import Actor, Post
from llumi_core.ports import BackendStatus, ChatMessage, GenerationParams, LLMBackend
from llumi_core.service import RoleModel

TARGET = 1.03


class Recorder:
    """Passes calls through to the real backend and keeps the last messages and params."""

    def __init__(self, inner: LLMBackend) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.last: tuple[list[ChatMessage], GenerationParams] | None = None

    def generate(self, messages: Sequence[ChatMessage], *, params: GenerationParams) -> AsyncIterator[str]:
        self.last = (list(messages), params)
        return self.inner.generate(messages, params=params)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def status(self) -> BackendStatus:
        return self.inner.status()


def raw_draft(llm: Any, messages: list[ChatMessage], p: GenerationParams) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    n = 0
    stream = llm.create_chat_completion(
        messages=messages,
        stream=True,
        max_tokens=p.max_tokens,
        temperature=p.temperature,
        top_p=p.top_p,
        top_k=p.top_k,
        repeat_penalty=p.repeat_penalty,
        seed=p.seed,
        stop=list(p.stop) or None,
    )
    for chunk in stream:
        if chunk["choices"][0]["delta"].get("content"):
            n += 1
    return time.perf_counter() - start, time.process_time() - cpu


async def main(rounds: int, tokens: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, quiet_native():
        settings = load_settings(
            use_file=False,
            storage={"data_dir": tmp},
            models={"max_tokens": tokens, "sampling": {"temperature": 0.0, "seed": 42}},
            safety={"max_regenerations": 0},
        )
        async with open_app(settings) as app:
            assert app.backends is not None
            recorder = Recorder(app.service.gm.backend)
            app.service.gm = RoleModel(recorder, app.service.gm.prompt)
            raw = raw_llama(app.backends.gm.backend.n_ctx)  # type: ignore[attr-defined]
            actor = Actor.local()
            ours: list[float] = []
            bare: list[float] = []
            ours_cpu: list[float] = []
            bare_cpu: list[float] = []
            findings = 0
            same_tokens = True  # the service sent the same messages and params every time

            async def run_ours(i: int) -> tuple[float, float]:
                nonlocal findings
                post = Post.local(POSTS[i % len(POSTS)], message_id=f"bench-{i}")
                pieces = 0

                async def count(_text: str) -> None:
                    nonlocal pieces
                    pieces += 1

                start, cpu = time.perf_counter(), time.process_time()
                result = await app.service.draft(post, actor, on_text=count)
                took, cpu = time.perf_counter() - start, time.process_time() - cpu
                findings += sum(len(getattr(d, "issues", ()) or ()) for d in result.drafts)
                return took, cpu

            # Warm-up, and record the exact messages and params the service sends for each post.
            recorded: dict[int, tuple[list[ChatMessage], GenerationParams]] = {}
            for k in range(len(POSTS)):
                await run_ours(k)
                assert recorder.last is not None
                recorded[k] = recorder.last
                raw_draft(raw, *recorded[k])
            for i in range(rounds):
                k = i % len(POSTS)
                if i % 2 == 0:
                    took_ours, cpu_ours = await run_ours(k)
                    took_raw, cpu_raw = raw_draft(raw, *recorded[k])
                else:
                    took_raw, cpu_raw = raw_draft(raw, *recorded[k])
                    took_ours, cpu_ours = await run_ours(k)
                same_tokens &= recorder.last == recorded[k]
                ours.append(took_ours)
                bare.append(took_raw)
                ours_cpu.append(cpu_ours)
                bare_cpu.append(cpu_raw)
                print(
                    f"round {i + 1}/{rounds}: service.draft {took_ours:6.3f} s (cpu {cpu_ours:6.3f})  "
                    f"bare create_chat_completion {took_raw:6.3f} s (cpu {cpu_raw:6.3f})  "
                    f"ratio {took_ours / took_raw:.3f}"
                )
            raw.close()
    ratio = median(ours) / median(bare)
    pair_ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    cpu_ratio = median(ours_cpu) / median(bare_cpu)
    print(f"\nOne draft of up to {tokens} tokens, median of {rounds} rounds:")
    print(f"  DraftService.draft          {median(ours):6.3f} s")
    print(f"  bare create_chat_completion {median(bare):6.3f} s")
    print(f"  ratio of medians            {ratio:.3f} (target <= {TARGET}: {verdict(ratio, TARGET)})")
    print(f"  median of per-round ratios  {median(pair_ratios):.3f}")
    print(
        f"  CPU time ratio              {cpu_ratio:.3f} (process CPU seconds: robust to other load on the machine)"
    )
    print(f"  output-check findings       {findings} (regeneration off for this benchmark)")
    write_result(
        "draft_overhead",
        {
            "rounds": rounds,
            "tokens": tokens,
            "median_service_s": round(median(ours), 4),
            "median_raw_s": round(median(bare), 4),
            "samples_service_s": [round(x, 4) for x in ours],
            "samples_raw_s": [round(x, 4) for x in bare],
            "ratio": round(ratio, 4),
            "median_pair_ratio": round(median(pair_ratios), 4),
            "cpu_ratio": round(cpu_ratio, 4),
            "samples_service_cpu_s": [round(x, 4) for x in ours_cpu],
            "samples_raw_cpu_s": [round(x, 4) for x in bare_cpu],
            "target": TARGET,
            "met": ratio <= TARGET,
            "same_prompt_every_round": same_tokens,
            "check_findings": findings,
            "storage": "sqlite (temp dir)",
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=128)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.tokens))
