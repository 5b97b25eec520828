"""A community's own models: registered in `<data_dir>/registry.toml`, promoted, unregistered.

The shipped registry (`models/registry.toml`) is never written. Training registers a tuned
model in the user registry (`register`), `promote` makes a model the community's GM or IM
(`<data_dir>/models.toml`, read by `load_settings`), and `unregister` removes a user entry,
never a shipped one or one in use, and deletes its weights only when asked.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..config import ROLES, Settings, env_sets_model, read_promotions, write_promotions
from ..errors import InputError
from .registry import Registry, read_entries, settings_registry, user_registry_path

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HEADER = re.compile(r'^\s*\[\s*models\s*\.\s*(?:"([^"]+)"|([A-Za-z0-9_-]+))\s*\]\s*(?:#.*)?$')
_ANY_HEADER = re.compile(r"^\s*\[")


def check_free_name(registry: Registry, name: str) -> None:
    """Raise InputError unless `name` is a valid name that no shipped or user model has yet."""
    if not _NAME.match(name):
        raise InputError(f"model name '{name}': use letters, digits, '.', '-' or '_' (64 at most)")
    if name in registry and not registry.is_user(name):
        raise InputError(f"'{name}' is a shipped model ({registry.source}): choose another name")
    if name in registry:
        raise InputError(
            f"model registry {registry.user_source} already has a model '{name}': choose another name"
        )


def add_entry(
    user_file: Path,
    name: str,
    gguf: Path,
    *,
    context_length: int,
    description: str,
    family: str | None = None,
) -> None:
    """Append `[models."<name>"]` pointing at `gguf` (relative to the file when it lies below it).

    `family`: the base model's prompt family, so a tuned model is prompted as its base was.
    """
    try:
        path_text = gguf.resolve().relative_to(user_file.resolve().parent).as_posix()
    except ValueError:
        path_text = gguf.resolve().as_posix()
    block = (
        f"\n[models.{json.dumps(name)}]\n"
        f"path = {json.dumps(path_text)}\n"
        f"context_length = {int(context_length)}\n"
        f"description = {json.dumps(description or 'trained with llumi train')}\n"
        + (f"family = {json.dumps(family)}\n" if family else "")
    )
    user_file.parent.mkdir(parents=True, exist_ok=True)
    with user_file.open("a", encoding="utf-8") as f:
        f.write(block)


def family_of(registry: Registry, gguf: Path | None) -> str | None:
    """The prompt family of the registry model whose file is `gguf` (a tuned model's base), if any."""
    if gguf is None:
        return None
    for name in registry:
        spec = registry.resolve(name, need_file=False)
        if spec.path is not None and spec.path.resolve() == gguf.resolve():
            return spec.family
    return None


def remove_entry(user_file: Path, name: str) -> None:
    """Drop `name`'s table from the user registry, keeping every other line (comments included)."""
    lines = user_file.read_text(encoding="utf-8").splitlines(keepends=True)
    before = set(read_entries(user_file))
    kept, skipping = [], False
    for line in lines:
        header = _HEADER.match(line)
        if header is not None:
            skipping = (header.group(1) or header.group(2)) == name
        elif _ANY_HEADER.match(line):
            skipping = False
        if not skipping:
            kept.append(line)
    text = "".join(kept).rstrip("\n") + "\n"
    if set(tomllib.loads(text).get("models", {})) != before - {name}:
        raise InputError(f"{user_file}: could not remove '{name}' cleanly; edit the file by hand")
    tmp = user_file.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(user_file)


@dataclass(frozen=True, slots=True)
class Promotion:
    name: str
    role: str
    previous: str  # the role's model before
    saved_in: Path
    env_wins: str | None  # an environment variable that still overrides the promotion


def promote(settings: Settings, name: str, role: str) -> Promotion:
    """Make `name` the community's `role` (gm or im), saved in `<data_dir>/models.toml`."""
    if role not in ROLES:
        raise InputError(f"--role {role!r}: use gm or im")
    registry = settings_registry(settings)
    if name not in registry:
        raise InputError(f"no model '{name}' in the registry (known: {', '.join(registry.names())})")
    spec = registry.resolve(name, need_file=False)
    if settings.models.backend == "llama_cpp" and spec.path is not None and not spec.path.is_file():
        raise InputError(f"model '{name}': its file {spec.path} does not exist; nothing was promoted")
    promoted = read_promotions(settings.storage.data_dir)
    previous = getattr(settings.models, role)
    promoted[role] = name
    saved = write_promotions(settings.storage.data_dir, promoted)
    return Promotion(name, role, previous, saved, env_sets_model(role))


@dataclass(frozen=True, slots=True)
class Unregistered:
    name: str
    registry: Path
    weights: Path | None  # the GGUF the entry pointed at
    deleted: bool  # whether that file was deleted (only with delete=True)
    weights_bytes: int


def unregister(settings: Settings, name: str, *, delete: bool = False) -> Unregistered:
    """Remove a user-registered model; refuse shipped models and the GM / IM in use."""
    registry = settings_registry(settings)
    if name not in registry:
        mine = ", ".join(registry.user_names()) or "none"
        raise InputError(f"no model '{name}' in the registry (registered by you: {mine})")
    if not registry.is_user(name):
        raise InputError(
            f"'{name}' is a shipped model ({registry.source}); only models you registered can go"
        )
    promoted = read_promotions(settings.storage.data_dir)
    in_use = [role for role in ROLES if name in (getattr(settings.models, role), promoted.get(role))]
    if in_use:
        raise InputError(
            f"'{name}' is the {' and '.join(r.upper() for r in in_use)} now: "
            "promote another model first (llumi models promote NAME --role gm|im)"
        )
    weights = registry.resolve(name, need_file=False).path
    if delete and weights is not None and not _inside(weights, settings.storage.data_dir):
        raise InputError(
            f"--delete: {weights} is outside the data dir {settings.storage.data_dir}; LLUMI deletes only "
            "weights kept there. Unregister without --delete and remove the file yourself"
        )
    user_file = user_registry_path(settings.storage.data_dir)
    remove_entry(user_file, name)
    size = weights.stat().st_size if weights is not None and weights.is_file() else 0
    deleted = bool(delete and size)
    if deleted and weights is not None:
        weights.unlink()
    return Unregistered(name, user_file, weights, deleted, size)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
