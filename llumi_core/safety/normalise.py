"""Text folding that every safety layer runs first, so disguise cannot hide a word.

People (and models) hide words from filters, on purpose or not: zero-width
joiners inside a word, bidi controls, full-width or Cyrillic look-alike
letters, spaced letters ("i w a n t t o d i e"), leetspeak. Each layer
(the pattern screen, the semantic screen, the output gate) reads the text
after `fold_unicode`; the pattern screen also undoes spacing and leetspeak.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Format characters (Unicode category Cf) carry no letters: zero-width spaces and joiners,
# word joiners, soft hyphens, bidi embeddings/overrides/isolates, the BOM. Also variation
# selectors and the combining grapheme joiner, which attach to letters invisibly.
_INVISIBLE_EXTRA = {0x034F, *range(0xFE00, 0xFE10)}

# Letters from other scripts that render like Latin ones (Unicode TR39 confusables, the
# single-letter mappings to ASCII lowercase from Cyrillic and Greek that people actually
# type). NFKC already folds full-width and mathematical alphabets.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k",
        "ӏ": "l", "м": "m", "п": "n", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t",
        "ц": "u", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ԑ": "e", "ё": "e", "ї": "i",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ς": "s",
        # Latin look-alikes outside ASCII
        "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ʏ": "y", "ᴋ": "k", "ℓ": "l",
    }
)  # fmt: skip


@cache
def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ord(ch) in _INVISIBLE_EXTRA


def strip_invisible(text: str) -> str:
    """Remove characters that render as nothing (zero-width, bidi controls, variation selectors)."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if not _is_invisible(ch))


def fold_unicode(text: str) -> str:
    """Lowercase text with invisible characters gone, compatibility forms and look-alikes folded.

    Accents are kept (they matter for telling languages apart); only letters that mimic
    ASCII are folded.
    """
    t = unicodedata.normalize("NFKC", strip_invisible(text)).lower()
    if t.isascii():
        return t
    t = t.translate(_CONFUSABLES)
    return t.replace("’", "'").replace("‘", "'").replace("`", "'").replace("\u00a0", " ")


# --- spaced letters ---------------------------------------------------------------------------------

# Runs of single letters separated by one space or punctuation: "s u i c i d e", "k.i.l.l".
# Two or more spaces (or " / ") separate words inside a run: "i  w a n t  t o  d i e".
_SPACED_RUN = re.compile(r"(?<![a-z])(?:[a-z](?: {1,3}|[.\-_*/] ?)){3,}[a-z](?![a-z])")


def join_spaced_letters(text: str, vocabulary: frozenset[str]) -> str:
    """Rejoin words written letter by letter, splitting the letters back into words.

    When the writer kept wider gaps between words, those gaps say where words end;
    otherwise the letters are segmented into the fewest vocabulary words (a dynamic
    programme), so short words survive: "i w a n t t o d i e" -> "i want to die".
    """

    def rejoin(m: re.Match[str]) -> str:
        run = m.group()
        if re.search(r" {2,}| ?/ ?", run):
            return " ".join(re.sub(r"[^a-z]", "", w) for w in re.split(r" {2,}| ?/ ?", run))
        return segment(re.sub(r"[^a-z]", "", run), vocabulary)

    return _SPACED_RUN.sub(rejoin, text)


def segment(letters: str, vocabulary: frozenset[str]) -> str:
    """Split a string of letters into the fewest known words; unknown letters stay as one word."""
    n = len(letters)
    if n > 200:
        return letters
    best: list[tuple[int, int] | None] = [None] * (n + 1)  # (words used, start of last word)
    best[0] = (0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - 20), end):
            prev = best[start]
            if prev is None or letters[start:end] not in vocabulary:
                continue
            if best[end] is None or prev[0] + 1 < best[end][0]:  # type: ignore[index]
                best[end] = (prev[0] + 1, start)
    if best[n] is None:
        return letters
    words: list[str] = []
    end = n
    while end > 0:
        start = best[end][1]  # type: ignore[index]
        words.append(letters[start:end])
        end = start
    return " ".join(reversed(words))

