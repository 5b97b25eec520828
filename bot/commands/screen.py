"""`llumi screen`: the risk screen alone (no database; the model only for `[safety] model_second_opinion`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from llumi_core.config import Settings
from llumi_core.domain import RiskAssessment
from llumi_core.llm import build_backends
from llumi_core.safety import Safety
from llumi_core.text import clean_post

from ..bootstrap import check_models, settings_from
from ._io import print_json, read_jsonl, read_text, risk_json, risk_line

Assess = Callable[[str], Awaitable[RiskAssessment]]


def register(sub: Any) -> None:
    p = sub.add_parser("screen", help="assess the risk a post signals (none, elevated, acute)")
    p.add_argument("text", nargs="?", help="the post (or --file, --jsonl, stdin)")
    p.add_argument("--file", help="read one post from a text file")
    p.add_argument("--jsonl", metavar="IN", help='lines {"id", "text"}; writes one result line per input')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    return asyncio.run(_screen_all(args, settings, Safety(settings.safety, settings.privacy)))


async def _screen_all(args: argparse.Namespace, settings: Settings, safety: Safety) -> int:
    if not settings.safety.model_second_opinion:
        return await _print_all(args, settings, lambda text: _ready(safety.screen(text)))
    # The second opinion asks the drafting model, so this loads it (seconds, not milliseconds).
    check_models(settings)
    backends = await build_backends(settings)
    try:
        return await _print_all(
            args,
            settings,
            lambda text: safety.screen_with_opinion(
                text, backends.gm, for_model=safety.redact_for_model(text)
            ),
        )
    finally:
        await backends.aclose()


async def _ready(risk: RiskAssessment) -> RiskAssessment:
    return risk


async def _print_all(args: argparse.Namespace, settings: Settings, assess: Assess) -> int:
    if args.jsonl:
        for row in read_jsonl(args.jsonl, required=("id", "text")):
            text = row["text"] if isinstance(row["text"], str) else ""
            print_json({"id": row["id"], **risk_json(await assess(text))})
        sys.stdout.flush()
        return 0
    text = clean_post(read_text(args.text, args.file), max_chars=settings.models.max_post_chars).text
    risk = await assess(text)
    if args.json:
        print_json(risk_json(risk))
    else:
        print(
            risk_line(risk).removeprefix("Risk: ") + (f" — score {risk.score:.2f}" if risk.screened else "")
        )
    return 0
