"""The same draft through OpenAICompatBackend + llama-cpp-python's server on loopback vs in-process.

    python bench/remote_vs_local.py [--rounds N] [--tokens N]

Variants, interleaved round by round, all greedy with the same seed and max
tokens: `local` (our in-process LlamaCppBackend), `remote` (our
OpenAICompatBackend streaming from `python -m llama_cpp.server` on
127.0.0.1, the route most chat-bot projects take: a separate inference
server), and `raw_llama_cpp` (bare llama-cpp-python in this process, the
baseline). The server gets the same threads and context. Reported honestly:
there is no target; the ratio shows what the HTTP + JSON + SSE hop costs when
the server is on the same small machine (on a GPU server it buys throughput).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from _common import (
    gm_messages,
    llama_server,
    median,
    params,
    process_cpu_s,
    quiet_native,
    raw_llama,
    raw_stream,
    settings,
    write_result,
)

from llumi_core.llm import build_backends
from llumi_core.ports import LLMBackend


async def timed(backend: LLMBackend, i: int, tokens: int) -> tuple[float, float, int]:
    start = time.perf_counter()
    first: float | None = None
    n = 0
    async for _ in backend.generate(gm_messages(i), params=params(tokens)):
        n += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    return (first or end) - start, end - start, n


async def main(rounds: int, tokens: int) -> None:
    with quiet_native():
        local = await build_backends(settings())
        n_ctx = local.gm.backend.n_ctx  # type: ignore[attr-defined]
        raw = raw_llama(n_ctx)
    variants = ["local", "remote", "raw_llama_cpp"]
    ttft: dict[str, list[float]] = {v: [] for v in variants}
    total: dict[str, list[float]] = {v: [] for v in variants}
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    with llama_server(n_ctx) as (url, server_pid):
        remote = await build_backends(settings(backend="openai_compat", remote={"base_url": url}))
        for i in range(-1, rounds):
            order = variants[i % 3 :] + variants[: i % 3]
            for v in order:
                cpu_start = time.process_time() + process_cpu_s(server_pid)
                if v == "raw_llama_cpp":
                    first, whole, _ = raw_stream(raw, gm_messages(i), tokens)
                else:
                    first, whole, _ = await timed((local if v == "local" else remote).gm, i, tokens)
                used = time.process_time() + process_cpu_s(server_pid) - cpu_start
                if i >= 0:
                    ttft[v].append(first)
                    total[v].append(whole)
                    cpu[v].append(used)
            if i >= 0:
                print(f"round {i + 1}/{rounds}: " + "  ".join(f"{v} {total[v][-1]:6.3f} s" for v in variants))
        await remote.aclose()
    await local.aclose()
    raw.close()
    med_total = {v: median(x) for v, x in total.items()}
    med_ttft = {v: median(x) for v, x in ttft.items()}
    med_cpu = {v: median(x) for v, x in cpu.items()}
    print(f"\nOne GM draft of up to {tokens} tokens, median of {rounds} rounds:")
    for v in variants:
        print(
            f"  {v:14s} first token {med_ttft[v] * 1000:7.1f} ms   whole draft {med_total[v]:6.3f} s   "
            f"CPU (bot + server) {med_cpu[v]:6.3f} s"
        )
    r_remote_local = med_total["remote"] / med_total["local"]
    print(f"  remote / local (whole draft)       = {r_remote_local:.3f}")
    print(f"  remote / local (first token)       = {med_ttft['remote'] / med_ttft['local']:.3f}")
    print(f"  local / raw llama.cpp (whole)      = {med_total['local'] / med_total['raw_llama_cpp']:.3f}")
    print(f"  remote / raw llama.cpp (whole)     = {med_total['remote'] / med_total['raw_llama_cpp']:.3f}")
    print(f"  CPU: remote / local                = {med_cpu['remote'] / med_cpu['local']:.3f}")
    print(f"  CPU: local / raw llama.cpp         = {med_cpu['local'] / med_cpu['raw_llama_cpp']:.3f}")
    write_result(
        "remote_vs_local",
        {
            "rounds": rounds,
            "tokens": tokens,
            "n_ctx": n_ctx,
            "median_total_s": {v: round(x, 4) for v, x in med_total.items()},
            "median_first_token_ms": {v: round(x * 1000, 2) for v, x in med_ttft.items()},
            "samples_total_s": {v: [round(x, 4) for x in s] for v, s in total.items()},
            "ratio_remote_vs_local": round(r_remote_local, 4),
            "ratio_local_vs_raw": round(med_total["local"] / med_total["raw_llama_cpp"], 4),
            "ratio_remote_vs_raw": round(med_total["remote"] / med_total["raw_llama_cpp"], 4),
            "median_cpu_s": {v: round(x, 4) for v, x in med_cpu.items()},
            "cpu_ratio_remote_vs_local": round(med_cpu["remote"] / med_cpu["local"], 4),
            "cpu_ratio_local_vs_raw": round(med_cpu["local"] / med_cpu["raw_llama_cpp"], 4),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=96)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.tokens))
