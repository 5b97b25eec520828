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
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from ..domain import RiskAssessment, RiskLevel
from ..text import english_words
from . import lexicon
from .normalise import fold_unicode, join_spaced_letters

_I = re.IGNORECASE

# ---------------------------------------------------------------------------------------------
# Normalisation: slang, leetspeak, spaced letters
# ---------------------------------------------------------------------------------------------

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_OBFUSCATED_WORD = re.compile(r"(?<![\w@$!])(?=[a-z013457@$!]*[a-z])(?=[a-z013457@$!]*[013457@$!])[a-z013457@$!]+(?![\w@$!])")
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
    pattern = re.compile("^" + re.sub(r"\*+", lambda s: f"[a-z-]{{{len(s.group())},{len(s.group()) + 1}}}", word) + "$")
    return next((w for w in _MASKABLE if pattern.match(w)), word)


def _deobfuscate_word(m: re.Match[str]) -> str:
    word = m.group()
    return word.translate(_LEET) if any(c.isalpha() for c in word) else word


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
    for patterns in _PATTERNS.values():
        for p in patterns:
            words.update(w for w in re.findall(r"[a-z]{2,}", p) if w not in {"na", "er", "ed", "es"})
    words.update(english_words())
    return frozenset(words)


# ---------------------------------------------------------------------------------------------
# Signals
# ---------------------------------------------------------------------------------------------

SIGNALS = (
    "explicit intent",
    "suicidal ideation",
    "passive ideation",
    "plan",
    "specific plan",
    "method or means",
    "means at hand",
    "method question",
    "timeline",
    "goodbye/finality",
    "preparation",
    "recent attempt",
    "past attempt",
    "self-harm",
    "self-harm escalation",
    "burden",
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
        r"\bi(?:'m| am) (?:ending|going to end|gonna end) (?:it|things|everything|my life|it all)\b",
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
        r"\b(?:wouldn't|would not|won't|will not|don't|do not) (?:mind|care|be upset) if i (?:died|die|didn't wake up|don't wake up|"
        r"never woke up|was gone|wasn't here|got hit|just stopped)\b|\bif (?:a (?:bus|car|truck|train)|something) (?:hit|hits|killed|kills) me\b",
        r"\b(?:gone|dead|asleep|sleep|fade out|disappear) (?:for good|forever|permanently)\b|\b(?:envy|jealous of) (?:people|ppl|those) who (?:get to )?die\b",
        r"\b(?:running out of|no|don't have any|there's no|not many) reasons? to (?:stick around|stay|keep going|live|be here|wake up)\b",
        r"\bstop existing\b|\bcease to exist\b|\b(?:want to|wanna|wish i could|wishing i could) (?:disappear|vanish)\b|"
        r"\bdisappear forever\b",
    ),
    "plan": (
        r"\bi (?:have|had|made|'ve made|'ve got|got) (?:a|the|my) plan\b|\bmy plan is\b|\bplanned (?:it )?(?:out|everything)\b",
        r"\b(?:wrote|writing|written|write|drafted) (?:a|my) (?:suicide )?(?:note|letter|will)\b",
        r"\bhow i(?:'m| am|'ll| will| would)? (?:going to )?(?:do it|kill myself|end it)\b",
        r"\bwhen i (?:do it|kill myself|go through with it)\b|\bgo through with it\b",
        r"\b(?:researching|researched|looked up|googled|searching) (?:methods|ways|how to)\b",

        # Notes or letters left for people to find: preparation (C-SSRS), beyond a goodbye.
        r"\b(?:wrote|writing|written|write|drafted|left|leaving) (?:a |my |some |the )?(?:goodbye |farewell |last )?"
        r"(?:notes?|letters?) (?:to|for) (?:my|everyone|everybody|each|the people|all|mom|dad)\b|\bgoodbye (?:notes?|letters?)\b",
        r"\bi(?:'m| am) (?:doing|going to do|gonna do) it\b|\bi(?:'ve| have) (?:already )?decided\W*$",
        r"\bi(?:'ve| have) made sure of (?:it|that)\b",
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
        r"\b(?:drive|driving|floor(?:ing)? it|crash(?:ing)?|swerv(?:e|ing)|steer(?:ing)?) (?:my car |the car )?(?:in)?to (?:a |the )?"
        r"(?:wall|barrier|tree|truck|oncoming|river|lake|bridge)\b|"
        r"\b(?:the |a )?(?:whole|entire|full) (?:bottle|pack|packet|box)\b(?! of (?:water|wine|juice|soda|milk|coke|shampoo))",
        r"\b(?:gun|barrel|pistol) (?:to|against|in) my (?:head|mouth|temple)\b|\bpull(?:ing)? the trigger\b|"
        r"\baim(?:ing)? (?:it|the gun) at my (?:head|self)\b|\bblow my brains\b",
        r"\b(?:bought|buy|buying|got|have|saved|saving|hoarding|collected) (?:a |some |enough |all |up )?"
        r"(?:rope|gun|pills|razors?|blades?|tablets)\b",
    ),
    # Means at hand (C-SSRS preparatory behaviour): acquired, set out, held, or stood beside. Beyond
    # naming a method, this is the step before an attempt.
    # A plan with its particulars chosen (a date, a place, a way): C-SSRS active ideation with plan.
    "specific plan": (
        r"\b(?:picked|chosen|chose|found) (?:a|the|my) (?:date|day|spot|place|time|method|way)\b|\bset a date\b",
        r"\b(?:the )?(?:day|date|spot|place|time|way) i(?:'ve| have)? (?:picked|chosen|chose|set|decided on)\b",
    ),
    "means at hand": (
        # Stockpiling: putting medication aside is preparation, whatever the words around it.
        r"\b(?:sav(?:e|ed|ing)|hoard(?:ed|ing)?|collect(?:ed|ing)?|stash(?:ed|ing)?|keep(?:ing)?|kept|put(?:ting)?) "
        r"(?:up |aside |away )?(?:all |some |a few |a lot of )?(?:of )?(?:my |the |these |those |extra |spare )?"
        r"(?:sleeping |pain ?killer |prescription |leftover )?(?:pills|meds|tablets|medication|painkillers|prescriptions?)\b"
        r"(?! (?:for (?:the|my) (?:trip|holiday|flight)|in (?:the|a) (?:cabinet|organizer)))",
        r"\b(?:stopped|quit) taking (?:my )?(?:pills|meds|medication|tablets)\b[^.]{0,40}\b(?:keep|sav|stash|hid|collect)\w*|"
        r"\b(?:a second|another|an extra) prescription\b[^.]{0,60}\b(?:extra|more|enough)\b|\bso i(?:'d| would) have (?:extra|enough)\b",
        r"\b(?:pills|tablets|meds|painkillers)\b(?: \w+){0,3} (?:are |is )?(?:in front of me|lined up|counted out|laid out|"
        r"on the (?:desk|table|bed|counter)|next to me|in my hand|ready)\b|\bcounted (?:the|my|all the|all my|out) (?:pills|tablets|meds)\b|"
        r"\b(?:the |a )?(?:whole|entire|full) (?:bottle|pack|packet|box)\b[^.]{0,30}\b(?:in front of me|next to me|in my hand|here|right here)\b",
        r"\b(?:bought|buying|got|have|found|picked up) (?:a |the |some )?(?:rope|noose|gun|pistol|rifle|razor blades?|charcoal|helium)\b|"
        r"\b(?:holding|hold|got|have) (?:a |the |my )?(?:blade|razor|knife|gun|pistol|pills)\b(?: \w+){0,2} (?:right now|now|in my hand|here)\b|"
        r"\b(?:rope|noose|gun|blade|razor)\b[^.]{0,20}\b(?:in my (?:closet|room|drawer|bag|car)|under my bed|is ready|ready)\b",
        r"\b(?:on|at the edge of|standing on|sitting on|up on) (?:the |a |my )?(?:roof|bridge|ledge|edge|cliff|balcony|overpass)\b"
        r"[^.]{0,60}\b(?:looking down|keep looking|jump|fall|edge|thinking about|one step)\b|"
        r"\b(?:in the car|engine (?:on|running))\b[^.]{0,60}\b(?:barrier|wall|tree|oncoming|flooring it|crash|garage)\b",
    ),
    # Asking how to die is preparation (C-SSRS: active ideation with method), whoever the sentence names.
    "method question": (
        r"\b(?:most |least )?(?:painless|quickest|easiest|fastest|surest|least painful|most peaceful|quiet(?:est)?) "
        r"(?:way|ways|method|methods)\b(?! (?:to (?:learn|cook|save|lose weight|study|get there|fix|make money|clean)))",
        r"\bhow (?:many|much) (?:\w+ ){0,3}(?:pills|tablets|mg|milligrams|of (?:my|these|the) (?:meds|pills|tablets))\b"
        r"[^?.]{0,50}\b(?:take|need|kill|die|enough|fatal|lethal|would it|does it|to not wake|for it to)\b",
        r"\bhow (?:high|tall|far (?:down|up)|many (?:floors|stories|storeys))\b[^?.]{0,50}\b(?:fall|jump|drop|survive|building|"
        r"bridge|floors?|stories|storeys|roof|die|guarantee)\b",
        r"\b(?:is|would|will|does) (?:it|that|\w+ing) (?:hurt|be painful|work|be quick|be enough)\b[^?.]{0,30}\b(?:die|overdose|od|"
        r"jump|hang|bleed|pills|to go)\b",
        r"\b(?:what|which) (?:pills|meds|drugs|medication|height|bridge|building)\b[^?.]{0,40}\b(?:die|kill|lethal|fatal|"
        r"painless|to not wake up|enough)\b",
        r"\bwhat (?:\w+ )?happens (?:if|when) (?:you|i|someone|a person|u) (?:take|swallow|drink|jump|od|overdose|mix|cut)\b",
        r"\b(?:which|what) (?:bridge|building|roof|car park|parking garage|cliff|overpass)\b[^?.]{0,60}\b(?:fence|barrier|"
        r"net|nets|high enough|tall enough|open|access|no (?:fence|barrier))",
        r"\b(?:closed|shut|sealed) garage\b[^.?]{0,40}\b(?:car|engine)\b|\b(?:car|engine) (?:running|on)\b[^.?]{0,40}\bgarage\b",
    ),
    "timeline": (
        r"\b(?:on|this|next|by|before|until|after) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b|"
        r"\bthe (?:date|day) is (?:set|picked|chosen)\b|\b(?:at|by) midnight\b|\bat \d{1,2} ?(?:am|pm|o'clock)\b|"
        r"\b(?:when|once|after) (?:everyone|everybody|they|my (?:parents|family|roommate|mom|dad)) (?:is |are |'s |'re )?"
        r"(?:asleep|out|gone|away|leave|leaves|goes out|go out|fall asleep|falls asleep|go to bed|goes to bed)\b|"
        r"\b(?:last night|yesterday|this morning|(?:a few|a couple(?: of)?|two|three|\d+) hours ago)\b|\bend of (?:the|this) (?:month|week|year)\b|\bon the \d{1,2}(?:st|nd|rd|th)\b|"
        r"\b(?:after|before) (?:the (?:exam|wedding|funeral|holidays)|graduation|new year|my exams)\b",
        r"\b(?:tonight|tomorrow|this weekend|this week|by (?:monday|tuesday|wednesday|thursday|friday|saturday|"
        r"sunday|the end of|next)|in (?:a few|two|three|\d+) (?:days|hours)|after (?:christmas|my birthday|the holidays)|"
        r"on my birthday|today|right now|very soon|soon|before (?:the end of|my birthday|christmas))\b",
    ),
    "goodbye/finality": (
        r"\b(?:goodbye|good bye|farewell|bye everyone|bye all)\b",
        r"\b(?:this is|this'll be|this will be) my (?:last|final) (?:post|message|day|night|words)\b|"
        r"\bmy (?:last|final) (?:post|message|words|goodbye|night|day)\b",
        r"\bby the time (?:you|anyone|someone) (?:read|reads|see|sees) this\b",
        r"\b(?:won't|will not|wont) be (?:here|around|alive) (?:tomorrow|much longer|for long|anymore|next)\b",
        r"\bwhere (?:they|he|she|you|someone)(?:'ll| will) find (?:it|them|me)\b",
        r"\b(?:don't|do not|please don't) (?:look|come looking|try to find|search) (?:for )?me\b|\bi mean it this time\b|"
        r"\b(?:for real|for good|forever) this time\b|\bgoodnight for (?:real|good|ever)\b",
        r"\b(?:know|remember) (?:that )?i lov(?:e|ed) (?:you|y'all|u|all of you)\b|"
        r"\bif i (?:don't|never|do not) (?:come back|make it|wake up|return|log back)\b",
        r"\b(?:won't|will not|wont) be (?:needing|using|bothering|burdening|around to|here to|here for|there for)\b",
        r"\b(?:take care of|look after) each other\b",
        r"\b(?:thank you|thanks) (?:all |everyone )?for everything\b|\bsorry for everything\b",
        r"\btake care of (?:my|mom|dad) (?:cat|dog|family|kids)\b|\bi love you all\b",
    ),
    # Putting affairs in order (C-SSRS preparatory behaviour): giving things away, rehoming a pet,
    # who gets what. Ordinary alone ("giving away my old couch"); preparation beside a farewell,
    # another such act, or any wish to die.
    "preparation": (
        r"\b(?:gave|giving|give|given) (?:away )?(?:my|all my|all of my|most of my) (?:\w+ ){0,3}(?:to|away)\b|"
        r"\b(?:gave|giving|give|given) away (?:my|all my|all of my|most of my)\b",
        r"\b(?:rehom(?:e|ing)|find(?:ing)? a (?:new |good )?home for|can someone take|who (?:will|would|can) take) "
        r"(?:care of )?my (?:cat|dog|pets?|rabbit|bird|hamster|fish)\b|\b(?:my )?(?:cat|dog)? ?needs a (?:new |good )?home\b",
        r"\b(?:who (?:wants|gets)|does anyone want) (?:my|all my)\b|\b(?:list|will) of who gets (?:my|what)\b",
        r"\b(?:tying up|tie up|tied up) (?:loose ends|my affairs)\b|\b(?:got|getting|put|putting|have|having) (?:my )?(?:affairs|things|everything) "
        r"(?:in order|sorted|ready)\b|\bi(?:'ve| have) (?:got )?everything (?:ready|sorted|in order|planned)\b|"
        r"\bleft (?:my )?passwords\b",
    ),
    "recent attempt": (
        r"\bi (?:tried|attempted|try|almost|nearly) (?:to )?(?:kill(?:ed)? myself|end(?:ed)? (?:my life|it)|die|suicide|overdose|hang myself)\b",
        r"\b(?:my|a|last|failed|second|third|suicide) attempts?\b|\battempted suicide\b|\bi attempted\b",
        r"(?:^|\bi )(?:overdosed|took (?:a bunch|all|too many|a whole|a handful|\d+) (?:of )?(?:my |the )?(?:pills|tablets|meds))\b",
        r"\b(?:tried|attempted)\b[^.]{0,40}\bbut (?:woke up|survived|failed|it didn't work|someone found me)\b|"
        r"\b(?:my )?attempt\b[^.]{0,20}\b(?:didn't|did not) work\b|\bwoke up (?:in the hospital|in hospital|again) after\b",
        r"\b(?:woke up in|ended up in|rushed to|admitted to|was in) (?:the |a )?(?:hospital|er|icu|psych ward|a&e)\b",
        r"\b(?:stomach pumped|survived (?:it|my attempt)|psych ward|involuntary hold|5150)\b",
        r"\b(?:got|get|getting|was|just got|came) (?:out of|discharged from) (?:the |a )?(?:hospital|psych ward|inpatient|ward|rehab)\b",
        r"\bcheck(?:ed|ing)? myself (?:in|into)\b|\b(?:was|been|went) inpatient\b|\b(?:was|got) (?:hospitali[sz]ed|committed|sectioned)\b",
    ),
    "self-harm": (
        r"\b(?:i |i've |i have |started |start |been |keep )?(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|scratch|scratching|hit|hitting) myself\b",
        r"\bi(?:'m| am| was) a cutter\b|\bself[- ]?harm(?:ing|ed)?\b|\bself[- ]?injur\w*\b|"
        r"\bcutting\b(?! (?:board|boards|edge|class|classes|hair|costs?|back|down|it (?:close|fine)|out|in line|corners|ties))|"
        r"\bmy (?:scars|cuts|wounds)\b|\brelapsed?\b",
    ),
    "self-harm escalation": (
        r"\b(?:cuts?|cutting|burns?|burning|harm(?:ing)?|hurting myself|scratch\w*)\b[^.!?]{0,50}\b(?:deeper|worse|more often|"
        r"every (?:day|night)|bigger|more and more|can't stop|stitches|won't stop bleeding|further)\b",
        r"\b(?:deeper|worse|more often|more and more)\b[^.!?]{0,30}\b(?:cuts?|cutting|burns?|self[- ]harm\w*)\b",
    ),
    # Perceived burdensomeness (Joiner): a core driver of suicidal desire, beyond general hopelessness.
    "burden": (
        r"\b(?:better off|happier|be fine|be easier|be relieved) (?:without me|if i (?:was|were|wasn't|weren't) (?:here|around|gone|alive))\b|"
        r"\b(?:i'm|i am|being|i feel like) (?:a|such a|just a|nothing but a) (?:burden|waste of space)\b|\bburden (?:to|on) (?:everyone|my|them|others)",
        r"\bnobody (?:would|will|even) (?:care|miss me|notice|even notice)\b|\bnobody cares\b|\bnobody would (?:even )?(?:notice|care|miss)",
        r"\b(?:wouldn't|would not|won't|will not) (?:even )?(?:be missed|notice if i|matter if i|care if i)\b",
        r"\b(?:one less (?:thing|problem|person)|easier|better|happier|lighter)\b[^.]{0,40}\bif i (?:wasn't|weren't|was not|were not) "
        r"(?:here|around|alive)\b|\b(?:enough problems|better|fine|easier) without me (?:in it|around|here|there)\b",
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
        "mind",
        "care",
        "upset",
        "hit",
        "for good",
        "forever",
        "permanently",
        "envy",
        "jealous",
        "reason",
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
        "picked",
        "chosen",
        "chose",
        "decided",
        "doing it",
        "do it",
        "made sure",
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
        "whole",
        "entire",
        "full",
        "floor",
        "crash",
        "swerv",
        "steer",
        "driv",
        "meds",
        "medication",
        "prescription",
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
    "specific plan": ("picked", "chosen", "chose", "found", "set a date"),
    "means at hand": ("sav", "hoard", "collect", "stash", "keep", "kept", "put", "stopped", "quit", "prescription",
                      "so i", "pill", "tablet", "meds", "painkiller", "counted", "whole", "entire", "full", "bought",
                      "buying", "got", "have", "found", "picked up", "holding", "hold", "rope", "noose", "gun", "blade",
                      "razor", "roof", "bridge", "ledge", "edge", "cliff", "balcony", "overpass", "in the car", "engine"),
    "method question": (
        "way",
        "method",
        "how many",
        "how much",
        "how high",
        "how tall",
        "how far",
        "hurt",
        "painful",
        "work",
        "quick",
        "enough",
        "what",
        "which",
        "garage",
    ),
    "preparation": (
        "gave",
        "giving",
        "give",
        "given",
        "rehom",
        "home for",
        "take my",
        "take care of my",
        "needs a",
        "who wants",
        "who gets",
        "want my",
        "loose ends",
        "affairs",
        "in order",
        "sorted",
        "ready",
        "passwords",
    ),
    "self-harm escalation": ("cut", "burn", "harm", "hurting", "scratch", "deeper", "worse", "more"),
    "burden": ("without me", "burden", "waste", "nobody", "be missed", "notice", "matter", "care if", "one less",
               "easier", "happier", "lighter", "if i", "enough problems"),
    "timeline": (
        "leave",
        "bed",
        "last night",
        "yesterday",
        "this morning",
        "hours ago",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "weekend",
        "date",
        "midnight",
        "am",
        "pm",
        "o'clock",
        "asleep",
        "gone",
        "away",
        "out",
        "end of",
        "on the",
        "exam",
        "wedding",
        "funeral",
        "graduation",
        "new year",
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
        "given away",
        "rehom",
        "home for",
        "note",
        "letter",
        "find",
        "look",
        "search",
        "mean it",
        "this time",
        "goodnight",
        "lov",
        "if i",
        "won't",
        "will not",
        "wont",
        "each other",
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
        "urge",
        "need",
        "blade",
        "razor",
        "knife",
        "lighter",
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
_NEGATED_PHRASE = re.compile(
    r"\b(?:not|never|no|nobody|nothing|don't|do not|can't|cannot|isn't|won't|wouldn't)\b|n't\b"
)
_PAST = re.compile(
    r"\b(?:used to|years? ago|months ago|in the past|when i was (?:younger|a kid|a teen|a teenager|little|\d+)|"
    r"back in (?:high school|college|\d{4})|as a (?:teen|teenager|kid)|\d+ (?:years?|months?) (?:clean|free|sober)|"
    r"(?:clean|free) (?:from|of|for)|no longer|recovered|recovery|haven't (?:cut|self[- ]harmed|hurt myself)|"
    r"years since|long time ago|helped (?:me|my)|got better|better now|in (?:high school|college|uni|university)|"
    r"back in (?:uni|university|school|the day))\b",
    _I,
)
_RECOVERED = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many) (?:days?|weeks?|months?|years?) "
    r"(?:clean|free|sober|without)|\b(?:clean|free) (?:from|of) (?:cutting|self[- ]harm\w*|it)|\brecovered\b|"
    r"\bhaven't (?:cut|self[- ]harmed|hurt myself|felt (?:suicidal|that way))|\bno longer\b|\bnot anymore\b|"
    r"\b(?:self[- ]?harm|sh|cutting)[- ]free\b|\b(?:days?|weeks?|months?|years?) (?:self[- ]?harm |sh )?(?:clean|free)\b|"
    r"\b(?:scars|cuts) (?:are |have )?(?:now )?(?:faded|healed)\b|\bhow far i(?:'ve| have) come\b",
    _I,
)
_HYPERBOLE = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|jk|j/k|xd|literally dying|dying (?:of|from) (?:laughter|laughing|cringe|embarrassment)|"
    r"dying to (?:see|know|try|meet|go|hear|get)|killing it|killed it|kill(?:ing)? me\b|to death\b|"
    r"(?:homework|exam|exams|work|job|class|traffic|meeting|monday|heat|this game|my feet|this song|boss)\b[^.]{0,25}"
    r"\b(?:killing me|kill me|make me want to die|makes me want to die)|(?:want|wanna) to die of (?:embarrassment|cringe|boredom)|"
    # A game's death is not the player's: "gonna kms next round so i respawn".
    r"respawn|next round|in[- ]game|my character|boss fight|the raid|speedrun|the lobby|loadout|"
    r"fake my (?:own )?death)"
    r"|[\U0001F602\U0001F923\U0001F480\U0001F62D]",
    _I,
)
# Leaving for an ordinary reason: a goodbye that says where one is going, or when one is back.
_ORDINARY_LEAVE = re.compile(
    r"\b(?:holiday|vacation|trip|camping|no wifi|no signal|offline for|back (?:in|on|next|after|soon)|see you (?:in|next|soon|all|guys|when)|"
    r"moving (?:to|house|out|abroad)|new job|last day at|leaving the (?:server|group|company|team)|going on (?:a )?break)\b"
)
# An ordinary purpose stated beside an object ("rope and tent pegs, camping trip", "on the roof
# fixing the gutter") makes it an object, not means.
_ORDINARY_PURPOSE = re.compile(
    r"\b(?:camping|tent|hiking|climbing|climb|bouldering|sailing|boat|moving house|moving out|garden|gutter|fixing|"
    r"repair\w*|leash|hunting|shooting range|woodwork|diy|fishing|chopping|cooking|recipe|shaving|haircut|"
    r"pharmacy|refill|repaint|painting|roofer|builder)\b"
)
_MEANS = {"method or means", "means at hand"}
_EXPLICIT = {"explicit intent", "suicidal ideation", "passive ideation", "burden"}
_IDIOM = re.compile(
    r"\b(?:killing me|kill me|killing it|killed it|dying (?:of|from|to)|literally dying|to death|die of|"
    r"respawn|next round|in[- ]game|my character|fake my (?:own )?death)\b|"
    r"\b(?:homework|exams?|work|job|class|traffic|meetings?|mondays?|heat|this game|my feet|this song|boss)\b[^.]{0,25}"
    r"\b(?:killing me|kill me|makes? me want to die)"
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
_SELF_NAMED = {
    "explicit intent",
    "suicidal ideation",
    "passive ideation",
    "plan",
    "recent attempt",
    "self-harm",
}
_NEEDS_FIRST_PERSON = {
    "burden",
    "method or means",
    "hopelessness/burden",
    "distress",
    "distress words",
}
_ANY_VOICE = {"goodbye/finality", "method question", "timeline"}
# Written to others by nature: a farewell's "you" does not make its writer a supporter.
_ADDRESSED = {"goodbye/finality", "preparation"}
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
    relapse: bool


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
        "relaps" in sentence,
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
_FIRST_IN_MATCH = re.compile(r"^(?:i|i'm|i've|i'd|i'll)\b|\b(?:my|myself|me)\b")


def _subject(sentence: str, m: re.Match[str]) -> str | None:
    """Who the matched phrase is about: the nearest person word before it ("first", "second", "third")."""
    if _FIRST_IN_MATCH.search(m.group()):
        return "first"
    last: str | None = None
    for sm in _SUBJECT.finditer(sentence, max(0, m.start() - 100), m.start()):
        last = sm.lastgroup
    return last


def _hit_weight(signal: str, sentence: str, m: re.Match[str], ctx: _Context) -> float:
    first, supporter, hyperbole = ctx.first, ctx.supporter, ctx.hyperbole
    if hyperbole and signal not in {"recent attempt", "self-harm", "plan"}:
        # An idiom ("killing me", "dying to know") is not a wish; "i wish i was dead lol" still is one.
        if signal not in _EXPLICIT or _IDIOM.search(sentence):
            return 0.0
        return 0.5
    prefix = sentence[max(0, m.start() - 40) : m.start()]
    # A phrase that carries its own negation ("I don't want to wake up", "no reason to live") is not
    # undone by it; any other phrase is ("I don't want to die, I want things to change").
    if not _NEGATED_PHRASE.search(m.group()) and _NEGATION.search(prefix):
        return 0.0
    if signal in _MEANS and _ORDINARY_PURPOSE.search(sentence):
        return 0.0
    if signal == "third-person concern":
        return _in_time(1.0, ctx)
    if signal == "method question":
        # Asking how to die is the asker's own act, whatever the grammar ("how high do you have to be").
        return _in_time(1.0, ctx)
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


def screen_sentences(text: str) -> list[str]:
    """The sentences the semantic layer reads: normalised, at most the first 48 of a post."""
    return _sentences(normalise(text))[:_MAX_SEMANTIC_SENTENCES]


def voice(sentence: str) -> tuple[bool, bool, bool]:
    """(first person, written to or for someone else, hyperbole) of one normalised sentence."""
    ctx = _sentence_context(sentence)
    return ctx.first, ctx.supporter, ctx.hyperbole


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
    hits: list[SignalHit] = []
    if prefilter and not _open_signals(norm) and not _lexicon_may_match(norm):
        return hits
    for index, sentence in enumerate(_sentences(norm)):
        hits.extend(_sentence_hits(index, sentence, prefilter=prefilter))
    # A time word means something only beside intent, a plan, means or a goodbye ("tonight" alone is
    # nothing); the date may sit in the next or previous sentence ("I have a plan. Friday.").
    if _ORDINARY_LEAVE.search(norm):
        hits = [h for h in hits if h.signal != "goodbye/finality"]  # "off on holiday, bye everyone"
    acts = {h.sentence_index for h in hits if h.signal in _TIMED}
    near = {i + d for i in acts for d in (-1, 0, 1)}
    return [h for h in hits if h.signal != "timeline" or h.sentence_index in near]


def _sentence_hits(index: int, sentence: str, *, prefilter: bool) -> list[SignalHit]:
    """One hit per pattern that matched (its strongest match), patterns and lexicon phrases alike.

    Two different patterns of one signal in a sentence are two pieces of evidence ("giving away
    my things, thanks for everything"); the same pattern twice is one.
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


# Signals that name suicide or self-harm (or the burden that drives it), as opposed to distress.
SPECIFIC_SIGNALS = (
    "explicit intent",
    "suicidal ideation",
    "passive ideation",
    "plan",
    "specific plan",
    "method or means",
    "means at hand",
    "method question",
    "goodbye/finality",
    "recent attempt",
    "self-harm",
    "self-harm escalation",
    "burden",
    "third-person concern",
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
        # Affairs put in order beside a farewell, a wish to die, or another such act.
        or (f["preparation"] >= 0.9 and max(farewell, wish, f["timeline"] * (f["preparation"] >= 1.2)) >= 0.9)
        or f["preparation"] >= 1.2
        # Means at hand with a time or a farewell is imminent, even with no word of intent.
        or (f["method or means"] >= 0.9 and max(f["timeline"], f["goodbye/finality"]) >= 0.9)
    )


def _elevated_by_rule(f: dict[str, float]) -> bool:
    """Signals a human should always see, whatever the learned score says."""
    return (
        max(f["explicit intent"], f["plan"], f["recent attempt"], f["third-person concern"]) >= 0.9
        or max(f["suicidal ideation"], f["passive ideation"], f["self-harm"], f["burden"]) >= 0.9
        or max(f["self-harm escalation"], f["method question"]) >= 0.9
        or (f["goodbye/finality"] >= 0.9 and f["supporter voice"] < 0.6)
    )
