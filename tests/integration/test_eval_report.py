"""`llumi eval`: GM drafts and IM improvements vs human answers, a report with rendered charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from llumi_core.evaluation.preference import default_preference_model

pytestmark = pytest.mark.model

POSTS = [
    {
        "id": "p1",
        "split": "test",
        "post": "I can't sleep and I keep worrying about my exams. I feel like I'm failing at everything.",
        "answers": [
            {"text": "That sounds exhausting. What worries you most about the exams?", "score": 9},
            {"text": "Just study more.", "score": 1},
        ],
    },
    {
        "id": "p2",
        "split": "test",
        "post": "My best friend stopped talking to me and I don't know why.",
        "answers": [
            {
                "text": "Losing a friend without knowing why hurts. Have you been able to ask them?",
                "score": 5,
            },
            {"text": "Find new friends lol", "score": 0},
        ],
    },
]


def test_eval_writes_a_report_with_png_charts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(p) for p in POSTS))
    out = tmp_path / "report"
    code = main(["eval", "--posts", str(posts), "--out", str(out), "--limit", "2", "--no-progress"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())["summary"]
    assert report["posts"] == 2 and report["errors"] == 0
    for group in ("gm", "human_top", "human_low", "im"):
        assert report["groups"][group]["n"] == 2
        assert 0.0 <= report["groups"][group]["dimensions"]["overall"]["mean"] <= 1.0
        if default_preference_model() is not None:  # the sentence encoder is installed
            assert 0.0 <= report["groups"][group]["preference"]["mean"] <= 1.0
    pngs = sorted((out / "charts").glob("*.png"))
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5_000 for p in pngs)
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html  # self-contained
    assert "report.html" in capsys.readouterr().out
