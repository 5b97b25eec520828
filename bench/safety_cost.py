"""What the safety layers cost per post: screen + output gate, with and without the semantic layers.

    python bench/safety_cost.py [--rounds 5]

Runs the development posts (bench/data/dev_short_posts.jsonl) through the risk screen and a
short reply through the output gate, as the service does before a human sees a draft. Prints
the median and p90 milliseconds per post for the pattern layers alone (the baseline, measured
in the same run) and with the semantic layers, their ratio, and the process's RSS growth from
loading the encoder (beyond llama.cpp itself, which the drafting model has loaded already). Target: <= 25 ms p50 per post, <= +150 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT / "bench" / "data" / "dev_short_posts.jsonl"
RESULTS = ROOT / "bench" / "results" / "safety_cost.json"
REPLY = "That sounds really heavy, and I'm glad you told us. What has tonight been like for you?"


def rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(screen, checker, posts: list[str], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for text in posts:
            started = time.perf_counter()
            screen.assess(text)
            checker.check(REPLY)
            times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(ordered), 2), "p90_ms": round(ordered[int(0.9 * len(ordered))], 2)}


def main() -> int:
    from llumi_core.safety.checks import OutputChecker
    from llumi_core.safety.risk import LayeredScreen

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    posts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    patterns = (LayeredScreen(use_semantic=False), OutputChecker())
    timed(*patterns, posts[:5], 1)  # compile regexes, load weights
    # The bot always has llama.cpp loaded for its drafting model: count only what the layers add.
    from llumi_core.llm.llama_cpp import import_llama_cpp

    import_llama_cpp()
    before = rss_mb()
    semantic = (LayeredScreen(), OutputChecker(use_semantic=True))
    semantic[0].warm()
    semantic[1].warm()
    timed(*semantic, posts[:5], 1)
    grown = rss_mb() - before
    base = summary(timed(*patterns, posts, args.rounds))
    full = summary(timed(*semantic, posts, args.rounds))
    result = {
        "posts": len(posts) * args.rounds,
        "patterns only (baseline)": base,
        "with semantic layers": full,
        "ratio_p50": round(full["p50_ms"] / base["p50_ms"], 1) if base["p50_ms"] else None,
        "rss_growth_mb": round(grown, 1),
        "targets": {"p50_ms": 25, "rss_growth_mb": 150},
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
