"""Prompt templates: the shipped ones load as written, and a misplaced key is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.domain import ModelRole
from llumi_core.errors import ConfigError
from llumi_core.prompts import load_prompt

PROMPTS = DEFAULT_MODELS_DIR / "prompts"


@pytest.mark.parametrize("family", [None, "qwen2", "smollm2"])
@pytest.mark.parametrize("role", list(ModelRole))
def test_shipped_templates_keep_their_settings_out_of_the_examples(
    family: str | None, role: ModelRole
) -> None:
    template = load_prompt(PROMPTS, role, family)
    assert template.echo_markers, "echo markers written after [[examples]] would be lost"


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "gm.toml").write_text(
        f'version = "t"\nsystem = "s"\nuser = "{{post}}"\n{body}', encoding="utf-8"
    )
    return tmp_path


def test_a_setting_written_after_the_examples_is_refused_with_what_to_do(tmp_path: Path) -> None:
    prompts = write(tmp_path, '[[examples]]\npost = "p"\nanswer = "a"\necho_markers = ["x"]\n')
    with pytest.raises(ConfigError, match="must come before the first"):
        load_prompt(prompts, ModelRole.GM)


def test_the_at_risk_note_goes_before_the_post_only_when_the_screen_flagged_it() -> None:
    template = load_prompt(PROMPTS, ModelRole.GM, "qwen2")
    assert template.at_risk
    flagged = template.render("nobody would notice", at_risk=True)[-1]["content"]
    plain = template.render("nobody would notice")[-1]["content"]
    assert flagged.startswith(template.at_risk) and flagged.endswith(plain)
    assert template.at_risk not in plain
    assert template.at_risk in template.instructions  # never to be echoed back


def test_a_template_without_an_at_risk_note_renders_the_same_either_way() -> None:
    template = load_prompt(PROMPTS, ModelRole.GM)
    assert template.render("x", at_risk=True) == template.render("x")
