"""Redaction of personal data before a post reaches the model or the database.

Each kind of data becomes a typed placeholder (`[email]`, `[phone]`, `[url]`,
`[user]`, `[address]`, `[name]`) so the model still reads a sensible sentence
("I texted [name] at [phone]"). Patterns are deliberately generous: a
redacted word that was not personal costs little; a leaked address costs a lot.
The posted reply is the human's choice and is never passed through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .names import person_spans

_TLDS = "com|org|net|edu|gov|io|gg|co|uk|de|fr|in|au|ca|ie|me|ly|app|info|biz|us|eu|tv|xyz|online|site|link|ru|nl|es|it"

# Bounded repetitions and token-start lookbehinds keep every pattern linear on hostile input
# (a 6,000-character run of "a." must not take seconds).
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-z]{2,24}\b", re.IGNORECASE
)
_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"')\]]+"
    rf"|(?<![\w.@-])(?:[a-z0-9-]{{1,63}}\.){{1,6}}(?:{_TLDS})(?::\d+)?(?:/[^\s<>\"')\]]*)?(?![\w@-]|\.\w)",
    re.IGNORECASE,
)
# Discord: <@123>, <@!123> users; <@&123> roles; <#123> channels. Telegram/Discord/Reddit handles.
_DISCORD_MENTION = re.compile(r"<(?:@[!&]?|#)\d{5,25}>")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,31}\b|\b(?<!/)u/[A-Za-z0-9_-]{3,20}\b")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,20}\d(?!\w)")
_PLACEHOLDER = re.compile(r"\[(?:email|phone|url|user|address|name)\]")
# Dates and decimals are not phone numbers.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d+\.\d+$")
_STREET_WORDS = (
    r"street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|close|"
    r"crescent|cres|square|sq|parkway|pkwy|highway|hwy|circle|cir|row|grove|gardens|mews"
)
_ADDRESS = re.compile(
    # "221B Baker Street", "12 North Oak Ave."; numbers then 1-3 capitalised words then a street word.
    rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'-]*\s+){{1,3}}(?i:{_STREET_WORDS})\b\.?"
    # German style "Hauptstraße 5", "Am Lindenweg 12a".
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm)\s+\d{1,4}[a-z]?\b"
    # French style "12 rue de la Paix", "3 bis avenue Foch".
    r"|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|allée|impasse|place|chemin|quai)\s+"
    r"(?:(?:de|du|des|la|le|l'|d')\s*)*[A-ZÉ][\w'-]*(?:\s+[A-Z][\w'-]*)*"
    # UK postcodes: "SW1A 1AA", "M1 1AE".
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"
)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of personal data found in a text."""

    kind: str  # email | phone | url | user | address | name
    start: int
    end: int
    text: str


def _phone_spans(text: str) -> Iterator[Span]:
    for m in _PHONE.finditer(text):
        raw = m.group().strip()
        digits = re.sub(r"\D", "", raw)
        # 7-15 digits is the E.164 range; fewer are times, years, counts; dates are not phones.
        if 7 <= len(digits) <= 15 and not _ISO_DATE.match(raw):
            yield Span("phone", m.start(), m.start() + len(m.group().rstrip()), raw)


def _name_patterns(names: Sequence[str]) -> list[re.Pattern[str]]:
    patterns: list[re.Pattern[str]] = []
    seen: set[str] = set()
    wholes = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    for whole in wholes:
        key = whole.lower()
        if key not in seen:
            seen.add(key)
            # A handle or full name in any case ("sad_panda", "SAD_PANDA", "jane doe"); a one-word
            # name only as written or capitalised, so the name "Will" leaves the verb "will" alone.
            plain_word = whole.isalpha()
            flags = 0 if plain_word else re.IGNORECASE
            alternatives = (
                {re.escape(whole), re.escape(whole[:1].upper() + whole[1:])}
                if plain_word
                else {re.escape(whole)}
            )
            patterns.append(re.compile(rf"(?<!\w)(?:{'|'.join(sorted(alternatives))})(?!\w)", flags))
    for whole in wholes:
        for part in re.split(r"[\s_.\-]+", whole):
            # Parts of a full name only when capitalised, so "Will" does not swallow "will".
            if len(part) >= 3 and part[0].isupper() and part.lower() not in seen:
                seen.add(part.lower())
                patterns.append(re.compile(rf"(?<!\w){re.escape(part)}(?!\w)"))
    return patterns


def find_personal_data(text: str, names: Sequence[str] = (), *, detect_names: bool = True) -> list[Span]:
    """All non-overlapping personal-data spans in the text, in order (earlier kinds win).

    `detect_names`: also the personal names a statistical model finds (`names.py`, when
    installed), after the patterns and the names the platform told us about.
    """
    candidates: list[Span] = []
    for pattern, kind in ((_DISCORD_MENTION, "user"), (_EMAIL, "email"), (_URL, "url"), (_HANDLE, "user")):
        candidates.extend(Span(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text))
    candidates.extend(_phone_spans(text))
    candidates.extend(Span("address", m.start(), m.end(), m.group()) for m in _ADDRESS.finditer(text))
    for pattern in _name_patterns(names):
        candidates.extend(Span("name", m.start(), m.end(), m.group()) for m in pattern.finditer(text))
    if detect_names:
        candidates.extend(
            Span("name", start, end, text[start:end])
            for start, end in person_spans(text)
            if not _PLACEHOLDER.fullmatch(text[start:end])
        )
    taken: list[Span] = []
    for span in candidates:  # candidates are in priority order; keep the first claim on each char
        if all(span.end <= t.start or span.start >= t.end for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.start)


def redact(text: str, names: Sequence[str] = (), *, detect_names: bool = True) -> str:
    """Replace emails, phones, URLs, handles/mentions, addresses, the given names and (with the
    optional model) any personal name with placeholders."""
    out: list[str] = []
    pos = 0
    for span in find_personal_data(text, names, detect_names=detect_names):
        out.append(text[pos : span.start])
        out.append(f"[{span.kind}]")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
