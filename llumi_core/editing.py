"""The IM as an editor: the supporter's sentences stay; only what needs changing changes.

A free rewrite by a small model replaces the writer (content kept: 0.20 with
SmolLM2). Here the reply is split into sentences and read with plain rules:

- a sentence the output checks flag as unsafe (contact off the platform, a claim
  to be a professional, methods, ...) is removed;
- a harsh, blaming or minimising sentence is rewritten by the model, keeping its point;
- a reply with no validation, or one that opens with advice, gets one opening
  sentence that acknowledges the feeling (so advice no longer comes first);
- a reply with no question gets one open question at the end.

The model writes only those pieces, one labelled line each (`OPEN:`, `FIX 2:`,
`ASK:`); `EditPlan.apply` puts them in place. Every other sentence is the
supporter's own, word for word. Pure functions on strings; nothing here logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .domain import OutputIssue
from .ports import ChatMessage
from .prompts import PromptTemplate

Findings = Callable[[str], Iterable[OutputIssue]]

# Output-check kinds a supporter's sentence is removed for: no rewording makes them safe.
REMOVE_KINDS = frozenset(
    {
        "claims_human",
        "secrecy",
        "off_platform_contact",
        "method_details",
        "medication_advice",
        "encourages_harm",
        "personal_data",
        "link",
        "mass_mention",
    }
)
# Kinds that a kinder wording fixes.
FIX_KINDS = frozenset({"minimising", "blame", "diagnosis"})

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’')]*)?\s*|\n+")
# Harsh words the output checks do not flag (they are not unsafe, only unkind).
_HARSH = re.compile(
    r"\b(?:stupid|silly|dumb|idiot\w*|pathetic|ridiculous|lazy|weak|"
    r"(?:try|work|study|push) harder|toughen up|man up|grow up|get over (?:it|her|him|them)|move on|"
    r"stop (?:crying|whining|complaining|being)|overthinking|overreacting|drama|"
    r"not (?:cut out|a big deal|that bad|that long)|isn't (?:a big deal|that bad|that long)|"
    r"(?:it's|its) only|everyone (?:hates|gets|has|does)|all parents|plenty (?:more|of) fish|"
    r"lol|lmao|what did you expect|your (?:own )?fault|why would you|you need to|"
    r"cut (?:her|him|them) off|at least|start (?:counting )?from zero|moving on|"
    r"(?:lots of|other|many) people (?:have it|wait|go through)|could be worse|others have it worse)\b",
    re.IGNORECASE,
)
# Words that acknowledge a feeling ("that sounds hard", "it makes sense you feel...").
_VALIDATION = re.compile(
    r"\b(?:sounds?|sounding|must (?:be|feel|have)|understandabl[ey]|makes? sense|i hear|"
    r"i'?m (?:so )?sorry|sorry (?:to hear|you)|hard|painful|difficult|tough|heavy|exhausting|"
    r"valid|no wonder|of course you|it's okay to|it is okay to|glad you)\b",
    re.IGNORECASE,
)
# A first sentence that tells the member what to do.
_ADVICE = re.compile(
    r"^\s*(?:(?:you|u) (?:should|need to|have to|must|could|might want to)\b|just\b|try\b|"
    r"(?:don'?t|do not|stop|go|get|put|give|delete|join|eat|take|talk|think|breathe|make)\b)",
    re.IGNORECASE,
)
_LINE = re.compile(r"^\s*[-*•]?\s*(OPEN|ASK|FIX\s*(\d+))\s*[:：]\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # as written, with the whitespace after it
    action: str = "keep"  # keep | fix | remove
    why: str = ""


@dataclass(frozen=True, slots=True)
class EditPlan:
    """What the IM must write for one reply, and how its answer is put in place."""

    sentences: tuple[Sentence, ...]
    open: bool  # an acknowledging sentence goes first
    ask: bool  # an open question goes last

    @property
    def fixes(self) -> tuple[int, ...]:
        """1-based numbers of the sentences the model rewrites."""
        return tuple(n for n, s in enumerate(self._numbered(), 1) if s.action == "fix")

    @property
    def empty(self) -> bool:
        return not (self.open or self.ask or self.fixes)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why each change is made, for the person (never the sentences themselves)."""
        out = [s.why for s in self.sentences if s.action != "keep"]
        if self.open:
            out.insert(0, "acknowledges their feelings first")
        if self.ask:
            out.append("invites them to share more")
        return tuple(out)

    def _numbered(self) -> list[Sentence]:
        return [s for s in self.sentences if s.text.strip()]

    def numbered_reply(self) -> str:
        """The reply as the model sees it: its sentences numbered (removed ones left out)."""
        return "\n".join(
            f"{n}. {s.text.strip()}" for n, s in enumerate(self._numbered(), 1) if s.action != "remove"
        )

    def tasks(self) -> str:
        """The labelled lines the model must write, in the order it writes them."""
        lines = []
        if self.open:
            lines.append('OPEN: one short, warm sentence to the member ("you ...") that names how they seem to feel.')
        numbered = self._numbered()
        for n in self.fixes:
            lines.append(
                f"FIX {n}: sentence {n} (\"{numbered[n - 1].text.strip()}\") said kindly: the same point as a "
                "gentle statement, without blame, judgement or minimising."
            )
        if self.ask:
            lines.append("ASK: one short, open question about what the member wrote, asking nothing they did not mention.")
        return "Write only these lines, each on its own line, starting with its label:\n" + "\n".join(lines)

    def apply(self, answer: str) -> str:
        """The supporter's reply with the model's pieces in place (also for a partial answer).

        A piece the model did not write is left out: a harsh sentence with no
        rewrite is removed rather than kept, since the plan found it harsh.
        """
        pieces = _pieces(answer)
        parts: list[str] = []
        opening = _first_sentence(pieces.get("open", ""))
        if self.open and _to_member(opening):
            parts.append(_sentence(opening, "."))
        n = 0
        for s in self.sentences:
            if not s.text.strip():
                parts.append(s.text)
                continue
            n += 1
            if s.action == "keep":
                parts.append(s.text)
            elif s.action == "fix" and _changed(pieces.get(f"fix {n}", ""), s.text):
                parts.append(_sentence(pieces[f"fix {n}"], ".") + _trailing(s.text))
        question = _first_question(pieces.get("ask", "")) if self.ask else ""
        if _to_member(question):
            parts.append(_sentence(question, "?"))
        return _join(parts)


def plan_edits(reply: str, findings: Findings) -> EditPlan:
    """Read the supporter's reply and decide what the IM must change."""
    sentences = tuple(_read(m.group(0), findings) for m in _SENTENCE.finditer(reply) if m.group(0))
    kept = [s.text for s in sentences if s.action == "keep" and s.text.strip()]
    first = next((s.text for s in sentences if s.text.strip()), "")
    validated = any(_VALIDATION.search(t) for t in kept)
    opens_with_advice = bool(_ADVICE.search(first)) or not kept
    asks = any("?" in t for t in kept)
    return EditPlan(sentences, open=not validated or opens_with_advice, ask=not asks)


def _read(text: str, findings: Findings) -> Sentence:
    if not text.strip():
        return Sentence(text)
    kinds = {i.kind for i in findings(text)}
    if kinds & REMOVE_KINDS:
        return Sentence(text, "remove", "removes what a reply must not say")
    if kinds & FIX_KINDS:
        return Sentence(text, "fix", "avoids minimising or blaming")
    if _HARSH.search(text):
        return Sentence(text, "fix", "says it more kindly")
    return Sentence(text)


def _pieces(answer: str) -> dict[str, str]:
    """Labelled lines of the model's answer: {"open": …, "fix 2": …, "ask": …}; the first of each wins."""
    pieces: dict[str, str] = {}
    for m in _LINE.finditer(answer):
        label = f"fix {int(m.group(2))}" if m.group(2) else m.group(1).lower()
        text = _unquote(m.group(3))
        if text and label not in pieces:
            pieces[label] = text
    return pieces


def _to_member(piece: str) -> bool:
    """An added sentence speaks to the member; "I feel upset about my husband" is the model
    talking as the member, and a piece with no "you" is about something else."""
    return bool(re.search(r"\b(?:you|your|you're|yourself)\b", piece, re.IGNORECASE))


def _changed(fix: str, original: str) -> bool:
    """A rewrite that repeats the harsh sentence (or says nothing) is no rewrite."""
    return bool(fix) and _words(fix) != _words(original)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?]+)(?:\s|$)", text)
    return match.group(1) if match else text


def _first_question(text: str) -> str:
    """The first question of an ASK piece; nothing while it is unfinished."""
    match = re.search(r"(?:^|(?<=[.!]\s))([^.!?]*\?)", text)
    return match.group(1).strip() if match else ""


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] in "\"“'" and text[-1] in "\"”'":
        text = text[1:-1].strip()
    return text


def _sentence(text: str, end: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?\"”’')":
        text += end
    return text[:1].upper() + text[1:] + " "


def _trailing(text: str) -> str:
    return text[len(text.rstrip()) :].replace(" ", "") or ""


def _join(parts: Sequence[str]) -> str:
    text = ""
    for part in parts:
        if text and part and not text[-1].isspace() and not part[0].isspace():
            text += " "  # the supporter's last sentence had nothing after it
        text += part
    text = re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", text))
    return text.strip()


@dataclass(frozen=True, slots=True)
class ModelCall:
    """One IM call: the messages, how the answer becomes the reply, and a token cap (None: the template's)."""

    messages: list[ChatMessage]
    compose: Callable[[str], str]
    max_tokens: int | None


def improve_call(
    template: PromptTemplate, post: str, reply: str, findings: Findings, *, guidance: str = ""
) -> ModelCall:
    """The IM call for `reply`: a free rewrite, or (`mode = "edit"`) the pieces its plan asks for."""
    if template.mode != "edit":
        return ModelCall(template.render(post, reply=reply, guidance=guidance), _same, template.max_tokens)
    plan = plan_edits(reply, findings)
    messages = template.render(post, reply=plan.numbered_reply(), guidance=guidance, tasks=plan.tasks())
    # Nothing to change: the answer is ignored, so the model need not write much of one.
    return ModelCall(messages, plan.apply, 8 if plan.empty else template.max_tokens)


def _same(text: str) -> str:
    return text
