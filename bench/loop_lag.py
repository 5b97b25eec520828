"""Event-loop lag while drafts generate: a 10 ms ticker, p50/p99/max lag.

    python bench/loop_lag.py [--rounds N] [--tokens N]

Lag = how late each 10 ms tick fires. Variants, interleaved round by round:
`idle` (no generation: the floor of this machine), `llumi` (our backend:
the model runs in its worker thread), and `blocking` (bare llama-cpp-python
called on the event loop, as a naive bot does: the loop freezes for the
whole draft, and with it Discord heartbeats and Telegram polling).
Target (issue 6): p99 <= 20 ms while drafts generate.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from _common import (
    gm_messages,
    median,
    params,
    percentile,
    quiet_native,
    raw_llama,
    raw_stream,
    settings,
    verdict,
    write_result,
)

from llumi_core.llm import RoleBackends, build_backends

TICK_S = 0.010
TARGET_P99_MS = 20.0


async def ticker(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    expected = loop.time() + TICK_S
    while not stop.is_set():
        await asyncio.sleep(max(0.0, expected - loop.time()))
        now = loop.time()
        lags.append(max(0.0, now - expected))
        expected = max(expected + TICK_S, now)  # after a stall, measure from now (no burst of catch-up ticks)


async def measure(
    work: str, backends: RoleBackends, raw: object, i: int, tokens: int, idle_s: float
) -> list[float]:
    lags: list[float] = []
    stop = asyncio.Event()
    task = asyncio.create_task(ticker(lags, stop))
    await asyncio.sleep(0.05)
    lags.clear()
    if work == "idle":
        await asyncio.sleep(idle_s)
    elif work == "llumi":
        async for _ in backends.gm.generate(gm_messages(i), params=params(tokens)):
            pass
    else:
        raw_stream(raw, gm_messages(i), tokens)
        await asyncio.sleep(0)
    stop.set()
    await task
    return lags


async def main(rounds: int, tokens: int) -> None:
    with quiet_native():
        backends = await build_backends(settings())
        raw = raw_llama(backends.gm.backend.n_ctx)  # type: ignore[attr-defined]
    variants = ["idle", "llumi", "blocking"]
    lags: dict[str, list[float]] = {v: [] for v in variants}
    durations: list[float] = []
    for i in range(rounds):
        order = variants[i % 3 :] + variants[: i % 3]
        for work in order:
            start = time.perf_counter()
            got = await measure(
                work, backends, raw, i, tokens, idle_s=median(durations) if durations else 1.0
            )
            if work == "llumi":
                durations.append(time.perf_counter() - start)
            lags[work].extend(got)
        print(
            f"round {i + 1}/{rounds}: "
            + "  ".join(f"{v} p99 {percentile(lags[v], 99) * 1000:6.1f} ms" for v in variants)
        )
    await backends.aclose()
    raw.close()  # type: ignore[attr-defined]
    summary = {
        v: {
            "ticks": len(x),
            "p50_ms": round(percentile(x, 50) * 1000, 2),
            "p99_ms": round(percentile(x, 99) * 1000, 2),
            "max_ms": round(max(x, default=0.0) * 1000, 2),
        }
        for v, x in lags.items()
    }
    p99 = summary["llumi"]["p99_ms"]
    print(
        f"\n10 ms ticker lag over {rounds} drafts of {tokens} tokens (median draft {median(durations):.2f} s):"
    )
    for v in variants:
        s = summary[v]
        print(
            f"  {v:9s} ticks {s['ticks']:5d}  p50 {s['p50_ms']:7.2f} ms  p99 {s['p99_ms']:8.2f} ms  max {s['max_ms']:8.2f} ms"
        )
    print(f"  llumi p99 = {p99:.2f} ms (target <= {TARGET_P99_MS} ms: {verdict(p99, TARGET_P99_MS)})")
    idle_p99 = summary["idle"]["p99_ms"]
    print(
        f"  llumi p99 - idle p99 = {p99 - idle_p99:.2f} ms; blocking max / llumi max = "
        f"{summary['blocking']['max_ms'] / max(summary['llumi']['max_ms'], 0.01):.0f}x"
    )
    write_result(
        "loop_lag",
        {
            "rounds": rounds,
            "tokens": tokens,
            "tick_ms": TICK_S * 1000,
            "switch_interval_ms": sys.getswitchinterval() * 1000,
            "median_draft_s": round(median(durations), 3),
            "lag": summary,
            "target_p99_ms": TARGET_P99_MS,
            "met": p99 <= TARGET_P99_MS,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument(
        "--switch-interval-ms",
        type=float,
        default=None,
        help="sys.setswitchinterval for the run (default: Python's 5 ms)",
    )
    args = parser.parse_args()
    if args.switch_interval_ms is not None:
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    asyncio.run(main(args.rounds, args.tokens))
