"""Preference pairs from forum dumps: margins, ties, dedup, redaction, TRL shape."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pytest

from bot.commands import pairs as cmd
from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.errors import InputError
from llumi_core.feedback.forums import read_counselchat, read_reddit
from llumi_core.feedback.pairs import PairBuilder, PairRules, read_jsonl

PROMPTS = DEFAULT_MODELS_DIR / "prompts"
COUNSELCHAT = (
    Path(__file__).resolve().parents[3] / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
)

GOOD = "It sounds like you are carrying a lot. What feels heaviest right now? Email me at jo@example.com."
OK = "Many people feel this way at times, and talking with someone you trust can help a little."
POOR = "You should just try to think more positively about everything in your life, honestly."

ROWS = [
    # q1: 3 > 1 > 0 — two clear pairs, plus a duplicate of the best answer with fewer votes
    (
        "1",
        "Why do I feel worthless?",
        "I barely sleep and keep thinking about it.",
        "Dr Ann Lee, LCSW",
        GOOD,
        3,
    ),
    ("1", "Why do I feel worthless?", "I barely sleep and keep thinking about it.", "Bo Chan, LPC", OK, 1),
    ("1", "Why do I feel worthless?", "I barely sleep and keep thinking about it.", "Cy Diaz, MA", POOR, 0),
    (
        "1",
        "Why do I feel worthless?",
        "I barely sleep and keep thinking about it.",
        "Di Eve, MA",
        GOOD + " ",
        1,
    ),
    # q2: a tie only
    ("2", "Is it normal to cry a lot?", "Every day, for weeks.", "Ed Fox, PhD", OK, 1),
    ("2", "Is it normal to cry a lot?", "Every day, for weeks.", "Fay Gil, PhD", POOR, 1),
    # q3: a single answer
    ("3", "How do I stop panicking?", "At work mostly.", "Gus Ho, LMFT", GOOD, 5),
    # q4: too few votes (0 vs 0) and one too short
    ("4", "My partner left", "I can't eat.", "Hal Ivy, LCSW", OK, 0),
    ("4", "My partner left", "I can't eat.", "Ida Jo, LCSW", "Sorry.", 0),
]


def write_counselchat(path: Path) -> Path:
    """A CounselChat-shaped CSV (same columns as the public release)."""
    cols = [
        "",
        "questionID",
        "questionTitle",
        "questionText",
        "questionLink",
        "topic",
        "therapistInfo",
        "therapistURL",
        "answerText",
        "upvotes",
        "views",
        "split",
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for i, (qid, title, text, info, answer, votes) in enumerate(ROWS):
            w.writerow([i, qid, title, text, "", "depression", info, "", answer, votes, 10, "train"])
    return path


def _build(path: Path, **rules: int) -> tuple[list[dict], PairBuilder]:
    builder = PairBuilder("counselchat", PROMPTS, PairRules(**rules))  # type: ignore[arg-type]
    return [p.to_json() for p in builder.build(read_counselchat(path))], builder


def test_pairs_follow_votes_with_margin_and_skip_ties(tmp_path: Path) -> None:
    pairs, builder = _build(write_counselchat(tmp_path / "cc.csv"))
    gm = [p for p in pairs if p["task"] == "gm"]
    assert {p["post_id"] for p in gm} == {"1"}, "only q1 has a clear winner"
    assert all(p["chosen_score"] - p["rejected_score"] >= 1 for p in gm)
    assert len(gm) == 3  # 3>1, 3>0, 1>0 (the duplicate answer is merged into the 3-vote one)
    s = builder.summary.skipped
    assert s["tied pair"] >= 1 and s["duplicate reply"] == 1 and s["reply too short"] == 1
    assert s["post with fewer than 2 usable replies"] >= 2
    assert builder.summary.pairs == {"gm": 3, "im": 3}


def test_min_margin_and_min_votes(tmp_path: Path) -> None:
    path = write_counselchat(tmp_path / "cc.csv")
    wide, _ = _build(path, min_margin=2)
    assert {(p["chosen_score"], p["rejected_score"]) for p in wide} == {(3, 1), (3, 0)}
    strict, b = _build(path, min_chosen=4)
    assert strict == [] and b.summary.skipped["chosen has too few votes"] >= 1


def test_trl_shape_and_tasks(tmp_path: Path) -> None:
    pairs, _ = _build(write_counselchat(tmp_path / "cc.csv"))
    for p in pairs:
        assert [m["role"] for m in p["prompt"]] == ["system", "user"]
        assert p["chosen"][0]["role"] == "assistant" and p["rejected"][0]["role"] == "assistant"
        assert p["chosen"][0]["content"] != p["rejected"][0]["content"]
    im = [p for p in pairs if p["task"] == "im"]
    # The IM learns to turn the weaker human reply (in its prompt) into the better one.
    assert all(p["rejected"][0]["content"] in p["prompt"][1]["content"] for p in im)
    assert all("<reply>" in p["prompt"][1]["content"] for p in im)


def test_text_is_redacted(tmp_path: Path) -> None:
    pairs, _ = _build(write_counselchat(tmp_path / "cc.csv"))
    blob = json.dumps(pairs)
    assert "jo@example.com" not in blob and "[email]" in blob


def test_reddit_jsonl(tmp_path: Path) -> None:
    lines = [
        {
            "id": "abc",
            "title": "I feel alone",
            "selftext": "Nobody at school talks to me.",
            "author": "sam_x",
            "score": 5,
        },
        {
            "id": "c1",
            "link_id": "t3_abc",
            "parent_id": "t3_abc",
            "author": "kind1",
            "score": 12,
            "body": GOOD,
        },
        {"id": "c2", "link_id": "t3_abc", "parent_id": "t3_abc", "author": "meh2", "score": 2, "body": POOR},
        {"id": "c3", "link_id": "t3_abc", "parent_id": "t1_c1", "author": "x", "score": 50, "body": OK},
        {
            "id": "c4",
            "link_id": "t3_abc",
            "parent_id": "t3_abc",
            "author": "y",
            "score": 90,
            "body": "[removed]",
        },
    ]
    src = tmp_path / "rs.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    builder = PairBuilder("reddit", PROMPTS, PairRules(tasks=("gm",)))
    pairs = [p.to_json() for p in builder.build(read_reddit(src))]
    assert len(pairs) == 1  # nested replies and removed comments are not answers to the post
    assert pairs[0]["chosen_score"] == 12 and pairs[0]["rejected_score"] == 2


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=None)
    cmd.register(parser.add_subparsers())
    return parser.parse_args(["pairs", *argv])


def test_cli_import_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = write_counselchat(tmp_path / "cc.csv"), tmp_path / "out" / "pairs.jsonl"
    assert cmd.run_import(_args("import", "--format", "counselchat", str(src), "--out", str(out))) == 0
    printed = capsys.readouterr().out
    assert "pairs (gm): 3" in printed and "pairs (im): 3" in printed and "tied pair" in printed
    assert len(read_jsonl(out)) == 6 and len(read_jsonl(out, "im")) == 3


def test_cli_rejects_a_wrong_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a CounselChat CSV"):
        cmd.run_import(
            _args("import", "--format", "counselchat", str(bad), "--out", str(tmp_path / "o.jsonl"))
        )
    with pytest.raises(InputError, match="no such file"):
        cmd.run_import(
            _args("import", "--format", "reddit", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
        )


def test_real_counselchat_gives_hundreds_of_pairs(tmp_path: Path) -> None:
    if not COUNSELCHAT.exists():
        pytest.skip(f"CounselChat data not found at {COUNSELCHAT}")
    pairs, builder = _build(COUNSELCHAT)
    assert builder.summary.posts > 500
    assert 300 < builder.summary.pairs["gm"] == builder.summary.pairs["im"]
    assert all(p["chosen_score"] > p["rejected_score"] for p in pairs)
    assert len({json.dumps(p, sort_keys=True) for p in pairs}) == len(pairs)
