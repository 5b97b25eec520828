"""`llumi status`: the loaded models, their queues and memory, the database and adapters."""

from __future__ import annotations

import argparse
from typing import Any

from llumi_core.llm.registry import ModelSpec, settings_registry

from ..bootstrap import open_app, settings_from
from ._io import print_json
from .models import packages_line


def register(sub: Any) -> None:
    p = sub.add_parser("status", help="load the models and report them, their memory and the database")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    async with open_app(settings) as app:
        assert app.backends is not None
        roles = app.backends.status()
        shared = app.backends.shared
        app_safety = app.safety.status()
    registry = settings_registry(settings)
    models: dict[str, dict[str, Any]] = {
        role: {
            "model": s.model_id,
            **_provenance(registry.resolve(s.model_id, need_file=False)),
            "loaded": s.loaded,
            "queue_length": s.queue_length,
            "memory_mb": round(s.memory_bytes / 2**20, 1) if s.memory_bytes else None,
            "detail": s.detail,
            **s.extra,
        }
        for role, s in roles.items()
    }
    report = {
        "models": models,
        "gm_im_share_one_load": shared,
        "database": settings.storage.database_url().split("://", 1)[0],
        "adapters": {name: getattr(settings, name).enabled for name in ("discord", "telegram")},
        "safety": app_safety,
    }
    if args.json:
        print_json(report)
        return 0
    for role, info in models.items():
        print(
            f"{role}: {info['model']} ({info['detail']}), loaded={info['loaded']}, queue={info['queue_length']}"
        )
        source = f" from {packages_line(info['packages'])}" if info["packages"] else ""
        print(f"  licence {info['license'] or 'not given'}{source}")
    memory = next(iter(models.values()))["memory_mb"]
    where = f"{memory} MB" if memory is not None else "not measured here (the model runs in the remote server)"
    print(f"process memory (RSS): {where}; GM and IM share one load: {shared}")
    print(f"database: {report['database']}; adapters: {report['adapters']}")
    for layer, state in app_safety.items():
        print(f"{layer}: {state}")
    return 0


def _provenance(spec: ModelSpec) -> dict[str, Any]:
    return {"license": spec.license, "packages": list(spec.packages), "card": spec.card}
