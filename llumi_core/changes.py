"""What the improvement model changed in a supporter's reply, in words a person reads.

A word-level diff (difflib) grouped into insert/replace/delete changes, each
with a short reason guessed from what was added or removed.
"""

from __future__ import annotations

import difflib
import re

from .domain import Change, ChangeKind

_TOKEN = re.compile(r"\S+|\s+")
_FEELING = re.compile(
    r"\b(feel|feeling|felt|sounds|hear you|understand|valid|makes sense|hard|painful|sorry|alone)\b", re.I
)
_MINIMISING = re.compile(r"\b(just|cheer up|get over|others have it worse|at least|should)\b", re.I)
_CONTACT = re.compile(r"\b(dm|pm|message me|call me|text me|meet|my number|whatsapp)\b", re.I)


def diff(before: str, after: str, *, merge_gap: int = 2) -> list[Change]:
    """Changes that turn `before` into `after`; nearby edits are merged into one."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    ops = [op for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes() if op[0] != "equal"]
    merged: list[tuple[int, int, int, int]] = []
    for _, i1, i2, j1, j2 in ops:
        if merged and i1 - merged[-1][1] <= merge_gap * 2 and j1 - merged[-1][3] <= merge_gap * 2:
            pi1, _, pj1, _ = merged[-1]
            merged[-1] = (pi1, i2, pj1, j2)
        else:
            merged.append((i1, i2, j1, j2))
    changes = []
    for i1, i2, j1, j2 in merged:
        old, new = "".join(a[i1:i2]).strip(), "".join(b[j1:j2]).strip()
        if not old and not new:
            continue
        kind = ChangeKind.INSERT if not old else ChangeKind.DELETE if not new else ChangeKind.REPLACE
        changes.append(Change(kind, old, new, why(old, new)))
    return changes


def why(before: str, after: str) -> str:
    """A short, honest guess at the purpose of one change."""
    if _CONTACT.search(before) and not _CONTACT.search(after):
        return "keeps the conversation in the community"
    if _MINIMISING.search(before) and not _MINIMISING.search(after):
        return "avoids minimising their feelings"
    if "?" in after and "?" not in before:
        return "invites them to share more"
    if _FEELING.search(after) and not _FEELING.search(before):
        return "acknowledges their feelings"
    if not after:
        return "shorter and more focused"
    if not before:
        return "adds support"
    return "clearer wording"
