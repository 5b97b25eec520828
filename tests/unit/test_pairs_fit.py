"""GM pairs fit the prompt's length: cut after whole sentences, both sides, and counted."""

from __future__ import annotations

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.feedback.pairs import PairBuilder, PairRules, Reply, Thread, fit_to_prompt

LONG = " ".join(f"This is sentence number {i} of a long answer." for i in range(1, 13))


def test_cut_after_whole_sentences_within_both_limits() -> None:
    text, cut = fit_to_prompt(LONG, 6, 150)
    assert cut and text.count(".") == 6 and text.endswith("number 6 of a long answer.")
    text, cut = fit_to_prompt(LONG, 6, 20)
    assert cut and text.endswith("number 2 of a long answer.")
    assert fit_to_prompt("Short and whole. Two sentences!", 6, 150) == (
        "Short and whole. Two sentences!",
        False,
    )
    one_long = "word " * 300 + "end."
    assert fit_to_prompt(one_long, 6, 150) == (one_long, False), "a single sentence is kept whole"


def test_gm_pairs_are_trimmed_im_pairs_are_not() -> None:
    builder = PairBuilder("reddit", DEFAULT_MODELS_DIR / "prompts", PairRules(gm_max_sentences=6))
    thread = Thread(
        "p1", "I feel alone at night and cannot sleep.", (Reply(LONG, 9), Reply(LONG + " Extra.", 1))
    )
    pairs = {p.task: p for p in builder.build([thread])}
    assert pairs["gm"].chosen.count(".") == 6 and pairs["gm"].extra["chosen_trimmed"] is True
    assert pairs["im"].chosen == LONG, "the IM rewrites whole replies"
    assert builder.summary.trimmed == {"chosen": 1, "rejected": 1}
    assert any("trimmed at a sentence boundary" in line for line in builder.summary.lines())
