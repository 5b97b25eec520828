"""The risk screen: how urgently a post may need a human, before any draft is made.

It reads the post sentence by sentence, after normalising slang and
obfuscation ("kms", "unalive", "sewerslide", "k1ll mys3lf", "s u i c i d e"),
and finds signals of the C-SSRS kind: explicit intent, plan, method or means,
timeline, goodbye/finality, attempts, self-harm, hopelessness/burden, and
concern about someone else. Each hit is weighed by its context, because that
is where keyword screens fail on real posts:

- the writer's own voice ("I want to die") counts; a supporter writing *to*
  someone ("please don't kill yourself") does not;
- negation ("I'm not suicidal"), recovery and distant past ("two years clean
  from cutting") lower a hit;
- hyperbole ("this homework is killing me lol") cancels it.

A small logistic layer (weights in `screen_weights.json`, fitted offline; see
that file for the data's attribution) turns the signal counts into a score in
0..1. It is pure Python: thousands of posts per second, nothing loaded at
import time.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from ..domain import RiskAssessment, RiskLevel

_I = re.IGNORECASE

# ---------------------------------------------------------------------------------------------
# Normalisation: slang, leetspeak, spaced letters
# ---------------------------------------------------------------------------------------------

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*]){3,}[a-z]\b")
_OBFUSCATED_WORD = re.compile(r"\b[a-z]*[013457@$!][a-z013457@$!]*[a-z][a-z013457@$!]*\b")
_MASKED = re.compile(r"\b([a-z]+)\*+([a-z]*)\b")
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
_WORDS_RE = re.compile(r"\b(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b")


def _deobfuscate_word(m: re.Match[str]) -> str:
    word = m.group()
    return word.translate(_LEET) if any(c.isalpha() for c in word) else word


def normalise(text: str) -> str:
    """Lowercase, fold look-alikes, undo leetspeak, spaced letters and common slang."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("’", "'").replace("‘", "'").replace("`", "'")
    t = re.sub(r"[ \t]+", " ", t)
    t = _SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group()), t)
    t = _MASKED.sub(
        lambda m: m.group(1) + m.group(2) if m.group(1) in {"k", "ki", "kil", "su", "sui"} else m.group(), t
    )
    if "*" in t:
        t = re.sub(r"k\*+ll", "kill", t)
    if any(c in t for c in "013457@$!"):
        t = _OBFUSCATED_WORD.sub(_deobfuscate_word, t)
    t = re.sub(r"([a-z])\1{2,}", r"\1\1", t)  # "soooo" -> "soo"
    t = _WORDS_RE.sub(lambda m: _WORDS[m.group()], t)
    for pattern, repl in _SLANG:
        t = pattern.sub(repl, t)
    return t


# ---------------------------------------------------------------------------------------------
# Signals
# ---------------------------------------------------------------------------------------------

SIGNALS = (
    "explicit intent",
    "suicidal ideation",
    "passive ideation",
    "plan",
    "method or means",
    "timeline",
    "goodbye/finality",
    "recent attempt",
    "past attempt",
    "self-harm",
    "hopelessness/burden",
    "distress",
    "distress words",
    "third-person concern",
)

_SELF = r"(?:myself|my ?self|my own life|my life)"
_DIE = rf"(?:die|be dead|kill {_SELF}|end (?:it|{_SELF}|things|everything)|commit suicide|take {_SELF}|suicide|not exist|disappear forever)"

_PATTERNS: dict[str, tuple[str, ...]] = {
    "explicit intent": (
        rf"\bi(?:'m| am)? ?(?:going|planning|about|ready|gonna|determined|decided) to {_DIE}",
        rf"\bi(?:'ve| have)? ?decided (?:to|that i(?:'m| am| will)) {_DIE}",
        rf"\bi(?:'ll| will) (?:finally )?(?:kill {_SELF}|end (?:it|{_SELF})|do it)\b",
        r"\b(?:i'm|i am) (?:really |actually |seriously )?(?:going to|gonna) (?:do it|kill|end)\b",
        r"\bi(?:'m| am) (?:done|finished)\b[^.]{0,40}\b(?:living|with life|with this life)",
        r"\btonight(?:'s| is) the night\b|\bi(?:'m| am) going to do it\b",
        # An announced overdose is intent with means, whatever words carry it.
        r"\bi(?:'m| am| will|'ll)? ?(?:going to|gonna|about to|planning to|ready to|decided to)? ?(?:take|swallow) "
        r"(?:all (?:of )?)?(?:my |the |these |those |a bottle of |a handful of )?(?:pills|tablets|painkillers|meds)\b"
        r"(?=[^.!?]{0,40}\b(?:all|tonight|at once|together|to (?:die|end it|sleep forever))\b)",
        r"\bi(?:'m| am|'ll| will)? ?(?:going to|gonna|about to|planning to|ready to)? ?(?:take|swallow) them all\b"
        r"(?! (?:to|with|out|home|for|back|in)\b)(?=[^.!?]{0,12}\b(?:tonight|today|now|at once|tomorrow)\b)",
    ),
    "suicidal ideation": (
        rf"\bi (?:really |just |honestly |seriously |still |kinda |kind of |sometimes |often |always )?(?:want|wanted|need|wish|would like|plan|intend|think about|thought about|keep thinking about|considered|consider|am considering|'m considering|contemplate|contemplating|fantasi[sz]e about)(?: to)? {_DIE}",
        r"\b(?:kill|killing) myself\b",
        r"\b(?:i'm|i am|i've been|i have been|i feel|feeling|been|getting|so|very|really|extremely|was) suicidal\b",
        r"\bsuicidal (?:thoughts|ideation|feelings|urges)\b",
        r"\b(?:end|ending|take|taking) my (?:own )?life\b",
        r"\bmy suicide\b|\bcommit(?:ting)? suicide\b|\bsuicide (?:note|letter|plan)\b",
        r"\bi(?:'d| would) (?:rather|prefer to) (?:die|be dead)\b",
        r"\b(?:should|want to|going to|ready to|could|thinking of|decided to) (?:just )?check out\b"
        r"(?! (?:the|this|that|a|an|my|your|his|her|some|it|these|those|how|what|r/|our|their))",
        r"\bthinking (?:about|of) (?:suicide|killing myself|ending it|dying)\b",
        r"\bwant(?:ing)? (?:it|this|everything|life) (?:all )?to end\b",
        r"\bwant(?:ing)? to die\b|\bready to die\b",
        r"\b(?:plan|planning|planned|considering|considered|contemplating|contemplated|attempting) (?:my )?(?:own )?suicide\b",
        r"\b(?:suicide|death|dying) (?:is|seems|feels like) (?:the|my) (?:only|best|last) (?:option|way out|answer|choice)\b",
        r"\b(?:thoughts|thought) of (?:suicide|killing myself|ending it|dying)\b",
    ),
    "passive ideation": (
        r"\b(?:i )?wish i (?:was|were|could be|would) (?:dead|never born|gone)\b|\bwish i (?:could )?(?:die|disappear)\b",
        r"\bi (?:don't|do not|dont) want to (?:live|be alive|exist|wake up|be here)(?: anymore)?\b",
        r"\bhope (?:i|that i) (?:don't|never|do not) wake up\b|\bnot wake up\b",
        r"\bi (?:don't|do not) (?:want|wish) to (?:go on|continue|keep going)\b",
        r"\bwhy (?:should|do|would) i (?:even )?(?:live|keep living|stay alive|bother living)\b",
        r"\b(?:tired|sick) of (?:living|being alive|life|existing)\b",
        r"\blife (?:isn't|is not|isnt) worth living\b|\bno (?:reason|point) (?:to|in) (?:live|living|being alive|go on|going on)\b",
        r"\bstop existing\b|\bcease to exist\b|\bjust (?:want to )?disappear\b|\bdisappear forever\b",
    ),
    "plan": (
        r"\bi (?:have|had|made|'ve made|'ve got|got) (?:a|the|my) plan\b|\bmy plan is\b|\bplanned (?:it )?(?:out|everything)\b",
        r"\b(?:wrote|writing|written|write|drafted) (?:a|my) (?:suicide )?(?:note|letter|will)\b",
        r"\bhow i(?:'m| am|'ll| will| would)? (?:going to )?(?:do it|kill myself|end it)\b",
        r"\bwhen i (?:do it|kill myself|go through with it)\b|\bgo through with it\b",
        r"\b(?:researching|researched|looked up|googled|searching) (?:methods|ways|how to)\b",
        r"\bpicked (?:a|the) (?:date|day|spot|place)\b|\bset a date\b",
    ),
    "method or means": (
        r"\b(?:overdose|overdosing|noose|hanging|hang myself|gun|shotgun|pistol|firearm|bullet|"
        r"razor|blades?|jump(?:ing)? off|train tracks|in front of a (?:train|car|truck|bus)|"
        r"carbon monoxide|bleach|antifreeze|wrists?|stockpil\w*|poison)\b",
        # Pills are means only in quantity or with intent; "the pills I take helped" is treatment.
        r"\b(?:bottle|handful|bunch|box|packet|all) of (?:my |the |sleeping )?(?:pills|tablets|painkillers)\b|"
        r"\b(?:have|got|saved|counted|stockpiled) (?:the|all the|all my|enough) (?:pills|tablets|painkillers)\b|"
        r"\b(?:enough|too many|swallow(?:ed)?) (?:pills|tablets|painkillers)\b|\bpills to (?:die|end|kill|sleep forever)\b|"
        r"\b(?:a|the|off a|off the) (?:bridge|roof|cliff|ledge)\b|\bthe rope\b|\ba rope\b",
        r"\b(?:pills|tablets|painkillers) (?:are )?(?:in front of me|lined up|counted out)\b|"
        r"\b(?:take|swallow|taking|swallowing) them all\b(?! (?:to|for|with|out|home|back|in))",
        r"\b(?:gun|barrel|pistol) (?:to|against|in) my (?:head|mouth|temple)\b|\bpull(?:ing)? the trigger\b|"
        r"\baim(?:ing)? (?:it|the gun) at my (?:head|self)\b|\bblow my brains\b",
        r"\b(?:bought|buy|buying|got|have|saved|saving|hoarding|collected) (?:a |some |enough |all |up )?"
        r"(?:rope|gun|pills|razors?|blades?|tablets)\b",
    ),
    "timeline": (
        r"\b(?:tonight|tomorrow|this weekend|this week|by (?:monday|tuesday|wednesday|thursday|friday|saturday|"
        r"sunday|the end of|next)|in (?:a few|two|three|\d+) (?:days|hours)|after (?:christmas|my birthday|the holidays)|"
        r"on my birthday|today|right now|very soon|soon|before (?:the end of|my birthday|christmas))\b",
    ),
    "goodbye/finality": (
        r"\b(?:goodbye|good bye|farewell|bye everyone|bye all)\b",
        r"\b(?:this is|this'll be|this will be) my (?:last|final) (?:post|message|day|night|words)\b",
        r"\bmy (?:last|final) (?:post|message|words|goodbye|night|day)\b",
        r"\bby the time (?:you|anyone|someone) (?:read|reads|see|sees) this\b",
        r"\b(?:won't|will not|wont) be (?:here|around|alive) (?:tomorrow|much longer|for long|anymore|next)\b",
        r"\b(?:gave|giving|give) away (?:my|all my) (?:stuff|things|belongings|possessions|cat|dog)\b",
        r"\b(?:thank you|thanks) (?:all |everyone )?for everything\b|\bsorry for everything\b",
        r"\btake care of (?:my|mom|dad) (?:cat|dog|family|kids)\b|\bi love you all\b",
    ),
    "recent attempt": (
        r"\bi (?:tried|attempted|try|almost|nearly) (?:to )?(?:kill(?:ed)? myself|end(?:ed)? (?:my life|it)|die|suicide|overdose|hang myself)\b",
        r"\b(?:my|a|last|failed|second|third|suicide) attempts?\b|\battempted suicide\b|\bi attempted\b",
        r"\bi (?:overdosed|took (?:a bunch|all|too many|a whole|\d+) (?:of )?(?:my |the )?(?:pills|tablets))\b",
        r"\b(?:woke up in|ended up in|rushed to|admitted to|was in) (?:the |a )?(?:hospital|er|icu|psych ward|a&e)\b",
        r"\b(?:stomach pumped|survived (?:it|my attempt)|psych ward|involuntary hold|5150)\b",
        r"\b(?:got|get|getting|was|just got|came) (?:out of|discharged from) (?:the |a )?(?:hospital|psych ward|inpatient|ward|rehab)\b",
        r"\bcheck(?:ed|ing)? myself (?:in|into)\b|\b(?:was|been|went) inpatient\b|\b(?:was|got) (?:hospitali[sz]ed|committed|sectioned)\b",
    ),
    "self-harm": (
        r"\b(?:i |i've |i have |started |start |been |keep )?(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|scratch|scratching|hit|hitting) myself\b",
        r"\bi(?:'m| am| was) a cutter\b|\bself[- ]?harm(?:ing|ed)?\b|\bself[- ]?injur\w*\b|\bcutting\b|\bmy (?:scars|cuts|wounds)\b|\brelapsed?\b",
    ),
    "hopelessness/burden": (
        r"\b(?:better off|happier|be fine) without me\b|\b(?:i'm|i am|being) (?:a|such a|just a) burden\b|\bburden (?:to|on) (?:everyone|my|them|others)",
        r"\b(?:don't|do not|can't|cannot) see (?:a|any) (?:way out|future|point|light|reason)\b|\bwhy (?:prolong|continue|keep going|bother)\b",
        r"\b(?:no|nothing) to live for\b|\bno (?:way out|hope|future|point)\b|\bhopeless\b|\bpointless\b",
        r"\bi (?:can't|cannot|can not) (?:do this|take (?:it|this)|go on|keep going|handle (?:it|this)|cope)(?: anymore| any more| much longer)?\b",
        r"\b(?:don't|do not) see the point\b|\bwhat'?s the point\b|\bgive up on (?:life|everything)\b|\bgiving up\b",
        r"\b(?:nobody|no one|noone) (?:would|will) (?:care|miss me|notice)\b|\bno one cares\b|\bnobody cares\b",
        r"\bi(?:'m| am) (?:worthless|useless|a failure|a waste of space)\b|\bwaste of (?:space|oxygen|air)\b",
        r"\bi hate (?:myself|my life)\b|\bi(?:'m| am) (?:so )?(?:done|exhausted|empty|numb|trapped)\b",
        r"\bnothing (?:will ever|ever|is going to) (?:get|gets|change) better\b|\bit (?:never|won't) get(?:s)? better\b",
    ),
    "distress": (
        r"\bi(?:'m| am|'ve been| have been| feel| felt| was| get| got)? (?:so |really |very |always |constantly |just |"
        r"extremely |completely |all )?(?:depressed|anxious|lonely|alone|miserable|empty|numb|broken|lost|"
        r"scared|terrified|exhausted|overwhelmed|desperate|suffering|a mess|falling apart)\b",
        r"\bmy (?:depression|anxiety|ptsd|trauma|abuser|panic attacks|mental health|breakdown)\b|"
        r"\bi (?:have|suffer from|struggle with|'ve had|have had|was diagnosed with) (?:severe |bad |major |chronic )?"
        r"(?:depression|anxiety|ptsd|panic attacks|bipolar|bpd|an eating disorder)\b",
        r"\bi (?:can't|cannot) (?:sleep|stop crying|eat|breathe|function|get out of bed)\b|\bcry(?:ing)? myself to sleep\b|"
        r"\bi (?:keep|kept|was|am|'m|been) crying\b|\bi(?:'m| am| was) (?:being )?abused\b",
    ),
    "distress words": (
        r"\b(?:depressed|depression|anxiety|panic attacks?|lonely|alone|crying|miserable|suffering|can't sleep|"
        r"insomnia|ptsd|trauma|abuse|abused|worthless|breakdown|hate my life|my life sucks|feel like shit|"
        r"hospital|therapist|psychiatrist|meds|medication|antidepressants)\b",
    ),
    "third-person concern": (
        r"\bmy (?:friend|best friend|bf|gf|boyfriend|girlfriend|sister|brother|mom|mum|dad|mother|father|son|daughter|"
        r"partner|wife|husband|cousin|roommate|classmate|coworker)\b[^.]{0,60}\b(?:suicid\w*|kill (?:him|her|them)self|"
        r"killing (?:him|her|them)self|want(?:s)? to die|end (?:his|her|their) life|self[- ]harm\w*|cut(?:s|ting)? (?:him|her|them)self|overdos\w*|attempt\w*)",
        r"\b(?:he|she|they)(?: is|'s| are|'re)? (?:talking about|going to|planning to|wants? to|threatening to|threatened to|tried to) "
        r"(?:kill (?:him|her|them)self|die|end (?:his|her|their) life|commit suicide|suicide)\b",
        r"\bworried (?:about|for) (?:my|a) (?:friend|sister|brother|partner|son|daughter|kid|child)\b",
    ),
}

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {
    k: tuple(re.compile(p, _I) for p in v) for k, v in _PATTERNS.items()
}

# Cheap substring checks: a signal's patterns run only on sentences holding one of its stems.
# Every pattern above needs at least one of these (tests/unit/test_screen.py checks that).
_STEMS: dict[str, tuple[str, ...]] = {
    "explicit intent": (
        "die",
        "dead",
        "kill",
        "end",
        "suicid",
        "take my",
        "do it",
        "done",
        "finished",
        "tonight",
        "exist",
        "disappear",
    ),
    "suicidal ideation": (
        "check out",
        "die",
        "dying",
        "death",
        "dead",
        "kill",
        "end",
        "suicid",
        "take my",
        "exist",
        "disappear",
    ),
    "passive ideation": (
        "wish",
        "why",
        "live",
        "living",
        "alive",
        "exist",
        "wake",
        "go on",
        "continue",
        "keep going",
        "worth",
        "point",
        "reason",
        "disappear",
        "dead",
        "die",
    ),
    "plan": (
        "plan",
        "note",
        "letter",
        "will",
        "do it",
        "kill",
        "end it",
        "through with",
        "method",
        "ways",
        "how to",
        "date",
        "day",
        "spot",
        "place",
    ),
    "method or means": (
        "pill",
        "roof",
        "cliff",
        "ledge",
        "trigger",
        "aim",
        "brains",
        "overdos",
        "noose",
        "rope",
        "hang",
        "gun",
        "pistol",
        "firearm",
        "bullet",
        "razor",
        "blade",
        "bridge",
        "jump",
        "train",
        "car",
        "truck",
        "bus",
        "monoxide",
        "bleach",
        "antifreeze",
        "wrist",
        "stockpil",
        "poison",
        "painkiller",
        "tablet",
    ),
    "timeline": (
        "tonight",
        "tomorrow",
        "week",
        "day",
        "hour",
        "by the end",
        "by next",
        "christmas",
        "birthday",
        "holiday",
        "now",
        "soon",
    ),
    "goodbye/finality": (
        "bye",
        "farewell",
        "last",
        "final",
        "by the time",
        "be here",
        "be around",
        "be alive",
        "away",
        "everything",
        "take care",
        "love you all",
    ),
    "recent attempt": (
        "tried",
        "out of",
        "discharged",
        "check",
        "inpatient",
        "hospitali",
        "committed",
        "sectioned",
        "attempt",
        "try",
        "almost",
        "nearly",
        "overdos",
        "took",
        "woke up in",
        "ended up in",
        "rushed to",
        "admitted to",
        "was in",
        "psych",
        "stomach",
        "survived",
        "hold",
        "5150",
    ),
    "self-harm": (
        "myself",
        "cutter",
        "self",
        "harm",
        "injur",
        "cutting",
        "scars",
        "cuts",
        "wounds",
        "relaps",
    ),
    "hopelessness/burden": (
        "without me",
        "see a",
        "see any",
        "why",
        "burden",
        "nothing",
        "hope",
        "point",
        "no way",
        "future",
        "can't",
        "cannot",
        "can not",
        "give up",
        "giving up",
        "nobody",
        "no one",
        "noone",
        "worthless",
        "useless",
        "failure",
        "waste",
        "hate",
        "done",
        "exhausted",
        "empty",
        "numb",
        "trapped",
        "better",
    ),
    "distress": (
        "depress",
        "anxi",
        "panic",
        "lonely",
        "alone",
        "cry",
        "miserable",
        "suffer",
        "sleep",
        "ptsd",
        "trauma",
        "abuse",
        "empty",
        "numb",
        "broken",
        "lost",
        "scared",
        "terrified",
        "exhausted",
        "overwhelmed",
        "desperate",
        "mess",
        "falling apart",
        "breakdown",
        "mental health",
        "bipolar",
        "bpd",
        "eating",
        "breathe",
        "function",
        "out of bed",
    ),
    "distress words": (
        "depress",
        "anxi",
        "panic",
        "lonely",
        "alone",
        "cry",
        "miserable",
        "suffer",
        "sleep",
        "insomnia",
        "ptsd",
        "trauma",
        "abuse",
        "worthless",
        "breakdown",
        "life",
        "shit",
        "hospital",
        "therap",
        "psychiatr",
        "meds",
        "medica",
        "antidepress",
    ),
    "third-person concern": ("my ", "he ", "she ", "they ", "he's", "she's", "they're", "worried"),
}

# Context ------------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|never|no longer|don't|do not|didn't|did not|won't|will not|wouldn't|would not|isn't|"
    r"i'm not|ain't|nor|nobody|stop|stopped|quit|without)\b[^.,;]{0,20}$",
    _I,
)
_PAST = re.compile(
    r"\b(?:used to|years? ago|months ago|in the past|when i was (?:younger|a kid|a teen|a teenager|little|\d+)|"
    r"back in (?:high school|college|\d{4})|as a (?:teen|teenager|kid)|\d+ (?:years?|months?) (?:clean|free|sober)|"
    r"(?:clean|free) (?:from|of|for)|no longer|recovered|recovery|haven't (?:cut|self[- ]harmed|hurt myself)|"
    r"years since|long time ago|helped (?:me|my)|got better|better now)\b",
    _I,
)
_RECOVERED = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many) (?:days?|weeks?|months?|years?) "
    r"(?:clean|free|sober|without)|\b(?:clean|free) (?:from|of) (?:cutting|self[- ]harm\w*|it)|\brecovered\b|"
    r"\bhaven't (?:cut|self[- ]harmed|hurt myself|felt (?:suicidal|that way))|\bno longer\b|\bnot anymore\b",
    _I,
)
_HYPERBOLE = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|jk|j/k|xd|literally dying|dying (?:of|from) (?:laughter|laughing|cringe|embarrassment)|"
    r"dying to (?:see|know|try|meet|go|hear|get)|killing it|killed it|kill(?:ing)? me\b|to death\b|"
    r"(?:homework|exam|exams|work|job|class|traffic|meeting|monday|heat|this game|my feet|this song|boss)\b[^.]{0,25}"
    r"\b(?:killing me|kill me|make me want to die|makes me want to die)|(?:want|wanna) to die of (?:embarrassment|cringe|boredom))"
    r"|[\U0001F602\U0001F923\U0001F480\U0001F62D]",
    _I,
)
# Writing to or about someone else: "if you are suicidal", "please don't kill yourself".
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yourself|you're|you've|you'll|u)\b",
    _I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)\b", _I)
_GENERIC = re.compile(
    r"\b(?:people|someone|anyone|somebody|they|those who|a person|one)\b[^.]{0,20}\b(?:who|that)\b|"
    r"\b(?:if|when) (?:you|someone|anyone|people|a person)\b|\b(?:please|don't|do not) (?:do|kill|hurt|end|harm)\b",
    _I,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\n])\s+|\n+|(?<=[a-z])(?=[A-Z][a-z])")

# Signals whose weight does not depend on the first-person voice (they name it already).
_TIMED = {"explicit intent", "suicidal ideation", "plan", "method or means", "goodbye/finality", "self-harm"}
_SELF_NAMED = {
    "explicit intent",
    "suicidal ideation",
    "passive ideation",
    "plan",
    "recent attempt",
    "self-harm",
}
_NEEDS_FIRST_PERSON = {
    "method or means",
    "timeline",
    "hopelessness/burden",
    "distress",
    "distress words",
}
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
    hyperbole: bool
    past: bool
    recovered: bool


def _sentence_context(sentence: str) -> _Context:
    """(first_person, supporter_voice, hyperbole) for a normalised sentence."""
    first = bool(_FIRST_PERSON.search(sentence))
    second = len(_SECOND_PERSON.findall(sentence))
    firsts = len(_FIRST_PERSON.findall(sentence))
    supporter = (second > 0 and second >= firsts) or bool(
        _GENERIC.search(sentence) or _DISCLOSURE.search(sentence)
    )
    return _Context(
        first,
        supporter,
        bool(_HYPERBOLE.search(sentence)),
        bool(_PAST.search(sentence)),
        bool(_RECOVERED.search(sentence)),
    )


_SUBJECT = re.compile(
    r"\b(?:(?P<first>i|i'm|i've|i'd|i'll|me|my|myself)|(?P<second>you|you're|you've|you'd|you'll|your|yourself)|"
    r"(?P<third>he|she|they|he's|she's|they're|his|him|them|their|someone|somebody|anyone|people|person|friend|"
    r"brother|sister|mom|mum|dad|mother|father|son|daughter|partner|girlfriend|boyfriend|wife|husband|roommate))\b"
)
_REFLECTION = re.compile(
    r"\b(?:it|this|things|that|everything|life) (?:may|might|must|can|could|probably) (?:seem|feel|look|sound)s?"
    r"(?: so| really| pretty)?\s*(?:like\s*)?$"
)
_ABOUT_YOU = re.compile(r"[^.,;]{0,20}\b(?:yourself|you|your)\b")
_FIRST_IN_MATCH = re.compile(r"^(?:i|i'm|i've|i'd|i'll|my|me)\b|\b(?:myself|my life|my own|me)\b")


def _subject(sentence: str, m: re.Match[str]) -> str | None:
    """Who the matched phrase is about: the nearest person word before it ("first", "second", "third")."""
    if _FIRST_IN_MATCH.search(m.group()):
        return "first"
    last: str | None = None
    for sm in _SUBJECT.finditer(sentence, max(0, m.start() - 60), m.start()):
        last = sm.lastgroup
    return last


def _hit_weight(signal: str, sentence: str, m: re.Match[str], ctx: _Context) -> float:
    first, supporter, hyperbole = ctx.first, ctx.supporter, ctx.hyperbole
    if hyperbole and signal not in {"recent attempt", "self-harm", "plan"}:
        return 0.0
    prefix = sentence[max(0, m.start() - 40) : m.start()]
    if signal not in {"passive ideation", "hopelessness/burden"} and _NEGATION.search(prefix):
        return 0.0
    if signal == "third-person concern":
        return 1.0
    if signal in _NEEDS_FIRST_PERSON and not first:
        return 0.0
    subject = _subject(sentence, m)
    if _REFLECTION.search(sentence, 0, m.start()):
        subject = "second"  # "I know it might seem hopeless" reflects the other person's view
    if _ABOUT_YOU.match(sentence, m.end()):
        subject = "second"  # "I don't see a reason to hate yourself"
    if subject in {"second", "third"}:
        # Written to or about someone else ("why you want to die", "she said she was suicidal").
        return 0.0
    # A goodbye is the writer's own act even without "I" ("Goodbye everyone.").
    own = subject == "first" or (subject is None and signal == "goodbye/finality")
    weight = 1.0 if own else (0.5 if first else 0.2)
    if supporter:
        weight *= 0.5
    if signal != "recent attempt":  # an attempt in the past is "past attempt", weighed on its own
        if ctx.recovered:
            weight *= 0.15
        elif ctx.past:
            weight *= 0.5
    return weight


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
    stems = sorted({st for sts in _STEMS.values() for st in sts}, key=len, reverse=True)
    owners = {st: frozenset(sig for sig, sts in _STEMS.items() if st in sts) for st in stems}
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
    everything = set(_COMPILED)
    if prefilter and not _open_signals(norm):
        return []
    hits: list[SignalHit] = []
    for index, sentence in enumerate(_sentences(norm)):
        ctx: _Context | None = None
        opened = _open_signals(sentence) if prefilter else everything
        for signal, patterns in _COMPILED.items():
            if signal not in opened:
                continue
            best = 0.0
            for pattern in patterns:
                for m in pattern.finditer(sentence):
                    ctx = ctx or _sentence_context(sentence)
                    best = max(best, _hit_weight(signal, sentence, m, ctx))
                    if best >= 1.0:
                        break
                if best >= 1.0:
                    break
            if best > 0:
                name = signal
                if signal == "recent attempt" and ctx is not None and ctx.past:
                    name = "past attempt"  # an attempt long ago is history: still a risk factor, less urgent
                hits.append(SignalHit(name, best, index))
    # A time word means something only beside intent, a plan, means or a goodbye ("tonight" alone is nothing).
    acts = {h.sentence_index for h in hits if h.signal in _TIMED}
    return [h for h in hits if h.signal != "timeline" or h.sentence_index in acts]


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
            out[signal] = ws[0] + 0.25 * min(sum(ws[1:]), 2.0)
    out.update(context or {})
    return out


def text_features(text: str) -> dict[str, float]:
    """The features `RiskScreen.score` weighs, for one post."""
    norm = normalise(text)
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
        feats = text_features(text)
        score = self.score(feats)
        reasons = tuple(s for s in SIGNALS if feats[s] >= 0.5 and s not in _NOT_REASONS)
        level = self.level(score, feats)
        # Keep the score monotone in risk: a rule's verdict lifts it to that level's band.
        if level is RiskLevel.ACUTE:
            score = max(score, float(self.weights["acute_threshold"]) + 0.1 * score)
        elif level is RiskLevel.ELEVATED:
            score = max(score, float(self.weights["elevated_threshold"]))
        return RiskAssessment(level=level, score=round(score, 4), reasons=reasons)

    def level(self, score: float, f: dict[str, float]) -> RiskLevel:
        """Clinical rules first (intent with a plan, means, time or goodbye is acute), then the score."""
        w = self.weights
        if f["supporter voice"] < 0.6 and _acute_by_rule(f):
            return RiskLevel.ACUTE
        if score >= float(w["acute_threshold"]):
            return RiskLevel.ACUTE
        if score >= float(w["elevated_threshold"]) or _elevated_by_rule(f):
            return RiskLevel.ELEVATED
        return RiskLevel.NONE


def _acute_by_rule(f: dict[str, float]) -> bool:
    intent = max(f["explicit intent"], f["suicidal ideation"], f["passive ideation"])
    specifics = max(f["plan"], f["method or means"], f["timeline"], f["goodbye/finality"])
    return (
        f["explicit intent"] >= 0.5
        or (intent >= 0.5 and specifics >= 0.5)
        or (f["recent attempt"] >= 0.9 and intent >= 0.5)
        or (f["plan"] >= 0.9 and f["goodbye/finality"] >= 0.9)
        or (f["goodbye/finality"] >= 0.9 and max(f["timeline"], f["hopelessness/burden"]) >= 0.9)
        # Means at hand with a time or a farewell is imminent, even with no word of intent.
        or (f["method or means"] >= 0.9 and max(f["timeline"], f["goodbye/finality"]) >= 0.9)
    )


def _elevated_by_rule(f: dict[str, float]) -> bool:
    """Signals a human should always see, whatever the learned score says."""
    return (
        max(f["explicit intent"], f["plan"], f["recent attempt"], f["third-person concern"]) >= 0.9
        or max(f["suicidal ideation"], f["passive ideation"], f["self-harm"]) >= 0.9
        or (f["goodbye/finality"] >= 0.9 and f["supporter voice"] < 0.6)
    )
