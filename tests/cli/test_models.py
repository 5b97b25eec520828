"""`llumi train export`'s registry, `llumi models promote | unregister | compare`: the real CLI, real files."""

from __future__ import annotations

from pathlib import Path

from llumi_core.llm.registry import user_registry_path
from tests.cli.test_user_errors import config, llumi, one_line


def _user_model(tmp_path: Path, name: str = "tuned-1") -> Path:
    data = tmp_path / "data"
    gguf = data / "models" / f"{name}.gguf"
    gguf.parent.mkdir(parents=True, exist_ok=True)
    gguf.write_bytes(b"GGUF" + b"\0" * 2048)
    with user_registry_path(data).open("a", encoding="utf-8") as f:
        f.write(f'\n[models."{name}"]\npath = "models/{name}.gguf"\ncontext_length = 2048\n')
    return gguf


def test_export_refuses_a_taken_name_before_writing_anything(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    model = tmp_path / "trained"
    model.mkdir()
    out = tmp_path / "out" / "smollm2-135m-instruct.gguf"
    proc = llumi(
        "--config", str(cfg), "train", "export", "--model", str(model), "--out", str(out), cwd=tmp_path
    )
    one_line(proc, "'smollm2-135m-instruct' is a shipped model", "choose another name")
    _user_model(tmp_path)
    proc = llumi(
        "--config", str(cfg), "train", "export", "--model", str(model), "--out", str(out), "--name", "tuned-1",
        cwd=tmp_path,
    )  # fmt: skip
    one_line(proc, "already has a model 'tuned-1'")
    assert not out.exists()  # nothing written: the name was checked first


def test_a_shadowing_user_entry_is_one_line(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    user = user_registry_path(tmp_path / "data")
    user.parent.mkdir(parents=True)
    user.write_text('[models.smollm2-135m-instruct]\npath = "x.gguf"\n', encoding="utf-8")
    one_line(llumi("--config", str(cfg), "models", "list", cwd=tmp_path), "may not shadow a shipped one")
