"""Shared helpers for sub-commands: reading post text and printing results."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from llumi_core.domain import CrisisResource, DraftResult, RiskAssessment
from llumi_core.errors import InputError
from llumi_core.text import decode_bytes


def read_text(text: str | None, file: str | None, *, what: str = "post") -> str:
    """TEXT argument, else --file, else stdin (when piped). Refuses binary data."""
    if text is not None and file is not None:
        raise InputError(f"give the {what} as TEXT or --file, not both")
    if text is not None:
        return text
    if file is not None:
        return read_file(file)
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(f"no {what} given: pass TEXT, --file PATH, or pipe it on stdin")
    return decode_bytes(sys.stdin.buffer.read(), "standard input")


def read_file(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file") from None
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    return decode_bytes(data, path)


def read_jsonl(path: str, *, required: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Yield JSON objects from a JSONL file ('-' for stdin), naming the bad line."""
    text = decode_bytes(sys.stdin.buffer.read(), "standard input") if path == "-" else read_file(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{path} line {number}: not valid JSON ({err.msg})") from None
        if not isinstance(row, dict) or any(k not in row for k in required):
            raise InputError(f"{path} line {number}: needs the fields {', '.join(required)}")
        yield row


def risk_json(risk: RiskAssessment) -> dict[str, Any]:
    return {
        "level": risk.level.value,
        "score": round(risk.score, 4),
        "reasons": list(risk.reasons),
        "screened": risk.screened,
        "layers": [{"layer": x.layer, "score": x.score, "reason": x.reason} for x in risk.layers],
    }


def risk_line(risk: RiskAssessment) -> str:
    """One line for people: the level and why, or that the post was not screened at all."""
    if not risk.screened:
        return f"Risk: NOT SCREENED — language ({risk.unscreened_language}); the screen reads English only"
    return f"Risk: {risk.level.value}" + (f" ({', '.join(risk.reasons)})" if risk.reasons else "")


def resource_json(r: CrisisResource) -> dict[str, Any]:
    return {"name": r.name, "contact": r.contact, "url": r.url, "region": r.region}


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def print_risk_header(result: DraftResult) -> None:
    """Risk first, and crisis resources before any draft when the post is flagged."""
    risk = result.risk
    print(risk_line(risk))
    if risk.needs_resources:
        if risk.screened:
            print("This post may signal a crisis. Consider escalating to your moderators. Crisis resources:")
        else:
            print("Read it yourself, and escalate to your moderators if it may signal a crisis. Crisis resources:")
        for r in result.resources:
            print(f"  - {r.line()}")
    print()


def print_notes(result: DraftResult) -> None:
    for note in result.notes:
        print(f"llumi: note: {note}", file=sys.stderr)
