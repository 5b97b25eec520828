"""`llumi audit`: the content-free audit trail, and a check of its invariant.

    llumi audit [--since 2025-01-31 | --since 7d] [--json] [--verify]

--verify checks that every posted draft has an approve action by its
requester and that no draft was posted twice; it exits 2 with one line per
violation when the trail breaks that promise.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from llumi_core.domain import AuditEntry, utcnow
from llumi_core.errors import InputError
from llumi_core.safety.audit import verify_trail

from ..bootstrap import open_app, settings_from
from ._io import print_json

EXIT_VIOLATION = 2


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="show the content-free audit trail; --verify checks its invariant")
    p.add_argument("--since", help="ISO date/time (UTC if no zone) or an age like 7d, 12h")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument(
        "--verify", action="store_true", help="check: approved by the requester, never posted twice"
    )
    p.set_defaults(handler=run)


def parse_since(value: str | None) -> datetime | None:
    """'2025-01-31', '2025-01-31T12:00', '7d', '12h', '30m' -> an aware UTC datetime."""
    if value is None:
        return None
    age = re.fullmatch(r"\s*(\d+)\s*([dhm])\s*", value)
    if age:
        amount, unit = int(age.group(1)), age.group(2)
        return utcnow() - timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--since: '{value}' is not a date (2025-01-31), a date-time or an age (7d, 12h)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def entry_json(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": e.at.isoformat(),
        "action": e.action.value,
        "actor": e.actor,
        "community": e.community,
        "draft_id": e.draft_id,
        "model_id": e.model_id,
        "prompt_version": e.prompt_version,
        "detail": e.detail,
    }


async def run(args: argparse.Namespace) -> int:
    since = parse_since(args.since)
    settings = settings_from(args.config)
    async with open_app(settings, load_models=False) as app:
        entries = await app.repos.audit.entries(since=since)
        violations = []
        if args.verify:
            # The invariant is about the whole trail, whatever --since shows.
            violations = verify_trail(await app.repos.audit.entries(), await app.repos.drafts.list())
    if args.verify:
        if args.json:
            print_json({"ok": not violations, "violations": [v.message for v in violations]})
        for v in violations:
            print(f"llumi: audit violation: {v.message}", file=sys.stderr)
        if not violations and not args.json:
            print("ok: every posted draft was approved by its requester, and none was posted twice")
        return EXIT_VIOLATION if violations else 0
    for e in entries:
        if args.json:
            print_json(entry_json(e))
        else:
            model = f" model={e.model_id}@{e.prompt_version}" if e.model_id else ""
            draft = f" draft={e.draft_id}" if e.draft_id else ""
            detail = f" {e.detail}" if e.detail else ""
            print(
                f"{e.at:%Y-%m-%d %H:%M:%S} {e.action.value:<12} {e.actor} {e.community}{draft}{model}{detail}"
            )
    if not entries and not args.json:
        print("no audit entries" + (" since then" if since else ""))
    return 0
