"""Validate LLUMI's EPITOME empathy measures against expert labels nobody on the project wrote.

    python bench/empathy_epitome.py              # 5-fold cross-validated Spearman (the honest figure)
    python bench/empathy_epitome.py --shipped    # also: the shipped head on these rows (in-sample)
    python bench/empathy_epitome.py --write      # refit on all rows and write llumi_core/evaluation/empathy_head.json

Data: ../shared/eval/epitome/ (Sharma et al., EMNLP 2020). Targets: each mechanism >= 0.45, mean >= 0.60.
The cross-validated number is what to expect on unseen rows (a part of the data is held out elsewhere);
the shipped head's in-sample number is optimistic and printed only for reference.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from llumi_core.evaluation import empathy  # noqa: E402
from llumi_core.evaluation.features import design_matrix  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "epitome"
FILES = {
    "emotional_reactions": "emotional-reactions-reddit.csv",
    "interpretations": "interpretations-reddit.csv",
    "explorations": "explorations-reddit.csv",
}
TARGET_EACH, TARGET_MEAN = 0.45, 0.60


def load(data_dir: Path, mechanism: str) -> tuple[list[str], list[float]]:
    with (data_dir / FILES[mechanism]).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["response_post"] for r in rows], [float(r["level"]) for r in rows]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--shipped", action="store_true", help="also score the shipped head (in-sample)")
    ap.add_argument("--write", action="store_true", help="refit on all rows and write the shipped head")
    args = ap.parse_args()
    if not all((args.data / f).exists() for f in FILES.values()):
        print(f"EPITOME data not found in {args.data}; nothing to measure", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    cv: dict[str, float] = {}
    shipped: dict[str, float] = {}
    heads = {}
    print(f"{'mechanism':22} {'rows':>5} {f'{args.folds}-fold CV rho':>15} {'shipped (in-sample)':>20}")
    for mech in FILES:
        texts, labels = load(args.data, mech)
        cv[mech] = empathy.spearman(empathy.cross_validate(texts, labels, k=args.folds), labels)
        in_sample = ""
        if args.shipped:
            levels = [empathy.empathy_levels(t)[mech] for t in texts]
            shipped[mech] = empathy.spearman(levels, labels)
            in_sample = f"{shipped[mech]:.3f}"
        if args.write:
            heads[mech] = empathy.fit_head(design_matrix(texts), np.asarray(labels))
        print(f"{mech:22} {len(texts):5d} {cv[mech]:15.3f} {in_sample:>20}")
    mean = sum(cv.values()) / len(cv)
    ok = mean >= TARGET_MEAN and all(v >= TARGET_EACH for v in cv.values())
    print(f"{'mean':22} {'':5} {mean:15.3f}")
    print(
        f"targets: each >= {TARGET_EACH}, mean >= {TARGET_MEAN}: {'MET' if ok else 'NOT MET'} "
        f"(cross-validated; {time.perf_counter() - t0:.1f} s)"
    )
    if args.write:
        metrics = {"cv_spearman": {k: round(v, 4) for k, v in cv.items()}, "folds": args.folds}
        empathy.HEAD_FILE.write_text(json.dumps(empathy.head_to_json(heads, metrics)), encoding="utf-8")
        print(f"wrote {empathy.HEAD_FILE.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
