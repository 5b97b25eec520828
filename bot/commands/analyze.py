"""`llumi analyze`: the five-dimension analysis of a reply (or a JSONL file of replies)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from llumi_core.errors import InputError
from llumi_core.text import decode_bytes


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "analyze",
        help="score a reply on readability, empathy, connection, actionability and safety",
        description=(
            "Score a reply on the five dimensions. TEXT (or stdin when TEXT is '-'), or --jsonl with "
            'lines {"id", "post", "response"}: one JSON line out per input line.'
        ),
    )
    p.add_argument("text", nargs="?", help="the reply to analyse ('-' reads stdin)")
    p.add_argument("--post", default=None, help="the post the reply answers (context)")
    p.add_argument(
        "--jsonl", type=Path, default=None, help='JSONL input: {"id", "post", "response"} per line'
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=run)


def _table(result: dict[str, Any]) -> str:
    lines = []
    for dim in ("readability", "empathy", "connection", "actionability", "safety"):
        values = result[dim]
        subs = ", ".join(f"{k}={v}" for k, v in values.items() if k != "score")
        lines.append(f"{dim:14} {values['score']:.2f}   {subs}")
    return "\n".join(lines)


def _run_jsonl(path: Path) -> int:
    from llumi_core.evaluation.analysis import analyze

    if not path.is_file():
        raise InputError(f"no such file: {path}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    for n, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"{path}:{n}: not valid UTF-8 (byte {err.start + 1} of the line)") from None
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            response = row["response"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f"{path}:{n}: expected a JSON object with a 'response' field") from None
        if not isinstance(response, str):
            raise InputError(f"{path}:{n}: 'response' must be text")
        out = {"id": row.get("id", n), **analyze(response, row.get("post"))}
        print(json.dumps(out, ensure_ascii=False))
    return 0


def run(args: argparse.Namespace) -> int:
    from llumi_core.evaluation.analysis import analyze

    if args.jsonl is not None:
        return _run_jsonl(args.jsonl)
    from_stdin = args.text in (None, "-") and not sys.stdin.isatty()
    text = decode_bytes(sys.stdin.buffer.read(), "standard input") if from_stdin else args.text
    if not text or not text.strip():
        raise InputError("give a reply to analyse: llumi analyze 'TEXT' (or --jsonl FILE)")
    result = analyze(text, args.post)
    print(json.dumps(result, ensure_ascii=False) if args.json else _table(result))
    return 0
