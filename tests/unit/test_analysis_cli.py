"""`llumi analyze` through its command module (argparse in, JSON out)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.commands import analyze as cmd
from llumi_core.errors import InputError


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cmd.register(parser.add_subparsers())
    return parser.parse_args(["analyze", *argv])


def test_jsonl_in_gives_one_json_line_per_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "post": "I feel alone", "response": "I'm sorry. Do you want to talk?"},
        {"id": "b", "post": "help", "response": "Try talking to a counselor."},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert cmd.run(_parse("--jsonl", str(src))) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert all(0 <= o["empathy"]["score"] <= 1 for o in out)


def test_text_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd.run(_parse("You are not alone.", "--json")) == 0
    assert set(json.loads(capsys.readouterr().out)) >= {"readability", "safety"}


def test_bad_jsonl_names_the_line(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": 1, "response": "fine"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=":2:"):
        cmd.run(_parse("--jsonl", str(src)))
