"""Peak memory with GM and IM on the same GGUF vs one bare load.

    python bench/memory.py [--rounds N]

Each variant runs in a fresh child process (so nothing is shared between
them), loads, generates, and reports its peak RSS (`ru_maxrss`):

- `bare`: one llama-cpp-python `Llama` and one draft: the baseline.
- `llumi`: `build_backends` with the default config (GM and IM name the same
  model: one load), one GM draft and one IM improvement, prefix cache on.
- `two_loads`: two bare `Llama`s of the same file (what happens without
  sharing), one call each.

All use the same n_ctx (the one our backend sizes). Target (issue 6):
llumi <= 1.15x bare.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
from pathlib import Path

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

TARGET = 1.15
TOKENS = 64
VARIANTS = ("bare", "llumi", "two_loads")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


async def child(variant: str) -> dict[str, float]:
    with quiet_native():
        from llumi_core.llm import build_backends
        from llumi_core.llm.llama_cpp import context_size

        n_ctx = context_size(settings().models, trained=8192)
        if variant == "llumi":
            backends = await build_backends(settings())
            async for _ in backends.gm.generate(gm_messages(0), params=params(TOKENS)):
                pass
            async for _ in backends.im.generate(im_messages(0), params=params(TOKENS)):
                pass
            extra = backends.gm.status().extra
            await backends.aclose()
            return {
                "peak_rss_mb": peak_rss_mb(),
                "n_ctx": n_ctx,
                "cache_bytes": float(extra.get("prefix_cache_bytes", 0)),
            }
        llms = [raw_llama(n_ctx) for _ in range(2 if variant == "two_loads" else 1)]
        raw_stream(llms[0], gm_messages(0), TOKENS)
        if variant == "two_loads":
            raw_stream(llms[1], im_messages(0), TOKENS)
        return {"peak_rss_mb": peak_rss_mb(), "n_ctx": n_ctx}


def run_child(variant: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", variant],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(rounds: int) -> None:
    peaks: dict[str, list[float]] = {v: [] for v in VARIANTS}
    extra: dict[str, float] = {}
    for i in range(rounds):
        order = VARIANTS[i % 3 :] + VARIANTS[: i % 3]
        for variant in order:
            result = run_child(variant)
            peaks[variant].append(result["peak_rss_mb"])
            extra.update({k: v for k, v in result.items() if k != "peak_rss_mb"})
        print(f"round {i + 1}/{rounds}: " + "  ".join(f"{v} {peaks[v][-1]:7.1f} MB" for v in VARIANTS))
    med = {v: median(p) for v, p in peaks.items()}
    ratio = med["llumi"] / med["bare"]
    print(f"\nPeak RSS, median of {rounds} fresh processes (n_ctx {int(extra.get('n_ctx', 0))}):")
    for v in VARIANTS:
        print(f"  {v:10s} {med[v]:7.1f} MB  ({med[v] / med['bare']:.3f}x bare)")
    print(f"  llumi (GM+IM, one load) / bare = {ratio:.3f} (target <= {TARGET}: {verdict(ratio, TARGET)})")
    print(f"  prefix-cache states held: {extra.get('cache_bytes', 0) / 1e6:.1f} MB")
    write_result(
        "memory",
        {
            "rounds": rounds,
            "tokens": TOKENS,
            "n_ctx": int(extra.get("n_ctx", 0)),
            "median_peak_rss_mb": {v: round(m, 1) for v, m in med.items()},
            "samples_mb": {v: [round(x, 1) for x in p] for v, p in peaks.items()},
            "ratio_llumi_vs_bare": round(ratio, 4),
            "ratio_two_loads_vs_bare": round(med["two_loads"] / med["bare"], 4),
            "prefix_cache_bytes": int(extra.get("cache_bytes", 0)),
            "target": TARGET,
            "met": ratio <= TARGET,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=VARIANTS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child))))
    else:
        main(args.rounds)
