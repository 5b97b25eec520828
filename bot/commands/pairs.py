"""`llumi pairs import|export`: preference pairs for SFT + DPO, from forum dumps or the bot's history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from llumi_core.domain import Platform
from llumi_core.errors import InputError
from llumi_core.ports import CommunityConfigRepository


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("pairs", help="build chosen/rejected preference pairs (TRL format JSONL)")
    actions = p.add_subparsers(dest="pairs_action", metavar="ACTION")
    actions.required = True

    imp = actions.add_parser(
        "import",
        help="pairs from a forum dump with votes",
        description="Pairs from a forum dump with votes: for one post, a higher-voted reply is chosen over "
        "a lower-voted one by at least --min-margin votes; ties and replies under --min-votes are skipped.",
    )
    imp.add_argument("path", type=Path, help="CounselChat CSV, or Reddit JSONL file / folder")
    imp.add_argument("--format", choices=("counselchat", "reddit"), required=True)
    imp.add_argument("--out", type=Path, required=True, help="output JSONL")
    imp.add_argument("--task", choices=("gm", "im", "both"), default="both")
    imp.add_argument("--min-margin", type=int, default=1, help="chosen minus rejected votes (default 1)")
    imp.add_argument("--min-votes", type=int, default=1, help="votes the chosen reply needs (default 1)")
    imp.add_argument("--max-per-post", type=int, default=4, help="pairs per post at most (default 4)")
    imp.add_argument("--min-chars", type=int, default=40, help="shorter replies are skipped (default 40)")
    imp.set_defaults(handler=run_import)

    exp = actions.add_parser("export", help="pairs from the bot's own history (learning-enabled communities)")
    exp.add_argument("--out", type=Path, required=True)
    exp.add_argument(
        "--community", default=None, help="platform:id, e.g. discord:1234 (default: all enabled)"
    )
    exp.add_argument("--since", default=None, help="ISO date; only drafts made since then")
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from llumi_core.config import load_settings
    from llumi_core.feedback.forums import import_forum_pairs
    from llumi_core.feedback.pairs import TASKS, PairRules

    if not args.path.exists():
        raise InputError(f"no such file or folder: {args.path}")
    _check_out(args.out)
    if args.min_margin < 1 or args.min_votes < 0 or args.max_per_post < 1:
        raise InputError("--min-margin and --max-per-post must be at least 1, --min-votes at least 0")
    settings = load_settings(args.config)
    rules = PairRules(
        min_margin=args.min_margin,
        min_chosen=args.min_votes,
        min_chars=args.min_chars,
        max_pairs_per_post=args.max_per_post,
        tasks=TASKS if args.task == "both" else (args.task,),
    )
    n, summary = import_forum_pairs(args.path, args.format, settings.models.prompts_dir, rules, args.out)
    for line in summary.lines():
        print(line)
    print(f"wrote {n} pairs to {args.out}")
    if n == 0:
        print("no pairs: check --format, or lower --min-margin / --min-votes", file=sys.stderr)
    return 0


async def run_export(args: argparse.Namespace) -> int:
    from llumi_core.feedback.history import export_pairs

    from ..bootstrap import open_app, settings_from

    _check_out(args.out)
    settings = settings_from(args.config)
    async with open_app(settings, load_models=False) as app:
        if args.community is not None:
            await _check_community(app.repos.communities, args.community)
        summary = await export_pairs(
            app.repos, settings, out=args.out, community=args.community, since=args.since
        )
    for line in summary.lines():
        print(line)
    print(f"wrote {sum(summary.pairs.values())} pairs to {args.out}")
    return 0


def _check_out(out: Path) -> None:
    """One clear line instead of a failed write at the end."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"--out {out}: cannot create the folder {parent} ({err.strerror or err})") from None
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")


async def _check_community(communities: CommunityConfigRepository, key: str) -> None:
    platform, sep, community_id = key.partition(":")
    if not sep or not community_id or platform not in {p.value for p in Platform}:
        raise InputError(f"--community {key!r}: expected platform:id, e.g. discord:1234 or telegram:-100123")
    if await communities.get(Platform(platform), community_id) is None:
        known = ", ".join(c.key for c in await communities.all()) or "none configured yet"
        raise InputError(f"--community {key}: no such community in the database (known: {known})")
