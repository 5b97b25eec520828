"""`llumi screen`: the risk screen alone (no model, no database)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from llumi_core.safety.risk import LayeredScreen
from llumi_core.text import clean_post

from ..bootstrap import settings_from
from ._io import print_json, read_jsonl, read_text, risk_json, risk_line


def register(sub: Any) -> None:
    p = sub.add_parser("screen", help="assess the risk a post signals (none, elevated, acute)")
    p.add_argument("text", nargs="?", help="the post (or --file, --jsonl, stdin)")
    p.add_argument("--file", help="read one post from a text file")
    p.add_argument("--jsonl", metavar="IN", help='lines {"id", "text"}; writes one result line per input')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    screen = LayeredScreen(use_semantic=settings.safety.semantic)
    if args.jsonl:
        for row in read_jsonl(args.jsonl, required=("id", "text")):
            text = row["text"] if isinstance(row["text"], str) else ""
            risk = screen.assess(text) if text.strip() else screen.assess("")
            print_json({"id": row["id"], **risk_json(risk)})
        sys.stdout.flush()
        return 0
    text = clean_post(read_text(args.text, args.file), max_chars=settings.models.max_post_chars).text
    risk = screen.assess(text)
    if args.json:
        print_json(risk_json(risk))
    else:
        print(risk_line(risk).removeprefix("Risk: ") + (f" — score {risk.score:.2f}" if risk.screened else ""))
    return 0
