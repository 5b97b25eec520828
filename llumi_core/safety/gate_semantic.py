"""The semantic half of the output gate: unsafe kinds recognised by meaning, not by wording.

A draft can give a method, a dose, a secrecy promise or an offer to meet in words
no pattern lists ("what you've saved up is more than enough", "we could grab a
coffee and talk it through"). Each sentence of the draft is embedded with the
same encoder as the risk screen (all-MiniLM-L6-v2 through llama.cpp) and
compared with example sentences: a sentence is flagged when it is much closer to
the unsafe examples of one kind than to any safe sentence (a nearest-neighbour
margin: the mean cosine of its 3 nearest unsafe examples of that kind minus the
mean cosine of its 3 nearest safe sentences).

Each sentence is scored, and so is its point after an acknowledging opener ("I hear
you, but ..."), which otherwise dilutes the embedding. A margin alone recognises the
topic of a kind, not who says what to whom, so a finding also needs the kind's
stance (`stance_allows`): a diagnosis names a label said of the member, a claim to
be human names the speaker, an offer of contact names a channel with the speaker,
a secrecy promise looks forward, dosing advice names a medicine and no caution; the
supporter narrating their own story, a question that asks, and denying a method
are never findings. Fragments under `MIN_WORDS` words are left to the patterns.

The examples (`gate_weights.json`) are written by `bench/gate_semantic.py`:
sentences this project wrote (`data/gate_fit.jsonl`, each row with its source, and
the bench's own written sentences: unsafe of each kind and hard safe look-alikes)
and sentences of therapists' answers from the CounselChat training split (MIT) as
the mostly-safe side; the weights file counts them by source. They are stored as
8-bit codes of a 128-dimension projection of the embeddings (principal components
of the fit sentences), never as text. Each kind's threshold is chosen out of fold
at an equal share of 0.07 % of real sentences flagged, and at least a margin of
0.03. Minimising and blame are off in this layer (threshold null): measured on the
development replies, their nearest examples were everyday complaint and validation,
so they added false alarms and no recall; the pattern layer finds them. The
evaluation replies in `bench/data/eval_replies.jsonl` are never used to fit.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..domain import OutputIssue
from .normalise import fold_unicode

WHY = {
    "method_details": "gives details of suicide or self-harm methods or means",
    "medication_advice": "gives medication or dosage advice; only a prescriber should",
    "minimising": "minimises or invalidates what the person feels",
    "blame_burden": "blames the person or calls them a burden",
    "secrecy": "promises secrecy; a supporter may need to involve others to keep someone safe",
    "off_platform_contact": "offers contact off the platform; support should stay where the community can help",
    "claims_human": "claims to be human or a professional; the assistant is AI",
    "diagnosis": "diagnoses; only a clinician who assesses the person can",
    "encourages_harm": "encourages or agrees with self-harm or suicide",
}
# Kinds the regular-expression gate already names differently.
GATE_KIND = {"blame_burden": "blame"}

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# A short opener before a turn ("I hear you, but ...", "Sorry you're down! Honestly though, ...") dilutes
# the embedding of what follows, so the clause after it is scored on its own too.
_TURN = re.compile(
    r"[,;:]\s+|\s+[-\u2013\u2014]\s+|\s+(?=(?:but|though|although|yet|however)\b)", re.IGNORECASE
)
_MAX_UNITS = 24  # per draft: the cost stays bounded on very long text
# Fragments shorter than this carry no frame ("could be worse.", "tell me about it"); their nearest
# neighbours are noise. Short unsafe sentences are the pattern layer's to find.
MIN_WORDS = 5

# --- stance: who speaks, to whom, about what -------------------------------------------------
# Nearest neighbours recognise the topic of an unsafe kind, not who says what to whom, so each
# kind also needs the grammatical frame that makes a sentence that kind. These are reasons, not
# phrases: a diagnosis is about the member; a claim to be human is about the speaker; an offer of
# contact names a channel or a meeting with the speaker; a secrecy promise looks forward; and a
# supporter narrating their own past ("I was on 20mg", "I've been depressed") advises nobody.
_I = re.IGNORECASE
_SECOND = re.compile(r"\b(?:you|your|yours|yourself|u|ur|ya|yall|y'all)\b", _I)
_FIRST = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|mine|myself)\b", _I)
_FIRST_PLURAL = re.compile(r"\b(?:we|we're|we'll|we've|us|our|let's|lets)\b", _I)
# Openers that acknowledge before the point; their "I" is not the subject of the point.
_ACK = re.compile(
    r"\b(?:i (?:hear|get|understand|know|see|feel|believe|think|guess|reckon|mean|suppose|imagine|bet|promise|"
    r"can (?:see|tell|hear|imagine|understand)|totally get|really (?:hear|get|feel))(?: (?:you|that|it|this|how|what))?|"
    r"i'?m (?:so |really |very )?(?:sorry|sure|glad)|i am (?:so |really )?(?:sorry|sure|glad)|i'?d say|if you ask me|"
    r"trust me|believe me|let me be honest|to me)\b",
    _I,
)
# Advice put in the first person: "if I were you", "I'd just take two".
_HYPOTHETICAL = re.compile(
    r"\bif i were you\b|\bif it were me\b|\bin your (?:shoes|position|place)\b|\bwhat i(?:'d| would) do\b|"
    r"\bi(?:'d| would) (?:suggest|recommend|advise|tell|just|try|go|take|use|stop|pick|choose|wait|do|say)\b|"
    r"\bi (?:suggest|recommend|advise)\b|\bi (?:wouldn'?t|would not|'d not)\b",
    _I,
)
# A sentence that tells the member to do something starts with a verb (or "just"/"please" + verb).
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:just|please|so|then|maybe|honestly|seriously|and|ok|okay)\W+)*"
    r"(?:take|try|use|mix|cut|stop|skip|double|halve|go|wait|buy|ask|add|drop|come|do|don'?t|keep|have|get|tie|jump|"
    r"swallow|switch|swap|quit|up|lower|raise|text|call|ring|message|dm|pm|email|meet|send|give|let|make|hide|delete|"
    r"tell|stay|put|pick|find|grab|hit|follow|shoot|leave|forget|ignore|stop|cheer|toughen|man|grow|move|think|"
    r"remember|look|focus|be|quit|pull|snap|suck|relax|chill|calm|smile|count|consider|avoid)\b",
    _I,
)
_FUTURE_PROMISE = re.compile(
    r"\b(?:won'?t|wont|will|'ll|going to|gonna|promise|swear|let'?s|lets|with me|stays?|stay|between us|ourselves|"
    r"we (?:can|could|should|might)|"
    r"secret|no further|my word|my lips)\b",
    _I,
)
# "We can keep this quiet", "let's not tell them": a proposal to the member, not a story.
_PROPOSAL = re.compile(
    r"\b(?:we (?:can|could|should|might|'ll|will)|let'?s|lets|shall we|why don'?t we)\b", _I
)
_TOGETHER = re.compile(r"\b(?:together|with me|with us|just us|the two of us|you and me|you and i)\b", _I)
_CHANNEL = re.compile(
    r"\b(?:numbers?|phone|call|calls|calling|ring|text|texts|texting|dms?|pms?|messages?|messaging|inbox|privately|private|"
    r"email|e-mail|whatsapp|snap|snapchat|insta|instagram|discord|signal|telegram|facebook|messenger|skype|zoom|facetime|"
    r"video|voice|meet|meeting|meetup|hang out|coffee|drinks?|lunch|dinner|come (?:over|round|around|by|to)|pop (?:over|round|by)|"
    r"drive|pick you up|visit|in person|irl|face to face|address|my place|your place|yours|mine|nearby|near you|"
    r"around the corner|round the corner|walk|handle|username|add me|follow me|friend me|offline|outside (?:of )?(?:this|the|here)|"
    r"elsewhere|somewhere else|get together|catch up|see you|come see|come and see|town|minutes away|down the road)\b",
    _I,
)
_PROFESSIONAL_CONTACT = re.compile(
    r"\b(?:moderators?|mods|mod team|modmail|helpline|hotline|crisis|lifeline|samaritans|988|999|911|112|emergency|gp|doctor|"
    r"therapist|counsell?or|psychiatrist|psychologist|nurse|a&e|er|hospital|this number|that number|these numbers|"
    r"a friend|friends|your (?:mum|mom|dad|parents?|family|sister|brother|partner|friend))\b",
    _I,
)
# Secrecy is about not telling: a negated telling, or a word for keeping something hidden.
_SECRECY_CUE = re.compile(
    r"\b(?:secrets?|between (?:us|you and me|ourselves|the two of us)|private|privately|confidential|quiet|ourselves|"
    r"to myself|no further|safe with me|off the record|delete|wipe|erase|no record|hidden|hide|forgotten|"
    r"(?:won'?t|will not|wont|never|not going to|not gonna|don'?t|doesn'?t|no need|nobody|no one|not a (?:soul|word))\b"
    r"[^.]{0,40}\b(?:tell|say|mention|report|flag|share|know|hear|find out|see|involve|pass|repeat|escalate|bring))\b",
    _I,
)
_SELF_CLAIM = re.compile(
    r"\b(?:i|i'm|im|i am|i've|ive|me|my|myself|as a|as an|as someone|speaking as|trust me)\b", _I
)
# ... and what it claims: to be a person, or to hold a role.
_HUMAN_CUE = re.compile(
    r"\b(?:human|person|people|real|actual|bot|ai|robot|machine|program|computer|chatbot|alive|flesh|typing|sitting|"
    r"guy|girl|woman|man|bloke|therapist|counsell?or|counsell?ing|psycholog\w*|psychiatr\w*|doctor|gp|nurse|clinician|clinical|"
    r"professional\w*|licensed|qualified|trained|certified|clients|patients|practice|social worker|volunteer|moderator)\b",
    _I,
)
_FEELING_LIKE = re.compile(r"\b(?:feel|feels|feeling|felt)\s+(?:\w+\s+)?(?:like|as if|as though)\b", _I)
_LABEL = re.compile(
    r"\b(?:disorders?|depress\w*|bipolar|manic|mania|ptsd|c-?ptsd|trauma|adhd|add|ocd|obsessive|compulsive|autis\w*|spectrum|"
    r"asperger\w*|anxiety|anxious|panic|borderline|bpd|narcissis\w*|npd|psycho\w*|schizo\w*|anorexi\w*|bulimi\w*|"
    r"eating|binge|dissociat\w*|did|insomnia|syndrome|condition|illness|ill|seasonal|sad|codependen\w*|attachment|"
    r"personality|sociopath\w*|psychopath\w*|hypomani\w*|dysthymi\w*|symptoms?|textbook|classic|diagnos\w*)\b",
    _I,
)
# The member's words quoted back ("when people say 'just get over it'") are reported, not said.
_REPORTED = re.compile(
    r"\b(?:people|someone|somebody|anyone|others|they|he|she|friends|family|everyone)\s+(?:\w+\s+)?(?:who|that|might|may|"
    r"will|often|sometimes|keep|kept|always|probably|can|could)?\s*(?:say|says|said|tell|tells|told|call|calls)\b|"
    r"\bwhen (?:people|others|someone) (?:say|tell)\b",
    _I,
)
# A question asks (about risk, or what happened); it gives no method, dose or verdict, unless it is
# a suggestion put as a question ("why not take two?"). Same rule as the pattern layer's.
_QUESTION = re.compile(r"\?\s*$")
_SUGGESTION = re.compile(
    r"^\W*(?:(?:so|and|but|honestly|well|hey)\W+)*(?:why not|why don'?t you|how about|what about|have you (?:tried|thought about|"
    r"considered)|could you (?:just )?try|you could|maybe|want to|wanna|fancy|shall we|why don'?t we)\b",
    _I,
)
_ASKED_KINDS = frozenset({"method_details", "medication_advice", "encourages_harm", "diagnosis"})
# "There is no painless way": denying that a method exists argues against it.
_DENIED = re.compile(
    r"\b(?:there(?:'s| is| are) no|there isn'?t (?:a|any)|no such thing as|isn'?t (?:a|any))\s+(?:\w+\s+){0,2}?"
    r"(?:painless|easy|quick|peaceful|clean|good|safe|right|best)\b",
    _I,
)
_DESCRIBED = re.compile(
    r"\b(?:this|that|it|these|those|what you)(?:'s|'re| is| are| sounds?| seems?| looks?| means?| points?| describe\w*)\b",
    _I,
)
# Advice that names the prescriber or a danger is not dosing advice (the pattern layer's rule too);
# dosing advice names a medicine, a dose or a pill.
_MEDICINE = re.compile(
    r"\b(?:meds?|medications?|medicines?|pills?|tablets?|capsules?|doses?|dosage|dosing|prescri\w*|mg|antidepressants?|ssris?|"
    r"snris?|benzos?|sedatives?|painkillers?|sleeping|patches|\w+(?:pam|pine|pram|zole|xetine|faxine|tiline|zolam|zepam|lone)|"
    r"xanax|valium|prozac|zoloft|lexapro|celexa|effexor|cymbalta|wellbutrin|lithium|lamictal|seroquel|melatonin|codeine|"
    r"tramadol|morphine|adderall|ritalin|zopiclone|zolpidem|ambien|propranolol|insulin|paracetamol|ibuprofen|aspirin|"
    r"antihistamines?|nyquil|benadryl|cbd|st john'?s wort)\b",
    _I,
)
_CAUTION = re.compile(
    r"\b(?:doctors?|gp|prescriber|psychiatrist|pharmacist|nurse|warned|warning|dangerous|danger|risky|unsafe|not safe|"
    r"withdrawal|careful|caution|as prescribed)\b",
    _I,
)
# Pointing to a clinician, or the member's own wondering, is not diagnosing (the pattern layer's rule too).
_REFERRAL = re.compile(
    r"\bif you (?:think|believe|feel|wonder|suspect|are worried|'re worried)\b|\b(?:it is|it'?s) possible\b|"
    r"\b(?:a|an|your|only a) (?:\w+ )?(?:doctor|gp|psychiatrist|psychologist|therapist|clinician|professional|specialist|"
    r"counsell?or) (?:can|could|would|will|should|may|is able to) (?:diagnose|tell|assess|say|confirm|work out|help)\b|"
    r"\b(?:get|getting|be|being) (?:properly )?(?:assessed|evaluated|screened|tested|diagnosed|checked)\b|"
    r"\b(?:wonder|wondering|wondered) (?:if|whether)\b",
    _I,
)
_PROTECTIVE = re.compile(
    r"\b(?:stay safe|keep (?:yourself )?safe|reach out|crisis|helpline|don'?t want you to|stay with us|talk to someone|"
    r"please (?:call|talk|tell|wait|stay|don'?t)|instead of (?:hurting|harming|cutting))\b",
    _I,
)
_NARRATED_KINDS = frozenset(
    {"method_details", "medication_advice", "minimising", "blame_burden", "encourages_harm", "diagnosis"}
)


def narrated(unit: str) -> bool:
    """The speaker tells their own story: "I", no "you", and no advice put in the first person."""
    rest = _ACK.sub(" ", unit)
    if (
        _SECOND.search(rest)
        or _HYPOTHETICAL.search(rest)
        or _IMPERATIVE.search(rest)
        or _PROPOSAL.search(rest)
    ):
        return False
    return bool(_FIRST.search(rest) or _FIRST_PLURAL.search(rest))


def asks(sentence: str) -> bool:
    """A question that asks, not a suggestion put as a question."""
    return bool(_QUESTION.search(sentence)) and not _SUGGESTION.search(sentence)


def looks_forward(unit: str) -> bool:
    """A promise or plan ("I won't", "I'll", "let's", "stays between us"), not a memory."""
    return bool(_FUTURE_PROMISE.search(unit))


def stance_allows(kind: str, unit: str, sentence: str | None = None) -> bool:
    """Whether `unit` (a sentence, or the clause after its opener) has the frame that makes it `kind`.

    Narration and reported speech are judged on the unit; what a kind needs (a label, a speaker,
    a channel, a promise) may sit anywhere in the `sentence` the unit comes from.
    """
    if kind in _NARRATED_KINDS and narrated(unit):
        return False
    if kind in {"minimising", "blame_burden"} and _REPORTED.search(unit):
        return False
    unit = sentence if sentence is not None else unit
    if kind in _ASKED_KINDS and asks(unit):
        return False
    if kind in {"method_details", "encourages_harm"} and _DENIED.search(unit):
        return False
    if kind == "diagnosis":  # a label, said of the member or of what they describe, not a referral
        rest = _ACK.sub(" ", unit)
        described = _SECOND.search(rest) or _DESCRIBED.search(rest)
        return bool(_LABEL.search(rest) and described and not _REFERRAL.search(rest))
    if kind == "medication_advice":
        return bool(_MEDICINE.search(unit) and not _CAUTION.search(unit))
    if kind == "encourages_harm" and _PROTECTIVE.search(unit):
        return False
    if kind == "claims_human":
        rest = _ACK.sub(" ", unit)
        return bool(_SELF_CLAIM.search(rest) and _HUMAN_CUE.search(rest) and not _FEELING_LIKE.search(rest))
    if kind == "off_platform_contact":
        with_me = (
            _FIRST.search(unit)
            or _FIRST_PLURAL.search(unit)
            or _IMPERATIVE.search(unit)
            or _TOGETHER.search(unit)
        )
        return bool(with_me and _CHANNEL.search(unit) and not _PROFESSIONAL_CONTACT.search(unit))
    if kind == "secrecy":
        if not _SECRECY_CUE.search(unit):
            return False
        return bool(_SECOND.search(unit) or looks_forward(unit) or _IMPERATIVE.search(unit))
    return True


class Encoder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class SentenceFinding:
    kind: str
    sentence: str
    score: float  # the margin: how much nearer the kind's unsafe examples are than any safe sentence


@cache
def _weights() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("gate_weights.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def sentences(text: str) -> list[str]:
    """The draft's sentences, folded so disguised letters read as letters."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(fold_unicode(text))) if len(s) > 3]


# Openers that acknowledge or soften ("I hear you,", "That sounds hard, but", "Sending hugs, though").
_OPENER = re.compile(
    r"^\W*(?:i (?:hear|get|understand|know|see|can see|feel for|totally get|really get|believe)|i'?m (?:so |really |very )?sorry|"
    r"(?:so |really )?sorry|thanks|thank you|sending|honestly|look|okay|ok|well|hey|oh|aw\w*|yeah|yes|to be fair|with respect|"
    r"hang in there|hugs|i hope|that must|must be|fair enough|wow|ugh|i can tell|i can imagine|i'?m glad|glad|"
    r"(?:that|it|this) (?:sounds|seems|must be|is|'s)(?: so| really| very| pretty| incredibly)? (?:hard|rough|tough|awful|horrible|"
    r"sad|frustrating|annoying|difficult|painful|unbearable|exhausting|a lot)|(?:that|it)(?:'s| is) (?:hard|rough|tough|awful))\b",
    _I,
)


def point(sentence: str) -> str:
    """The sentence without an acknowledging opener (`_OPENER`): what an unsafe example teaches."""
    turn = _TURN.search(sentence)
    if (
        turn is not None
        and len(sentence[: turn.start()].split()) <= 8
        and _OPENER.search(sentence[: turn.start()])
    ):
        tail = sentence[turn.end() :].strip()
        if len(tail.split()) >= MIN_WORDS:
            return tail
    return sentence


def units(text: str) -> list[tuple[int, str]]:
    """(sentence index, text) to score: each sentence, and its point after an acknowledging opener."""
    out: list[tuple[int, str]] = []
    for i, sentence in enumerate(sentences(text)):
        if len(sentence.split()) < MIN_WORDS:
            continue
        out.append((i, sentence))
        tail = point(sentence)
        if tail != sentence:
            out.append((i, tail))
    return out[:_MAX_UNITS]


def decode_codes(b64: str, rows: int, dim: int) -> npt.NDArray[np.float32]:
    """8-bit codes (base64) back to unit-length float rows."""
    raw = np.frombuffer(base64.b64decode(b64), dtype=np.int8).reshape(rows, dim)
    out = raw.astype(np.float32) / 127.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: npt.NDArray[np.float32] = out / np.maximum(norms, 1e-6)
    return result


def encode_codes(rows: npt.NDArray[np.floating[Any]]) -> str:
    """Unit-length rows as 8-bit codes (base64), the inverse of `decode_codes`."""
    codes = np.clip(np.round(np.asarray(rows) * 127.0), -127, 127).astype(np.int8)
    return base64.b64encode(codes.tobytes()).decode("ascii")


class SemanticGate:
    """`check(text)` returns one issue per sentence the nearest-neighbour margin flags."""

    def __init__(self, encoder: Encoder, weights: dict[str, Any] | None = None) -> None:
        self._encoder = encoder
        w = weights if weights is not None else _weights()
        self.kinds: list[str] = list(w["classes"])
        self._mean = np.asarray(w["mean"], dtype=np.float32)
        self._components = np.asarray(w["components"], dtype=np.float32)  # (dim, 384)
        dim = self._components.shape[0]
        self._unsafe = decode_codes(w["unsafe_codes"], len(w["unsafe_kinds"]), dim)
        self._unsafe_kind = np.asarray(w["unsafe_kinds"], dtype=np.int64)
        self._safe = decode_codes(w["safe_codes"], int(w["safe_rows"]), dim)
        self._top = int(w.get("top", 3))
        self._safe_top = int(w.get("safe_top", 3))
        self.threshold = float(w["threshold"])
        # Per kind; None (JSON null) turns a kind off (see `off` and the note in the weights file).
        per_kind = w.get("thresholds", {})
        self.thresholds = np.asarray(
            [
                np.inf if per_kind.get(k, 0.0) is None else float(per_kind.get(k, self.threshold))
                for k in self.kinds
            ],
            dtype=np.float32,
        )

    def warm(self) -> None:
        self._encoder.embed(["warm up"])

    def project(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        z = (np.asarray(embeddings, dtype=np.float32) - self._mean) @ self._components.T
        out: npt.NDArray[np.float32] = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-6)
        return out

    def margins(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """(sentences, kinds): mean cosine to the kind's 3 nearest unsafe examples minus to the 3 nearest safe."""
        z = self.project(embeddings)
        safe_sim = np.sort(z @ self._safe.T, axis=1)[:, -self._safe_top :].mean(axis=1)
        unsafe_sim = z @ self._unsafe.T
        out = np.full((len(z), len(self.kinds)), -2.0, dtype=np.float32)
        for j in range(len(self.kinds)):
            mine = unsafe_sim[:, self._unsafe_kind == j]
            if mine.shape[1]:
                out[:, j] = np.sort(mine, axis=1)[:, -self._top :].mean(axis=1) - safe_sim
        return out

    def findings(self, text: str) -> list[SentenceFinding]:
        """One finding per sentence: the kind whose margin clears its threshold by most, where the
        sentence has that kind's stance (`stance_allows`)."""
        sents = sentences(text)
        scored = units(text)
        if not scored:
            return []
        over = self.margins(self._encoder.embed([u for _, u in scored])) - self.thresholds
        best: dict[int, tuple[float, int, float]] = {}
        for row, (i, unit) in enumerate(scored):
            for j in np.argsort(-over[row]):
                if over[row, j] < 0:
                    break
                if stance_allows(self.kinds[j], unit, sents[i]):
                    if i not in best or over[row, j] > best[i][0]:
                        best[i] = (float(over[row, j]), int(j), float(over[row, j] + self.thresholds[j]))
                    break
        return [SentenceFinding(self.kinds[j], sents[i], score) for i, (_, j, score) in sorted(best.items())]

    def check(self, text: str) -> list[OutputIssue]:
        return [
            OutputIssue(GATE_KIND.get(f.kind, f.kind), f.sentence, WHY[f.kind] + " (semantic check)")
            for f in self.findings(text)
        ]
