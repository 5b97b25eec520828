"""`llumi eval --posts FILE --out DIR`: GM drafts and IM improvements vs human answers, as a report."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llumi_core.domain import Actor, Post
from llumi_core.errors import InputError

if TYPE_CHECKING:
    from llumi_core.config import Settings
    from llumi_core.evaluation.evalrun import EvalItem, EvalRun


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval",
        help="evaluate the GM and IM on posts with human answers; writes report.html + report.json",
        description="Drafts every post with the GM, improves the lower-voted human answer with the IM, "
        "analyses all replies on the five dimensions and writes DIR/report.html (charts embedded), "
        "DIR/report.json and DIR/charts/*.png. Drafts go to a throw-away database, never the bot's.",
    )
    p.add_argument("--posts", type=Path, required=True, help="JSONL posts, or the CounselChat CSV")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--limit", type=int, default=20, help="how many posts (default 20)")
    p.add_argument(
        "--split",
        choices=("test", "validation"),
        default="test",
        help="which posts: the held-out test split (default; training never sees it) or validation. "
        "A post's split is its `split` field or column, else a hash of its id",
    )
    p.add_argument("--seed", type=int, default=0, help="which posts are sampled")
    p.add_argument("--no-text", action="store_true", help="keep post and reply texts out of the report")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    from llumi_core.evaluation.compare import add_preference
    from llumi_core.evaluation.evalrun import load_items
    from llumi_core.evaluation.preference import default_preference_model
    from llumi_core.evaluation.report import write_report

    from ..bootstrap import settings_from

    if args.limit < 1:
        raise InputError("--limit must be at least 1")
    items = load_items(args.posts, args.limit, args.seed, args.split)
    settings = settings_from(args.config)
    result = await evaluate(settings, items, progress=not args.no_progress)
    preference = default_preference_model(settings.models.prompts_dir)
    add_preference(result, preference)
    meta = {
        "posts_file": str(args.posts),
        "gm_model": settings.models.gm,
        "im_model": settings.models.im,
        "backend": settings.models.backend,
        "max_tokens": settings.models.max_tokens,
        "temperature": settings.models.sampling.temperature,
        "limit": args.limit,
        "seed": args.seed,
        "split": args.split,
        "preference_validation": preference.validation() if preference else None,
    }
    summary = write_report(result, args.out, meta, with_text=not args.no_text)
    groups = summary["groups"]
    print(f"{summary['posts']} posts in {summary['seconds']:.0f} s ({summary['errors']} failed generations)")
    for g in ("gm", "human_top", "human_low", "im"):
        if groups[g]["n"]:
            pref = groups[g]["preference"]
            shown = f"  preference {pref['mean']:.3f}" if pref.get("n") else ""
            print(
                f"  {groups[g]['label']:26} overall {groups[g]['dimensions']['overall']['mean']:.3f}{shown}"
                f"  (n={groups[g]['n']})"
            )
    sim = summary["im_similarity"]["content_similarity"]
    if sim.get("n"):
        print(f"  IM meaning preserved (content similarity) mean {sim['mean']:.2f}, min {sim['min']:.2f}")
    print(f"report: {args.out / 'report.html'}")
    return 0


async def evaluate(settings: Settings, items: Sequence[EvalItem], *, progress: bool) -> EvalRun:
    """`llumi eval`'s run: GM drafts and IM improvements of `items` with `settings`' models.

    Drafts go to a throw-away database in a temporary folder, never the community's; the data
    dir stays, so models registered there (<data_dir>/registry.toml) can be evaluated.
    """
    from llumi_core.evaluation.evalrun import run_eval

    from ..bootstrap import open_app

    settings = settings.model_copy(deep=True)
    with tempfile.TemporaryDirectory(prefix="llumi-eval-") as tmp:
        settings.storage.url = f"sqlite+aiosqlite:///{(Path(tmp) / 'eval.sqlite3').as_posix()}"
        async with open_app(settings) as app:
            service, actor = app.service, Actor.local()

            async def gm(post: str) -> str:
                return (await service.draft(Post.local(post), actor)).draft.text

            async def im(post: str, reply: str) -> str:
                return (await service.improve(Post.local(post), reply, actor)).draft.text

            return await run_eval(items, gm, im, progress=progress)
