"""Would a zero-shot yes/no question to the drafting model help the risk screen?

    python bench/second_opinion.py [--model PATH.gguf]

Asks the model, for each development post (bench/data/dev_short_posts.jsonl), whether the writer
may be at risk of suicide or self-harm, and scores the post by P("yes") from the next-token
log-probabilities. Prints its AUROC next to the screen's on the same posts, and the AUROC of the
screen's score with the model's added for the posts the screen leaves at "none" (where a second
opinion would act). `[safety] model_second_opinion` stays off unless this shows a gain.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screen_cssrs import auroc  # noqa: E402

DEV = ROOT / "bench" / "data" / "dev_short_posts.jsonl"
QUESTION = (
    "Here is a message someone posted in an online support community:\n\n{post}\n\n"
    "Question: does this message suggest the writer may be at risk of suicide or self-harm? "
    "Answer with one word, yes or no."
)


def default_model() -> Path:
    from llumi_core.llm.registry import load_registry

    return load_registry(ROOT / "models" / "registry.toml").resolve("smollm2-135m-instruct").path  # type: ignore[return-value]


def p_yes(llm, post: str) -> float:
    out = llm.create_chat_completion(
        messages=[{"role": "user", "content": QUESTION.format(post=post)}],
        max_tokens=1,
        temperature=0.0,
        logprobs=True,
        top_logprobs=20,
    )
    top = out["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
    yes = sum(math.exp(t["logprob"]) for t in top if t["token"].strip().lower() in {"yes", "y"})
    no = sum(math.exp(t["logprob"]) for t in top if t["token"].strip().lower() in {"no", "n"})
    return yes / (yes + no) if yes + no else 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    from llumi_core.llm.llama_cpp import _import_llama_cpp
    from llumi_core.safety.risk import LayeredScreen

    llama_cpp = _import_llama_cpp()
    path = args.model or default_model()
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=1024, logits_all=True, verbose=False)
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    y = [int(r["risk"] != "none") for r in rows]
    screen = LayeredScreen()
    screened = [screen.assess(r["text"]) for r in rows]
    started = time.perf_counter()
    model = [p_yes(llm, r["text"]) for r in rows]
    seconds = time.perf_counter() - started
    left = [i for i, a in enumerate(screened) if a.level.value == "none"]
    result = {
        "model": path.name,
        "posts": len(rows),
        "seconds_per_post": round(seconds / len(rows), 3),
        "auroc_screen": round(auroc([a.score for a in screened], y), 3),
        "auroc_model": round(auroc(model, y), 3),
        "posts_left_at_none": len(left),
        "auroc_model_on_those": round(auroc([model[i] for i in left], [y[i] for i in left]), 3),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
