"""`llumi check`: the output checks alone (no model, no database).

TEXT (or --file, or stdin) gives one text; --jsonl reads lines {"id", "text"}
and writes one result line per input, with its id. A result is
{"ok": bool, "issues": [{"kind", "text", "why"}]}.

Exit status, like a linter's: 0 no problems, 1 problems found (in any line of
--jsonl), 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from llumi_core.domain import OutputIssue
from llumi_core.errors import InputError
from llumi_core.safety.checks import OutputChecker

from ._io import print_json, read_jsonl, read_text

EXIT_CLEAN, EXIT_PROBLEMS = 0, 1
EPILOG = (
    "exit status: 0 no problems found; 1 problems found (in any --jsonl line); 2 bad input. "
    "An internal error also exits 1, with one line on stderr."
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="check a reply for problems (claims to be human, secrecy, methods, ...)",
        description="Run the output checks on a reply, without a model or a database.",
        epilog=EPILOG,
    )
    p.add_argument("text", nargs="?", help="the reply to check (or --file, --jsonl, stdin)")
    p.add_argument("--file", help="read the reply from a text file")
    p.add_argument(
        "--jsonl", metavar="IN", help='lines {"id", "text"} (- for stdin); one result line per input'
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def result_json(issues: list[OutputIssue]) -> dict[str, Any]:
    return {"ok": not issues, "issues": [{"kind": i.kind, "text": i.text, "why": i.why} for i in issues]}


def run(args: argparse.Namespace) -> int:
    checker = OutputChecker()
    if args.jsonl:
        if args.text is not None or args.file is not None:
            raise InputError("give TEXT, --file or --jsonl, not several")
        found = False
        for row in read_jsonl(args.jsonl, required=("id", "text")):
            text = row["text"] if isinstance(row["text"], str) else ""
            issues = checker.check(text)
            found = found or bool(issues)
            print_json({"id": row["id"], **result_json(issues)})
        sys.stdout.flush()
        return EXIT_PROBLEMS if found else EXIT_CLEAN
    text = read_text(args.text, args.file, what="reply")
    if not text.strip():
        raise InputError("the reply is empty; there is nothing to check")
    issues = checker.check(text)
    if args.json:
        print_json(result_json(issues))
    elif not issues:
        print("ok: no problems found")
    else:
        for issue in issues:
            print(f'{issue.kind}: "{issue.text}" — {issue.why}')
    return EXIT_PROBLEMS if issues else EXIT_CLEAN
