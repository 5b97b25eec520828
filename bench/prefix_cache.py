"""Prompt evaluation of a GM call right after an IM call on one shared model: prefix cache on vs off.

    python bench/prefix_cache.py [--rounds N]

GM and IM share one loaded model (the default config). Each round runs, for
every variant in turn (order rotated per round): an IM call (a short
improvement), then a GM call whose time to first token is measured -- that is
prompt evaluation plus one sampled token. Variants: our backend with
`prefix_cache = true`, the same with `false`, and a bare llama-cpp-python
`Llama` doing the same two calls (the baseline). Target (issue 6): cache on
<= 0.5x cache off.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from _common import (
    gm_messages,
    im_messages,
    median,
    params,
    quiet_native,
    raw_llama,
    raw_stream,
    settings,
    verdict,
    write_result,
)

from llumi_core.llm import RoleBackends, build_backends

IM_TOKENS = 24
GM_TOKENS = 1  # only the time to the first token matters here
TARGET = 0.5


async def first_piece_s(backends: RoleBackends, role: str, messages: Any, max_tokens: int) -> float:
    start = time.perf_counter()
    first: float | None = None
    async for _ in getattr(backends, role).generate(messages, params=params(max_tokens)):
        if first is None:
            first = time.perf_counter()
    return (first or time.perf_counter()) - start


async def main(rounds: int) -> None:
    with quiet_native():
        on = await build_backends(settings(prefix_cache=True))
        off = await build_backends(settings(prefix_cache=False))
        n_ctx = on.gm.backend.n_ctx  # type: ignore[attr-defined]
        raw = raw_llama(n_ctx)
    assert on.shared and off.shared, "GM and IM must share one model for this benchmark"
    times: dict[str, list[float]] = {"cache_on": [], "cache_off": [], "raw_llama_cpp": []}

    async def run(variant: str, i: int) -> float:
        if variant == "raw_llama_cpp":
            raw_stream(raw, im_messages(i), IM_TOKENS)
            return raw_stream(raw, gm_messages(i), GM_TOKENS)[0]
        backends = on if variant == "cache_on" else off
        await first_piece_s(backends, "im", im_messages(i), IM_TOKENS)
        return await first_piece_s(backends, "gm", gm_messages(i), GM_TOKENS)

    variants = list(times)
    for i in range(-1, rounds):  # round -1 warms up every variant (and fills the caches)
        order = variants[i % 3 :] + variants[: i % 3]
        for variant in order:
            took = await run(variant, i)
            if i >= 0:
                times[variant].append(took)
        if i >= 0:
            print(
                f"round {i + 1}/{rounds}: "
                + "  ".join(f"{v} {times[v][-1] * 1000:6.1f} ms" for v in variants)
            )

    restores = on.gm.status().extra.get("prefix_cache_restores", "0")
    await on.aclose()
    await off.aclose()
    raw.close()
    med = {v: median(t) for v, t in times.items()}
    ratio = med["cache_on"] / med["cache_off"]
    print(f"\nGM time to first token right after an IM call (median of {rounds} rounds):")
    for v in variants:
        print(f"  {v:14s} {med[v] * 1000:7.1f} ms")
    print(f"  cache on / cache off      = {ratio:.3f}  (target <= {TARGET}: {verdict(ratio, TARGET)})")
    print(f"  cache on / raw llama.cpp  = {med['cache_on'] / med['raw_llama_cpp']:.3f}")
    print(f"  cache off / raw llama.cpp = {med['cache_off'] / med['raw_llama_cpp']:.3f}")
    print(f"  prefix states restored: {restores}")
    write_result(
        "prefix_cache",
        {
            "rounds": rounds,
            "n_ctx": n_ctx,
            "median_ms": {v: round(m * 1000, 2) for v, m in med.items()},
            "samples_ms": {v: [round(x * 1000, 2) for x in t] for v, t in times.items()},
            "ratio_on_vs_off": round(ratio, 4),
            "ratio_on_vs_raw": round(med["cache_on"] / med["raw_llama_cpp"], 4),
            "ratio_off_vs_raw": round(med["cache_off"] / med["raw_llama_cpp"], 4),
            "target": TARGET,
            "met": ratio <= TARGET,
            "restores": int(restores),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    asyncio.run(main(parser.parse_args().rounds))
