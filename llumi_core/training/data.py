"""Training rows from a pairs file (no torch needed): SFT prompt→completion, DPO prompt/chosen/rejected.

Only rows of the train split are ever returned (a row's `split` field, else the hash of its
post id: `llumi_core.feedback.split`), so validation and test posts stay unseen.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..feedback.pairs import read_jsonl
from ..feedback.split import rows_of

TaskFilter = Literal["gm", "im", "both"]


def _load(path: Path, task: TaskFilter) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InputError(f"no such pairs file: {path}")
    try:
        rows = read_jsonl(path, None if task == "both" else task)
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{path}: not a pairs JSONL file (make one with `llumi pairs import`)") from None
    for n, row in enumerate(rows, 1):
        if not all(isinstance(row.get(k), list) and row[k] for k in ("prompt", "chosen", "rejected")):
            raise InputError(f"{path}: row {n} lacks prompt/chosen/rejected chat messages")
    if not rows:
        raise InputError(f"{path}: no pairs for task '{task}'")
    # Training never sees the held-out splits: evaluation reads the test split (llumi eval).
    train = rows_of(rows, ("train",))
    if not train:
        raise InputError(f"{path}: none of its {len(rows)} pairs is in the train split")
    return train


def _pick(rows: list[dict[str, Any]], limit: int | None, seed: int) -> list[dict[str, Any]]:
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    return rows[:limit] if limit else rows


def sft_rows(
    path: Path, task: TaskFilter = "both", limit: int | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """Conversational prompt→completion rows (loss on the completion only): the chosen replies."""
    return [{"prompt": r["prompt"], "completion": r["chosen"]} for r in _pick(_load(path, task), limit, seed)]


def dpo_rows(
    path: Path, task: TaskFilter = "both", limit: int | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """Conversational preference rows, only the columns the DPO trainer reads."""
    return [
        {"prompt": r["prompt"], "chosen": r["chosen"], "rejected": r["rejected"]}
        for r in _pick(_load(path, task), limit, seed)
    ]
