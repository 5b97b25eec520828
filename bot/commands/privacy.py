"""`llumi privacy`: retention purge and members' data requests (export, delete).

    llumi privacy purge                                  blank content past retention now
    llumi privacy export-user --platform P --user ID     everything stored about one member (JSON)
    llumi privacy delete-user --platform P --user ID --yes
    llumi privacy optouts --platform P                   ids of members who opted out (ids only)

Nothing here loads a model. Each action is recorded in the content-free audit
trail (the member's id is not written there).
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
from datetime import datetime
from typing import Any

from llumi_core.domain import Actor, AuditAction, AuditEntry, Draft, Platform
from llumi_core.errors import InputError
from llumi_core.retention import purge_expired

from ..bootstrap import open_app, settings_from
from ._io import print_json


def register(sub: Any) -> None:
    p = sub.add_parser("privacy", help="retention purge and members' data requests")
    actions = p.add_subparsers(dest="privacy_action", metavar="ACTION")
    actions.required = True
    purge = actions.add_parser("purge", help="blank the content of drafts past their retention now")
    purge.add_argument("--json", action="store_true", help="print JSON")
    purge.set_defaults(handler=run_purge)
    optouts = actions.add_parser("optouts", help="list the ids of members who opted out (ids only)")
    optouts.add_argument("--platform", required=True, choices=[p.value for p in Platform])
    optouts.add_argument("--json", action="store_true", help="print JSON")
    optouts.set_defaults(handler=run_optouts)
    for name, handler, what in (
        ("export-user", run_export, "print everything stored about one member as JSON"),
        ("delete-user", run_delete, "delete the drafts and ratings of, or about, one member"),
    ):
        q = actions.add_parser(name, help=what)
        q.add_argument("--platform", required=True, choices=[p.value for p in Platform])
        q.add_argument("--user", required=True, help="the member's platform user id")
        if name == "delete-user":
            q.add_argument("--yes", action="store_true", help="really delete (otherwise only count)")
            q.add_argument("--json", action="store_true", help="print JSON")
        q.set_defaults(handler=handler)


async def run_purge(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    async with open_app(settings, load_models=False) as app:
        purged = await purge_expired(app.repos, settings, Actor.local())
    if args.json:
        print_json({"purged": purged, "retention_days": settings.privacy.retention_days})
    else:
        print(
            f"purged the content of {purged} draft(s) (default retention {settings.privacy.retention_days} days)"
        )
    return 0


def _user(args: argparse.Namespace) -> tuple[Platform, str]:
    user = str(args.user).strip()
    if not user:
        raise InputError("--user must not be empty")
    return Platform(args.platform), user


def _involves(draft: Draft, platform: Platform, user: str) -> bool:
    return draft.post.platform is platform and user in (draft.post_author_id, draft.requester.user_id)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


async def run_optouts(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    platform = Platform(args.platform)
    async with open_app(settings, load_models=False) as app:
        ids = await app.repos.optouts.list(platform)
    if args.json:
        print_json({"platform": platform.value, "opted_out": ids})
    else:
        print(f"{len(ids)} member(s) opted out on {platform.value}" + (":" if ids else ""))
        for user_id in ids:
            print(f"  {user_id}")
    return 0


async def run_export(args: argparse.Namespace) -> int:
    platform, user = _user(args)
    settings = settings_from(args.config)
    async with open_app(settings, load_models=False) as app:
        drafts = [d for d in await app.repos.drafts.list() if _involves(d, platform, user)]
        ratings = []
        for d in await app.repos.drafts.list():
            ratings += [
                r
                for r in await app.repos.ratings.for_draft(d.id)
                if r.by.platform is platform and r.by.user_id == user
            ]
        key = f"{platform}:{user}"
        actions = [e for e in await app.repos.audit.entries() if e.actor == key]
        opted_out = await app.repos.optouts.contains(platform, user)
        # A data request is an action on the member's data: audited, like delete-user (no id).
        await app.repos.audit.record(
            AuditEntry(
                AuditAction.EXPORT_USER, Actor.local().key, f"{platform}:*", detail=f"drafts={len(drafts)}"
            )
        )
    report = {
        "platform": platform.value,
        "user": user,
        "opted_out": opted_out,
        "drafts_about_or_by_user": [_jsonable(d) for d in drafts],
        "ratings_by_user": [_jsonable(r) for r in ratings],
        "audit_actions_by_user": [_jsonable(e) for e in actions],
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


async def run_delete(args: argparse.Namespace) -> int:
    platform, user = _user(args)
    settings = settings_from(args.config)
    async with open_app(settings, load_models=False) as app:
        count = sum(_involves(d, platform, user) for d in await app.repos.drafts.list())
        deleted = 0
        if args.yes:
            deleted = await app.repos.drafts.delete_for_user(platform, user)
            await app.repos.audit.record(
                AuditEntry(
                    AuditAction.DELETE_USER, Actor.local().key, f"{platform}:*", detail=f"drafts={deleted}"
                )
            )
    if args.json:
        print_json({"drafts_found": count, "deleted": deleted, "done": bool(args.yes)})
    elif args.yes:
        print(f"deleted {deleted} draft(s) by or about {platform}:{user}, with their ratings")
    else:
        print(f"{count} draft(s) by or about {platform}:{user}; rerun with --yes to delete them")
    return 0
