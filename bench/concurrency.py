"""20 requests from 5 users at once through the queue vs the same 20 back-to-back on bare llama-cpp-python.

    python bench/concurrency.py [--rounds N] [--tokens N]

User "u0" sends 8 requests first (a burst), the other four users 3 each right
after, all at once. Checks: every request answered, none lost; the order of
service is fair (nobody's k-th request before everybody's earlier ones);
total wall time vs the same 20 generations run back-to-back on a bare
`Llama` in the same process (greedy and seeded, so both generate the same
tokens). Target (issue 6): wall <= 1.05x the bare back-to-back time.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from _common import (
    gm_messages,
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

TARGET = 1.05
BURST = ["u0"] * 8 + ["u1", "u2", "u3", "u4"] * 3  # 20 requests, 5 users


async def through_queue(
    backends: RoleBackends, tokens: int
) -> tuple[float, float, list[str], int, list[int]]:
    finished: list[str] = []
    pieces: list[int] = [0] * len(BURST)

    async def one(k: int, user: str) -> None:
        async for _ in backends.gm.generate(gm_messages(k), params=params(tokens, requester=user)):
            pieces[k] += 1
        finished.append(user)

    start, cpu = time.perf_counter(), time.process_time()
    results = await asyncio.gather(*(one(k, u) for k, u in enumerate(BURST)), return_exceptions=True)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    lost = sum(1 for r in results if isinstance(r, BaseException))
    return wall, cpu, finished, lost, pieces


def back_to_back(raw: object, tokens: int) -> tuple[float, float, list[int]]:
    start, cpu = time.perf_counter(), time.process_time()
    counts = [raw_stream(raw, gm_messages(k), tokens)[2] for k in range(len(BURST))]
    return time.perf_counter() - start, time.process_time() - cpu, counts


def fair(order: list[str]) -> bool:
    """Nobody pulls ahead: while two users both still wait, their answer counts differ by at most 2.

    (2, not 1: the burst's first request was already running when the others arrived.)
    FIFO would serve u0's 8 requests before anybody else's first.
    """
    total = {u: BURST.count(u) for u in BURST}
    served = dict.fromkeys(total, 0)
    for user in order:
        served[user] += 1
        if any(served[v] < total[v] and served[user] - served[v] > 2 for v in total):
            return False
    return True


async def main(rounds: int, tokens: int) -> None:
    with quiet_native():
        backends = await build_backends(settings(max_queue=32))
        raw = raw_llama(backends.gm.backend.n_ctx)  # type: ignore[attr-defined]
    back_to_back(raw, 2)  # warm-up both
    await through_queue(backends, 2)
    ours: list[float] = []
    bare: list[float] = []
    ours_cpu: list[float] = []
    bare_cpu: list[float] = []
    orders: list[list[str]] = []
    lost_total = 0
    same_work = True
    for i in range(rounds):
        if i % 2 == 0:
            wall, cpu, order, lost, pieces = await through_queue(backends, tokens)
            base, base_cpu, counts = back_to_back(raw, tokens)
        else:
            base, base_cpu, counts = back_to_back(raw, tokens)
            wall, cpu, order, lost, pieces = await through_queue(backends, tokens)
        ours.append(wall)
        bare.append(base)
        ours_cpu.append(cpu)
        bare_cpu.append(base_cpu)
        orders.append(order)
        lost_total += lost
        same_work &= sum(pieces) >= 0.9 * sum(counts)
        print(
            f"round {i + 1}/{rounds}: queue {wall:6.2f} s (cpu {cpu:6.2f})  bare back-to-back {base:6.2f} s "
            f"(cpu {base_cpu:6.2f})  ratio {wall / base:.3f}  answered {len(order)}/{len(BURST)}"
        )
    await backends.aclose()
    raw.close()  # type: ignore[attr-defined]
    ratio = median(ours) / median(bare)
    cpu_ratio = median(ours_cpu) / median(bare_cpu)
    pair_ratio = median([o / b for o, b in zip(ours, bare, strict=True)])
    first_order = orders[0]
    print(f"\n{len(BURST)} requests from 5 users ({tokens} tokens each), median of {rounds} rounds:")
    print(f"  through the queue      {median(ours):6.2f} s")
    print(f"  bare back-to-back      {median(bare):6.2f} s")
    print(f"  ratio                  {ratio:.3f} (target <= {TARGET}: {verdict(ratio, TARGET)})")
    print(f"  median per-round ratio {pair_ratio:.3f}")
    print(
        f"  CPU time ratio         {cpu_ratio:.3f} (process CPU seconds: robust to other load on the machine)"
    )
    print(f"  answered / lost        {sum(len(o) for o in orders)} / {lost_total}")
    print(f"  service order (round 1): {' '.join(first_order)}")
    print(f"  fair in every round    {all(fair(o) for o in orders)}")
    positions = {u: [k + 1 for k, v in enumerate(first_order) if v == u] for u in sorted(set(BURST))}
    for user, pos in positions.items():
        print(f"    {user}: answered {pos}")
    write_result(
        "concurrency",
        {
            "rounds": rounds,
            "tokens": tokens,
            "requests": len(BURST),
            "users": len(set(BURST)),
            "median_queue_s": round(median(ours), 3),
            "median_bare_back_to_back_s": round(median(bare), 3),
            "samples_queue_s": [round(x, 3) for x in ours],
            "samples_bare_s": [round(x, 3) for x in bare],
            "ratio": round(ratio, 4),
            "median_pair_ratio": round(pair_ratio, 4),
            "cpu_ratio": round(cpu_ratio, 4),
            "samples_queue_cpu_s": [round(x, 3) for x in ours_cpu],
            "samples_bare_cpu_s": [round(x, 3) for x in bare_cpu],
            "target": TARGET,
            "met": ratio <= TARGET,
            "answered": sum(len(o) for o in orders),
            "lost": lost_total,
            "fair": all(fair(o) for o in orders),
            "same_work": same_work,
            "service_order_round1": first_order,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=32)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.tokens))
