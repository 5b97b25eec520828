"""`llumi improve`: a supporter's reply revised by the improvement model."""

from __future__ import annotations

import argparse
from typing import Any

from llumi_core.domain import Actor, Post

from ..bootstrap import open_app, settings_from
from ._io import print_json, print_notes, print_risk_header, resource_json, risk_json
from .draft import issues_json, postable, print_findings


def register(sub: Any) -> None:
    p = sub.add_parser("improve", help="improve your own reply to a post")
    p.add_argument("--post", required=True, help="the member's post")
    p.add_argument("--reply", required=True, help="your reply to improve")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    async with open_app(settings) as app:
        result = await app.service.improve(Post.local(args.post), args.reply, Actor.local())
    print_notes(result)
    d = result.draft
    changes = [{"kind": c.kind.value, "before": c.before, "after": c.after, "why": c.why} for c in d.changes]
    if args.json:
        print_json(
            {
                "risk": risk_json(result.risk),
                "resources": [resource_json(r) for r in result.resources]
                if result.risk.needs_resources
                else [],
                "improved": {"id": d.id, "text": d.text, "postable": postable(d)},
                "changes": changes,
                "issues": issues_json(d),
                "model": d.model_id,
                "prompt_version": d.prompt_version,
                "notes": list(result.notes),
            }
        )
        return 0
    print_risk_header(result)
    print(f"Improved (id {d.id}):\n{d.text}")
    print_findings(d)
    print()
    print("Changes:" if changes else "No changes.")
    for c in d.changes:
        print(f"  - {c.kind.value}: {c.before!r} -> {c.after!r} ({c.why})")
    print(f"\n[{d.model_id}, prompt {d.prompt_version}; nothing was posted]")
    return 0
