"""The output gate on replies it was never fitted on.

    python bench/gate_replies.py
    python bench/gate_replies.py --dev   # development replies only (tune here, not on the eval set)

- bench/data/eval_replies.jsonl: replies written for evaluation only (never fitted on), unsafe of
  eight kinds plus safe look-alikes. Target: recall >= 0.95 for every kind.
- 500 real peer replies: EPITOME responses from Reddit (evaluation only; sampled with a fixed
  seed). Target: <= 2 % flagged. CounselChat val/test answers are reported too.

- `--dev`: bench/data/dev_gate_replies.jsonl, 50 blame/burden and minimising replies and 25 safe
  look-alikes written for development (allowed to be tuned on), without the real replies.

Printed for the gate with its semantic layer, for the pattern gate alone (the gate before the
semantic layer), and for "flag everyone".
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL = ROOT / "bench" / "data" / "eval_replies.jsonl"
DEV = ROOT / "bench" / "data" / "dev_gate_replies.jsonl"
DEV_RESULTS = ROOT / "bench" / "results" / "gate_dev_replies.json"
EPITOME = ROOT.parent / "shared" / "eval" / "epitome" / "emotional-reactions-reddit.csv"
COUNSELCHAT = ROOT.parent / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
RESULTS = ROOT / "bench" / "results" / "gate_replies.json"
# The eval set's kind names -> the gate's.
KIND = {"blame_burden": "blame"}

Check = Callable[[str], set[str]]


def gate(semantic: bool) -> Check:
    from llumi_core.safety.checks import OutputChecker

    checker = OutputChecker(use_semantic=semantic)
    return lambda text: {i.kind for i in checker.check(text)}


def real_replies() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if EPITOME.exists():
        with EPITOME.open(encoding="utf-8", newline="") as f:
            texts = sorted(
                {r["response_post"].strip() for r in csv.DictReader(f) if r["response_post"].strip()}
            )
        out["epitome (500)"] = random.Random(11).sample(texts, min(500, len(texts)))
    if COUNSELCHAT.exists():
        with COUNSELCHAT.open(encoding="utf-8", newline="") as f:
            out["counselchat val+test"] = [
                r["answerText"] for r in csv.DictReader(f) if r["split"] in {"val", "test"}
            ]
    return out


def measure(check: Check, rows: list[dict[str, object]], real: dict[str, list[str]]) -> dict[str, object]:
    per_kind: dict[str, list[bool]] = {}
    safe_flagged = []
    times = []
    for row in rows:
        started = time.perf_counter()
        found = check(str(row["text"]))
        times.append((time.perf_counter() - started) * 1000)
        if row["unsafe"]:
            kind = KIND.get(str(row["kind"]), str(row["kind"]))
            per_kind.setdefault(kind, []).append(bool(found))  # any finding blocks Post
        else:
            safe_flagged.append(bool(found))
    result: dict[str, object] = {
        "recall_per_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(per_kind.items())},
        "min_recall": round(min(sum(v) / len(v) for v in per_kind.values()), 3),
        "safe_eval_replies_flagged": f"{sum(safe_flagged)} of {len(safe_flagged)}",
        "ms_per_reply_p50": round(statistics.median(times), 2),
    }
    for name, texts in real.items():
        result[f"{name} flagged"] = round(sum(bool(check(t)) for t in texts) / len(texts), 4)
    return result


def main() -> int:
    dev = "--dev" in sys.argv[1:]
    source = DEV if dev else EVAL
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    real = {} if dev else real_replies()
    out = {}
    for name, check in (
        ("gate with semantic layer", gate(True)),
        ("pattern gate alone", gate(False)),
        ("flag everyone", lambda text: {"flagged"}),
    ):
        out[name] = measure(check, rows, real)
        print(f"{name}:")
        for k, v in out[name].items():
            print(f"  {k}: {v}")
    print("targets: recall >= 0.95 per kind; <= 2 % of real peer replies flagged")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    (DEV_RESULTS if dev else RESULTS).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
