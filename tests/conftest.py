"""Shared fixtures: settings in a temp dir, loopback-only networking, the real model."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from llumi_core.config import Settings, load_settings

# Before llama_cpp loads anywhere: idle OpenMP threads sleep instead of spinning.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# A proxy variable in the environment would send loopback test traffic away.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)


TEST_MODEL = "smollm2-135m-instruct"


def make_settings(data_dir: Path, **sections: Any) -> Settings:
    """Defaults (no config file) with storage in `data_dir`, repeatable sampling, short drafts.

    Tests draft with the fast SmolLM2-135M; the `quality` tests name the default model.
    """
    base: dict[str, Any] = {
        "storage": {"data_dir": str(data_dir)},
        "models": {
            "gm": TEST_MODEL,
            "im": TEST_MODEL,
            "max_tokens": 48,
            "sampling": {"temperature": 0.0, "seed": 7},
        },
    }
    for name, values in sections.items():
        base.setdefault(name, {}).update(values)
    return load_settings(use_file=False, **base)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    return lambda **sections: make_settings(tmp_path, **sections)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)
