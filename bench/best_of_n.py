"""Best-of-n (issue 14): does the draft the preference model ranks first beat a random one?

    python bench/best_of_n.py [--model NAME] [--n 3] [--limit 20]

For each community-style post of bench/data/community_posts.jsonl (written for the
benches; the preference head was fitted on CounselChat's train split only), the model
writes `n` drafts with different seeds, as `llumi draft --n` does (first try, the
GM template of the model's family). The community preference model ranks them, and
the bench reports, per post and then as medians and means over posts:

- the preference score of the draft ranked first vs the mean over the n drafts
  (the expected score of a draft picked at random);
- the same for each of `llumi eval`'s five dimensions (goal: no dimension lower);
- how often the first-ranked draft is also the best one on each dimension.
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from _common import quiet_native, write_result
from draft_quality import community_items, resolve, shown

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.domain import ModelRole
from llumi_core.evaluation.analysis import DIMENSIONS, analyze
from llumi_core.evaluation.preference import default_preference_model
from llumi_core.prompts import load_prompt

SEED = 31


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="qwen2.5-coder-1.5b-instruct")
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    from draft_quality import Model

    path, family = resolve(args.model, {})
    template = load_prompt(DEFAULT_MODELS_DIR / "prompts", ModelRole.GM, family)
    ranker = default_preference_model(prompt=template)
    if ranker is None:
        raise SystemExit("the sentence encoder is not installed (see the README's first command)")
    items = community_items(args.limit)
    gains: dict[str, list[float]] = {k: [] for k in ("preference", *DIMENSIONS)}
    first_is_best: dict[str, list[bool]] = {k: [] for k in DIMENSIONS}
    with quiet_native():
        model = Model(args.model, path, family, args.threads)
        for n, item in enumerate(items):
            texts = [shown(model.generate(template.render(item.post), template, SEED + 100 * n + k, None)["raw"], lambda t: t)
                     for k in range(args.n)]
            scores = [p.score for p in ranker.score(item.post, texts)]
            best = max(range(args.n), key=lambda i: scores[i])
            gains["preference"].append(scores[best] - statistics.fmean(scores))
            dims = [analyze(t, item.post) for t in texts]
            for d in DIMENSIONS:
                values = [x[d]["score"] for x in dims]
                gains[d].append(values[best] - statistics.fmean(values))
                first_is_best[d].append(values[best] >= max(values))
            print(f"  {n + 1}/{len(items)}", end="\r", flush=True)
    print()
    result: dict[str, Any] = {
        "model": args.model, "n": args.n, "posts": len(items),
        "gain_over_random": {k: {"mean": round(statistics.fmean(v), 4), "median": round(statistics.median(v), 4)}
                             for k, v in gains.items()},
        "first_is_best_share": {k: round(sum(v) / len(v), 3) for k, v in first_is_best.items()},
    }
    print(json.dumps(result, indent=1))
    write_result("best_of_n", result)


if __name__ == "__main__":
    main()
