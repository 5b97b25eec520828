"""Which split a post belongs to: train, validation or test, the same answer everywhere.

`pairs import` writes the split into every pair; `llumi eval` and the benches
read only `test`; training refuses any row that is not `train` (or
`validation` for its held-out loss). A post is assigned by a hash of its id,
so the same post lands in the same split in every run, on every machine, and
in every tool. A dataset that ships its own split column (CounselChat's
`split`: train / val / test) is honoured instead: its authors chose it.
"""

from __future__ import annotations

import hashlib
from typing import Final, Literal

Split = Literal["train", "validation", "test"]
SPLITS: Final[tuple[Split, ...]] = ("train", "validation", "test")
# Percent of posts in validation and test; the rest is train.
VALIDATION_PERCENT: Final = 10
TEST_PERCENT: Final = 10
_ALIASES: Final[dict[str, Split]] = {
    "train": "train",
    "training": "train",
    "val": "validation",
    "valid": "validation",
    "validation": "validation",
    "dev": "validation",
    "test": "test",
    "testing": "test",
    "heldout": "test",
    "held-out": "test",
}


def named_split(value: str | None) -> Split | None:
    """A dataset's own split label in our vocabulary (None when empty or unknown)."""
    if value is None:
        return None
    return _ALIASES.get(value.strip().lower())


def hashed_split(post_id: str) -> Split:
    """The split of a post with no label: a stable hash of its id into 100 buckets."""
    bucket = int.from_bytes(hashlib.sha256(post_id.encode("utf-8")).digest()[:8], "big") % 100
    if bucket < TEST_PERCENT:
        return "test"
    if bucket < TEST_PERCENT + VALIDATION_PERCENT:
        return "validation"
    return "train"


def assign_split(post_id: str, label: str | None = None) -> Split:
    """The dataset's label when it has a known one, else the hash of the post id."""
    return named_split(label) or hashed_split(post_id)


def row_split(row: dict[str, object]) -> Split:
    """A pair's split: its `split` field, else the hash of its `post_id` (files from before splits)."""
    label = row.get("split")
    named = named_split(label) if isinstance(label, str) else None
    return named or hashed_split(str(row.get("post_id", "")))


def rows_of(rows: list[dict[str, object]], splits: tuple[Split, ...]) -> list[dict[str, object]]:
    """The rows in `splits`. Trainers call this with ("train",) or ("validation",), never "test"."""
    return [row for row in rows if row_split(row) in splits]
