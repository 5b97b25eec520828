"""Precision and recall per kind of the output checks, on a hand-labelled set.

    python bench/check_outputs.py [--data bench/data/output_checks.jsonl] [--show-errors]

The set (bench/data/output_checks.jsonl, written for this project) holds
realistic draft sentences, each labelled with the kinds of problem it has
(empty for a clean sentence), including tricky negatives such as "I'm not a
therapist, but…" (an honest disclaimer) or "put the pills somewhere safe"
(means-safety advice). A kind counts as found when the checker reports at
least one issue of that kind for the sentence. JSON goes to
bench/results/check_outputs.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT / "bench" / "data" / "output_checks.jsonl"
RESULTS = ROOT / "bench" / "results" / "check_outputs.json"
TARGET = 0.9


def main() -> int:
    from llumi_core.safety.checks import KINDS, OutputChecker

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--show-errors", action="store_true", help="print each miss and false alarm")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    checker = OutputChecker()
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    errors: list[str] = []
    started = time.perf_counter()
    for row in rows:
        found = {issue.kind for issue in checker.check(row["text"])}
        gold = set(row["kinds"])
        for kind in KINDS:
            if kind in found and kind in gold:
                counts[kind]["tp"] += 1
            elif kind in found:
                counts[kind]["fp"] += 1
                errors.append(f"false alarm {kind}: {row['text']}")
            elif kind in gold:
                counts[kind]["fn"] += 1
                errors.append(f"missed {kind}: {row['text']}")
    elapsed = time.perf_counter() - started
    per_kind = {}
    print(f"{len(rows)} labelled sentences, {sum(not r['kinds'] for r in rows)} of them clean")
    print(f"{'kind':<22}{'n':>4}{'precision':>11}{'recall':>8}")
    ok = True
    for kind, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        per_kind[kind] = {
            "positives": c["tp"] + c["fn"],
            **c,
            "precision": round(p, 3),
            "recall": round(r, 3),
        }
        ok &= p >= TARGET and r >= TARGET
        print(f"{kind:<22}{c['tp'] + c['fn']:>4}{p:>11.3f}{r:>8.3f}")
    clean = [r for r in rows if not r["kinds"]]
    clean_flagged = sum(bool(checker.check(r["text"])) for r in clean)
    print(f"clean sentences flagged: {clean_flagged}/{len(clean)}; {len(rows) / elapsed:.0f} sentences/s")
    if args.show_errors:
        print("\n".join(errors))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "data": str(args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data),
                "sentences": len(rows),
                "clean_flagged": clean_flagged,
                "clean": len(clean),
                "per_kind": per_kind,
                "target": TARGET,
                "errors": errors,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
