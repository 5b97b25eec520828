"""The user registry in the data dir, promotion and unregistering: real files, real settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from llumi_core.config import DEFAULT_MODELS_DIR, Settings, load_settings, read_promotions
from llumi_core.errors import ConfigError, InputError
from llumi_core.llm.registry import load_registry, settings_registry, user_registry_path
from llumi_core.llm.user_models import (
    add_entry,
    check_free_name,
    family_of,
    promote,
    remove_entry,
    unregister,
)
from llumi_core.training.export import register_model

SHIPPED = DEFAULT_MODELS_DIR / "registry.toml"


def _settings(data: Path, **models: str) -> Settings:
    return load_settings(use_file=False, storage={"data_dir": str(data)}, models=models)


def _tuned(data: Path, name: str = "tuned-1") -> Path:
    gguf = data / "models" / f"{name}.gguf"
    gguf.parent.mkdir(parents=True, exist_ok=True)
    gguf.write_bytes(b"GGUF" + b"\0" * 1000)
    register_model(user_registry_path(data), name, gguf, context_length=2048, description="t")
    return gguf


def test_user_registry_sits_on_the_shipped_one(tmp_path: Path) -> None:
    gguf = _tuned(tmp_path)
    registry = settings_registry(_settings(tmp_path))
    assert "smollm2-135m-instruct" in registry and not registry.is_user("smollm2-135m-instruct")
    assert registry.is_user("tuned-1") and registry.user_names() == ["tuned-1"]
    # the relative path is relative to the user file, not to the shipped one
    assert registry.resolve("tuned-1").path == gguf.resolve()
    assert user_registry_path(tmp_path).read_text(encoding="utf-8").count('path = "models/tuned-1.gguf"') == 1


def test_a_user_entry_may_not_shadow_a_shipped_one(tmp_path: Path) -> None:
    user = user_registry_path(tmp_path)
    user.write_text('[models.smollm2-135m-instruct]\npath = "x.gguf"\n', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"user registry .* 'smollm2-135m-instruct' has the name of a shipped"
    ):
        load_registry(SHIPPED, user)


def test_export_names_are_checked_against_both_registries(tmp_path: Path) -> None:
    _tuned(tmp_path)
    user = user_registry_path(tmp_path)
    registry = load_registry(SHIPPED, user)
    with pytest.raises(InputError, match="is a shipped model"):
        check_free_name(registry, "smollm2-135m-instruct")
    with pytest.raises(InputError, match="already has a model 'tuned-1'"):
        check_free_name(registry, "tuned-1")
    with pytest.raises(InputError, match="model name 'a b'"):
        check_free_name(registry, "a b")
    check_free_name(registry, "tuned-2")  # free


def test_a_dotted_name_is_quoted_and_resolves(tmp_path: Path) -> None:
    user = user_registry_path(tmp_path)
    add_entry(user, "smol-1.5", tmp_path / "w.gguf", context_length=8, description="")
    assert load_registry(SHIPPED, user).resolve("smol-1.5", need_file=False).path == (tmp_path / "w.gguf")


def test_remove_entry_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    user = user_registry_path(tmp_path)
    user.write_text("# my notes\n", encoding="utf-8")
    for name in ("a", "b.1", "c"):
        add_entry(user, name, tmp_path / f"{name}.gguf", context_length=8, description=name)
    remove_entry(user, "b.1")
    text = user.read_text(encoding="utf-8")
    assert text.startswith("# my notes") and "b.1" not in text
    assert load_registry(SHIPPED, user).user_names() == ["a", "c"]


def test_promote_is_what_settings_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tuned(tmp_path)
    done = promote(_settings(tmp_path), "tuned-1", "gm")
    assert done.saved_in == tmp_path / "models.toml" and done.env_wins is None
    assert read_promotions(tmp_path) == {"gm": "tuned-1"}
    settings = _settings(tmp_path, gm="qwen2.5-coder-1.5b-instruct")  # a config file's value loses
    assert settings.models.gm == "tuned-1"
    assert settings.models.im == "qwen2.5-coder-1.5b-instruct"
    monkeypatch.setenv("LLUMI_MODELS__GM", "smollm2-135m-instruct")
    assert _settings(tmp_path).models.gm == "smollm2-135m-instruct"


def test_promote_refuses_unknown_roles_names_and_missing_files(tmp_path: Path) -> None:
    gguf = _tuned(tmp_path)
    settings = _settings(tmp_path)
    with pytest.raises(InputError, match="use gm or im"):
        promote(settings, "tuned-1", "boss")
    with pytest.raises(InputError, match="no model 'nope'"):
        promote(settings, "nope", "gm")
    gguf.unlink()
    with pytest.raises(InputError, match="does not exist; nothing was promoted"):
        promote(settings, "tuned-1", "im")
    assert read_promotions(tmp_path) == {}


def test_unregister_only_what_you_registered_and_nothing_in_use(tmp_path: Path) -> None:
    gguf = _tuned(tmp_path)
    settings = _settings(tmp_path)
    with pytest.raises(InputError, match="is a shipped model"):
        unregister(settings, "smollm2-135m-instruct")
    promote(settings, "tuned-1", "im")
    with pytest.raises(InputError, match="is the IM now: promote another model first"):
        unregister(_settings(tmp_path), "tuned-1")
    promote(settings, "smollm2-135m-instruct", "im")
    gone = unregister(_settings(tmp_path), "tuned-1")
    assert gone.weights == gguf.resolve() and not gone.deleted and gguf.is_file()  # weights left on disk
    assert "tuned-1" not in settings_registry(_settings(tmp_path))
    _tuned(tmp_path, "tuned-2")
    gone = unregister(_settings(tmp_path), "tuned-2", delete=True)
    assert gone.deleted and gone.weights is not None and not gone.weights.exists()


def test_a_tuned_model_keeps_its_base_prompt_family(tmp_path: Path) -> None:
    registry = settings_registry(_settings(tmp_path))
    base = registry.resolve("smollm2-135m-instruct", need_file=False).path
    assert family_of(registry, base) == "smollm2" and family_of(registry, tmp_path / "x.gguf") is None
    user = user_registry_path(tmp_path)
    add_entry(user, "tuned-3", tmp_path / "t.gguf", context_length=8, description="", family="smollm2")
    assert load_registry(SHIPPED, user).resolve("tuned-3", need_file=False).family == "smollm2"


def test_delete_touches_only_weights_inside_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    outside = tmp_path / "elsewhere.gguf"
    outside.write_bytes(b"GGUF")
    register_model(user_registry_path(data), "far", outside, context_length=8)
    with pytest.raises(InputError, match="outside the data dir"):
        unregister(_settings(data), "far", delete=True)
    assert outside.is_file() and "far" in settings_registry(_settings(data))  # nothing changed
    gone = unregister(_settings(data), "far")
    assert not gone.deleted and outside.is_file()


def test_promote_into_a_data_dir_it_cannot_write_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot write"):
        promote(_settings(blocker / "data"), "smollm2-135m-instruct", "gm")
