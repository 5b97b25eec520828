"""What the model wrote, made fit for a human to read: prompt markup out, copies found.

Small models echo their prompt. The default one (SmolLM2-135M) wraps replies
in invented tags (`<response>`, `<pre>`), closes the prompt's own fences
(`</post>`, `</reply>`), starts a new chat turn (`User:`, `<|im_start|>`) and
sometimes quotes the member's post back — once a posted reply ended with the
member's own crisis post. Stop sequences end most of this at the source (see
`prompts.STOP_SEQUENCES`); `strip_markup` removes what still gets through, on
the final text and on every streamed partial; `CopyGuard` finds spans copied
from the post or the instructions so the service can regenerate.

Pure functions on strings; nothing here logs (the text is a member's words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A copy is this many consecutive words taken from the post or the prompt. Fewer
# words are ordinary reflection ("you feel so alone right now").
COPY_WORDS = 8
# The prompt's own wording is never a reply: a shorter run of it is already an echo.
ECHO_WORDS = 5
# Below this many words, what is left after cutting the copied sentences is no reply.
MIN_REPLY_WORDS = 5

_LT, _GT = "[<‹＜]", "[>›＞]"
# Any HTML-like tag (chat platforms render none, so a tag is always markup): <post>, </reply>,
# <response>, <pre>, <s>. Discord's own <@id>, <#id>, <:emoji:id> and <https://…> never match.
_ANY_TAG = re.compile(
    rf"{_LT}\s*/?\s*[a-z][a-z0-9_-]{{0,20}}(?:\s[^<>‹›\n]{{0,60}})?/?\s*{_GT}", re.IGNORECASE
)
# A quoted post that the model closed again: drop it whole (the reply may follow it).
_POST_CLOSE = re.compile(rf"{_LT}\s*/\s*post\s*{_GT}", re.IGNORECASE)
_POST_OPEN = re.compile(rf"{_LT}\s*post\s*{_GT}", re.IGNORECASE)
# Chat-template specials (ChatML, Llama 3, Gemma, Mistral, Phi): whatever follows is a new turn.
_SPECIAL = re.compile(r"<\|[a-z_]{2,20}\|>|\[/?INST\]|<start_of_turn>|<end_of_turn>", re.IGNORECASE)
# A turn written out as text ("User:", a bare "assistant" line) or a heading ("### Response").
_MARKER = re.compile(
    r"^[ \t]*(?:[-*•][ \t]*)?(?:(?P<role>user|assistant|human|ai|member|supporter|peer supporter"
    r"|moderator|system|post|original post|sender|recipient|author|poster|op|responder|reply|response)"
    r"[ \t]*(?::|$)|(?P<heading>#{1,6}[ \t][^\n]*$))",
    re.IGNORECASE | re.MULTILINE,
)
_ANSWERING = {"assistant", "ai", "supporter", "peer supporter", "moderator", "responder", "reply", "response"}
# Stray runs of angle brackets ("<<Dear", ">>>") are never prose; "<3" and "> quote" are left alone.
_BRACKET_RUN = re.compile(r"[<>‹›«»]{2,}")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*$", re.MULTILINE)
# Block tags quote like a code fence does: <pre>…</pre> becomes a fenced block first.
_BLOCK_TAG = re.compile(rf"{_LT}\s*/?\s*(?:pre|code|blockquote|quote)\b[^<>‹›\n]{{0,60}}{_GT}", re.IGNORECASE)
# While streaming, the start of a tag or special that the next token may complete.
_PARTIAL_TAG = re.compile(r"(?:[<‹＜]/?\|?[a-z_]{0,20}\|?|\[/?I?N?S?T?|`{1,2}|#{1,6}[ \t]*\w*)$", re.I)
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Words as they stand in the draft, invisible characters included, so spans map back to it.
_RAW_WORD = re.compile(rf"[\w{_INVISIBLE_CHARS}]+(?:['’][\w{_INVISIBLE_CHARS}]+)*")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’')]*)?")


def strip_markup(text: str) -> str:
    """Remove prompt and chat markup; cut at whatever starts a new turn or a quoted post."""
    text = _SPECIAL.split(text, maxsplit=1)[0]
    text = _unwrap_leading_post(text)
    text = _POST_OPEN.split(text, maxsplit=1)[0]  # a quote opened after the reply: all echo
    text = _BLOCK_TAG.sub("\n```\n", text)
    text = _unfence(_cut_new_turn(text))
    text = _BRACKET_RUN.sub("", _ANY_TAG.sub("", text))
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\n{3,}", "\n\n", text)).strip()


def _unwrap_leading_post(text: str) -> str:
    """A <post> block at the very start is the reply wrapped in the wrong tag, unless a
    reply follows it (then the block was the member's post, quoted back: dropped)."""
    opening = _POST_OPEN.match(text.lstrip())
    if opening is None:
        return text
    rest = text.lstrip()[opening.end() :]
    closing = _POST_CLOSE.search(rest)
    if closing is None:
        return rest  # still streaming, or never closed
    after = rest[closing.end() :]
    return after if enough_words(after) else rest[: closing.start()]


def strip_partial(text: str) -> str:
    """`strip_markup` for a streamed partial: also hides a tag the next token may complete."""
    return strip_markup(_PARTIAL_TAG.sub("", text))


def _cut_new_turn(text: str) -> str:
    """Cut at a role label or heading once the reply has begun.

    A leading heading or answering label ("### Response", "Assistant:") is
    dropped. A leading member label ("User:", "Post:") means the model replayed
    the member's turn: the reply, if any, follows the next answering label.
    """
    first = _MARKER.search(text)
    if first is not None and not text[: first.start()].strip():
        role = (first.group("role") or "").lower()
        if first.group("heading") or role in _ANSWERING:
            return _cut_new_turn(text[first.end() :])
        answer = next((m for m in _MARKER.finditer(text, first.end()) if _answering(m)), None)
        return _cut_new_turn(text[answer.end() :]) if answer else ""
    return text[: first.start()] if first is not None else text


def _answering(match: re.Match[str]) -> bool:
    return (match.group("role") or "").lower() in _ANSWERING


def _unfence(text: str) -> str:
    """A code fence around the whole reply is dropped; one after the reply opens a quote: cut."""
    fences = list(_FENCE.finditer(text))
    if not fences:
        return text
    first = fences[0]
    if text[: first.start()].strip():
        return text[: first.start()]
    closing = fences[1] if len(fences) > 1 else None
    return text[first.end() : closing.start() if closing else len(text)]


def words(text: str) -> list[str]:
    """Normalised words: compatibility forms folded, case and invisible characters ignored,
    crude suffixes cut ("self-harming" repeats "self harm" as much as "self harm" does)."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold().replace("’", "'")
    return [_stem(w) for w in _WORD.findall(folded)]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class _Index:
    """The runs of `n` normalised words in some texts."""

    def __init__(self, texts: Iterable[str], n: int, minus: Iterable[str] = ()) -> None:
        self.n = n
        unwanted = {g for text in minus for g in _grams(words(text), n)}
        self.grams = {g for text in texts for g in _grams(words(text), n)} - unwanted

    def spans(self, found: Sequence[tuple[str, Span]]) -> Iterable[Span]:
        tokens = tuple(w for w, _ in found)
        for i in range(len(tokens) - self.n + 1):
            if tokens[i : i + self.n] in self.grams:
                yield Span(found[i][1].start, found[i + self.n - 1][1].end)


class _Markers:
    """Phrases of any length whose every occurrence counts, unless an allowed text has them."""

    def __init__(self, phrases: Iterable[str], allowed: Sequence[str] = ()) -> None:
        indexes = [_Index([p], len(words(p))) for p in phrases if words(p)]
        mine = [list(_positions(text)) for text in allowed]
        self.indexes = [i for i in indexes if not any(any(i.spans(m)) for m in mine)]

    def spans(self, found: Sequence[tuple[str, Span]]) -> Iterable[Span]:
        for index in self.indexes:
            yield from index.spans(found)


class _Whole:
    """A short draft that is the whole post, or 4+ words lifted from inside it.

    Runs of `COPY_WORDS` miss these; "bad day." answered with "bad day." is still a copy.
    """

    def __init__(self, posts: Sequence[str], allowed: Sequence[str]) -> None:
        self.posts = [f" {' '.join(words(p))} " for p in posts if words(p)]
        self.allowed = [f" {' '.join(words(a))} " for a in allowed]

    def spans(self, found: Sequence[tuple[str, Span]]) -> Iterable[Span]:
        if not found or len(found) >= COPY_WORDS:
            return
        run = f" {' '.join(w for w, _ in found)} "
        if any(run in a for a in self.allowed):
            return
        if any(run == p or (len(found) >= 4 and run in p) for p in self.posts):
            yield Span(found[0][1].start, found[-1][1].end)


class CopyGuard:
    """Finds spans a draft copied: `COPY_WORDS` words of the post, `ECHO_WORDS` of the instructions.

    The instructions get the shorter run because their wording is never a
    reply ("The member's post is quoted between" is how an echo starts), except
    the `quotable` phrases the prompt says a reply may repeat. `markers` are
    phrases only a model talking about its prompt writes ("quoted between",
    "the supporter"): each occurrence is an echo. `allowed` texts (the
    supporter's own reply, for an improvement) may always be repeated.
    """

    def __init__(
        self,
        post: Iterable[str],
        instructions: Iterable[str] = (),
        *,
        quotable: Iterable[str] = (),
        markers: Iterable[str] = (),
        allowed: Iterable[str] = (),
    ) -> None:
        allowed = tuple(allowed)
        post = tuple(post)
        self.post = _Index(post, COPY_WORDS, allowed)
        self._whole = _Whole(post, allowed)
        self.prompt = _Index(instructions, ECHO_WORDS, (*allowed, *quotable))
        self.markers = _Markers(markers, allowed)

    def _echoes(self, found: Sequence[tuple[str, Span]]) -> Iterable[Span]:
        yield from self.prompt.spans(found)
        yield from self.markers.spans(found)

    def find(self, text: str) -> list[Span]:
        """Character spans of `text` copied from the post or the prompt (overlaps merged)."""
        found = list(_positions(text))
        spans: list[Span] = []
        copied = (*self.post.spans(found), *self._whole.spans(found), *self._echoes(found))
        for span in sorted(copied, key=lambda s: s.start):
            if spans and span.start <= spans[-1].end:
                spans[-1] = Span(spans[-1].start, max(span.end, spans[-1].end))
            else:
                spans.append(span)
        return spans

    def copies(self, text: str) -> bool:
        return bool(self.find(text))

    def copies_post(self, text: str) -> bool:
        found = list(_positions(text))
        return any(self.post.spans(found)) or any(self._whole.spans(found))

    def echoes_prompt(self, text: str) -> bool:
        return any(self._echoes(list(_positions(text))))


def drop_sentences(text: str, spans: Sequence[Span]) -> str:
    """The text without every sentence that overlaps a copied span."""
    parts: list[str] = []
    last = 0
    for m in _SENTENCE.finditer(text):
        if any(s.start < m.end() and m.start() < s.end for s in spans):
            parts.append(text[last : m.start()])
            last = m.end()
    parts.append(text[last:])
    return re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()


_UNFINISHED_END = re.compile(r"[\w,;:(\-–—]\s*$")
_LAST_BREAK = re.compile(r"(?:[.!?…][\"”’')\]]*|\n)(?=[^.!?…\n]*$)")
_LIST_ITEM = re.compile(r"\s*(?:[-*•]|\d+[.)])\s")


def trim_unfinished(text: str) -> str:
    """Drop a sentence the model left unfinished (cut off by max_tokens, or by a stop
    sequence just before it would quote the post), when whole sentences come before it."""
    text = text.rstrip()
    last = _LAST_BREAK.search(text)
    if not _UNFINISHED_END.search(text) or last is None or _LIST_ITEM.match(text[last.end() :]):
        return text
    head = text[: last.end()].rstrip()
    return head if enough_words(head) else text


def enough_words(text: str) -> bool:
    return len(words(text)) >= MIN_REPLY_WORDS


def _grams(tokens: Sequence[str], n: int) -> Iterable[tuple[str, ...]]:
    return (tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _positions(text: str) -> Iterable[tuple[str, Span]]:
    """Each normalised word of `text` with its character span in `text` itself."""
    for match in _RAW_WORD.finditer(text):
        for word in words(match.group(0)):
            yield word, Span(match.start(), match.end())


_MARKUP_KINDS = (
    ("tag", _ANY_TAG),
    ("chat token", re.compile(r"<\|[^|>\n]{1,40}\|>|\[/?INST\]|<start_of_turn>|<end_of_turn>", re.I)),
    ("role label", re.compile(r"^[ \t]*(?:user|assistant|human|system)[ \t]*:", re.I | re.M)),
    ("heading", re.compile(r"^[ \t]*#{1,6}[ \t]", re.M)),
    ("code fence", re.compile(r"```|~~~")),
)


def find_markup(text: str) -> tuple[str, ...]:
    """The kinds of prompt or chat markup in `text` (for tests and benchmarks)."""
    return tuple(kind for kind, pattern in _MARKUP_KINDS if pattern.search(text))
