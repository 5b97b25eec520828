"""Personal-name redaction: recall on posts with names, false redactions on posts without.

    python bench/redact_names.py

Data: bench/data/eval_names.jsonl (55 posts naming someone, 105 that name nobody but are
full of capitalised look-alikes), written before the name detector was first run on it.
Baseline in the same run: the patterns alone (`detect_names=False`), which is what redaction
did before. A name counts as found when every character of it lies inside a `[name]` (or any
other) redaction; a false redaction is a `[name]` in a post that names nobody. Also the median
time per post, and the detector's one-off load time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llumi_core.safety import names  # noqa: E402
from llumi_core.safety.redact import find_personal_data  # noqa: E402

DATA = ROOT / "bench" / "data" / "eval_names.jsonl"


def covered(text: str, name: str, spans: list[tuple[int, int]]) -> bool:
    start = text.find(name)
    return start >= 0 and all(any(a <= i < b for a, b in spans) for i in range(start, start + len(name)))


def run(detect: bool, rows: list[dict[str, object]]) -> dict[str, float]:
    found = total = false_posts = false_spans = 0
    times: list[float] = []
    for row in rows:
        text, wanted = str(row["text"]), list(row["names"])  # type: ignore[call-overload]
        t = time.perf_counter()
        spans = find_personal_data(text, detect_names=detect)
        times.append(time.perf_counter() - t)
        if wanted:
            for name in wanted:
                total += 1
                found += covered(text, name, [(s.start, s.end) for s in spans])
        else:
            named = [s for s in spans if s.kind == "name"]
            false_spans += len(named)
            false_posts += bool(named)
    without = sum(1 for r in rows if not r["names"])
    return {
        "recall": found / total,
        "names": total,
        "found": found,
        "posts_without_names": without,
        "false_redaction_posts": false_posts,
        "false_redaction_rate": false_posts / without,
        "false_spans": false_spans,
        "median_ms_per_post": statistics.median(times) * 1000,
    }


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not names.available():
        sys.exit("the name detector is not installed: pip install -r models/names-requirements.txt")
    t = time.perf_counter()
    names.warm()
    load_s = time.perf_counter() - t
    baseline = run(False, rows)
    detector = run(True, rows)
    print(f"data: {DATA.name}: {len(rows)} posts")
    for label, r in (("patterns only (before)", baseline), ("patterns + Presidio/spaCy", detector)):
        print(
            f"{label:28} recall {r['found']}/{r['names']} = {r['recall']:.1%}; "
            f"false redactions in {r['false_redaction_posts']}/{r['posts_without_names']} posts "
            f"({r['false_redaction_rate']:.1%}, {r['false_spans']} spans); "
            f"median {r['median_ms_per_post']:.2f} ms/post"
        )
    ratio = detector["median_ms_per_post"] / max(baseline["median_ms_per_post"], 1e-9)
    print(f"detector load: {load_s:.1f} s once; time per post vs patterns only: x{ratio:.0f}")
    out = ROOT / "bench" / "results" / "redact_names.json"
    out.write_text(
        json.dumps({"baseline": baseline, "detector": detector, "load_s": load_s}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
