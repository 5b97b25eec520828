"""The pattern layer of the risk screen (`risk.py` runs it with the language and semantic layers).

It reads the post sentence by sentence, after normalising slang and
obfuscation ("kms", "unalive", "sewerslide", "k1ll mys3lf", "s u i c i d e",
zero-width and look-alike letters), and finds the signals of `signals.py` and
the Suicide Risk Lexicon's phrases (`lexicon.py`): intent, plans, means at hand,
method questions, preparation and goodbyes, attempts, self-harm, burden, and
concern about someone else. Each hit is weighed by its context, because that
is where keyword screens fail on real posts:

- the writer's own voice ("I want to die") counts; a supporter writing *to*
  someone ("please don't kill yourself") does not;
- negation ("I'm not suicidal"), recovery and distant past ("two years clean
  from cutting") lower a hit;
- an idiom or a game ("this homework is killing me", "kms next round") cancels it;
  laughter halves a plain wish ("i wish i was dead lol" is still shown).

A small logistic layer (weights in `screen_weights.json`, fitted offline; see
that file for the data's attribution) turns the signal counts into a score in
0..1. It is pure Python: thousands of posts per second, nothing loaded at
import time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from ..domain import RiskAssessment, RiskLevel
from ..text import english_words
from . import lexicon
from .normalise import fold_unicode, join_spaced_letters
from .signals import PATTERNS, SIGNALS, STEMS

_I = re.IGNORECASE

# ---------------------------------------------------------------------------------------------
# Normalisation: slang, leetspeak, spaced letters
# ---------------------------------------------------------------------------------------------

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_OBFUSCATED_WORD = re.compile(
    r"(?<![\w@$!])(?=[a-z013457@$!]*[a-z])(?=[a-z013457@$!]*[013457@$!])[a-z013457@$!]+(?![\w@$!])"
)
_SLANG: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), r)
    for p, r in (
        (r"\bkms\b|\bkillmyself\b|\bkill ?my ?self\b", "kill myself"),
        (r"\bendmylife\b", "end my life"),
        (r"\bwanttodie\b", "want to die"),
        (r"\bkys\b", "kill yourself"),
        (r"\bun-?aliv(e|ed|ing)\s+(my ?self|me)\b", "kill myself"),
        (r"\bun-?aliv(e|ing)\b", "kill"),
        (r"\bself[- ]?delet(e|ing|ion)\b", "kill myself"),
        (
            r"\bsewer ?slide\b|\bsui ?side\b|\bsu1c1de\b|\bsucide\b|\bsuicde\b|\bsuic\b|\bsewerslide\b",
            "suicide",
        ),
        (
            r"\bs\.?h\b(?=\s+(?:again|urges?|relapse|scars?|wounds?|cuts?|free|clean|is|was|has|tonight))",
            "self-harm",
        ),
        (r"\bctb\b|\bcatch(ing)? the bus\b", "kill myself"),
        (r"\bod(?:'?d|ed|ing)?\b(?=\s+(?:on|again|last|yesterday))", "overdose"),
        (r"\bmyslef\b|\bmy self\b", "myself"),
        (r"\bend it all\b", "end it"),
        # One spelling for the same person: "no one would notice" reads as "nobody would notice".
        (r"\bno[- ]?one\b", "nobody"),
        # The public C-SSRS Reddit release replaced some words with medical concepts.
        (r"\bpain (myself|yourself|themselves|himself|herself)\b", r"hurt \1"),
    )
)


# Plain word-for-word spellings, done in one pass.
_WORDS = {
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "im": "i'm",
    "ive": "i've",
    "idk": "i don't know",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "whats": "what's",
    "thats": "that's",
    "wasnt": "wasn't",
    "werent": "weren't",
    "arent": "aren't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "shouldnt": "shouldn't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "youre": "you're",
    "theyre": "they're",
    "theyll": "they'll",
    "everyones": "everyone's",
    "id": "i'd",
    "iam": "i am",
    "its": "it's",
    "tn": "tonight",
    "rn": "right now",
    "msg": "message",
    "abt": "about",
    "isnt": "isn't",
    "doesnt": "doesn't",
    "u": "you",
    "ur": "your",
    "ppl": "people",
    "myslef": "myself",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2nite": "tonight",
    "tonite": "tonight",
    "bc": "because",
    "cuz": "because",
}
# Hedges and intensifiers sit between the words of a phrase without changing what it says
# ("i don't really want to be here"); they are folded out before matching.
_HEDGES = re.compile(
    r"\b(?:really|just|even|honestly|actually|kinda|kind of|sort of|truly|seriously|simply|totally|"
    r"genuinely|ngl|tbh|fr|lowkey|highkey|like,|basically|pretty much)\b ?"
)
# Emoji that stand for a word of means or death in a sentence.
_EMOJI_WORDS = {
    "🪢": " rope ",
    "💊": " pills ",
    "🔪": " knife ",
    "🩸": " blood ",
    "⚰️": " coffin ",
    "⚰": " coffin ",
}
_WORDS_RE = re.compile(r"\b(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b")


_MASKED_WORD = re.compile(r"\b[a-z]*\*+[a-z*]*\b|\b[a-z]+\*+")
# Words people mask with a star; a star stands for one or two letters of one of them.
_MASKABLE = (
    "suicide", "suicidal", "kill", "killing", "myself", "die", "dying", "dead", "death", "cut", "cutting",
    "overdose", "hang", "self-harm", "harm", "unalive",
)  # fmt: skip


def _unmask(m: re.Match[str]) -> str:
    word = m.group()
    pattern = re.compile(
        "^" + re.sub(r"\*+", lambda s: f"[a-z-]{{{len(s.group())},{len(s.group()) + 1}}}", word) + "$"
    )
    return next((w for w in _MASKABLE if pattern.match(w)), word)


def _deobfuscate_word(m: re.Match[str]) -> str:
    word = m.group()
    # A "!" that ends a word is an exclamation ("holiday!"), not a leet "i" ("k!ll").
    core = word.rstrip("!")
    if not any(c in "013457@$!" for c in core):
        return word
    return core.translate(_LEET) + word[len(core) :] if any(c.isalpha() for c in core) else word


def normalise(text: str) -> str:
    """Lowercase, fold invisible and look-alike characters, undo leetspeak, spaced letters and slang."""
    t = fold_unicode(text)
    t = re.sub(r"[ \t]+", " ", t)
    t = join_spaced_letters(t, _vocabulary())
    if "*" in t:
        t = _MASKED_WORD.sub(_unmask, t)
    if any(c in t for c in "013457@$!"):
        folded = _OBFUSCATED_WORD.sub(_deobfuscate_word, t)
        if folded != t:  # written in leet: a lone "1" is the word "i" too
            folded = re.sub(r"(?<![\w.])1(?= [a-z])", "i", folded)
        t = folded
    t = re.sub(r"([a-z])\1{2,}", r"\1\1", t)  # "soooo" -> "soo"
    t = _WORDS_RE.sub(lambda m: _WORDS[m.group()], t)
    for emoji, word in _EMOJI_WORDS.items():
        t = t.replace(emoji, word)
    t = _DEATH_EMOJI.sub(r"\1 die", t)
    t = re.sub(r"[ \t]+", " ", _HEDGES.sub("", t))
    for pattern, repl in _SLANG:
        t = pattern.sub(repl, t)
    return t


# A skull after "want to / going to" is the word it replaces; elsewhere it is laughter.
_DEATH_EMOJI = re.compile(r"\b(want to|wanna|going to|gonna|ready to|about to) ?(?:💀|☠️|☠)")


@cache
def _vocabulary() -> frozenset[str]:
    """Words to split spaced letters into: the lexicon's, the patterns' and everyday English."""
    words = set(lexicon.vocabulary()) | set(_WORDS) | {"i", "a"}
    for patterns in PATTERNS.values():
        for p in patterns:
            words.update(w for w in re.findall(r"[a-z]{2,}", p) if w not in {"na", "er", "ed", "es"})
    words.update(english_words())
    return frozenset(words)


# ---------------------------------------------------------------------------------------------
# Signals
# ---------------------------------------------------------------------------------------------

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {
    k: tuple(re.compile(p, _I) for p in v) for k, v in PATTERNS.items()
}

# Context ------------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|never|no longer|don't|do not|didn't|did not|won't|will not|wouldn't|would not|isn't|"
    r"i'm not|ain't|nor|nobody|stop|stopped|quit|without)\b[^.,;]{0,20}$",
    _I,
)
_CANT_STOP = re.compile(r"\b(?:can't|cannot|can not|couldn't|won't) stop\W*$")
_NEGATED_PHRASE = re.compile(
    r"\b(?:not|never|no|nobody|nothing|don't|do not|can't|cannot|isn't|won't|wouldn't)\b|n't\b"
)
_PAST = re.compile(
    r"\b(?:used to|years? ago|months ago|in the past|when i was (?:younger|a kid|a teen|a teenager|little|\d+)|"
    r"back in (?:high school|college|\d{4})|as a (?:teen|teenager|kid)|\d+ (?:years?|months?) (?:clean|free|sober)|"
    r"(?:clean|free) (?:from|of|for)|no longer|recovered|recovery|haven't (?:cut|self[- ]harmed|hurt myself)|"
    r"years since|long time ago|helped (?:me|my)|got better|better now|in (?:high school|college|uni|university)|"
    r"back in (?:uni|university|school|the day)|there was a time|at one point|back then|those days|that time is over)\b",
    _I,
)
_RECOVERED = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many) (?:days?|weeks?|months?|years?) "
    r"(?:clean|free|sober|without)|\b(?:clean|free) (?:from|of) (?:cutting|self[- ]harm\w*|it)|\brecovered\b|"
    r"\bhaven't (?:cut|self[- ]harmed|hurt myself|felt (?:suicidal|that way))|\bno longer\b|\bnot anymore\b|"
    r"\b(?:self[- ]?harm|sh|cutting)[- ]free\b|\b(?:days?|weeks?|months?|years?) (?:self[- ]?harm |sh )?(?:clean|free)\b|"
    r"\b(?:scars|cuts) (?:are |have )?(?:now )?(?:faded|healed)\b|\bhow far i(?:'ve| have) come\b|"
    # A streak: "my last self harm was 400 days ago", "haven't touched a blade in five years".
    r"\bmy last (?:self[- ]?harm|sh|cut|cutting|attempt|relapse|episode)\b[^.]{0,20}\bwas\b|"
    r"\bhaven't\b[^.]{0,40}\bin (?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a few|over a) "
    r"(?:days?|weeks?|months?|years?)\b",
    _I,
)
# Laughter and its emoji: they make an idiom of a death word, but do not undo a plain wish.
_LAUGHTER = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|jk|j/k|xd)\b|[\U0001F602\U0001F923\U0001F480\U0001F62D]", _I
)
# Leaving for an ordinary reason: a goodbye that says where one is going, or when one is back.
_ORDINARY_LEAVE = re.compile(
    r"\b(?:holiday|vacation|trip|camping|no wifi|no signal|offline for|back (?:in (?:a|an|one|two|three|a few|\d+) \w+|on \w+day|next|after (?:the|my|a)|soon)|see you (?:in|next|soon|all|guys|when)|"
    r"moving (?:to|house|out|abroad)|new job|last day at|leaving the (?:server|group|company|team)|going on (?:a )?break|"
    r"for the night|for now|for (?:a|the) (?:week|month|while|bit|few days|summer|weekend)|happy (?:holidays|new year|christmas|"
    r"birthday|easter)|see you (?:tomorrow|later|soon|next)|(?:my|the) (?:surgery|operation)|(?:social media|internet|reddit|"
    r"discord) (?:break|detox)|taking a break|logging off for|going offline for|(?:last|final) (?:day|week|shift) (?:at|of)|"
    r"(?:beat|finished|completed) the game|my (?:squad|guild|clan))\b"
)
# A stated everyday reason beside affairs put in order or things given away ("because my new flat doesn't
# allow pets", "since i work from home now", "after having the baby", "while i travel").
_EVERYDAY_REASON = (
    r"\bwhile (?:i|we)\b|\bafter (?:having|the baby|getting|we|i got)\b|\b(?<!not )(?<!n't )(?:moving|move|travel\w*|"
    r"holiday|vacation|new (?:flat|house|place|job|baby|one)|upgrad\w*|outgrew|declutter\w*|donat\w*|graduat\w*|retir\w*|"
    r"grandma'?s|grandad'?s|grandpa'?s|mum'?s|mom'?s|dad'?s|she asked|he asked|they asked|wedding|"
    r"for (?:the|my|a) (?:trip|move|holiday|vacation))\b"
)
_ORDINARY_REASON = re.compile(
    r"\b(?:because|cause|cuz|since) (?!i (?:won't|will not|wont|'m not going|am not going|don't need|do not need))"
    r"(?:my|the|i(?:'m| am)?|we|it|they|she|he)\b|\bnow that\b|" + _EVERYDAY_REASON
)
# The same reasons, without "because ...", for the semantic layer ("because i'm a failure" is no reason to skip).
_EVERYDAY_REASON_RE = re.compile(_EVERYDAY_REASON)
# An injury or a hospital stay with its everyday cause.
_ORDINARY_INJURY = re.compile(
    r"\b(?:fell|fall|falling|bike|accident|surgery|operation|appendix|knee|ankle|broke|broken|birth|baby|"
    r"labou?r|covid|infection|pneumonia|football|rugby|match|kitchen|cooking|chopping|knife slipped|dog bit|stitches out)\b"
)
# "picked a date for my driving test": the date is for something (not "for it").
_FOR_SOMETHING = re.compile(r"\s+for (?:my|the|our|a|an|his|her|their|this|that|next) (?!end\b|last\b)\w+")
# A question about a dose's safety is a treatment question ("how many mg of melatonin is safe").
_DOSE_SAFETY = re.compile(
    r"\b(?:safe(?:ly)?|recommended|normal dose|max(?:imum)? dose|prescribed|for (?:a|my|the) (?:headache|migraine|cold|"
    r"flu|pain|period|back|tooth\w*|fever)|my (?:doctor|gp|psychiatrist|pharmacist|nurse) (?:said|says|told))\b"
)
# Everyday events a date or a place is chosen for: a plan for them is no plan to die.
_ORDINARY_EVENT = re.compile(
    r"\b(?:wedding|party|holiday|vacation|trip|meeting|appointment|interview|exam|move|moving|date night|dinner|"
    r"birthday party|concert|match|game|flight|venue|restaurant|hike|picnic|house|flat|apartment|school|uni|college)\b"
)
# An ordinary purpose stated beside an object ("rope and tent pegs, camping trip", "on the roof
# fixing the gutter") makes it an object, not means.
_ORDINARY_PURPOSE = re.compile(
    r"\b(?:camping|tent|hiking|climbing|climb|bouldering|sailing|boat|moving house|moving out|garden|gutter|fixing|"
    r"repair\w*|leash|hunting|shooting range|woodwork|diy|fishing|chopping|cooking|recipe|shaving|haircut|"
    r"pharmacy|refill|repaint|painting|roofer|builder|organi[sz]er|pill ?box|dosette|blister packs?|so i (?:don't|do not) forget|"
    # ... or a story, a stage or a game ("rehearsing the poison scene").
    r"scene|rehears\w*|on stage|the play|film|movie|episode|novel|character|my sim|in[- ]game)\b"
)
_MEANS = {"method or means", "means at hand"}
_EXPLICIT = {"explicit intent", "suicidal ideation", "passive ideation", "burden"}
# Idioms and games: a death word that is not about dying ("this exam is killing me", "dying to know",
# "gonna kms next round so i respawn").
_IDIOM = re.compile(
    r"\b(?:killing me|kill me|killing it|killed it|dying (?:of|from|to)|literally dying|die of|"
    r"(?:bored|scared|worried|tickled|loved?|sick|tired|annoyed|frightened|terrified|stressed|laughed|embarrassed) to death|"
    r"rather (?:die|be dead|kill myself) (?:than|not knowing)|"
    r"that jump|this level|the level|this boss|rage ?quit|ranked|this map|the map|my (?:squad|guild|clan)|"
    r"respawn|next round|in[- ]game|my character|boss fight|the raid|speedrun|the lobby|loadout|"
    r"fake my (?:own )?death)\b|"
    r"\b(?:homework|exams?|work|job|class|traffic|meetings?|mondays?|heat|this game|my feet|this song|boss)\b[^.]{0,25}"
    r"\b(?:killing me|kill me|makes? me want to die)",
    _I,
)
# Writing to or about someone else: "if you are suicidal", "please don't kill yourself".
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yourself|you're|you've|you'll|u)\b",
    _I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)\b", _I)
_GENERIC = re.compile(
    r"(?<!envy )(?<!jealous of )(?<!envying )\b(?:people|someone|anyone|somebody|they|those who|a person|one)\b[^.]{0,20}"
    r"\b(?:who|that)\b|"
    r"\b(?:if|when) (?:you|someone|anyone|people|a person)\b|\b(?:please|don't|do not) (?:do|kill|hurt|end|harm)\b",
    _I,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\n])\s+|\n+|(?<=[a-z])(?=[A-Z][a-z])")

# Signals whose weight does not depend on the first-person voice (they name it already).
_TIMED = {
    "preparation",
    "specific plan",
    "means at hand",
    "recent attempt",
    "explicit intent",
    "suicidal ideation",
    "plan",
    "method or means",
    "method question",
    "goodbye/finality",
    "self-harm",
}
_NEEDS_FIRST_PERSON = {
    "burden",
    "method or means",
    "hopelessness/burden",
    "distress",
    "distress words",
}
_ANY_VOICE = {"goodbye/finality", "farewell", "method question", "timeline"}
# Written to others by nature: a farewell's "you" does not make its writer a supporter.
_ADDRESSED = {"goodbye/finality", "farewell", "preparation"}
# Acts that an everyday reason stated beside them makes ordinary.
_ORDINARY_CANCELS = {"preparation", "farewell"}
_NAMED_OTHER = re.compile(
    r"\b(?:he|she|they|him|her|them|his|their|he's|she's|they're)\b|\bmy (?:friend|brother|sister|mom|mum|dad|son|daughter|"
    r"partner|girlfriend|boyfriend|wife|husband|roommate|cousin|kid|teen|child|dog|cat)\b"
)
_NO_WAY = re.compile(r"\b(?:no|there's no|there is no|isn't a|is not a|isn't any|never a)\W*$")
_IS_QUESTION = re.compile(
    r"\?|^\W*(?:how|what|what's|which|is|are|does|do|would|will|can|could|should|where)\b(?!')"
)
_QUOTED = re.compile(r"^\s*(?:&gt;|>)")
_TOPIC = re.compile(
    r"\b(?:talk|talking|talked|post|posting|posted|write|writing|read|reading|discuss\w*|mention\w*|research\w*|"
    r"learn\w*|awareness|stigma|statistics|article|study|studies) (?:about|on|of|around)\b[^.]{0,25}$"
)
_ASKED_IF = re.compile(r"\b(?:asked|asks|asking|ask) (?:me |us )?(?:if|whether)\b[^.]{0,30}$")
_LEAVE_SIGNALS = {"goodbye/finality", "farewell"}
# Too common to explain a flag by itself; weighed, never listed as a reason.
_NOT_REASONS = {"distress words"}


@dataclass(frozen=True, slots=True)
class SignalHit:
    """One signal found in one sentence, with the context weight applied (0..1)."""

    signal: str
    weight: float
    sentence_index: int


# A supporter sharing their own story to help someone else ("I felt that way too, it got better").
_DISCLOSURE = re.compile(
    r"\b(?:too|as well)\W*$|\bi(?:'ve| have) been (?:there|through (?:it|this|that|the same))\b|"
    r"\bi know (?:how|what) (?:it|you|that) feel|\bme too\b|\bsame here\b|\bin your (?:shoes|place|position)\b|"
    r"\bi went through\b|\bi was (?:once )?(?:where you are|in the same)|\bgot better\b|\bit gets better\b",
    _I,
)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a sentence says about its own voice and time, computed once per sentence."""

    first: bool
    supporter: bool
    idiom: bool
    laughter: bool
    past: bool
    recovered: bool
    relapse: bool


def _sentence_context(sentence: str) -> _Context:
    """Voice, figures of speech and time of a normalised sentence."""
    first = bool(_FIRST_PERSON.search(sentence))
    second = len(_SECOND_PERSON.findall(sentence))
    firsts = len(_FIRST_PERSON.findall(sentence))
    supporter = (second > 0 and second >= firsts) or bool(
        _GENERIC.search(sentence) or _DISCLOSURE.search(sentence)
    )
    return _Context(
        first,
        supporter,
        bool(_IDIOM.search(sentence)),
        bool(_LAUGHTER.search(sentence)),
        bool(_PAST.search(sentence)),
        bool(_RECOVERED.search(sentence)),
        "relaps" in sentence,
    )


_SUBJECT = re.compile(
    r"\b(?:(?P<third>my (?:best |older |younger |little |big )?(?:ex|friend|brother|sister|mom|mum|dad|mother|father|son|"
    r"daughter|partner|girlfriend|boyfriend|wife|husband|roommate|teen|kid|child|nephew|niece|cousin|grandad|grandpa|"
    r"grandma|gran|neighbou?r|coworker|colleague|classmate)s?|he|she|they|he's|she's|they're|his|him|them|their|someone|somebody|anyone|people|person|friend|"
    r"brother|sister|mom|mum|dad|mother|father|son|daughter|partner|girlfriend|boyfriend|wife|husband|roommate|"
    r"we|we're|we've|us|our|teen|kid|child|nephew|niece|cousin|grandad|grandpa|grandma|gran|neighbour|neighbor|"
    r"coworker|colleague|classmate|character|women|men|teens|teenagers|kids|students|adults|survivors)|"
    r"(?P<first>i|i'm|i've|i'd|i'll|me|my|myself)|(?P<second>you|you're|you've|you'd|you'll|your|yourself))\b"
)
_REFLECTION = re.compile(
    r"\b(?:it|this|things|that|everything|life) (?:may|might|must|can|could|probably) (?:seem|feel|look|sound)s?"
    r"(?: so| really| pretty)?\s*(?:like\s*)?$"
)
_ABOUT_YOU = re.compile(r"[^.,;]{0,20}\b(?:yourself|you|your)\b")
_FIRST_IN_MATCH = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|i was|my|myself|me)\b")


def _subject(sentence: str, m: re.Match[str]) -> str | None:
    """Who the matched phrase is about: the nearest person word before it ("first", "second", "third")."""
    if _FIRST_IN_MATCH.search(m.group()):
        return "first"
    last: str | None = None
    for sm in _SUBJECT.finditer(sentence, max(0, m.start() - 100), m.start()):
        last = sm.lastgroup
    return last


def _hit_weight(signal: str, sentence: str, m: re.Match[str], ctx: _Context) -> float:
    first, supporter = ctx.first, ctx.supporter
    if (ctx.idiom or ctx.laughter) and signal not in {"recent attempt", "self-harm", "plan"}:
        # An idiom is not a wish; "i wish i was dead lol" still is one, said more lightly.
        return 0.5 if signal in _EXPLICIT and not ctx.idiom else 0.0
    prefix = sentence[max(0, m.start() - 40) : m.start()]
    if _QUOTED.match(sentence):
        return 0.0  # a quoted line is someone else's words ("> one bottle of pills and i'm gone")
    if _TOPIC.search(prefix) and signal not in {"recent attempt"}:
        return 0.4  # a topic named, not a state ("it takes courage to talk about suicidal thoughts")
    # A phrase that carries its own negation ("I don't want to wake up", "no reason to live") is not
    # undone by it; any other phrase is ("I don't want to die, I want things to change").
    if not _NEGATED_PHRASE.search(m.group()) and _NEGATION.search(prefix) and not _CANT_STOP.search(prefix):
        return 0.0
    if signal in _MEANS and _ORDINARY_PURPOSE.search(sentence):
        return 0.0
    if _ASKED_IF.search(prefix):
        return 0.4  # a question put to the writer ("my therapist asked if i had thoughts of suicide")
    if signal in _ORDINARY_CANCELS and _ORDINARY_REASON.search(sentence):
        return 0.0  # "giving away my old ps4 now that i have a ps5"
    if signal in {"self-harm escalation", "recent attempt"} and _ORDINARY_INJURY.search(
        sentence, max(0, m.start() - 60), m.end() + 60
    ):
        return 0.0  # "needed stitches after falling off my bike", "discharged after my knee surgery"
    if signal == "specific plan" and (
        _ORDINARY_EVENT.search(sentence) or _FOR_SOMETHING.match(sentence, m.end())
    ):
        return 0.0  # "picked a date for the wedding"
    if signal == "third-person concern":
        return _in_time(1.0, ctx)
    if signal == "method question":
        # Asking how to die is the asker's own act, whatever the grammar ("how high do you have to be");
        # about someone else who did ("how many pills did she take?") it is concern, not acute.
        about_other = not first and bool(_NAMED_OTHER.search(sentence))
        if _DOSE_SAFETY.search(sentence):
            return 0.0  # "how many mg of melatonin is safe to take"
        if _NO_WAY.search(prefix) or (
            not _IS_QUESTION.search(sentence) and _subject(sentence, m) == "second"
        ):
            return 0.0  # "there's no painless way", "your desire to choose a less violent method"
        return _in_time(0.5 if about_other else 1.0, ctx)
    if signal in _NEEDS_FIRST_PERSON and not first and _SUBJECT.search(sentence):
        return 0.0  # names someone, and not the writer
    subject = _subject(sentence, m)
    if _REFLECTION.search(sentence, 0, m.start()):
        subject = "second"  # "I know it might seem hopeless" reflects the other person's view
    if _ABOUT_YOU.match(sentence, m.end()):
        subject = "second"  # "I don't see a reason to hate yourself"
    if subject in {"second", "third"}:
        # Written to or about someone else ("why you want to die", "she said she was suicidal").
        return 0.0
    # A goodbye, a question about how to die and a date are the writer's own even without "I"
    # ("Goodbye everyone.", "How many would it take?", "Friday.").
    # A sentence that names nobody at all is the writer's, with the "I" dropped as chat does
    # ("thinking about suicide again", "can't do this anymore").
    own = subject == "first" or (subject is None and (signal in _ANY_VOICE or _only_the_writer(sentence)))
    weight = 1.0 if own else (0.5 if first else 0.2)
    if supporter and signal not in _ADDRESSED:
        weight *= 0.5
    # An attempt in the past is "past attempt", weighed on its own.
    return weight if signal == "recent attempt" else _in_time(weight, ctx)


def _only_the_writer(sentence: str) -> bool:
    """Nobody but the writer (or nobody at all) is named: "counted the pills i've collected"."""
    return all(m.lastgroup == "first" for m in _SUBJECT.finditer(sentence))


def _in_time(weight: float, ctx: _Context) -> float:
    """History is not the present: recovery nearly cancels a hit, the past puts it below a reason."""
    if ctx.relapse:
        return weight  # "relapsed after 4 months clean": the streak is what ended
    if ctx.recovered:
        return weight * 0.15
    return weight * 0.4 if ctx.past else weight


_MAX_SEMANTIC_SENTENCES = 48


def screen_sentences(text: str, *, normalised: bool = False) -> list[str]:
    """The sentences the semantic layer reads: normalised, at most the first 48 of a post."""
    return _sentences(text if normalised else normalise(text))[:_MAX_SEMANTIC_SENTENCES]


_MY_SOMEONE = re.compile(
    r"\bmy (?:best |older |younger |little |big |ex[- ])?(?=(?:friend|brother|sister|mom|mum|dad|mother|father|son|daughter|"
    r"partner|girlfriend|boyfriend|wife|husband|roommate|teen|kid|child|nephew|niece|cousin|grandad|grandpa|grandma|gran|"
    r"neighbou?r|coworker|colleague|classmate)s?\b)"
)
# Someone else as the one a sentence is about (objects such as "them" or "anyone" are not).
_OTHER_SUBJECT = re.compile(
    r"\b(?:he|she|they|he's|she's|they're|his|their)\b|\bmy (?:best |older |younger |little |big |ex[- ])?"
    r"(?:friend|brother|sister|mom|mum|dad|mother|father|son|daughter|partner|girlfriend|boyfriend|wife|husband|roommate|"
    r"teen|kid|child|nephew|niece|cousin|grandad|grandpa|grandma|gran|neighbou?r|coworker|colleague|classmate)s?\b|"
    r"\b(?:the|a|this) (?:character|coworker|colleague|friend|guy|girl|woman|man|boy)\b"
)
_MIN_SEGMENT_WORDS = 5


def semantic_segments(sentences: list[str]) -> list[tuple[int, str]]:
    """The windows the semantic layer embeds: each sentence, with a fragment of fewer than five
    words joined to the sentence after it (or, at the end, before it), so that "then keep trying."
    or "i tried." is read with what it belongs to. Returns (first sentence's index, text)."""
    out: list[tuple[int, str]] = []
    start, buf = 0, ""
    for i, sentence in enumerate(sentences):
        if not buf:
            start = i
        buf = f"{buf} {sentence}".strip()
        if len(buf.split()) >= _MIN_SEGMENT_WORDS:
            out.append((start, buf))
            buf = ""
    if buf:
        if out:
            out[-1] = (out[-1][0], f"{out[-1][1]} {buf}")
        else:
            out.append((start, buf))
    return out


def voice(sentence: str) -> tuple[bool, bool, bool]:
    """(first person, written to or for someone else, hyperbole) of one normalised sentence."""
    ctx = _sentence_context(sentence)
    return ctx.first, ctx.supporter, ctx.idiom or ctx.laughter


# A story, a song, a stage or a game: what a sentence about them says of dying is not the writer's.
_FICTION = re.compile(
    r"\b(?:lyrics?|songs?|episode|movie|film|book|novel|show|series|character|podcast|documentary|scene|the play|"
    r"poem|album|track|my sim|the game|this game|in[- ]game)\b"
)


def semantic_gate(sentence: str) -> str | None:
    """Why the semantic layer does not read a normalised sentence, or None when it is the writer's
    own present voice: the pattern layer's context rules, applied to a whole sentence."""
    ctx = _sentence_context(sentence)
    if ctx.idiom or ctx.laughter:
        return "hyperbole"
    if ctx.recovered or (ctx.past and not ctx.relapse):
        return "past"
    if ctx.supporter and not _IS_QUESTION.search(sentence):
        return "written to someone else"  # (in a question, "you" is anyone: "what happens if you take ...")
    if _OTHER_SUBJECT.search(sentence) and not _FIRST_PERSON.search(_MY_SOMEONE.sub("", sentence)):
        return "about someone else"
    if _ORDINARY_PURPOSE.search(sentence) or _EVERYDAY_REASON_RE.search(sentence):
        return "ordinary purpose"
    if _FICTION.search(sentence):
        return "fiction or a game"
    return None


def own_voice(feats: dict[str, float]) -> bool:
    """The post as a whole is the writer's own: few words addressed to others and no supportive
    phrases, or a farewell, whose "you" does not make its writer a supporter."""
    farewell = max(feats["goodbye/finality"], feats["farewell"]) >= 0.5
    return farewell or (feats["supporter voice"] < 0.2 and feats["supportive phrases"] == 0.0)


def find_signals(text: str) -> list[SignalHit]:
    """Every signal in the text with its context weight (0 = cancelled by context)."""
    return _find(normalise(text))


_MAX_SENTENCE = 1000


def _sentences(norm: str) -> list[str]:
    """Sentences, with run-ons cut at spaces into pieces of at most _MAX_SENTENCE characters.

    Context checks look at a whole sentence for each hit; bounding sentences keeps a
    hostile post ("i want to die " x 1000, no full stop) linear in time.
    """
    out: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(norm):
        while len(sentence) > _MAX_SENTENCE:
            cut = sentence.rfind(" ", _MAX_SENTENCE // 2, _MAX_SENTENCE)
            cut = cut if cut > 0 else _MAX_SENTENCE
            out.append(sentence[:cut])
            sentence = sentence[cut:]
        if sentence.strip():
            out.append(sentence)
    return out


@cache
def _stem_index() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One regex finding every stem at every position, and the signals each found string opens.

    The alternation prefers the longest stem at a position, so a found string also opens the
    signals of every stem that is a prefix of it ("end it" opens "end"'s signals too).
    """
    stems = sorted({st for sts in STEMS.values() for st in sts}, key=len, reverse=True)
    owners = {st: frozenset(sig for sig, sts in STEMS.items() if st in sts) for st in stems}
    opens = {st: frozenset().union(*(owners[p] for p in stems if st.startswith(p))) for st in stems}
    pattern = re.compile("(?=(" + "|".join(re.escape(st) for st in stems) + "))")
    return pattern, opens


def _open_signals(text: str) -> set[str]:
    pattern, opens = _stem_index()
    found: set[str] = set()
    for m in pattern.finditer(text):
        found |= opens[m.group(1)]
    return found


def _find(norm: str, *, prefilter: bool = True) -> list[SignalHit]:
    """Signals in normalised text; `prefilter=False` runs every pattern (tests compare the two)."""
    hits: list[SignalHit] = []
    if prefilter and not _open_signals(norm) and not _lexicon_may_match(norm):
        return hits
    for index, sentence in enumerate(_sentences(norm)):
        hits.extend(_sentence_hits(index, sentence, prefilter=prefilter))
    # A time word means something only beside intent, a plan, means or a goodbye ("tonight" alone is
    # nothing); the date may sit in the next or previous sentence ("I have a plan. Friday.").
    if _ORDINARY_LEAVE.search(norm):
        hits = [h for h in hits if h.signal not in _LEAVE_SIGNALS]  # "off on holiday, bye everyone"
    acts = {h.sentence_index for h in hits if h.signal in _TIMED}
    near = {i + d for i in acts for d in (-1, 0, 1)}
    return [h for h in hits if h.signal != "timeline" or h.sentence_index in near]


def _sentence_hits(index: int, sentence: str, *, prefilter: bool) -> list[SignalHit]:
    """One hit per pattern that matched (its strongest match), patterns and lexicon phrases alike.

    Two different patterns of one signal in a sentence are two pieces of evidence ("giving away
    my things, thanks for everything"); the same pattern twice is one. (Counting two patterns on
    the same words once was tried: on the C-SSRS users it lowered Behavior+Attempt recall in CV
    from 0.825 to 0.800 at the same Supportive share, so a phrase both lists know weighs more.)
    """
    ctx: _Context | None = None
    opened = _open_signals(sentence) if prefilter else set(_COMPILED)
    out: list[SignalHit] = []
    for signal, patterns in _candidate_patterns(sentence, opened):
        for pattern in patterns:
            best = 0.0
            for m in pattern.finditer(sentence):
                ctx = ctx or _sentence_context(sentence)
                best = max(best, _hit_weight(signal, sentence, m, ctx))
                if best >= 1.0:
                    break
            if best > 0:
                past = signal == "recent attempt" and ctx is not None and ctx.past
                # An attempt long ago is history: still a risk factor, less urgent.
                out.append(SignalHit("past attempt" if past else signal, best, index))
    return out


def _candidate_patterns(sentence: str, opened: set[str]) -> list[tuple[str, tuple[re.Pattern[str], ...]]]:
    """Hand-written patterns of the opened signals, then the lexicon's phrases for the same signals."""
    out = [(signal, patterns) for signal, patterns in _COMPILED.items() if signal in opened]
    if _lexicon_may_match(sentence):
        out.extend((signal, (pattern,)) for signal, pattern in lexicon.patterns().items())
    return out


def _lexicon_may_match(text: str) -> bool:
    """Every lexicon phrase has two words: a text of one word (or none) cannot match."""
    return " " in text.strip()


_SUPPORTIVE = re.compile(
    r"\b(?:hang in there|stay strong|i'?m here (?:for you|if you)|here if you (?:need|want)|if you (?:ever )?(?:need|want) "
    r"(?:to talk|someone|anything)|(?:are|have) you (?:seeing|seen|talked|tried|considered|thought about)|"
    r"you(?:'re| are) not alone|it (?:does )?gets? better|please (?:reach out|talk to|consider|don't)|feel free to|"
    r"sending (?:hugs|love)|take care|i believe in you|you can do (?:it|this)|you deserve|proud of you|"
    r"good luck|i hope you)\b"
)


def post_context(norm: str) -> dict[str, float]:
    """Post-level voice: how much the post is addressed to someone else (a supporter's reply)."""
    firsts = len(_FIRST_PERSON.findall(norm))
    seconds = len(_SECOND_PERSON.findall(norm))
    total = firsts + seconds
    voice = seconds / total if total >= 3 else 0.0
    return {"supporter voice": voice, "supportive phrases": min(len(_SUPPORTIVE.findall(norm)), 3) / 3}


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


@cache
def _weights() -> dict[str, Any]:
    path = importlib_resources.files(__package__).joinpath("screen_weights.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


CONTEXT_FEATURES = ("supporter voice", "supportive phrases")
FEATURES = SIGNALS + CONTEXT_FEATURES


def features(hits: list[SignalHit], context: dict[str, float] | None = None) -> dict[str, float]:
    """Per-signal evidence in 0..~1.5 (the strongest hit plus a little for repetition) and the post's voice."""
    out = dict.fromkeys(FEATURES, 0.0)
    for signal in SIGNALS:
        ws = sorted((h.weight for h in hits if h.signal == signal), reverse=True)
        if ws:
            # History-weighted hits (below 0.5) do not add up to a present reason.
            total = ws[0] + 0.25 * min(sum(ws[1:]), 2.0)
            out[signal] = total if ws[0] >= 0.5 else min(total, 0.45)
    out.update(context or {})
    return out


def text_features(text: str) -> dict[str, float]:
    """The features `RiskScreen.score` weighs, for one post."""
    return normalised_features(normalise(text))


def normalised_features(norm: str) -> dict[str, float]:
    """`text_features` of text already normalised (the layered screen normalises once)."""
    return features(_find(norm), post_context(norm))


class RiskScreen:
    """Scores a post's risk; `assess` is pure and fast (regular expressions and a dot product)."""

    def __init__(self, weights: dict[str, Any] | None = None) -> None:
        self._given = weights

    @property
    def weights(self) -> dict[str, Any]:
        return self._given if self._given is not None else _weights()

    def score(self, feats: dict[str, float]) -> float:
        w = self.weights
        z = float(w["bias"]) + sum(float(w["coef"].get(k, 0.0)) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z))

    def assess(self, text: str) -> RiskAssessment:
        """Level, score (0..1, comparable across posts) and the signals that fired."""
        return self.verdict(text_features(text))

    def verdict(self, feats: dict[str, float], score: float | None = None) -> RiskAssessment:
        """The assessment for a post's features; `score` replaces the learned one (the semantic layer's)."""
        score = self.score(feats) if score is None else score
        reasons = tuple(s for s in SIGNALS if feats[s] >= 0.5 and s not in _NOT_REASONS)
        level = self.level(score, feats)
        return RiskAssessment(level=level, score=round(self.banded(score, level), 4), reasons=reasons)

    def banded(self, score: float, level: RiskLevel) -> float:
        """The score placed in its level's band, keeping its order within the band.

        A score is then monotone in risk across levels (a rule's "acute" is above any
        "elevated") and still ranks posts within a level.
        """
        acute, elevated = float(self.weights["acute_threshold"]), float(self.weights["elevated_threshold"])
        low, high = {RiskLevel.NONE: (0.0, elevated), RiskLevel.ELEVATED: (elevated, acute)}.get(
            level, (acute, 1.0)
        )
        return low + (high - low) * 0.999 * min(max(score, 0.0), 1.0)

    def level(self, score: float, f: dict[str, float]) -> RiskLevel:
        """Clinical rules first (intent with a plan, means, time or goodbye is acute), then the score.

        The learned score alone raises a post only when it names suicide or self-harm in some
        way: distress, sleeplessness or sadness without that is C-SSRS "Indicator", not risk, and
        a banner on "I can't sleep" teaches moderators to ignore the banner.
        """
        w = self.weights
        if f["supporter voice"] < 0.6 and _acute_by_rule(f):
            return RiskLevel.ACUTE
        specific = is_specific(f)
        if specific and score >= float(w["acute_threshold"]):
            return RiskLevel.ACUTE
        if (specific and score >= float(w["elevated_threshold"])) or _elevated_by_rule(f):
            return RiskLevel.ELEVATED
        return RiskLevel.NONE


def is_specific(f: dict[str, float]) -> bool:
    """The post names suicide or self-harm in some way (or the burden that drives it)."""
    return max(f[s] for s in SPECIFIC_SIGNALS) >= 0.5


# Signals that name suicide or self-harm (or the burden that drives it). The rest are context:
# a date, affairs in order, history, hopelessness and distress say nothing of dying on their own.
SPECIFIC_SIGNALS = tuple(
    s
    for s in SIGNALS
    if s
    not in {
        "timeline",
        "preparation",
        "farewell",
        "past attempt",
        "hopelessness/burden",
        "distress",
        "distress words",
    }
)


def _acute_by_rule(f: dict[str, float]) -> bool:
    intent = max(f["explicit intent"], f["suicidal ideation"], f["passive ideation"])
    specifics = max(f["plan"], f["method or means"], f["timeline"], f["goodbye/finality"])
    wish = max(intent, f["burden"], f["method question"])
    farewell = max(f["goodbye/finality"], f["plan"])
    return (
        f["explicit intent"] >= 0.5
        or (intent >= 0.5 and specifics >= 0.5)
        # Asking how to die is preparation: the C-SSRS counts it as ideation with a method.
        or f["method question"] >= 0.9
        # Means acquired, set out or at hand, or a plan whose day, place or way is chosen.
        or max(f["means at hand"], f["specific plan"]) >= 0.9
        # An attempt in the last hours or days.
        or (f["recent attempt"] >= 0.9 and f["timeline"] >= 0.9)
        or (f["recent attempt"] >= 0.9 and intent >= 0.5)
        or (f["plan"] >= 0.9 and max(f["goodbye/finality"], f["method or means"], f["timeline"]) >= 0.9)
        or (f["goodbye/finality"] >= 0.9 and max(f["timeline"], f["hopelessness/burden"], wish) >= 0.9)
        # Two acts of leave-taking (thanking everyone, a last message, "don't look for me").
        or f["goodbye/finality"] >= 1.2
        # The softer acts of a farewell, two together or one beside a goodbye, affairs in order or a wish
        # ("sorry for everything, none of it was your fault", "thanks for everything. i'm at peace now").
        or f["farewell"] >= 1.2
        or (f["farewell"] >= 0.9 and max(f["goodbye/finality"], f["preparation"], wish) >= 0.9)
        # Affairs put in order beside a farewell, a wish to die, or another such act.
        or (f["preparation"] >= 0.9 and max(farewell, wish, f["timeline"] * (f["preparation"] >= 1.2)) >= 0.9)
        or f["preparation"] >= 1.2
        # Means at hand with a time or a farewell is imminent, even with no word of intent.
        or (f["method or means"] >= 0.9 and max(f["timeline"], f["goodbye/finality"]) >= 0.9)
    )


def _elevated_by_rule(f: dict[str, float]) -> bool:
    """Signals a human should always see, whatever the learned score says."""
    return (
        # (Concern for someone else is weighed in the score, never a banner by itself: the writer is not the one at risk.)
        max(f["explicit intent"], f["plan"], f["recent attempt"]) >= 0.9
        or max(f["suicidal ideation"], f["passive ideation"], f["self-harm"], f["burden"]) >= 0.9
        or max(f["self-harm escalation"], f["method question"]) >= 0.9
        or (f["goodbye/finality"] >= 0.9 and f["supporter voice"] < 0.6)
    )
