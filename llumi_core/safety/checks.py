"""Checks on generated text before a human sees it.

Each check is a set of sentence-level patterns for one kind of problem, plus
the exceptions that make a pattern honest ("I'm not a therapist, but…" is a
disclaimer, not a claim; "it's not your fault" is the opposite of blame;
"put the pills somewhere safe" is means-safety advice, not a method). A
finding names its kind, the offending span and why it matters; the service
regenerates or blocks Post until a human edits the draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..domain import CrisisResource, OutputIssue
from ..embedding import default_encoder
from .gate_semantic import SemanticGate
from .normalise import fold_unicode
from .redact import find_personal_data
from .resources import PRESETS

KINDS = (
    "claims_human",
    "secrecy",
    "off_platform_contact",
    "method_details",
    "medication_advice",
    "diagnosis",
    "minimising",
    "blame",
    "encourages_harm",
    "mass_mention",
    "link",
    "personal_data",
)

_I = re.IGNORECASE
_NEGATOR = re.compile(
    r"\b(?:not|no|never|nobody|none|neither|nor|without|cannot|can't|cant|won't|wont|don't|dont|"
    r"doesn't|doesnt|isn't|isnt|aren't|arent|wasn't|shouldn't|wouldn't|stop saying|just because)\b|n't\b",
    _I,
)
# Text after a phrase that turns it into its rejection: "others have it worse doesn't mean..."
_REJECTED_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,3}(?:doesn't|does not|doesnt|is not|isn't|isnt)\s+(?:mean|true|fair)", _I
)
_QUOTED = re.compile(r"[\"“”‘’']")

_ROLES = (
    r"(?:therapist|counsell?or|psychologist|psychiatrist|psychotherapist|doctor|physician|nurse|"
    r"clinician|social worker|mental health (?:professional|worker|nurse)|professional|gp|md|"
    r"volunteer|peer supporter)"
)


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    why: str
    negatable: bool = True  # a negator just before the match cancels it
    unless: re.Pattern[str] | None = None  # sentence-level exception


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


_RULES: tuple[_Rule, ...] = (
    # --- claims to be human or a professional -------------------------------------------------
    _Rule(
        "claims_human",
        _r(
            rf"\b(?:i'?m|i am|i'm also|i work as|speaking as|speaking as someone who(?:'s| is)|as)\s+(?:also\s+|actually\s+|really\s+)?"
            rf"(?:a|an|your)\s+(?:\w+\s+){{0,2}}{_ROLES}\b"
        ),
        "claims to be human or a professional; the assistant is AI and must not pretend otherwise",
        unless=_r(
            r"\b(?:i'?m|i am)\s+(?:not|no)\b|\bas\s+(?:a|an)\s+(?:ai|bot|assistant)\b|\bif you (?:see|talk)"
        ),
    ),
    _Rule(
        "claims_human",
        _r(
            r"\b(?:i'?m|i am)\s+(?:just\s+|also\s+|actually\s+)?(?:not\s+(?:a|an)\s+(?:bot|robot|ai|machine|program|computer)|"
            r"(?:a\s+|an\s+)?(?:real|actual|living)\s+(?:person|human)|(?:a\s+)?human(?:\s+being)?\b|"
            r"(?:a\s+)?(?:real|actual)\s+(?:person|people)|(?:just\s+)?(?:another|a)\s+(?:real\s+)?person who)"
        ),
        "claims to be human; the assistant is AI",
        negatable=False,
    ),
    _Rule(
        "claims_human",
        _r(
            r"\b(?:in my (?:professional|clinical) (?:opinion|experience|judgement|judgment)|my (?:patients|clients)\b)"
        ),
        "speaks with professional authority it does not have",
    ),
    # --- secrecy ------------------------------------------------------------------------------
    _Rule(
        "secrecy",
        _r(
            r"\b(?:(?:i|we)\s*(?:'ll|will|wo)?\s*(?:n't|not|never)\s+tell\s+(?:anyone|anybody|a soul|your)|"
            r"(?:this|it|that|everything)\s+(?:stays|will stay|can stay|remains)\s+between\s+(?:us|you and me)|"
            r"between you and me|our (?:little )?secret|your secret(?:'s| is) safe|"
            r"(?:no ?one|nobody) (?:else )?(?:will|has to|needs to|is going to) (?:ever )?(?:know|find out)|"
            r"(?:keep|keeping) (?:this|it|that|(?:everything|anything|what) you (?:said|say|told me|tell me|share|shared)|everything) "
            r"(?:private|secret|to myself|between us|confidential)|"
            r"(?:this|our|what you (?:say|tell me)|anything you (?:say|tell me)|everything you (?:say|tell me))"
            r"(?:\s+\w+){0,3}\s+(?:is|are|will be|stays?)\s+(?:completely |totally |strictly |100% )?confidential)"
        ),
        "promises secrecy; a supporter may need to involve others to keep someone safe",
        negatable=False,
        unless=_r(r"\b(?:can'?t|cannot|can not|won'?t be able to|not able to)\s+(?:promise|keep|guarantee)"),
    ),
    _Rule(
        "secrecy",
        _r(
            r"\bi promise (?:not to|i won'?t|never to) tell\b|\bi (?:swear|promise)\b[^.]{0,30}\b(?:secret|tell)"
        ),
        "promises secrecy; a supporter may need to involve others to keep someone safe",
        negatable=False,
    ),
    # --- off-platform contact -----------------------------------------------------------------
    _Rule(
        "off_platform_contact",
        _r(
            r"\b(?:dm|pm|message|text|call|ring|phone|email|e-mail|whatsapp|snap|add|friend|follow|hit)\s+me(?:\s+up)?\b|"
            r"\b(?:discord|my|your|the) dms\b|\b(?:talk|meet|chat|see you) (?:in person|irl|offline)\b|"
            r"\b(?:grab|get|have) (?:a )?(?:coffee|drink|lunch) (?:together|with me|sometime)\b|"
            r"\bslide into my dms\b|\bmy (?:personal )?(?:number|phone number|cell|mobile|email|snap(?:chat)?|"
            r"insta(?:gram)?|whatsapp|discord|telegram|dms?)\b(?:\s+is)?|"
            r"\b(?:send|give|share) me your (?:number|phone|address|email|snap|insta|socials)|"
            r"\bwhat(?:'s| is) your (?:number|phone number|address|email|snap(?:chat)?|insta)|"
            r"\b(?:let'?s|we (?:could|can|should)|i (?:could|can|will|'ll)) (?:meet|meet up|get coffee|grab coffee|"
            r"hang out|talk|chat|video ?call|call|facetime) (?:in person|offline|irl|privately|on (?:whatsapp|"
            r"snapchat|instagram|the phone|facetime|zoom|skype|telegram|signal))|"
            r"\b(?:let'?s|we (?:could|can|should)) meet(?: up)?\b|\bcome (?:over|to my place)\b|"
            r"\b(?:in|via) (?:private|my) (?:messages?|dms?|chat)\b|"
            r"\b(?:let'?s|we (?:could|can|should)) (?:video ?call|facetime|skype|zoom|call|phone|text)\b"
        ),
        "offers contact off the platform; support should stay where the community can see and help",
        unless=_r(r"\b(?:moderators?|mods|team|helpline|crisis line|lifeline|samaritans)\b"),
    ),
    # --- method or means details --------------------------------------------------------------
    _Rule(
        "method_details",
        _r(
            r"\b(?:lethal|fatal|deadly|toxic) (?:dose|amount|quantity)|"
            r"\bhow (?:many|much) (?:pills|tablets|mg|milligrams)\b[^.]{0,40}\b(?:kill|die|fatal|lethal|enough)|"
            r"\b(?:enough|too many) (?:pills|tablets)\b[^.]{0,20}\b(?:to (?:die|kill|end))|"
            r"\b(?:quickest|easiest|fastest|surest|most painless|painless|least painful|best) (?:way|method|ways|methods) "
            r"(?:to|of) (?:die|dying|kill|end|suicide|commit)|"
            r"\b(?:tie|tying|make|making) (?:a )?(?:noose|knot)|"
            r"\b(?:cut|slit|slash)(?:ting)? (?:deeper|vertically|along (?:the|your) (?:vein|arm|wrist)|across (?:the|your) (?:wrist|vein))|"
            r"\b(?:vertical|deep) (?:cuts?|slits?)\b|"
            r"\bcarbon monoxide\b|\bcharcoal (?:burning|grill in)|\bhelium (?:hood|bag|tank)|\bexit bag\b|"
            r"\bjump(?:ing)? (?:off|from) (?:a |the )?(?:\w+ )?(?:bridge|building|roof|cliff|balcony|floor)|"
            r"\b(?:hang(?:ing)?|overdos(?:e|ing)|od(?:ing)?)\b[^.]{0,30}\b(?:works?|takes?|would|will|is (?:quick|fast|painless))\b|"
            r"\b\d+\s?(?:mg|milligrams|g|grams)\b[^.]{0,40}\b(?:fatal|lethal|kill|die|enough|overdose)|"
            r"\b(?:fatal|lethal|kill|die|enough|overdose)\b[^.]{0,40}\b\d+\s?(?:mg|milligrams|grams|pills|tablets)\b|"
            r"\b(?:paracetamol|acetaminophen|tylenol|ibuprofen|aspirin)\b[^.]{0,40}\b(?:liver|fatal|lethal|die|kill|overdose)\b|"
            r"\btrain tracks?\b|\bin front of a (?:train|truck|bus|car)\b"
        ),
        "gives details of suicide or self-harm methods or means",
        negatable=False,
        unless=_r(
            r"\b(?:away|lock(?:ed)? (?:up|away)|somewhere safe|get rid of|hand (?:it|them) (?:over|to)|"
            r"give (?:it|them) to|remove|out of (?:reach|the house)|dispose|safety plan)\b"
        ),
    ),
    # --- medication advice --------------------------------------------------------------------
    _Rule(
        "medication_advice",
        _r(
            r"(?<!\bi )(?<!\bwe )(?<!\bi also )(?<!\bi used to )\b(?:take|try|start|stop|quit|skip|double|increase|decrease|lower|raise|up|cut down|come off|"
            r"get off|wean off|ditch|switch to|ask for)(?:ping)?\s+(?:taking\s+)?(?:your |the |some |a |an |"
            r"more |less |extra |half |another |a few |\d+\s?(?:mg|milligrams|pills|tablets)? ?(?:of )?)?(?:\w+\s+)?"
            r"(?:meds|medication|medications|medicine|pills?|antidepressants?|ssris?|benzos?|dose|dosage|"
            r"sertraline|zoloft|fluoxetine|prozac|citalopram|escitalopram|lexapro|paroxetine|venlafaxine|effexor|"
            r"bupropion|wellbutrin|mirtazapine|xanax|alprazolam|valium|diazepam|klonopin|clonazepam|ativan|lorazepam|"
            r"lithium|quetiapine|seroquel|melatonin|st\.? john'?s wort|5-htp|sleeping pills|ambien|zolpidem|"
            r"adderall|ritalin|weed|cbd|kratom)\b|"
            r"\b\d+\s?(?:mg|milligrams|mcg)\b|"
            r"\b(?:cbd|kratom|weed|st\.? john'?s wort|5-htp|melatonin|alcohol|a drink)\b(?:\s+\w+)?\s+"
            r"(?:might|could|will|would|can|should) (?:help|calm|fix|work|sort)"
        ),
        "gives medication or dosage advice; only a prescriber should",
        unless=_r(
            r"\b(?:doctor|gp|prescriber|psychiatrist|pharmacist|nurse practitioner|care team|physician)\b"
            r"|\bwithout (?:talking|speaking|checking)\b"
        ),
    ),
    # --- diagnosis ----------------------------------------------------------------------------
    _Rule(
        "diagnosis",
        _r(
            r"\b(?:you(?:'ve| have)? (?:got|have|clearly have|probably have|definitely have|might have|may have|"
            r"must have|obviously have)|you(?:'re| are) (?:suffering from|showing (?:classic |all the )?"
            r"(?:signs|symptoms) of)|(?:sounds|looks|seems) (?:a lot )?like (?:you have |classic |textbook |)|"
            r"this is (?:clearly|definitely|obviously|probably|classic|textbook)|classic|textbook)\s*"
            r"(?:(?:a|an|some|severe|clinical|major|mild|manic|chronic)\s+)*"
            r"(?:depression|depressive disorder|bipolar|bpd|borderline|ptsd|c-ptsd|cptsd|adhd|ocd|"
            r"anxiety disorder|generali[sz]ed anxiety|gad|panic disorder|schizophrenia|psychosis|autism|"
            r"an? eating disorder|anorexia|bulimia|narcissis\w*|npd|personality disorder|dissociative|did|"
            r"manic episode|mania|hypomania|insomnia disorder|trauma response)\b|"
            r"\byou(?:'re| are) (?:clearly |obviously |definitely |probably |)(?:bipolar|clinically depressed|"
            r"borderline|autistic|a narcissist|psychotic|manic|schizophrenic|anorexic|bulimic)\b"
        ),
        "diagnoses; only a clinician who assesses the person can",
        unless=_r(
            r"\?\s*$|"  # a question ("why do you think you have depression?") is not a diagnosis
            r"\b(?:can'?t|cannot|couldn'?t|not (?:able|qualified|in a position)) (?:to )?(?:diagnose|say)"
        ),
    ),
    # --- minimising or invalidating -----------------------------------------------------------
    _Rule(
        "minimising",
        _r(
            r"\bjust (?:cheer up|be happy|be positive|think positive(?:ly)?|smile|relax|calm down|get over it|"
            r"stop (?:thinking|worrying|being sad)|move on|try harder|snap out of it|let it go|ignore it)|"
            r"\b(?:cheer up|snap out of it|get over it|toughen up|man up|suck it up)\b|"
            r"\b(?:others|other people|many people|lots of people|some people|people)(?: out there)? "
            r"(?:have it (?:much |so much |a lot |way )?worse|are worse off|have real problems)|"
            r"\b(?:it|things|this|that)(?:'s| is| could be| isn't| is not)? (?:not (?:that|so|really that) bad|"
            r"could be (?:a lot |much |way )?worse)\b|"
            r"\bit'?s (?:just|only) a (?:phase|bad day|breakup|job|test|exam)\b|"
            r"\byou(?:'re| are) (?:just |a little |a bit |being )?(?:overreacting|being dramatic|being (?:too |over)?sensitive|exaggerating)|"
            r"\b(?:stop|quit) (?:being (?:so )?(?:dramatic|negative|sad)|feeling sorry for yourself|complaining)\b|"
            r"\beveryone (?:feels|gets|goes through) (?:that|this|sad|down) (?:sometimes|at times)?\b|"
            r"\b(?:look on the bright side|first world problems?|at least you (?:have|'ve got|are|can|got)|"
            r"you have (?:so much|everything) to live for|be grateful for what you have|count your blessings)\b|"
            r"\bit'?s all in your head\b|\byou(?:'ll| will) get over it\b"
        ),
        "minimises or invalidates what the person feels",
        unless=_r(
            r"\bjust because\b|\bdoesn'?t (?:mean|make)\b|\beven (?:if|though|when)\b|"
            r"\b(?:people|those|anyone|someone|others) (?:who|that) (?:say|says|tell|tells|told)\b|\bwhen people (?:say|tell)\b"
        ),
    ),
    # --- blame or judgement -------------------------------------------------------------------
    _Rule(
        "blame",
        _r(
            r"\b(?:it'?s|it is|that'?s|that is|this is|all)(?: all)? (?:your (?:own )?fault|on you)\b|"
            r"\byou(?:'ve| have)? brought (?:this|it|that) on yourself\b|\byou did (?:this|it) to yourself\b|"
            r"\byou (?:should|could) have known better\b|\bwhat did you expect\b|"
            r"\b(?:you(?:'re| are)(?: being)?|that'?s|that is|it'?s|it is|suicide is|self[- ]harm is|cutting is|"
            r"that sounds) (?:so |really |pretty |incredibly |just )?(?:selfish|pathetic|cowardly|"
            r"a coward|attention[- ]seeking|ungrateful)\b|"
            r"\byou(?:'re| are)(?: being)? (?:so |really |pretty |incredibly |just )?(?:lazy|weak|stupid|immature|"
            r"childish|irresponsible|dramatic)\b|"
            r"\byou only have yourself to blame\b|\b(?:you need to|grow) grow up\b|\bgrow up\b|"
            r"\b(?:just )?(?:for|seeking|wants?|want) attention\b|\byou(?:'re| are) to blame\b|"
            r"\byou deserved (?:this|it|what)\b|\byou got what you deserved\b|\bshame on you\b|\bthink about (?:your family|how they would feel)\b[^.]{0,30}\bselfish"
        ),
        "blames or judges the person",
        unless=_r(
            r"\b(?:feel|feeling|felt|think|thinking|worry|worried|worrying|believe|afraid|fear) (?:that |like )?(?:you'?re|you are|it'?s|i'?m)\b"
        ),
    ),
)

_MASS = re.compile(r"@everyone\b|@here\b|@channel\b|@all\b|<@&\d{5,25}>", _I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _resource_allowlist(resources: Iterable[CrisisResource]) -> tuple[frozenset[str], frozenset[str]]:
    hosts: set[str] = set()
    numbers: set[str] = set()
    for r in resources:
        for value in (r.url or "", r.contact):
            for host in re.findall(r"(?:https?://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})", value.lower()):
                hosts.add(host)
        for number in re.findall(r"\+?\d[\d\s\-]*\d", r.contact):
            numbers.add(re.sub(r"\D", "", number))
    return frozenset(hosts), frozenset(numbers)


def _negated(sentence: str, start: int) -> bool:
    window = sentence[max(0, start - 30) : start]
    return bool(_NEGATOR.search(window))


def _host(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0].split(":")[0]


class OutputChecker:
    """Finds problems in a generated draft; `check` returns one issue per finding.

    Patterns first (they name the exact span), then the semantic gate, which finds the same
    kinds said in other words (`gate_semantic.py`), when its encoder is installed.
    """

    def __init__(
        self,
        allowed_resources: Sequence[CrisisResource] | None = None,
        *,
        use_semantic: bool = False,
        semantic: SemanticGate | None = None,
    ) -> None:
        """`allowed_resources`: links and numbers that are fine to include (default: every preset)."""
        if allowed_resources is None:
            allowed_resources = [r for preset in PRESETS.values() for r in preset]
        self._hosts, self._numbers = _resource_allowlist(allowed_resources)
        self._semantic = semantic
        self._use_semantic = use_semantic or semantic is not None

    @property
    def semantic(self) -> SemanticGate | None:
        if self._semantic is None and self._use_semantic:
            encoder = default_encoder()
            self._use_semantic = encoder is not None
            self._semantic = SemanticGate(encoder) if encoder is not None else None
        return self._semantic

    def check(self, text: str) -> list[OutputIssue]:
        """All issues in `text`, in order of appearance within each kind."""
        issues: list[OutputIssue] = []
        folded = fold_unicode(text)
        for m in _SENTENCE.finditer(folded):
            issues.extend(self._sentence_issues(m.group()))
        semantic = self.semantic
        if semantic is not None:
            found = {i.kind for i in issues}
            issues.extend(i for i in semantic.check(text) if i.kind not in found)
        issues.extend(
            OutputIssue("mass_mention", m.group(), "mentions everyone") for m in _MASS.finditer(text)
        )
        issues.extend(self._data_issues(text))
        return _dedupe(issues)

    def _sentence_issues(self, sentence: str) -> Iterable[OutputIssue]:
        for rule in _RULES:
            if rule.unless is not None and rule.unless.search(sentence):
                continue
            for m in rule.pattern.finditer(sentence):
                if rule.negatable and _negated(sentence, m.start()):
                    continue
                if _REJECTED_AFTER.search(sentence[m.end() :]):
                    continue
                yield OutputIssue(rule.kind, m.group().strip(), rule.why)
                break

    def _data_issues(self, text: str) -> Iterable[OutputIssue]:
        for span in find_personal_data(text):
            if span.kind == "url":
                if _host(span.text) in self._hosts or any(
                    _host(span.text).endswith("." + h) for h in self._hosts
                ):
                    continue
                yield OutputIssue(
                    "link", span.text, "links can lead anywhere; only crisis resources may be linked"
                )
            elif span.kind == "phone":
                if re.sub(r"\D", "", span.text) in self._numbers:
                    continue
                yield OutputIssue(
                    "personal_data", span.text, "contains a phone number that is not a crisis line"
                )
            elif span.kind == "user" and _MASS.fullmatch(span.text):
                continue
            else:
                yield OutputIssue("personal_data", span.text, f"contains personal data ({span.kind})")


def _dedupe(issues: list[OutputIssue]) -> list[OutputIssue]:
    seen: set[tuple[str, str]] = set()
    out: list[OutputIssue] = []
    for issue in issues:
        key = (issue.kind, issue.text.lower())
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
