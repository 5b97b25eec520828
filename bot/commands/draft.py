"""`llumi draft`: a private draft reply for a post, printed.

A draft the output checks flagged (after the allowed regenerations) is printed
with its findings and marked not postable (`"postable": false` in --json): it
must be edited before anyone posts it. The exit status is 0 either way (the
draft was written); scripts read `postable`.
"""

from __future__ import annotations

import argparse
from typing import Any

from llumi_core.domain import Actor, Draft, Post

from ..bootstrap import open_app, settings_from
from ._io import print_json, print_notes, print_risk_header, read_text, resource_json, risk_json


def register(sub: Any) -> None:
    p = sub.add_parser("draft", help="draft a supportive reply to a post (TEXT, --file, or stdin)")
    p.add_argument("text", nargs="?", help="the member's post")
    p.add_argument("--file", help="read the post from a UTF-8 text file")
    p.add_argument("--n", type=int, default=1, help="how many drafts, best first (default 1)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    text = read_text(args.text, args.file)
    settings = settings_from(args.config)
    async with open_app(settings) as app:
        result = await app.service.draft(Post.local(text), Actor.local(), n=args.n)
    print_notes(result)
    if args.json:
        print_json(
            {
                "risk": risk_json(result.risk),
                "resources": [resource_json(r) for r in result.resources]
                if result.risk.needs_resources
                else [],
                "drafts": [draft_json(d) for d in result.drafts],
                "model": result.draft.model_id,
                "prompt_version": result.draft.prompt_version,
                "timings": {
                    "queue_ms": round(result.timings.queue_ms, 1),
                    "generate_ms": round(result.timings.generate_ms, 1),
                },
                "notes": list(result.notes),
            }
        )
        return 0
    print_risk_header(result)
    for i, d in enumerate(result.drafts, start=1):
        print(f"Draft {i} (id {d.id}):" if len(result.drafts) > 1 else f"Draft (id {d.id}):")
        print(d.text)
        print_findings(d)
        print()
    print(f"[{result.draft.model_id}, prompt {result.draft.prompt_version}; nothing was posted]")
    return 0


def draft_json(d: Draft) -> dict[str, Any]:
    return {"id": d.id, "text": d.text, "postable": postable(d), "issues": issues_json(d)}


def postable(d: Draft) -> bool:
    """What Post is on the platforms: enabled only for a non-empty draft the checks did not flag."""
    return not d.blocked and bool(d.text.strip())


def issues_json(d: Draft) -> list[dict[str, str]]:
    return [{"kind": i.kind, "text": i.text, "why": i.why} for i in d.issues]


def print_findings(d: Draft) -> None:
    """The checks' findings, under the draft, as plainly as the platforms show them."""
    if not d.issues:
        return
    print("  ⚠ NOT READY TO POST: the checks found problems; edit the text before posting it:")
    for issue in d.issues:
        print(f'  ! {issue.kind}: "{issue.text}" — {issue.why}')
