"""The clinician-validated Suicide Risk Lexicon (Low et al. 2024, Apache-2.0), as screen patterns.

`data/srl.json` is extracted from the `construct-tracker` package by
`scripts/build_lexicon.py` (see that file for the provenance). The screen uses
the constructs that name suicide risk directly; each phrase becomes a whole-word
pattern for one of the screen's signals, and then goes through the same context
rules as the hand-written patterns (speaker, negation, past, hyperbole).

Two kinds of phrases are left out, each for a stated reason:
- single words ("bridge", "rope", "attempt", "cutting"): without the words around
  them they name objects or everyday acts, and the hand-written patterns already
  cover the risky uses with context;
- phrases that are everyday figures of speech or names of services rather than a
  state of the writer ("killing me", "giving up", "safety plan", "crisis hotline").
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

# Screen signal <- lexicon constructs whose multi-word phrases feed it.
CONSTRUCTS: dict[str, tuple[str, ...]] = {
    "passive ideation": ("Passive suicidal ideation",),
    "suicidal ideation": ("Active suicidal ideation & suicidal planning", "Other suicidal language"),
    "self-harm": ("Direct self-injury",),
    "burden": ("Burdensomeness",),
    "hopelessness/burden": ("Hopelessness", "Entrapment & desire to escape"),
}

# Everyday figures of speech, names of services, and body-focused habits that are not self-harm.
FIGURATIVE_OR_SERVICE = frozenset(
    {
        "killing me", "kill me", "i'm dying", "on the edge", "quick and easy", "giving up",
        "fade out", "fading away", "rest in peace", "being saved", "escape from reality",
        "crisis hotline", "crisis center", "crisis text line", "safety plan", "safety check",
        "severe depression", "nothing to lose", "breaking point", "body bag", "if i live or die",
        "i'm sinking", "i'm in a crisis", "i don't trust myself", "easy and painless",
        "quick and painless", "hit my head", "bang my head", "banging my head", "pull my hair",
        "nail-biting", "skin picking", "skin-picking", "stick and poke tattoo", "pick at my skin",
        "hair-pulling", "scratch my", "scratched my", "scratch at my", "burn my hand", "bit myself",
        "biting myself", "a fresh start", "i want out", "can't see", "dead end", "i'm beat",
        "make a will", "write a will", "responsibility", "drown myself in work",
    }
)  # fmt: skip

# Contractions the lexicon spells one way and people spell the other.
_VARIANTS = (
    ("don't", "do not"),
    ("can't", "cannot"),
    ("can't", "can not"),
    ("i'm", "i am"),
    ("won't", "will not"),
    ("isn't", "is not"),
    ("wasn't", "was not"),
    ("i'll", "i will"),
    ("i'd", "i would"),
    ("what's", "what is"),
    ("it's", "it is"),
    ("wouldn't", "would not"),
)


@cache
def lexicon() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("data/srl.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _variants(phrase: str) -> set[str]:
    out = {phrase}
    for short, long in _VARIANTS:
        for p in list(out):
            if short in p:
                out.add(p.replace(short, long))
            if long in p:
                out.add(p.replace(long, short))
    return out


def phrases_for(signal: str) -> list[str]:
    """The lexicon's phrases that count as `signal`, lowercased, with contraction variants."""
    constructs = lexicon()["constructs"]
    found: set[str] = set()
    for name in CONSTRUCTS[signal]:
        for raw in constructs[name]["phrases"]:
            phrase = raw.lower().replace("’", "'").strip()
            if " " not in phrase or phrase in FIGURATIVE_OR_SERVICE:
                continue
            found |= _variants(phrase)
    return sorted(found, key=len, reverse=True)


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """One whole-word alternation per signal."""
    return {
        signal: re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(p) for p in phrases_for(signal)) + r")(?![\w'])")
        for signal in CONSTRUCTS
    }


def vocabulary() -> frozenset[str]:
    """Words of the lexicon's phrases, to split letter-by-letter writing back into words."""
    words: set[str] = set()
    for construct in lexicon()["constructs"].values():
        for phrase in construct["phrases"]:
            words.update(re.findall(r"[a-z]+", phrase.lower()))
    return frozenset(words)
