"""The IM as an editor: what the plan asks for, and how the model's pieces are put in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.domain import ModelRole, OutputIssue
from llumi_core.editing import improve_call, plan_edits
from llumi_core.errors import ConfigError
from llumi_core.prompts import load_prompt, prompt_path
from llumi_core.safety.checks import OutputChecker

CHECK = OutputChecker().check


def no_findings(_: str) -> list[OutputIssue]:
    return []


def test_a_harsh_reply_gets_an_opening_a_kinder_sentence_and_a_question() -> None:
    plan = plan_edits("That sounds hard. Maybe you're not cut out for this job.", no_findings)
    assert [s.action for s in plan.sentences if s.text.strip()] == ["keep", "fix"]
    assert plan.fixes == (2,) and plan.ask and not plan.open
    answer = "FIX 2: This job may be asking a lot of you right now.\nASK: What has been hardest for you?"
    assert plan.apply(answer) == (
        "That sounds hard. This job may be asking a lot of you right now. What has been hardest for you?"
    )


def test_a_kind_reply_with_a_question_is_left_as_it_is() -> None:
    reply = "That sounds really painful. I'm glad you posted. How are you feeling tonight?"
    plan = plan_edits(reply, no_findings)
    assert plan.empty
    assert plan.apply("OPEN: Something the model wrote anyway.") == reply


def test_advice_first_gets_an_acknowledgement_before_it() -> None:
    plan = plan_edits("You should talk to your friends. It takes time, which is hard.", no_findings)
    assert plan.open
    text = plan.apply("OPEN: Missing your dad like this sounds so lonely.\nASK: Who do you feel closest to?")
    assert text.startswith("Missing your dad like this sounds so lonely. You should talk to your friends.")
    assert text.endswith("Who do you feel closest to?")


def test_unsafe_sentences_are_removed_without_asking_the_model() -> None:
    plan = plan_edits("I'm a therapist, so trust me. It sounds exhausting. DM me and we can talk.", CHECK)
    assert [s.action for s in plan.sentences if s.text.strip()] == ["remove", "keep", "remove"]
    assert "therapist" not in plan.numbered_reply() and "DM me" not in plan.numbered_reply()
    assert plan.apply("ASK: What has been wearing you down most?") == (
        "It sounds exhausting. What has been wearing you down most?"
    )


def test_a_missing_or_partial_piece_leaves_the_reply_whole_and_drops_only_the_harsh_sentence() -> None:
    plan = plan_edits("Just get over it. It's been months.", no_findings)
    assert plan.apply("") == "It's been months."
    assert plan.apply("OPEN: You miss her so mu") == "You miss her so mu. It's been months."
    # A question line without a question mark is not a question yet (still streaming).
    assert plan.apply("ASK: What do you miss") == "It's been months."


def test_the_edit_call_numbers_the_sentences_and_lists_the_tasks() -> None:
    template = load_prompt(DEFAULT_MODELS_DIR / "prompts", ModelRole.IM, "qwen2")
    call = improve_call(template, "my cat died", "Just get a new cat lol.", no_findings)
    user = call.messages[-1]["content"]
    assert "1. Just get a new cat lol." in user and "FIX 1:" in user and "ASK:" in user
    assert call.compose("FIX 1: When you feel ready, a new cat might bring some comfort.\nASK: How are you?") == (
        "When you feel ready, a new cat might bring some comfort. How are you?"
    )
    assert len(call.messages) == 2 + 2 * len(template.examples)


def test_the_fallback_im_rewrites_and_keeps_the_text_as_the_model_wrote_it() -> None:
    template = load_prompt(DEFAULT_MODELS_DIR / "prompts", ModelRole.IM)
    call = improve_call(template, "my cat died", "Just get a new cat.", no_findings)
    assert template.mode == "rewrite" and call.compose("anything") == "anything"


def test_a_family_without_its_own_template_falls_back(tmp_path: Path) -> None:
    (tmp_path / "qwen2").mkdir()
    for name in ("gm.toml", "im.toml"):
        (tmp_path / name).write_text((DEFAULT_MODELS_DIR / "prompts" / name).read_text())
    (tmp_path / "qwen2" / "gm.toml").write_text((DEFAULT_MODELS_DIR / "prompts" / "qwen2" / "gm.toml").read_text())
    assert prompt_path(tmp_path, ModelRole.GM, "qwen2") == tmp_path / "qwen2" / "gm.toml"
    assert prompt_path(tmp_path, ModelRole.IM, "qwen2") == tmp_path / "im.toml"
    assert prompt_path(tmp_path, ModelRole.GM, None) == tmp_path / "gm.toml"
    assert load_prompt(tmp_path, ModelRole.GM, "qwen2").family == "qwen2"
    assert load_prompt(tmp_path, ModelRole.GM, "smollm2").family is None


def test_an_edit_template_must_ask_for_tasks(tmp_path: Path) -> None:
    (tmp_path / "im.toml").write_text('version = "x"\nmode = "edit"\nsystem = "s"\nuser = "{post} {reply}"\n')
    with pytest.raises(ConfigError, match="tasks"):
        load_prompt(tmp_path, ModelRole.IM)
    (tmp_path / "gm.toml").write_text('version = "x"\nsystem = "s"\nuser = "{post}"\nmax_tokens = 2\n')
    with pytest.raises(ConfigError, match="max_tokens"):
        load_prompt(tmp_path, ModelRole.GM)


def test_added_sentences_speak_to_the_member() -> None:
    plan = plan_edits("Everyone has problems.", no_findings)
    # The model talking as the member, or about nothing they said, is left out.
    assert plan.apply("OPEN: I feel upset about my husband's lies.\nASK: How is the weather?") == ""
    text = plan.apply("OPEN: You sound worn down.\nFIX 1: Many people struggle too.\nASK: How are you?")
    assert text == "You sound worn down. Many people struggle too. How are you?"
