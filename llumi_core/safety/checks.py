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
from .gate_semantic import SemanticGate, asks, looks_forward, narrated
from .layer import LazyLayer
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
    requires: re.Pattern[str] | None = None  # must also occur somewhere in the sentence
    not_in_questions: bool = False  # a question asks about risk; it gives no advice or detail
    requires_first: bool = False  # test `requires` before the pattern (when it is the rarer of the two)


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


def _alt(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


# =============================================================================================
# Rules by class. Each kind below is described by the linguistic frame that makes a sentence
# that kind (who acts, which verb, on what object, under which stance), built from shared
# vocabularies, rather than by listing phrases. A frame that is negated, reported ("people
# might tell you..."), asked as a question about risk, or joined to safety advice passes.
# =============================================================================================

# --- shared vocabulary -----------------------------------------------------------------------
_MED_NAME = _alt(
    r"sertraline", r"zoloft", r"fluoxetine", r"prozac", r"citalopram", r"celexa", r"escitalopram",
    r"lexapro", r"paroxetine", r"paxil", r"venlafaxine", r"effexor", r"duloxetine", r"cymbalta",
    r"bupropion", r"wellbutrin", r"mirtazapine", r"remeron", r"trazodone", r"amitriptyline",
    r"xanax", r"alprazolam", r"valium", r"diazepam", r"klonopin", r"clonazepam", r"ativan",
    r"lorazepam", r"temazepam", r"zopiclone", r"zolpidem", r"ambien", r"lithium", r"lamotrigine",
    r"lamictal", r"quetiapine", r"seroquel", r"olanzapine", r"zyprexa", r"risperidone",
    r"aripiprazole", r"abilify", r"propranolol", r"gabapentin", r"pregabalin", r"lyrica",
    r"hydroxyzine", r"promethazine", r"codeine", r"tramadol", r"oxycodone", r"morphine",
    r"adderall", r"ritalin", r"methylphenidate", r"vyvanse", r"melatonin", r"st\.? john'?s wort",
    r"5-?htp", r"ashwagandha", r"kava", r"valerian", r"cbd(?: oil)?", r"kratom", r"paracetamol",
    r"acetaminophen", r"tylenol", r"ibuprofen", r"aspirin", r"nytol", r"benadryl",
    r"diphenhydramine", r"co-codamol", r"insulin",
)  # fmt: skip
_MED_CLASS = _alt(
    r"meds?", r"medications?", r"medicines?", r"pills?", r"tablets?", r"capsules?",
    r"prescriptions?", r"doses?", r"dosage", r"anti-?depressants?", r"ssris?", r"snris?",
    r"benzos?", r"benzodiazepines?", r"sedatives?", r"tranquill?i[sz]ers?", r"sleeping (?:pills?|tablets?)",
    r"sleep(?:ing)? aids?", r"pain ?killers?", r"anti-?psychotics?", r"mood stabili[sz]ers?",
    r"stimulants?", r"beta[- ]?blockers?", r"anti-?histamines?", r"supplements?", r"opioids?",
    r"(?:prescribed|prescription|usual|other|regular|own|shop-bought|stronger) ones",
)  # fmt: skip
_MED = _alt(_MED_NAME, _MED_CLASS)
# A medication noun phrase, not someone else's narrated one ("their dose", "my meds").
_MED_NP = (
    r"(?!(?:their|his|her|my|our)\b)(?:(?:your|the|those|these|some|a|an|any|all|all of|all of your|both|that|"
    rf"one of your|a few of your|a couple of your|some of your)\s+)?"
    r"(?:(?!(?:in|of|for|to|on|at|with|from|by|about|and|or|than|as|is|are|was)\b)[\w'-]+\s+){0,2}?"
    rf"{_MED}\b"
)
_ALCOHOL = (
    r"(?:alcohol|a drink|drinks|booze|(?:a (?:glass|bottle) of |some |a little )?(?:wine|whiske?y|vodka|gin|rum|beers?)|"
    r"a (?:few|couple of) (?:beers|drinks|glasses)|a beer|a nightcap|nightcap|a pint|pints)"
)
_PRESCRIBER = (
    r"(?:doctors?|gp|prescriber|psychiatrist|psychologist|therapist|pharmacist|nurse practitioner|nurse|care team|"
    r"physician|medical (?:team|provider|professional)|health ?care provider|primary care|provider|specialist|pharmacy|chemist)"
)
# Advice that leaves the prescriber out: then naming the prescriber is no excuse.
_BYPASS = (
    rf"without (?:bothering|telling|asking|involving|informing|waiting for)|{_PRESCRIBER}'?s? "
    rf"(?:doesn'?t|does not|don'?t|do not|never|won'?t) (?:need|have|has) to|(?:don'?t|do not|no) (?:really )?"
    rf"need (?:your |a |the )?{_PRESCRIBER}|behind (?:your|their) {_PRESCRIBER}"
)
_CONSULT = _r(
    rf"^(?!.*\b(?:{_BYPASS}))(?=.*\b{_PRESCRIBER}\b)|\bwithout (?:talking|speaking|checking)\b|"
    r"\b(?:leaflet|label says|package insert|medication review|poison control|as prescribed|as directed)\b"
)
_MED_WARNING = (
    r"\b(?:dangerous|danger|risky|risks?|unsafe|not safe|harmful|withdrawal|discontinuation|interact\w*|"
    r"careful|caution|emergency|concerns?|illegal|offen[cs]e|legal|arrested|law|relapse)\b"
)
# Stances that permit or recommend: "should be fine", "won't hurt", "helps you unwind", "try".
_PERMIT = _alt(
    r"(?:should|would|will|'ll|is|are|'s|be)\s+(?:be\s+)?(?:totally |perfectly |probably |usually |completely |"
    r"absolutely |generally |honestly )?(?:fine|okay|ok|alright|safe|no problem|no big deal)",
    r"won'?t (?:hurt|interfere|matter|do (?:any|much) harm|be a problem|affect)",
    r"no harm",
    r"helps?\s+(?:you |them )?(?:to )?(?:relax|unwind|sleep|calm|settle|switch off|kick in|take the edge|get through|drift off)",
    r"to help (?:the|your|it|them)",
    r"knock (?:you|yourself) out",
    r"(?:give|get) you (?:a )?(?:proper|good|deeper|better)",
    r"(?:works?|working) (?:better|faster|well|wonders|as well)",
    r"do the trick",
    r"take the edge off",
    r"(?:could|might|may) (?:be worth|help|calm)",
    r"worth (?:trying|a try|a go)",
    r"(?:lots of|many|most) people do",
    r"just this once",
    r"go ahead",
    r"tide you over",
    r"extra boost",
    r"(?:it'?s|is|they'?re) natural",
    r"easy way",
)
_IMPERATIVE = (
    r"^\W*(?:(?:maybe|just|so|then|honestly|and|ok|okay|also|hey)\W+)*"
    r"(?:take|try|mix|add|combine|have|pop|use|swap|switch|borrow|drink|keep|double|skip|stop|up|lower|cut)\b"
)
_MEANS_SAFETY = _r(
    r"\b(?:(?:put|lock|locked|keep|kept|stay|staying|move|moving|take|taking|give|giving|throw|throwing|get|store|"
    r"stored|tidy|clear)\s+(?:\w+\s+){0,3}?away|away from|lock (?:it|them|the \w+) up|locked (?:up|cabinet|box)|"
    r"lockbox|somewhere safe|get rid of|hand(?:ing)? (?:it |them )?(?:over|in|to)|give (?:it|them) to|"
    r"remov\w+|out of (?:reach|the house)|dispos\w+|safety plan|take (?:them )?back|avoid\w*|step back|"
    r"keep (?:you|yourself) safe|safer|poison control|emergency (?:services|department|number)|a&e|"
    r"call (?:999|911|112|000|988)|helpline|crisis line|small supply)\b"
)
_OTHER_PERSON = (
    r"(?:sister|brother|sibling|mum|mom|mother|dad|father|parent|friend|mate|partner|boyfriend|girlfriend|"
    r"husband|wife|flatmate|roommate|housemate|nan|gran|grandma|grandmother|grandad|grandpa|aunt|uncle|"
    r"cousin|neighbou?r|colleague|someone else|somebody else|other people|a friend)"
)

# --- method and means ------------------------------------------------------------------------
_EXCESS_NP = _alt(
    r"(?:the |your |that )?(?:whole|entire|full) (?:bottle|box|pack|packet|supply|lot|strip|prescription|stash|"
    r"stockpile|thing of \w+)",
    r"them all",
    r"all of them",
    r"the lot",
    rf"all (?:of )?(?:the |your |those |these )?(?:{_MED_CLASS}|supply|stash)",
    r"(?:forty|fifty|sixty|a hundred|hundreds|\d{2,})(?: or (?:\w+|\d+))? (?:of (?:them|those|your \w+)|pills|tablets)",
    r"(?:a |one )?(?:single )?(?:large|big|huge|bigger|massive|higher) dose",
    r"everything you(?:'ve| have) (?:got|saved)",
    r"(?:double|triple|twice|three times) the (?:dose|amount)",
)
_TAKE_VERB = (
    r"(?:take|taking|swallow(?:ing)?|down(?:ing)?|use|using|count(?:ing)? out|crush(?:ing)?|finish(?:ing)?)"
)
_HEIGHT = _alt(
    r"high(?:er)? (?:up|floor|floors|level|levels|storey|story|place|spot|building|ledge|window)",
    r"somewhere (?:high|higher|tall)",
    r"heights?",
    r"top (?:floor|level|storey|deck)",
    r"\w+(?:st|nd|rd|th) floor",
    r"(?:upper|higher|top) floors?",
    r"(?:multi-?storey |multi-?story )?car ?park(?: levels?)?",
    r"parking (?:garage|structure)",
    r"(?:the|a|that|this) bridge\b(?! (?:between|to|the gap))",
    r"cliffs?",
    r"the roof|rooftop|roof of",
    r"balcony",
    r"tall building",
    r"railway(?: line| lines| tracks?)?",
    r"(?:train|railway|the) tracks",
    r"(?:a|an|the|oncoming|express) (?:train|express|lorry|truck)",
    r"(?:the |train |station )platform",
    r"edge of the (?:platform|roof|cliff|bridge|building|balcony)",
    r"motorway|overpass|ledge",
)
_HEIGHT = _alt(
    _HEIGHT,
    r"multi-?\s?stor(?:e)?y",
    r"quarry",
    r"floors? (?:up|high|down)",
    r"the (?:drop|fall)",
    r"(?:the |a )?(?:river|sea|lake|reservoir|canal)\b",
)
_MEANS = _alt(
    _MED, r"overdose", r"\bod\b", r"amount", r"quantity", _EXCESS_NP, _HEIGHT,
    r"blade", r"razor", r"knife", r"rope", r"noose", r"ligature", r"gun", r"firearm", r"exhaust", r"fumes",
    r"plastic bag",
)  # fmt: skip
_MEANS = _alt(
    _MEANS,
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|a hundred|several|"
    r"a dozen|dozens)\s+(?:of (?:those|them|these|your \w+)|packets?|packs?|boxes|bottles|strips)",
)
# What makes a means detail lethal: it will work, be enough, be quick, be certain.
_LETHAL_STRONG = _alt(
    r"fatal",
    r"lethal",
    r"deadly",
    r"kill(?:s|ed)? (?:you|yourself|someone|a person)",
    r"\bdie\b",
    r"dead\b",
    r"instant(?:ly|aneous)?",
    r"no going back",
    r"(?:be |it'?s |is )?over (?:quickly|fast|in seconds|in minutes|sooner)",
    r"(?:more|most|less) (?:certain|reliable|final|lethal|sure|foolproof)",
    r"to be sure",
    r"(?:more than |not |just |barely )?enough (?:to (?:die|kill|do it|end|make it|be sure|work)|for it to)",
    r"more than enough",
    r"need (?:a lot |far |much |way |a few |many )?more",
    r"injured rather than",
    r"painless(?:ly)?",
    r"less pain(?:ful)?",
    r"sleep through (?:it|the pain)",
    r"drift off",
    r"fewer tries",
    r"less mess",
    r"(?:high|deep|tall|strong) enough",
    r"no time for (?:anyone|anybody|help)",
    r"finish (?:it|the job)",
    r"gentler",
)
_LETHAL_STRONG = _alt(
    _LETHAL_STRONG,
    r"(?:wouldn'?t|won'?t|couldn'?t|can'?t|never|not|no one|nobody|don'?t|rarely) (?:\w+ )?survives?",
    r"(?:plenty|enough)(?=\W*$)",
    r"do (?:real |some |serious |lasting )?damage",
)
_LETHAL_WEAK = _alt(
    r"(?:would|will|'d|should|could|might)\s+(?:\w+\s+)?(?:work|do it|do the (?:job|trick)|succeed|make it work)",
    r"(?:work|works|act|acts|hit|hits)\s+(?:you\s+)?(?:faster|quicker|harder|better|more quickly|stronger)",
    r"(?:faster|quicker|easier|better|more effective|more reliable) than",
    r"more effective",
    r"(?:make|makes|making) (?:it|them) (?:quick(?:er)?|fast(?:er)?|eas(?:y|ier)|work|effective|more \w+|work harder)",
    r"hit you",
    r"(?:work|act) (?:harder|faster)",
    r"more certain",
    r"faster|quicker",
)
_LETHAL_WEAK = _alt(
    _LETHAL_WEAK,
    r"(?:make|makes|making) (?:it|them) (?:stronger|more potent|hit harder)",
    r"stronger|more potent",
)
# The excess, mixing or timing that turns a medicine into a method.
_OVERDOSE_CONTEXT = _r(
    rf"{_EXCESS_NP}|\b(?:all )?at once\b|in one go|\btogether with (?:the |your )?(?:\w+ )?(?:{_MED_CLASS})|\bon an empty stomach\b|\bcrush\w*\b|"
    rf"\bmix(?:ing|ed)? (?:the |your |them |those )?(?:\w+ )?(?:{_MED_CLASS}|them)\b|\boverdos\w*|\bod\b|"
    rf"(?:{_MED})\b[^.]{{0,30}}\bwith (?:{_ALCOHOL}|alcohol)|\b{_ALCOHOL}\b[^.]{{0,30}}\bwith (?:the |your )?(?:\w+ )?{_MED}\b|"
    rf"\b{_HEIGHT}\b|\bsave (?:up )?your\b"
)
_DEATH_OR_HARM = _r(
    r"\b(?:die|dying|death|dead|kill|suicide|end (?:it|things|your life)|go through with it|do it|it to work|"
    r"overdos\w*|be found|found|notice|interrupted|hurt yourself|self-?harm|cut|cutting|jump\w*)\b"
)
_CONCEAL = _alt(
    r"(?:no ?one|nobody|anyone|anybody|people|your (?:parents|family|partner|flatmate|mum|mom|dad|housemates?))\s+"
    r"(?:would |will |could |can |is going to |wouldn'?t |won'?t |can'?t |tries to |try to )?"
    r"(?:finds? you|find you|notices? (?:the |your )?(?:marks|cuts|scars|anything|until)|checks? on you|"
    r"interrupts? you|stops? you|walks? by|disturbs? you|would notice until|noticed? until)",
    rf"before (?:anyone|anybody|someone|people|they|your {_OTHER_PERSON}s?|your (?:family|parents|flatmates?|"
    r"housemates?)) (?:checks? on you|finds? you|notices|wakes|gets home|"
    r"comes home|realises|realizes|can (?:help|stop))",
    r"(?:less|little|no|lower) (?:chance|risk|likelihood) (?:of )?(?:being|getting|that you(?:'ll| will| are| get)?) "
    r"(?:found|interrupted|caught|stopped|noticed|saved|discovered)",
    r"(?:wouldn'?t|won'?t|will not|would not|never) (?:be|get) (?:interrupted|disturbed|found|noticed|stopped|discovered|saved)",
    r"(?:least|less) likely to be (?:disturbed|found|interrupted|noticed)",
    r"(?:won'?t|wouldn'?t|without|not) rais(?:e|ing) (?:any )?(?:suspicion|questions|eyebrows)",
    r"explain(?:ed)? (?:them |it |the marks |the cuts |the scars )?away",
    r"where (?:your |the )?(?:clothes|clothing|sleeves|shirt|trousers|jeans|shorts|socks|hair) (?:will |would |can )?(?:cover|hide)",
    r"(?:no ?one|nobody) (?:is|will be|'s|would be) (?:expected|around|home)",
    r"give you (?:enough|more|plenty of) time before",
    r"(?:the )?most time alone",
    r"no time for (?:anyone|anybody|someone|them|people) to (?:help|find|save|stop|get)",
    r"(?:no ?one|nobody|anyone|they) (?:will |would |is going to |won'?t |wouldn'?t )?(?:come )?(?:look(?:ing)? for you|"
    r"realis\w+ you'?re gone|miss you (?:until|for|before))",
    r"far (?:away )?from (?:a |the |any )?(?:hospital|help|people|anyone)",
    r"(?:usually |always |often )?(?:deserted|empty|unattended|quiet) (?:late|at night|after (?:dark|midnight)|on \w+ nights?|at that time)",
)
_ACQUIRE = _alt(
    rf"(?:sav(?:e|ing)|stockpil\w+|hoard\w*|stash\w*|build(?:ing)? up|keep(?:ing)? back)\s+(?:up\s+)?(?:a\s+)?(?:\w+\s+)?"
    rf"(?:your |the |enough |some )?(?:{_MED_CLASS}|supply|stash)",
    r"(?:buy|buying|get|getting|pick(?:ing)? up)\s+(?:\w+\s+){0,3}(?:from|at|in) (?:a few|several|different|multiple|various) "
    r"(?:pharmacies|chemists|shops|stores|places)",
    r"around the (?:limit|restriction|rules?)",
    r"(?:buy|buying|get|getting|pick\w* up)\s+(?:\w+\s+){0,3}?a (?:little|few) at a time",
    rf"stock(?:ing)? up on (?:\w+ )?(?:{_MED_CLASS})",
)
_SELF_HARM_TECH = _alt(
    r"\b(?:cut|cutting|burn|burning|scratch\w*)\b(?! back| down| out| off| ties| corners| the| my)[^.]{0,40}\b"
    r"(?:deeper|harder|sharper|where (?:your |the )?(?:clothes|sleeves)|explain\w* away|fewer tries|less mess|"
    r"won'?t (?:show|scar)|easier to (?:hide|explain))",
    r"\b(?:cut|cutting|press|pressing) (?:a (?:little|bit|lot) )?deeper\b",
    r"\b(?:go|going) (?:a (?:little|bit|lot) )?deeper than (?:last time|before|the last)",
    r"\bsharper (?:razor|blade|knife)\b",
    r"\b(?:burning|cutting) rather than (?:cutting|burning)",
    r"\b(?:hide|hiding) (?:the |your )?(?:blade|razor|blades|razors|pills|tablets|rope|stash|supply)\b",
    rf"\b(?:keep|keeping|have|having) (?:the |your )?(?:{_MED_CLASS}|blade|razor|rope|them) (?:\w+ ){{0,4}}?"
    r"(?:ready|handy|on you|close by|nearby) (?:for )?(?:whenever|when|in case) you (?:decide|need|want|choose)",
)
_LIGATURE = r"(?:belt|cord|rope|scarf|tie|ligature|cable|lead|dressing gown cord|noose|sheet|sheets)"
_ANCHOR_POINT = (
    r"(?:door ?handle|doorknob|banister|bannister|beam|hook|rail|railing|ceiling|loft hatch|tree|branch|curtain rail|"
    r"wardrobe|bunk bed|around (?:your|the|my) neck)"
)
# The superlative or popular way, time or place: "the best way is to do it...", "what a lot of people use".
_METHOD_FRAME = _alt(
    r"(?:the )?(?:best|easiest|quickest|fastest|surest|simplest|safest|most reliable|most effective|least painful|only) "
    r"(?:way|method|time|place|spot|option) (?:is |would be |to )?(?:to )?(?:die|kill yourself|end it|end your life|go through with it)",
    r"(?:what|how|the way) (?:most|many|a lot of|lots of|some|other) people (?:use|do it|go|die|end it|kill themselves|end their lives)",
    r"is how (?:most|many|a lot of|lots of|some|other) people (?:go|do it|die|end it)",
)
_CO_METHOD = (
    r"(?:engine running|exhaust pipe|hose ?pipe (?:from|to|into) the exhaust|charcoal (?:in|burning|grill)|gas (?:oven|cooker|fire) "
    r"(?:on|turned on)|garage door (?:shut|closed)|(?:closed|shut|sealed) (?:garage|room) with)"
)
_WHY_METHOD = "gives details of suicide or self-harm methods or means"

# --- medication advice -----------------------------------------------------------------------
_DOSE_VERB = _alt(
    r"doubl(?:e|ing)", r"tripl(?:e|ing)", r"halv(?:e|ing)", r"bump(?:ing)?", r"up(?:ping)?", r"increas(?:e|ing)",
    r"rais(?:e|ing)", r"lower(?:ing)?", r"decreas(?:e|ing)", r"reduc(?:e|ing)", r"drop(?:ping)?",
    r"cut(?:ting)?(?: down| back)?(?: on)?", r"tweak(?:ing)?", r"adjust(?:ing)?", r"chang(?:e|ing)", r"skip(?:ping)?",
    r"miss(?:ing)?", r"stop(?:ping)?", r"quit(?:ting)?", r"paus(?:e|ing)", r"com(?:e|ing) off", r"get(?:ting)? off",
    r"wean(?:ing)?(?: yourself)? off", r"taper(?:ing)?(?: off)?", r"ditch(?:ing)?", r"swap(?:ping)?",
    r"switch(?:ing)?", r"replac(?:e|ing)", r"split(?:ting)?", r"break(?:ing)?", r"crush(?:ing)?",
)  # fmt: skip
# Narration by someone else ("my doctor increased", "people who stop their meds").
_NARRATOR_BEFORE = re.compile(
    r"(?:\b(?:i|we|he|she|they|people|doctors?|psychiatrists?|gps?|my \w+|who|patients|clients|others|"
    rf"(?:your|his|her|their|a) {_OTHER_PERSON})\s+(?:\w+\s+){{0,2}}|\b(?:tell|telling|told|ask|asking|want|wants|"
    r"wanted|get|getting) (?:them|him|her|people|someone) to\s+)$"
)
# ... but "lots of people double up on their zopiclone" recommends by example.
_NORMALISING = re.compile(
    r"\b(?:lots of|many|most|plenty of|a lot of|loads of) people\s+(?:\w+\s+){0,2}$", _I
)
_WHY_MED = "gives medication or dosage advice; only a prescriber should"

# --- encouraging harm ------------------------------------------------------------------------
_END_ACT = _alt(
    r"end(?:ing)? (?:it(?: all)?|things|everything|your life|it for good|the pain(?: for good)?|your (?:suffering|pain)|your own life)",
    r"let yourself go",
    r"(?:finally|just) let go\b(?! of)",
    r"let go (?:now|for good|forever)",
    r"let go if you'?re",
    r"let go(?=\W*$)",
    r"go(?:ing)? through with (?:it|this|your plan|the plan)",
    r"follow(?:ing)? through",
    r"sa(?:y|ying) goodbye(?! to (?:the (?:relationship|past|old)|that (?:chapter|part|job)|him|her|them|it)\b)",
    r"rest for good",
    r"sleep forever",
    r"stop(?:ping)? (?:fighting|trying)(?! (?:with|over|about|for|to (?!stay|live)))",
    r"give up(?=\W*$|[,.;!]| now| on (?:life|living|everything|yourself))",
    r"leav(?:e|ing) (?:this|the) (?:life|world)",
    r"kill(?:ing)? yourself",
    r"tak(?:e|ing) your (?:own )?life",
    r"\bdie\b",
    r"be dead",
    r"never wake up",
    r"the pills",
    r"those pills",
    rf"{_TAKE_VERB} {_EXCESS_NP}",
    r"(?:cut|cutting)(?! (?:ties|back|down|out|off|corners|them|him|her|people))\b",
    r"(?:hurt(?:ing)?|harm(?:ing)?|starv(?:e|ing)|burn(?:ing)?|punish(?:ing)?) yourself",
    r"self[- ]harm(?:ing)?",
    r"relaps(?:e|ing)",
    r"(?:go|going) now",
    r"choos(?:e|ing) to go",
    r"and go\b",
    r"act(?:ing)? on (?:it|them|these thoughts|those thoughts|your plan|the plan|the urge)",
    r"(?:made|make) up your mind",
    r"(?:you'?ve|you have) decided",
    r"your (?:decision|plan)",
    r"thought (?:this|it) through",
    r"stay alive",
)
_END_ACT = _alt(
    _END_ACT,
    r"do it (?:tonight|now|today|tomorrow|this weekend|soon)",
    r"stop(?:ping)? (?:now|here)\b",
    r"stop(?=\W*$)",
    r"not wake up",
    r"not be here",
    r"be gone",
    r"(?:choice|decision) to (?:go|leave|end|die)",
    r"(?:go|leave)(?=\W*(?:$|,|;|tonight|now))",
)
_ENDORSE = _alt(
    r"(?:it'?s|it is|that'?s|that is|would be|is)\s+(?:totally |completely |perfectly |really |absolutely |honestly )?"
    r"(?:okay|ok|alright|all right|fine|valid|allowed|acceptable|brave|reasonable)\s+(?:for you )?(?:to|if you)\b",
    r"(?:you(?:'ve| have)?|you'?ve got)\s+(?:every |the )?right to",
    r"you(?:'ve| have)?\s+(?:earned|deserve[ds]?)\s+(?:the right )?to",
    r"\bgo ahead\b(?! with)",
    r"you should (?:just |probably |really |definitely )?",
    r"you (?:could|can) just",
    r"maybe (?:it'?s time|you should|tonight|tomorrow|now|this is)",
    r"(?:it'?s|it is) (?:time|your time) to",
    r"(?:is|be|was) the (?:right|best|only|bravest|kindest|perfect) (?:time|moment|thing|way|choice|answer|option|night)",
    r"the (?:kindest|bravest) (?:thing|choice)",
    r"(?:might|could|may|would|will) be (?:the|a|your) (?:answer|way out|relief|solution|only way|right (?:time|moment|choice))",
    r"(?:were|was|is|are) the only way",
    r"(?:a |the )?valid (?:way out|choice|option)",
    r"way out",
    r"(?:is|would be) (?:your|the) (?:choice|right|decision) to make",
    r"trust your (?:decision|choice|gut|instinct)",
    r"i (?:support|respect|accept) (?:whatever|your (?:decision|choice))",
    r"even if (?:that|it) means",
    r"(?:no ?one|nobody) (?:could|can|would|will) blame you",
    r"do what you need to do",
    r"if (?:that'?s|this is|it'?s) what you (?:really |truly )?want",
    r"keep (?:doing (?:it|that|what works)|at it|going with it)",
    r"go for it",
    r"(?:makes|make) (?:total |complete |perfect )?sense (?:that |why )?you'?d want to",
    r"(?:give|gives|bring|brings) you (?:the |some )?(?:relief|peace|rest)",
    r"(?:is|are) better than (?:bottling|holding|keeping)",
    r"won'?t matter",
    r"(?:if|since|now that|once) you'?ve (?:decided|made up your mind|thought (?:this|it) through)",
    r"(?:tonight|tomorrow(?: night)?) (?:might|could|may|really)? ?(?:be|is) the",
)
_ENDORSE = _alt(
    _ENDORSE,
    r"you(?:'re| are)\s+(?:\w+\s+)?allowed to",
    r"(?:go on|go ahead) and",
    r"(?:fought|suffered|struggled|held on|tried|done|been through) (?:long |more than )?enough",
    r"if\s+(?:[\w']+\s+){0,4}?what you (?:really |truly )?(?:want|need)",
    r"(?:would|might|will|could) be better (?:for you )?to",
    r"don'?t let (?:anyone|anybody|them|people) (?:take (?:it|that)|stop you)",
    r"(?:you )?(?:sound|seem|look) ready",
)
_ENCOURAGE_ALONE = _alt(
    r"i won'?t (?:try to )?(?:stop(?!\s+\w+ing\b)|talk you out of|convince|stand in your way|hold you back|get in your way)",
    r"just let it happen",
    r"(?:rest|sleep|be at peace|end (?:it|the pain|things)) for good",
    r"(?:your|the|this) plan sounds (?:peaceful|good|right|like)",
    r"stop listening to (?:people|anyone|those|everyone|the people) who (?:want|tell|ask) you to (?:stay|live|keep going|hold on)",
    r"(?:the world|everyone|they|your family|people) (?:would|will|might|could) be better (?:off )?without (?:you|all this)",
    r"no (?:point|use|reason) (?:in )?(?:fighting|trying|staying|carrying on|holding on)(?: it)?(?: anymore| any more)?"
    r"(?=\W*(?:$|,|;|just\b|so\b))",
    r"(?:you'?re|you are) ready to go(?=\W*(?:$|,|;|and\b|now))",
    r"nothing (?:is )?(?:holding|keeping) you (?:here|back)(?=\W*$)",
    r"(?:this|that|it) (?:is|might be|could be|may be) the (?:only )?way (?:to (?:find|get|have) (?:peace|relief|rest|it)|out)",
    r"proud of you for (?:being sure|deciding to go|making (?:the|this) decision)",
    r"(?:you'?ve|you have) made (?:up )?your (?:decision|mind)(?=\W*$)",
)
_PROTECTIVE = _r(
    r"\bbut (?:there|it|you|please|i|we|that|maybe)\b|\bother ways\b|\bstay safe\b|\bkeep (?:yourself )?safe\b|"
    r"\breach out\b|\bcrisis\b|\bhelpline\b|\bsafely\b|\bhope you'?ll stay\b|\bdon'?t want you to\b|\bstay with us\b|"
    r"\bwith (?:a|the|your) (?:doctor|therapist|counsell?or|gp)\b|\bsafety plan\b|\btalk to someone\b|\breaching out\b|"
    r"\b(?:instead of|rather than|without) (?:hurting|harming|cutting|self-harm)"
)
_WHY_ENCOURAGE = "encourages or agrees with self-harm or suicide"

# --- blame and burden ------------------------------------------------------------------------
_OTHERS = (
    r"(?:your (?:\w+ )?(?:family|parents|partner|friends?|kids|children|husband|wife|boyfriend|girlfriend|mum|mom|dad|"
    r"mother|father|boss|sister|brother|flatmate|loved ones)|everyone(?: else)?|everybody|people|they|them|others|"
    r"the people (?:around you|who love you|in your life)|those around you|the whole (?:household|family))"
)
_FEELING_FRAME = _r(
    r"\b(?:feel|feels|feeling|felt|think|thinking|thought|worry|worried|worrying|believe|afraid|fear|scared|"
    r"tell yourself|telling yourself|mind (?:tells|says)|i wonder|wondering) (?:that |like |as if |if |whether )?"
    r"(?:you'?re|you are|you'?ve|you have|it'?s|i'?m|they|everyone|people|your|you)\b|"
    r"\b(?:feel|feeling) like a burden|\bbeing a burden\b|\bnot a burden\b"
)
_BLAME_REPORTED = _r(
    r"\b(?:people|those|anyone|someone|others|they) (?:who|that|might|may|will|often|sometimes) "
    r"(?:say|says|tell|tells|told|call|think)\b|\bwhen (?:people|others|someone) (?:say|tell|call)\b|"
    r"\bnot (?:about|a matter of) (?:blame|fault)\b|\bno one (?:is )?to blame\b|\bnobody'?s fault\b|"
    r"\b(?:was|were|been|get|got|being|am|are|is)\s+(?:\w+\s+)?told\b"
)
_WHY_BLAME = "blames the person, or calls them a burden to others"

# --- minimising ------------------------------------------------------------------------------
_MIN_REPORTED = _r(
    r"\b(?:people|those|anyone|someone|others|they|friends|family|everyone)\s+(?:\w+\s+)?(?:who|that|might|may|will|often|"
    r"sometimes|keep|kept|have|has|always|probably|can|could)\s+(?:\w+\s+)?(?:say|says|said|tell|tells|told|brush\w*|"
    r"dismiss\w*)\b|\b(?:told|tell|tells|telling) you (?:that |to |it'?s |you'?re )|"
    r"\bbeing told\b|\bwhen (?:people|others|someone) (?:say|tell)\b|\bisn'?t something you can\b|"
    r"\byou don'?t have to\b|\bnot just\b[^.]{0,30}\bif\b|\b(?:didn'?t|don'?t|doesn'?t) understand\b|"
    r"\bit'?s okay (?:not )?to\b|\bdismissive\b|\binvalidat\w+\b|\b(?:was|were|been|get|got|being|am|are|is)\s+(?:\w+\s+)?told\b"
)
_QUICK_FIX = (
    r"(?:a good night'?s sleep|a (?:good )?nap|(?:some )?exercise|(?:some )?fresh air|a (?:long )?walk|a (?:hot |bubble )?bath|"
    r"yoga|(?:some )?sunshine|a holiday|a vacation|a hobby|a (?:cup of )?tea|chocolate|a new haircut|retail therapy|"
    r"getting out more|a night out)"
)
_WHY_MIN = "minimises or invalidates what the person feels"

# --- secrecy ---------------------------------------------------------------------------------
_TELL_VERB = (
    r"(?:tell(?!\s+(?:you|u)\b)|share(?!\s+(?:with\s+)?(?:you|u)\b)|mention|report|flag|repeat|forward|escalate|"
    r"pass (?:it |this |that |any of (?:it|this|that) |anything |this conversation )?(?:on|along)|"
    r"say (?:anything|a word|a thing)|breathe a word|let\s+(?:[\w']+[, ]+){1,8}?(?:know|find out|see|hear)|"
    r"bring (?:it|this|that) up|show (?:this|it) to|pass on)"
)
_AUTHORITIES = (
    r"(?:your |the )(?:parents?|mum|mom|dad|family|school|teachers?|doctor|gp|therapist|counsell?or|psychiatrist|partner|"
    r"moderators?|mods|crisis team|team|care team|husband|wife|boyfriend|girlfriend)"
)
_SECRECY_HONEST = _r(
    r"\b(?:can'?t|cannot|can not|won'?t be able to|not able to|unable to|couldn'?t)\s+(?:promise|keep|guarantee)|"
    r"\bwon'?t pretend\b|\bpretend\b|\bi'?m an ai\b|\bin danger\b|\bat risk\b|\byou get to decide\b|\bwhen you'?re ready\b|"
    r"\bif you want to\b|\b(?:until|when|once) you (?:feel |are |'re )?ready\b|\buntil you'?re ready\b"
)
_WHY_SECRECY = "promises secrecy; a supporter may need to involve others to keep someone safe"

# --- off-platform contact --------------------------------------------------------------------
_CHANNEL_VERB = (
    r"(?:call|ring|phone|text|message|msg|dm|pm|email|e-mail|facetime|skype|zoom|video ?(?:call|chat)(?: with)?|"
    r"voice ?(?:call|chat)(?: with)?|whatsapp|"
    r"snap|meet|visit|come (?:over|round|around|by|to (?:your|you))|pick you up|drive over|pop (?:over|round))"
)
_CHANNEL_NAME = (
    r"(?:whatsapp|snapchat|snap|instagram|insta|facebook(?: messenger)?|messenger|twitter|tiktok|telegram|signal|"
    r"discord|skype|zoom|facetime|kik|line|wechat|email|e-mail|the phone|phone|text|dms?|pms?|private messages?|inbox)"
)
_WHY_CONTACT = "offers contact off the platform; support should stay where the community can see and help"
_CONTACT_OK = _r(
    r"\b(?:moderators?|mods|mod team|modmail|helpline|crisis (?:line|team|service|text)|lifeline|samaritans|988|"
    r"emergency|gp|doctor|therapist|counsell?or|surgery)\b"
)

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
        unless=_r(r"\b(?:feel|feels|feeling|felt)\s+(?:\w+\s+)?(?:like|as if|as though)\b"),
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
            r"\b(?:dm|pm|message|text|call|ring|phone|email|e-mail|whatsapp|snap|add|friend)\s+me(?:\s+up)?\b|\bhit\s+me\s+up\b|"
            r"\bfollow\s+me\s+on\b|"
            r"\b(?:discord|my|your|the) dms\b|\b(?:talk|meet|chat|see you) (?:in person|irl|offline)\b|"
            r"\b(?:grab|get|have) (?:a )?(?:coffee|drink|lunch) (?:with me|sometime)\b|"
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
            r"\b(?:vertical|deep) (?:cuts?|slits?)\b(?!\s+(?:in|into|to|through) (?:my|your|the|our) (?:heart|soul|chest|pride|ego))|"
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
            r"give (?:it|them) to|remove|out of (?:reach|the house)|dispose|safety plan)\b|"
            # denying that a painless or easy way exists argues against the act
            r"\b(?:there(?:'s| is| are) no|there isn'?t (?:a|any)|no such thing as (?:a )?|isn'?t (?:a|any))\s*"
            r"(?:\w+\s+){0,2}?(?:painless|easy|quick|peaceful|clean|good|best|right) (?:way|ways|method|methods|death)\b"
        ),
    ),
    # --- medication advice --------------------------------------------------------------------
    _Rule(
        "medication_advice",
        _r(
            r"(?<!\bi )(?<!\bwe )(?<!\bi also )(?<!\bi used to )(?<!\bthe )(?<!\ba )(?<!\bpick )(?<!\bpicking )(?<!\bpicked )\b(?:take|try|start|stop|quit|skip|double|increase|decrease|lower|raise|up|cut down|come off|"
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
        unless=_r(rf"\b{_PRESCRIBER}\b|\bwithout (?:talking|speaking|checking)\b"),
        not_in_questions=True,
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
            r"\b(?:can'?t|cannot|couldn'?t|not (?:able|qualified|in a position)) (?:to )?(?:diagnose|say)|"
            # the member's own belief, a possibility among others, or a clinician's job: not the reply diagnosing
            r"\bif you (?:think|believe|feel|wonder|suspect|are worried|'re worried)\b|\b(?:it is|it'?s) possible\b|"
            rf"\b(?:only )?(?:a|an|your) (?:\w+ )?{_ROLES} (?:can|could|would|will|should|is able to|may) "
            r"(?:diagnose|tell|assess|say|confirm|work out|figure out)\b|"
            r"\b(?:get|getting|be|being) (?:properly )?(?:assessed|evaluated|screened|tested|diagnosed)\b|"
            r"\bthe (?:immediate|first) thought\b"
        ),
    ),
    # --- minimising or invalidating -----------------------------------------------------------
    _Rule(
        "minimising",
        _r(
            r"\bjust (?:cheer up|be happy(?!\s+(?:to|that|for|if|when|with)\b)|be positive|think positive(?:ly)?|smile|relax|calm down|get over it|"
            r"stop (?:thinking|worrying|being sad)|move on|try harder|snap out of it|let it go|ignore it)|"
            r"\b(?:cheer up|snap out of it|get over it|toughen up|man up|suck it up)\b|"
            r"\b(?:others|other people|many people|lots of people|some people|people)(?: out there)? "
            r"(?:have it (?:much |so much |a lot |way )?worse|are worse off|have real problems)|"
            r"\b(?:it|things|this|that)(?:'s| is| could be| isn't| is not)? (?:not (?:that|so|really that) bad|"
            r"could be (?:a lot |much |way |so much |far )?worse)\b|"
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
            r"\byou only have yourself to blame\b|\b(?:you need to|you should|time to|just) grow up\b|^\W*grow up\b|,\s*grow up\b|"
            r"\b(?:just )?(?:for|seeking|wants?|want) attention\b|\byou(?:'re| are) to blame\b|"
            r"\byou deserved (?:this|it|what)\b|\byou got what you deserved\b|\bshame on you\b|\bthink about (?:your family|how they would feel)\b[^.]{0,30}\bselfish"
        ),
        "blames or judges the person",
        unless=_r(
            r"\b(?:feel|feeling|felt|think|thinking|worry|worried|worrying|believe|afraid|fear) (?:that |like )?(?:you'?re|you are|it'?s|i'?m)\b"
        ),
    ),
)

# --- widened vocabulary (second pass, from the same descriptions) -----------------------------
_HEIGHT = _alt(
    _HEIGHT,
    r"(?:the|a|that|this) (?:\w+ )?bridge\b(?! (?:between|to|the gap))",
    r"(?:the|a) (?:\w+ )?(?:tower|tower block|block of flats|viaduct|footbridge|flyover)",
)
_LETHAL_STRONG = _alt(
    _LETHAL_STRONG,
    r"(?:large|big|high|strong) enough (?:dose|amount)",
    r"leav\w* (?:no|much|any|a|little) (?:trace|evidence|marks?)",
    r"untraceable|undetectable|wouldn'?t show up",
    r"(?:get to|reach|find|save|help) you in time",
    r"too late (?:for anyone|to save|by the time)",
    r"can'?t stop in time|(?:drivers?|they) can'?t stop",
    r"(?:tallest|highest|deepest|steepest|longest drop|biggest drop)",
)
_LETHAL_WEAK = _alt(
    _LETHAL_WEAK,
    r"speed (?:things|it|them|the process|everything) up",
    r"hurts? less|less painful|cleaner",
    r"\bquick\b",
)
_OVERDOSE_CONTEXT = _r(
    rf"{_OVERDOSE_CONTEXT.pattern}|\b(?:after|before|once|while) (?:taking|you take|you'?ve taken) (?:them|the|all|your)\b|"
    r"\b(?:jump\w*|step\w*|throw\w* yourself) (?:out )?(?:in front of|off|from|under)\b"
)
_END_ACT = _alt(
    _END_ACT,
    r"skip(?:ping)? (?:eating|meals|food|breakfast|dinner)",
    r"not eat(?:ing)?",
    r"stop(?:ping)? eating",
    r"fast(?:ing)? for (?:days|a few days|a week|\w+ days)",
    r"purg\w+",
    r"make yourself sick",
    r"disappear(?:ing)? (?:for good|forever|permanently)",
)
_ENDORSE = _alt(
    _ENDORSE,
    r"(?:isn'?t|is not|wouldn'?t be|won'?t be|aren'?t) (?:the worst thing|so bad|that bad|a big deal|a problem|wrong)",
    r"if it helps(?: you)?(?: cope)?",
    r"that'?s (?:your|their) (?:right|choice|call|business|decision)",
    r"(?:could|might|may|would|will) be (?:the|a|your) (?:peace|rest|escape|freedom|release|break you need)",
    r"(?:there'?s |is )?nothing wrong with",
    r"no shame in",
    r"don'?t let (?:anyone|anybody|them|people|your family|him|her) (?:hold you back|talk you out|change your mind)",
)
_ENCOURAGE_ALONE = _alt(
    _ENCOURAGE_ALONE,
    r"do it (?:properly|right|for real) this time",
    r"make sure it works this time",
    r"don'?t let (?:anyone|anybody|them|people) (?:talk you out of (?:it|this)|change your mind)",
)
_PROBLEM_MORE = (
    r"(?:your (?:brain|mind|imagination) (?:being|playing)|laziness|weakness|an excuse|a state of mind|nerves|hormones|"
    r"attention|overthinking|in your head|a normal part of|part of being)"
)

# --- widened vocabulary (third pass) ---------------------------------------------------------
_MEANS = _alt(
    _MEANS,
    r"(?:a )?(?:handful|fistful|load|bunch) of (?:them|those|these|pills|tablets)",
    r"(?:gun|shotgun|rifle|pistol|firearm)s?",
)
_LETHAL_STRONG = _alt(
    _LETHAL_STRONG,
    r"more than (?:your|a) body (?:could|can|would) (?:handle|take|cope with)",
    r"your body (?:couldn'?t|can'?t|wouldn'?t) (?:handle|take|cope)",
    r"a long way down|(?:long|big) drop",
    r"(?:slow|painful|quick|fast|painless|reliable|unreliable|certain|messy) (?:and \w+ )?(?:way|method)"
    r"(?! to (?:cope|deal|relax|learn|start|get|feel))",
    r"(?:people who are|if you'?re|if you are) serious",
)
_LETHAL_WEAK = _alt(_LETHAL_WEAK, r"stay in your system longer", r"hit harder")
_OVERDOSE_CONTEXT = _r(
    rf"{_OVERDOSE_CONTEXT.pattern}|\b(?:taking|take) (?:them|the pills|the tablets|your \w+) with\b|\bin your system\b"
)
_CONCEAL = _alt(
    _CONCEAL,
    r"(?:fewer|no|less|hardly any|not many|barely any) (?:staff|people|security|guards?|cameras|witnesses|passers-by) "
    r"(?:around|about|there|at night|on duty)",
    r"(?:rarely|hardly ever|never|seldom) (?:anyone|anybody|people) (?:there|around|about)",
    r"(?:no ?one|nobody) (?:would|will|'ll|is going to) (?:question|ask about|check) (?:it|that|you)",
)
_END_ACT = _alt(
    _END_ACT,
    r"made (?:your )?peace with (?:it|this|dying|your decision|the idea)",
    r"given (?:this|it) (?:a lot of|much|careful|so much) thought",
    r"starving|purging",
    r"let (?:it|it all|everything|things) end",
    r"hurt (?:it|your body)",
)
_ENDORSE = _alt(
    _ENDORSE,
    r"trust (?:that|it)(?=\W*$)",
    r"no (?:reason|need) to stop",
    r"(?:don'?t|do not) (?:have|need) to stop",
    r"won'?t make (?:much |any |a )?difference",
    r"the (?:best|right|kindest|only|bravest) (?:thing|option|choice) (?:is|would be|might be|may be)",
    r"earned (?:your|the|some) rest|earned it",
    r"(?:that'?s|it'?s) (?:okay|ok|fine|alright|valid)(?=\W*$)",
)
_ENCOURAGE_ALONE = _alt(
    _ENCOURAGE_ALONE,
    r"(?:don'?t|do not) owe (?:anyone|anybody|them|the world|people) your (?:survival|life|staying alive)",
    r"(?:no ?one|nobody) can take (?:that|this|the|your) (?:decision|choice) (?:away )?from you",
    r"(?:you'?ve|you have) earned (?:your|the) (?:rest|peace)",
    r"(?:it|this) (?:might|may|could) (?:well )?be time(?=\W*$)",
)
_PROTECTIVE = _r(rf"{_PROTECTIVE.pattern}|\b(?:talk|talking|tell us|telling us|write|writing) about\b")


# --- widened vocabulary (fourth pass) --------------------------------------------------------
_EXCESS_NP = _alt(
    _EXCESS_NP,
    r"everything (?:in|from) (?:the|your) (?:\w+ )?(?:cabinet|cupboard|drawer|box|bag|stash)",
)
_LETHAL_STRONG = _alt(
    _LETHAL_STRONG,
    r"(?:actually|really) (?:does|do|did) (?:it|the job)",
    r"is what (?:actually |really )?(?:does it|works|kills)",
    r"bleed(?:ing)? (?:out|more|harder|faster)",
    r"bleeding (?:\w+ )?(?:harder|hard) to stop",
    r"for it to (?:actually )?work",
)
_END_ACT = _alt(
    _END_ACT,
    r"letting go(?! of)",
    r"finally (?:get|find|have) (?:some )?(?:peace|rest)",
    r"finally (?:rest|be free|be at peace)",
)
_ENDORSE = _alt(
    _ENDORSE,
    r"(?:is|'s) (?:the|your) (?:answer|way out|only option|solution)",
    r"(?:brave|courageous|strong|right|good) (?:that|of you|for you) (?:to |that )?(?:you'?ve )?(?:decided|decide|choose|chosen)",
    r"wouldn'?t (?:try to )?stop(?: it| doing it)?",
    r"helps you,? so\b",
    r"(?:tonight|tomorrow|today|this) (?:could|might|may|will) be the (?:night|day|time|moment)",
)
_ENCOURAGE_ALONE = _alt(
    _ENCOURAGE_ALONE,
    r"not my place to (?:stop|judge|change your mind|talk you out)",
    r"better off (?:gone|dead|not here|not being here|not around)",
)

_CLASS_RULES: tuple[_Rule, ...] = (
    # === method and means =====================================================================
    # Taking an excess (the whole bottle, all of them, fifty, one big dose) as a course of action.
    _Rule(
        "method_details",
        _r(rf"\b{_TAKE_VERB}\s+(?:\w+\s+){{0,2}}?{_EXCESS_NP}"),
        _WHY_METHOD,
        unless=_r(
            rf"{_MEANS_SAFETY.pattern}|\b(?:as prescribed|as directed|every (?:day|morning|night)|daily|each day|"
            r"regularly|on time|with food|grain of salt|into account|seriously|one at a time)\b"
        ),
        not_in_questions=True,
    ),
    # A means (pills, heights, a blade, a rope) said to be lethal, enough, quick, certain or painless.
    _Rule(
        "method_details",
        _r(rf"\b{_LETHAL_STRONG}"),
        _WHY_METHOD,
        negatable=False,
        requires=_r(rf"\b{_MEANS}"),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # ... or said to work faster or better, where the excess, mixing or a height is named.
    _Rule(
        "method_details",
        _r(rf"\b{_LETHAL_WEAK}\b"),
        _WHY_METHOD,
        negatable=False,
        requires=_OVERDOSE_CONTEXT,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
        requires_first=True,
    ),
    # Opportunity and concealment: when nobody will find, interrupt or notice.
    _Rule(
        "method_details",
        _r(rf"\b{_CONCEAL}"),
        _WHY_METHOD,
        negatable=False,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # A place to die: a height or track that is deserted, quiet or empty at some time.
    _Rule(
        "method_details",
        _r(
            rf"\b{_HEIGHT}\b[^.]{{0,60}}\b(?:deserted|empty|quiet|unattended|unlocked|no one|nobody|easy to (?:get|reach)|isolated|remote|secluded|out of the way|abandoned)\b"
        ),
        _WHY_METHOD,
        negatable=False,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Getting the means: saving up a supply, buying from several places, getting round limits.
    _Rule(
        "method_details",
        _r(rf"\b{_ACQUIRE}"),
        _WHY_METHOD,
        unless=_r(rf"{_MEANS_SAFETY.pattern}|\bmoney\b|\bgive them\b"),
        not_in_questions=True,
    ),
    # Hanging: a ligature and a point to tie it to.
    _Rule(
        "method_details",
        _r(rf"\b{_LIGATURE}\b[^.]{{0,50}}\b{_ANCHOR_POINT}\b|\b{_ANCHOR_POINT}\b[^.]{{0,50}}\b{_LIGATURE}\b"),
        _WHY_METHOD,
        negatable=False,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # ... the best time or place "to do it", where the sentence says what "it" is.
    _Rule(
        "method_details",
        _r(
            r"\b(?:the )?(?:best|easiest|quickest|fastest|surest|simplest|safest|most reliable|least painful|only) "
            r"(?:way|method|time|place|spot|option) (?:is |would be )?(?:to )?(?:do it|go)\b"
        ),
        _WHY_METHOD,
        requires=_r(
            rf"\b(?:die|dying|kill|suicide|end (?:it|things|your life)|overdos\w*|jump\w*|hang\w*|painless|for good)\b|"
            rf"\b{_CONCEAL}|\b{_MEANS}"
        ),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # The best, easiest or most common way, place or time to do it; gas and exhaust.
    _Rule(
        "method_details",
        _r(rf"\b{_METHOD_FRAME}|\b{_CO_METHOD}"),
        _WHY_METHOD,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Access to a height: no barrier, no fence, unlocked roof.
    _Rule(
        "method_details",
        _r(
            rf"\b{_HEIGHT}\b[^.]{{0,50}}\b(?:no|without|missing|broken|low|easy to climb(?: over)?|unlocked|open)\s+"
            r"(?:\w+\s+)?(?:barriers?|fences?|railings?|netting|nets|security|guards?|cameras?|locks?|access|door)\b|"
            rf"\b(?:no|without|missing|broken|low)\s+(?:barriers?|fences?|railings?|netting)\b[^.]{{0,50}}\b{_HEIGHT}\b"
        ),
        _WHY_METHOD,
        negatable=False,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Waiting for an empty house: until they leave or sleep, with the time alone it buys.
    _Rule(
        "method_details",
        _r(
            r"\bwait(?:ing)?\s+(?:until|till)\s+it'?s\s+(?:really\s+|very\s+|properly\s+)?(?:late|dark|quiet)\b|"
            r"\b(?:wait(?:ing)?\s+(?:until|till|for)|until|till|when|once|after|as soon as)\s+(?:\w+\s+){0,2}?(?:everyone|everybody|"
            rf"your {_OTHER_PERSON}s?|your (?:family|parents|flatmates?|housemates?)|they|the house|people)\s+(?:\w+\s+)?"
            r"(?:leaves?|left|goes?|gone|go|is asleep|are asleep|falls? asleep|fall asleep|(?:is|are) out|away|at work|to bed)\b"
        ),
        _WHY_METHOD,
        negatable=False,
        requires=_r(
            r"\b(?:whole (?:day|night|house|weekend)|hours|alone|to yourself|nobody|no one|do it|them all|the pills|found|"
            r"notice|interrupt\w*|take them|the whole \w+|enough time|empty|deserted|quiet)\b"
        ),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Self-harm technique: deeper, sharper, hidden, where clothes cover it.
    _Rule(
        "method_details",
        _r(_SELF_HARM_TECH),
        _WHY_METHOD,
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # === medication advice ====================================================================
    # A dose change the person would make: double, halve, skip, stop, come off, swap (not narrated).
    _Rule(
        "medication_advice",
        _r(
            rf"(?<!\bthe )(?<!\ba )(?<!\bpick )(?<!\bpicking )(?<!\bpicked )\b{_DOSE_VERB}\s+(?:taking\s+)?{_MED_NP}|"
            r"\b(?:drop|go|come|cut)\s+down\s+to\s+(?:half|a lower|a smaller|\w+ (?:a|per) day)|"
            r"\b(?:half|double|twice|a double|two|both) (?:the |your )?(?:dose|doses|dosage)\b|\b(?:take|taking|have|having|use|using)\b[^.]{0,40}\bevery other day\b"
        ),
        _WHY_MED,
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # Taking more than prescribed: an extra one, two at once, both together, above the label.
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:take|taking|have|having|pop|popping|swallow)\s+(?:an?\s+)?(?:extra|additional|another|more|two|three|four|"
            rf"both|a couple(?: of)?|a few(?: of)?|a double|double|twice|several|half)\s+(?:of\s+)?{_MED_NP}|"
            rf"\bextra\s+(?:\w+\s+)?{_MED}\b|\bextra (?:one|dose|pill|tablet)s?\b|"
            r"\b(?:take|taking|use|using)\b[^.]{0,40}\b(?:more than (?:prescribed|the (?:label|leaflet|recommended|prescribed))|"
            r"above (?:what'?s|what is) (?:on the label|prescribed)|(?:above|over) the (?:recommended|prescribed|maximum) dose)"
        ),
        _WHY_MED,
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # Two at once, both together, the pills they already take: more than prescribed.
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:two|2|both|three|all of them)\s+(?:\w+\s+)?(?:at once|together|at the same time|in one go)\b|"
            r"\binstead of (?:just )?one\b|"
            r"\b(?:stop|quit|skip|pause|double|halve|come off|cut down on|drop|ditch)\s+(?:taking\s+)?(?:them|it)\b"
        ),
        _WHY_MED,
        requires=_r(rf"\b(?:{_MED}|side effects|dose)\b"),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # Mixing a medicine with alcohol or with another medicine, under a permissive stance.
    _Rule(
        "medication_advice",
        _r(
            rf"\b{_MED}\b[^.;]{{0,60}}?\b(?:with|plus|alongside|on top of|together with|mixed with|along with|\+)\s+"
            rf"[^.;]{{0,40}}?\b(?:{_MED}|{_ALCOHOL})\b|"
            rf"\b{_MED}\s+and\s+(?:(?:a|an|some|your|the)\s+)?(?:\w+\s+)?(?:{_MED}|{_ALCOHOL})\b|"
            rf"\b{_ALCOHOL}\b[^.;]{{0,40}}?\b(?:with|to help|and|plus|alongside|on top of|while (?:you'?re |you are )?(?:on|taking))\s+"
            rf"[^.;]{{0,40}}?\b{_MED}\b|"
            rf"\bmix(?:ing)?\s+(?:\w+\s+){{0,3}}?{_MED}\b"
        ),
        _WHY_MED,
        requires=_r(rf"{_PERMIT}|{_IMPERATIVE}|\byou (?:could|can|should|might)\b"),
        unless=_r(
            rf"{_CONSULT.pattern}|{_MED_WARNING}|\b(?:check|ask) (?:with )?(?:a |your )?\w+ (?:first|before)"
        ),
        not_in_questions=True,
    ),
    # Someone else's medicine, to take or borrow.
    _Rule(
        "medication_advice",
        _r(
            rf"\b{_OTHER_PERSON}'?s\s+(?:\w+\s+){{0,2}}?(?:{_MED}|prescription)\b|"
            r"\b(?:borrow|borrowing|share|sharing|nick|nicking|use|using)\s+(?:some\s+|a few\s+|one\s+|a couple\s+)?(?:of\s+)?"
            r"(?:hers|theirs|his(?=\W*(?:$|[,.;]|until|for|if|when|with)))|\b(?:borrow|borrowing)\s+(?:\w+\s+){0,4}?"
            + _MED
            + r"\b|\bsame prescription\b"
        ),
        _WHY_MED,
        requires=_r(
            r"\b(?:take|taking|try|trying|borrow|borrowing|use|using|share|sharing|have|having|pop|(?:might|could|would|will|"
            r"should|can) help|help you|tide you over|get you through|(?:is|are|be) fine|is okay|should be)\b"
        ),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # Asking someone for a few of theirs.
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:ask|get|grab|take|borrow|nick|have|use)\s+(?:\w+\s+){0,3}?(?:some|a few|one|a couple|two|any)\s+of\s+"
            rf"(?:his|her|their|theirs|hers)\s+(?:\w+\s+)?{_MED}\b"
        ),
        _WHY_MED,
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # Leaving the prescriber out: "without bothering your GP", "your doctor doesn't need to know".
    _Rule(
        "medication_advice",
        _r(rf"\b{_BYPASS}"),
        _WHY_MED,
        negatable=False,
        requires=_r(rf"\b(?:{_MED}|{_DOSE_VERB}|wean|dose)\b"),
        unless=_r(
            r"^(?:(?!without).)*\b(?:don'?t|do not|never|shouldn'?t|should not|avoid|not to)\b.*\bwithout\b"
        ),
    ),
    # Swapping a prescription for something else ("works as well as your prescription, so switch").
    _Rule(
        "medication_advice",
        _r(
            rf"\b(?:instead of|in place of|rather than|works? (?:as well as|better than|just as well as)|"
            rf"(?:swap|switch)\w* (?:to|over to|for))\s+(?:\w+\s+){{0,2}}?(?:{_MED}|prescri\w+)\b"
        ),
        _WHY_MED,
        requires=_r(
            r"\byou (?:could|can|should|might|may)\b|^\W*(?:try|swap|switch|use|take|just)\b|\bso you\b"
        ),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # === encouraging harm =====================================================================
    # An endorsing stance ("it's okay to", "go ahead", "you have every right to", "trust your
    # decision") applied to an act of ending or harm ("let go", "take them all", "follow through").
    _Rule(
        "encourages_harm",
        _r(rf"\b{_ENDORSE}"),
        _WHY_ENCOURAGE,
        requires=_r(rf"\b{_END_ACT}"),
        unless=_PROTECTIVE,
        not_in_questions=True,
    ),
    # Endorsements that name the act themselves ("I won't try to stop you", "rest for good").
    _Rule(
        "encourages_harm",
        _r(rf"\b{_ENCOURAGE_ALONE}"),
        _WHY_ENCOURAGE,
        negatable=False,
        unless=_r(rf"{_PROTECTIVE.pattern}|{_FEELING_FRAME.pattern}"),
        not_in_questions=True,
    ),
    # A directive to take the excess: "take them all tomorrow night", "you should take the whole bottle".
    _Rule(
        "encourages_harm",
        _r(
            rf"(?:^\W*|[,;:]\s*|\b(?:so|then|just|and|maybe|go ahead and|you should|you could|you can|why not)\s+)"
            rf"(?:take|swallow|down|use|finish)\s+{_EXCESS_NP}"
        ),
        _WHY_ENCOURAGE,
        unless=_r(
            r"\b(?:as prescribed|as directed|every (?:day|morning|night)|daily|each day|regularly|on time|with food|"
            r"grain of salt|into account|seriously|one at a time)\b"
        ),
        not_in_questions=True,
    ),
    # === blame and burden =====================================================================
    # Calling the person a burden, strain or weight on others.
    _Rule(
        "blame",
        _r(
            r"(?<!\bare )(?<!\bam )\byou(?:'re| are|'ve| have)?\s+(?:become\s+|been\s+|being\s+|turning into\s+)?(?:such\s+)?(?:a|an)\s+"
            r"(?:real |huge |big |massive |constant |total )?(?:burden|strain|drain|weight|handful|nuisance|pain to)\b|"
            r"\b(?:putting|placing|causing|being|put|place)\s+(?:a lot of |so much |too much |a |such a )?"
            r"(?:burden|strain|stress|pressure|worry)\s+on\s+(?:the people|everyone|your|them|others|those|people)|"
            r"\b(?:is|are|becoming|become|has become)\s+(?:a\s+)?(?:real |huge |big |heavy )?(?:weight|burden|drain|strain)\s+on\b|"
            rf"\b(?:dragging|bringing|weighing|pulling)\s+{_OTHERS}\s+down\b|"
            rf"\b(?:making|make|makes|made)\s+(?:{_OTHERS}'?s?|their|everyone'?s)\s+(?:\w+\s+)?(?:lives?|life|day|time)\s+"
            r"(?:harder|worse|difficult|miserable|hell)|"
            rf"\b{_OTHERS}(?:\s+would|'d|\s+might|\s+will|\s+could)\s+(?:probably\s+|honestly\s+|all\s+)?(?:be|feel|have)\s+"
            r"(?:better off|relieved|happier|freer|an easier time|easier|less stressed)\b|"
            rf"\b{_OTHERS}\s+(?:must\s+be|are|is|'re|would\s+be|get|gets|seem|seems)\s+(?:so\s+|really\s+|probably\s+|getting\s+)?"
            r"(?:exhausted|tired|sick|fed up|worn out|drained|weary)\s+(?:by|of|with|from)\s+(?:all (?:of )?this|you|hearing|this|your|it|"
            r"dealing with|putting up with|looking after|worrying about|carrying|listening to|your)|"
            r"\b(?:has|have)\s+every\s+right\s+to\s+be\s+(?:fed up|angry|annoyed|frustrated|tired|upset|done)\s+with\s+you|"
            r"\byou(?:'re| are)\s+(?:so\s+|really\s+|just\s+)?(?:hard|difficult|exhausting|draining|too much)\s+to\s+be\s+around\b|"
            r"\byou(?:'ve| have)\s+been\s+(?:a lot|too much|hard work)\b|"
            r"\byou(?:'re| are)\s+(?:\w+\s+)?(?:a lot of work|too much work|hard work|high maintenance|a lot)(?=\W*(?:$|,|;|for\b|to (?:handle|deal))|"
            r"\s+(?:right now|lately|recently))|"
            rf"\b(?:a lot|too much)\s+for\s+{_OTHERS}\s+to\s+(?:handle|deal with|cope with|put up with)\b|"
            rf"\b{_OTHERS}\s+deserves?\s+(?:a|an|better|someone)\s+(?:\w+\s+){{0,3}}(?:who\s+(?:isn'?t|is not|doesn'?t)|than\s+(?:you|this|that|all this))"
        ),
        _WHY_BLAME,
        negatable=True,
        unless=_r(
            rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}|\bnot\b[^.]{{0,12}}\bburden\b|\bisn'?t true\b"
        ),
    ),
    # Saying the person caused it: fault, consequences, counterfactuals, "you chose".
    _Rule(
        "blame",
        _r(
            r"\b(?:it'?s|it is|this is|that'?s|that is|this was|that was|it was)\s+(?:kind of |sort of |partly |all |really |"
            r"pretty much |honestly |probably |mostly |at least partly |a bit )?(?:your|ur)\s+(?:own\s+)?fault\b|"
            r"\b(?:a\s+)?(?:consequences?|results?)\s+of\s+(?:the\s+)?(?:choices|decisions|mistakes|things)\s+you(?:'ve| have)?\s+made|"
            r"\byou(?:'ve| have)?\s+(?:\w+\s+){0,2}?(?:did|made|make|brought|bring|caused|cause|created|create|invited)\s+(?:this|it|that|all this|a lot of this|this situation|"
            r"this mess|the situation|it all)\s+(?:situation\s+)?(?:on|for|to)\s+yourself|"
            r"\byou\s+caused\s+(?:this|it|the|that|all)\b|"
            r"\byou(?:'re| are)\s+(?:the\s+)?(?:(?:real|main|whole|only)\s+)?(?:reason|cause|problem)\s+(?:why\s+)?"
            rf"(?:{_OTHERS}|this|it|that|things|everything|he|she)\b|"
            r"\b(?:paying|suffering|pay|suffer)\s+(?:the price\s+)?for\s+your\s+(?:choices|mistakes|decisions|behaviou?r|actions|"
            r"drinking|moods|selfishness)\b|"
            r"\b(?:that'?s|this is|it'?s)\s+what\s+happens\s+when\s+you\s+(?:don'?t|do not|refuse|never|keep|won'?t|can'?t be bothered)\b|"
            r"\byou(?:'ll| will| just have to| have to)\s+(?:have to\s+|just\s+)?live with (?:it|that|the consequences)|"
            r"\bif you(?:'d| had|'d not| had not| hadn'?t)\s+(?:just\s+|only\s+)?(?:\w+\s+){0,5}?(?:properly|harder|listened|tried|bothered|stayed|taken|"
            r"done|gone|studied|worked|stopped|left|been|lied|cheated|drunk|drank|yelled|shouted)\b[^.]{0,50}\b"
            r"(?:you|he|she|they|it|this|none of this)\s+(?:wouldn'?t|would not|'d not|would never)\s+"
            r"(?:be\s+(?:in (?:this|such a) (?:mess|situation|state|trouble)|failing|alone|struggling|single|"
            r"unemployed|so \w+|here|depressed|sick|broke)|have (?:this|these|any of these) problems?|feel (?:like )?this|"
            r"have (?:happened|left(?: you)?|gone|broken up|dumped you|fired you|lost)|happened|left you|leave you)\b|"
            r"\byou\s+(?:chose|decided)\s+to\s+[^.]{0,40}\bso\b|"
            r"\bcan'?t\s+(?:really\s+)?blame\s+(?:anyone|anybody)\s+(?:else|but yourself)|"
            r"\byou(?:'re| are)\s+the\s+one\s+who\b|"
            r"\b(?:no surprise|no wonder|not surprising|unsurprising)\s+(?:that\s+)?you(?:'re| are)\s+(?:alone|single|lonely|"
            r"struggling|failing|unemployed)|"
            r"\bcan'?t\s+expect\s+(?:sympathy|help|support|people|anyone|others)\b|"
            r"\b(?:should|ought to)\s+be\s+(?:ashamed|embarrassed)\b|"
            r"\b(?:it'?s|that'?s|it is|that is|is)\s+(?:pretty |a bit |so |really |kind of |rather |just )?(?:ungrateful|lazy|"
            r"selfish|dramatic|pathetic|childish|needy|manipulative|weak)\s+(?:to|of you|when)\b|"
            r"\b(?:cry|crying|looking|look|fishing|asking|begging|doing (?:this|it))\s+for\s+attention\b|"
            r"\b(?:attention[- ]seeking|seeking attention|looking for attention)\b|"
            r"\b(?:you(?:'re| are)?\s+(?:just\s+)?(?:trying to\s+)?manipulat\w*|(?:a way|way|trying|attempt|attempts) to manipulate)\s+"
            r"(?:people|others|everyone|them|us|your)\b|"
            r"\b(?:self[- ]harm(?:ing)?|cutting|suicide|depression|being (?:sad|depressed|anxious)|feeling this way)\s+is\s+"
            r"(?:a|your)\s+(?:choice|decision)\b|"
            r"\bchoosing\s+to\s+(?:hurt|upset|worry|scare)\s+(?:the people|everyone|those|your|them)\b|"
            r"\bbeing\s+(?:this|so)\s+(?:needy|clingy|negative|difficult|dramatic)\b|"
            r"\byou\s+keep\s+making\s+the\s+same\s+mistakes?\b|"
            r"\b(?:you|you'?re|you are)\s+(?:hard|difficult|impossible)\s+to\s+(?:be around|love|live with|like)\b"
        ),
        _WHY_BLAME,
        unless=_r(
            rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}|\bnot (?:your|ur) fault\b|\bblam\w+ yourself\b|"
            r"\bisn'?t (?:attention|selfish|a choice)|\bnot (?:attention|selfish|a choice)"
        ),
    ),
    # Burden and blame said through a negative: "can't keep dumping this on them", "not pulling your weight".
    _Rule(
        "blame",
        _r(
            r"\b(?:can'?t|cannot|shouldn'?t|should not)\s+(?:just\s+)?(?:keep|go on|carry on)\s+(?:dumping|putting|unloading|"
            r"offloading|leaning)\s+(?:this|it|everything|all this|all of this|on)\b|"
            r"\b(?:weren'?t|aren'?t|not|never)\s+pulling\s+your\s+weight\b|"
            r"\b(?:no|not) (?:wonder|surprise)\b[^.]{0,30}\b(?:left|leave|pulled away|gave up on|fed up)\b"
        ),
        _WHY_BLAME,
        negatable=False,
        unless=_r(rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}"),
    ),
    # === minimising ===========================================================================
    # Comparison that shrinks the pain ("lots of people have it worse", "think of people in war zones").
    _Rule(
        "minimising",
        _r(
            r"\b(?:lots of|many|plenty of|other|most|millions of|so many)\s+(?:other\s+)?people\s+(?:\w+\s+){0,3}?"
            r"(?:have it (?:much |so much |a lot |way |far )?worse|(?:are|is) (?:much |way |far )?worse off|"
            r"go through (?:\w+\s+){0,2}every (?:single )?day|get over (?:it|them|this|that)|lose (?:their|a) \w+ and|"
            r"(?:\w+\s+){0,4}and (?:they )?(?:don'?t|do not|didn'?t) (?:fall apart|make a fuss|complain))|"
            r"\bthink (?:of|about) (?:the )?(?:people|children|kids|those|families)\s+(?:in|who|with|living)\b|"
            r"\b(?:starving|poor) (?:children|kids|people)\b|"
            r"\byour (?:problems?|worries|issues|troubles)\s+(?:seem|are|look|sound)\s+(?:pretty |so |really |quite )?"
            r"(?:small|minor|trivial|tiny|insignificant|nothing)\b|"
            r"\b(?:it |things )?(?:could|can) always be worse\b|\bfall apart over\b"
        ),
        _WHY_MIN,
        unless=_MIN_REPORTED,
    ),
    # Dismissing it as small, passing or normal: "not a big deal", "just hormones", "it'll blow over".
    _Rule(
        "minimising",
        _r(
            r"\b(?:it'?s|that'?s|this is|it is|that is|is)\s+(?:really\s+|honestly\s+|just\s+)?not\s+(?:really\s+)?"
            r"(?:a|that|such a|that much of a)\s+big\s+deal\b(?!\s+if\b)|"
            r"\bnot\s+(?:really\s+)?(?:the end of the world|worth (?:getting upset|crying|worrying|stressing) (?:about|over))|"
            r"\b(?:nothing|not something|not anything)\s+to\s+(?:get (?:so )?(?:worked up|upset|stressed)|cry|stress|fuss)\s+"
            r"(?:about|over)\b|"
            r"\b(?:it'?s|it is|that'?s|is|are|sounds like|probably|this is)\s+(?:just|only|really just|mostly|simply|probably just)\s+"
            r"(?:a\s+(?:bit of\s+)?)?(?:hormones|nerves|stress|teenage (?:drama|angst|stuff)|drama|in your head|a bad (?:day|week|patch)|"
            r"a (?:normal|typical) (?:rough|bad) patch|tiredness|a mood|attention|part of (?:life|growing up)|"
            r"(?:a )?phase|growing pains)\b|"
            r"\b(?:a\s+)?(?:normal|typical|ordinary)\s+(?:rough|bad)\s+patch\b|"
            r"\b(?:will|'ll|should|would)\s+(?:probably\s+|soon\s+|just\s+)?(?:blow over|wear off|pass on its own|pass by itself|"
            r"go away on its own|sort itself out|disappear on (?:its|their) own)\b|"
            r"\b(?:grief|sadness|it|this|depression|anxiety|the feeling)\s+(?:usually|normally|often)\s+(?:wears?|passes|goes)\s+"
            r"(?:off|away)\s+(?:after|in|within)\b|"
            r"\b(?:grow|you'?ll grow)\s+out of\s+(?:it|this)\b|"
            r"\byou(?:'ll| will)\s+(?:\w+\s+)?(?:laugh about|look back and laugh|feel silly|feel stupid|forget (?:all )?about|"
            r"be (?:completely |totally )?(?:fine|okay|over it) by)\b|"
            r"\b(?:wasn'?t|isn'?t|is not|was not)\s+(?:really\s+)?(?:as|that)\s+bad\s+as\s+(?:it|you)\b|"
            r"\bcan'?t\s+(?:really\s+)?be\s+(?:that|so)\s+(?:hard|bad|difficult|depressed|sad|anxious|serious)\b|"
            r"\b(?:shouldn'?t|should not)\s+(?:really\s+)?(?:bother|upset|affect|get to)\s+you\b|"
            r"\b(?:you'?re|you are)\s+(?:too\s+)?young\b[^.]{0,20}\b(?:can'?t|to (?:be|feel))\b|"
            r"\b(?:read(?:ing)?|mak(?:e|ing))\s+(?:way\s+|far\s+)?too\s+much\s+(?:into|of)\b|"
            r"\b(?:happiness|being happy|joy|depression|sadness)\s+is\s+(?:a|your)\s+choice\b|"
            r"\bchoose\s+to\s+(?:be happy|snap out|feel better|stop feeling)\b|"
            rf"\b{_QUICK_FIX}\s+(?:and\s+\w+(?:\s+\w+)?\s+)?(?:will|would|'d|'ll|should|can|could)\s+(?:\w+\s+)?(?:fix|sort|cure|solve)\b|"
            r"\bnothing\s+(?:a|an|some)\s+(?:\w+\s+){1,3}can'?t\s+(?:fix|sort|cure|solve)\b|"
            r"\b(?:mostly|all|just|only)\s+in\s+your\s+(?:head|imagination|mind)\b|"
            r"\b(?:a\s+)?(?:bit of\s+)?(?:an\s+)?overreaction\b|\byou\s+(?:might|may|could)\s+be\s+(?:a (?:little|bit)\s+)?overreacting\b|"
            r"\boverreacting\s+a\s+(?:little|bit)\b|"
            r"\b(?:maybe|probably|perhaps)\s+you(?:'re| are)\s+just\s+(?:tired|stressed|hungry|bored|hormonal|having)\b|"
            r"\byou(?:'re| are)\s+just\s+having\s+a\s+bad\s+(?:day|week)\b|"
            r"\beveryone\s+(?:gets|feels|has|goes through|experiences)\b[^.]{0,30}\b(?:so|and)\s+(?:it'?s|just|you)\b"
        ),
        _WHY_MIN,
        negatable=False,
        unless=_MIN_REPORTED,
    ),
    # Restricting the problem to something small: "it's only one bad grade", "depression is just a mindset",
    # "breakups happen to everyone, so...", "you're making a big deal out of nothing".
    _Rule(
        "minimising",
        _r(
            r"\b(?:it'?s|it is|that'?s|that is|this is|it was|that was|(?:depression|anxiety|grief|sadness|it|this|that|your problem)"
            r"\s+(?:is|was))\s+(?:really\s+|honestly\s+|probably\s+|literally\s+)?(?:just|only|merely|simply|nothing but|all)\s+"
            r"(?:a|an|one|some|in)?\s*(?:(?:bad|little|silly|stupid|small|minor|single|tiny|teenage|normal|typical|your)\s+)*"
            r"(?:grade|test|exam|job|breakup|break-up|relationship|argument|fight|row|boy|girl|guy|crush|bad day|bad week|rough patch|phase|mood|mindset|attitude|hormones|nerves|stress|drama|blip|setback|comment|joke|game|mark|interview|party|text|mistake|falling out|school|friendship|bad night)s?\b|"
            r"\b(?:happens?|happened) to (?:everyone|everybody|all of us)\b[^.]{0,30}\b(?:so|just|no reason|get over|move on)\b|"
            r"\beveryone\s+(?:\w+\s+){0,4}?(?:at your age|your age)\b[^.]{0,20}\b(?:it'?s nothing|so|just|no)\b|"
            r"\bit'?s\s+(?:really\s+)?nothing(?=\W*$|\W*(?:,|;|really|honestly))|"
            r"\b(?:no|not a|not any|hardly a|hardly any)\s+(?:real\s+)?reason\s+to\s+(?:feel|be|get)\s+(?:this|so|that)\s+(?:bad|sad|upset|down|worked up|low|awful|terrible|"
            r"stressed|anxious|depressed)\b|"
            r"\b(?:making|make|made)\s+(?:such\s+)?a\s+(?:big\s+|huge\s+)?(?:deal|fuss|drama|mountain)\s+(?:out\s+)?(?:of|over|about)\s+"
            r"(?:nothing|something so|a (?:little|small|tiny)|this)\b|"
            r"\b(?:something|a thing|anything)\s+(?:so|this|that)\s+(?:small|minor|little|silly|trivial|stupid)\b|"
            r"\bsuch\s+a\s+(?:small|little|minor|silly|trivial)\s+thing\b|"
            r"\b(?:as|than)\s+you(?:'re| are)?\s+making\s+(?:it|this|out)\b|"
            r"\b(?:some|other|many|lots of)\s+people\s+(?:don'?t|do not|can'?t)\s+even\s+have\b|"
            r"\b(?:try to|just|you should|you need to)\s+(?:see|look at|focus on|think about)\s+(?:the\s+)?(?:positives?|bright side|"
            r"good side|upside)\b|"
            r"\b(?:should|will|would|'ll|'d|can|could)\s+(?:\w+\s+)?(?:sort|fix|cure|solve)\s+(?:all of|most of|everything|all|the whole)\b|"
            r"\b(?:sort|fix|cure|solve)\s+(?:all|most)\s+of\s+(?:this|it|that)\b"
        ),
        _WHY_MIN,
        negatable=False,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\bjust a (?:thought|feeling|urge|symptom)\b"),
    ),
    # Telling them to stop feeling it or to fix it fast: "stop dwelling", "don't make such a fuss",
    # "just focus on the good things", "you're stronger than this".
    _Rule(
        "minimising",
        _r(
            r"\b(?:stop|quit)\s+(?:\w+\s+)?(?:dwelling|wallowing|moping|overthinking|letting it get to you|making (?:such )?a (?:big )?"
            r"(?:fuss|deal)|taking it so seriously|worrying so much)\b|"
            r"\b(?:don'?t|do not|try not to|no need to)\s+(?:\w+\s+)?(?:make|making)\s+(?:such\s+)?a\s+(?:big\s+)?(?:fuss|deal|drama)\b|"
            r"\b(?:don'?t|do not|try not to)\s+take\s+(?:it|this|things)\s+so\s+seriously\b|"
            r"\b(?:toughen|harden|man|buck|perk)\s+up\b|\bget a grip\b|\bpull yourself together\b|"
            r"\b(?:get|be)\s+over\s+(?:it|them|him|her|this)\s+(?:quickly|soon|already|in (?:a|no) (?:week|time))\b|"
            r"\bget\s+over\s+(?:them|him|her)\s+quickly\b|"
            r"\byou(?:'re| are)\s+(?:so\s+much\s+|much\s+|way\s+)?stronger than (?:this|that)\b|"
            r"\bjust\s+(?:try\s+to\s+|need\s+to\s+)?(?:focus on|think about|look at|remember)\s+(?:the\s+)?(?:good|positive|bright|"
            r"everything you|all you|what you have|your blessings)|"
            r"\b(?:focus|focused|focusing)\s+on\s+(?:the\s+)?(?:good|positive)\s+(?:things|stuff)?\b[^.]{0,40}\b(?:disappear|go away|"
            r"pass|fade|vanish)\b|"
            r"\bif you (?:just|only)\s+(?:\w+\s+){1,6}?(?:this|it|the) (?:\w+\s+)?(?:would|will)\s+(?:pass|go away|disappear|fade)\b|"
            r"\bjust\s+(?:try\s+(?:to\s+)?)?(?:think|be|stay)\s+(?:positive|happy|optimistic)\b(?!\s+(?:to|that|for|if|when|with)\b)|"
            r"\b(?:have you tried|try|just)\s+(?:just\s+)?(?:smiling|being (?:more )?positive|thinking positive|cheering up|"
            r"being happy|not thinking about it)\b|"
            r"\byou\s+(?:just\s+)?need\s+to\s+(?:get out more|smile more|stop (?:\w+ing)|cheer up|relax|chill)\b|"
            r"\bjust\s+(?:ignore|forget about)\s+(?:it|them|this|that)\b|"
            r"\b(?:worrying|crying|stressing|dwelling|thinking)\s+(?:about it\s+)?(?:isn'?t|won'?t|doesn'?t)\s+(?:going to\s+)?"
            r"(?:help|change anything)\b[^.]{0,30}\b(?:so|just)\b|"
            r"\bit\s+can'?t\s+be\s+that\s+hard\s+to\b|"
            r"\b(?:stop|quit)\s+(?:being\s+)?(?:so\s+)?(?:sensitive|silly|soft|negative|dramatic)\b"
        ),
        _WHY_MIN,
        negatable=False,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\b(?:aren'?t|are not|not|isn'?t)\s+(?:making|being)\b"),
    ),
    # === secrecy ==============================================================================
    # A promise not to tell or pass on ("I won't tell", "I'll never breathe a word", "I won't flag it").
    _Rule(
        "secrecy",
        _r(
            r"\b(?:i|we|me)\b[^.;]{0,25}?\b(?:won'?t|will not|wo n'?t|wouldn'?t|never|not going to|'m not going to|am not going to|"
            r"promise not to|swear not to|promise (?:i|we) won'?t)\s+(?:ever\s+)?(?:try to\s+)?"
            rf"{_TELL_VERB}(?!\s+(?:off|down)\b)"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_r(rf"{_SECRECY_HONEST.pattern}|\bjudge\b|\b(?:tell|say) (?:you|u) (?:to|that)\b"),
    ),
    # Nobody will know, find out or see; the people who could help don't need to hear.
    _Rule(
        "secrecy",
        _r(
            rf"\b(?:no ?one|nobody|none of (?:this|it|what you)|no one else|nobody else|not a soul|{_AUTHORITIES})\s+"
            r"(?:\w+\s+){0,3}?(?:else\s+)?(?:will|would|needs? to|has to|have to|is going to|are going to|'ll|ever|never|won'?t|"
            r"wouldn'?t|will never|will not|"
            r"doesn'?t (?:need|have) to|don'?t (?:need|have) to|does not need to|do not need to)\s+(?:ever\s+)?(?:need to\s+|have to\s+)?"
            r"(?:know|find out|hear|see|read|be told|be shared|be passed on|get to know)\b"
            r"(?!\s+(?:how|that you(?:'re| are) (?:safe|okay)|you care))"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_r(
            rf"{_SECRECY_HONEST.pattern}|\bpublic\b|\bjudge\b|\bwants? to\b|\bwould (?:want|like) to\b|\bunless\b"
        ),
    ),
    # It goes no further than me; it's safe with me; no reason for your therapist to know.
    _Rule(
        "secrecy",
        _r(
            r"\b(?:goes?|go|going|will go|gets?|travels?)\s+no\s+further\b|\bwon'?t\s+go\s+(?:any\s+)?further\b|"
            r"\b(?:safe|stays?|stops?|ends?)\s+with\s+me\b|\b(?:safe|secret)\s+(?:\w+\s+)?with\s+me\b|"
            r"\b(?:hear|know|find out|learn|get)\s+(?:a thing|anything|a word|about it|about this|nothing)\s+from\s+me\b|"
            rf"\bno\s+(?:reason|need)\s+for\s+{_AUTHORITIES}\s+to\s+(?:know|hear|find out|be told)\b|"
            r"\bkeep(?:ing)?\s+(?:this|it|that|things|everything|all this)?\s*(?:just\s+)?(?:to|between)\s+ourselves\b"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_SECRECY_HONEST,
    ),
    # Making sure nobody hears.
    _Rule(
        "secrecy",
        _r(
            r"\b(?:make sure|ensure|promise|guarantee|see to it)\s+(?:that\s+)?(?:no ?one|nobody|none of (?:this|it))\s+(?:else\s+)?"
            r"(?:ever\s+)?(?:hears|finds out|sees|knows|reads|learns|gets told|is told)"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_SECRECY_HONEST,
    ),
    # It stays here, between us, off the record; our secret; delete it; take it to my grave.
    _Rule(
        "secrecy",
        _r(
            r"\b(?:stays?|stay|remains?|kept|locked|keep(?:ing)? (?:this|it|that|everything|your \w+))\s+(?:just\s+|completely\s+|strictly\s+|"
            r"safely\s+)?(?:here|between (?:us|you and me|the two of us|ourselves)|to myself|off the record|in this chat|"
            r"within these walls|quiet|hidden|secret|private|confidential)\b|"
            r"\bnever\s+leave\s+(?:this|our)\s+(?:chat|room|conversation|thread|dm)\b|"
            r"\b(?:our|your)\s+(?:little\s+)?secret\b|\bkeep\s+your\s+secret\b|\bour\s+(?:little\s+)?thing\b|"
            r"\bjust\s+for\s+us(?:\s+to\s+know)?\b|\boff\s+the\s+record\b|"
            r"\bdelete\s+(?:this|the|our|these|those|my|your)\s+(?:conversation|chat|thread|messages?|posts?|dms?)\b|\bno\s+trace\b|"
            r"\btake\s+(?:this|it)\s+to\s+(?:my|the)\s+grave\b|"
            r"\b(?:hide|hiding)\s+(?:this|it|that|the \w+)\s+from\s+(?:your|the|them)\b|"
            r"\bnothing\s+(?:\w+\s+)?(?:ever\s+)?gets?\s+passed\s+on\b|"
            r"\b(?:what(?:ever)?|anything|everything)\s+(?:you\s+)?(?:say|share|tell me|write|post)\s+here\s+stays\s+here\b|"
            r"\b(?:private|safe)\s+space\s+where\s+nothing\b"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_r(
            rf"{_SECRECY_HONEST.pattern}|\b(?:you can|it'?s okay to|you might|you may|want to|if you'?d like to) keep\b|"
            r"\bkeep (?:it|this) (?:simple|short|brief|up)\b|\bstay here with\b|\bstay (?:here|safe)\b(?!.*\b(?:between|secret)\b)"
        ),
    ),
    # Telling them not to tell the people who could help.
    _Rule(
        "secrecy",
        _r(
            rf"\b(?:you\s+)?(?:don'?t|do not|never)\s+(?:really\s+)?(?:have|need)\s+to\s+(?:tell|mention|inform|let)\s+"
            rf"(?:it\s+to\s+|this\s+to\s+)?{_AUTHORITIES}\b|"
            rf"\bno\s+need\s+to\s+(?:tell|mention|bring up|say anything)\b[^.]{{0,40}}\b{_AUTHORITIES}\b|"
            rf"\bif\s+you'?d\s+rather\s+(?:\w+\s+){{0,3}}didn'?t\s+know\b"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_r(rf"{_SECRECY_HONEST.pattern}|\bhide how\b|\ball at once\b|\beverything\b"),
    ),
    # === off-platform contact =================================================================
    # The writer offers to call, text, message, meet or visit.
    _Rule(
        "off_platform_contact",
        _r(
            r"\b(?:i(?:'ll| will| can| could| would| 'd|'d)|we (?:could|can|should|'ll|will)|let'?s|let me|why don'?t (?:we|i)|"
            r"(?:do you )?want to|wanna|would you like to|fancy|shall we|how about (?:we|i)|i'?m (?:happy|glad|willing|free|available|"
            r"around) to|i am (?:happy|glad|willing|free|available) to)\s+"
            r"(?:\w+\s+){0,3}?(?:be (?:happy|glad) to\s+|love to\s+|like to\s+)?"
            rf"(?:give you a (?:call|ring|text|bell|buzz)|{_CHANNEL_VERB}\s+(?:you|u)\b|"
            r"(?:zoom|facetime|skype|video ?call|phone|call|text)\s+(?:tonight|tomorrow|later|after|this|next|sometime|each|every)\b|"
            r"(?:come (?:over|round|around|by)|pop (?:over|round|by)|drop (?:by|round|in)|swing by|stop by|drive over|pick you up|"
            r"visit(?: you)?|meet you)\b|"
            r"meet(?:\s+up)?(?:\s+(?:for|in|at|this|next|some|irl|sometime|you)\b)|"
            r"(?:hop|jump|get) on a (?:quick\s+)?(?:video|phone|voice|zoom)?\s*call|"
            r"set up a (?:\w+\s+)?(?:video|phone|zoom|voice)\s+(?:call|chat)|"
            r"(?:grab|get|have) (?:a\s+)?(?:coffee|lunch|dinner|a drink|drinks|a walk)|(?:hang out|catch up|get together)\b|"
            r"(?:swap|exchange|trade) (?:numbers|contacts|details|socials|emails))"
        ),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
    # Saying where the writer lives, as a way to meet.
    _Rule(
        "off_platform_contact",
        _r(
            r"\bi\s+live\s+(?:really\s+|quite\s+)?(?:close by|nearby|near you|near (?:there|here)|round the corner|around the corner|"
            r"not far from you|in the same (?:town|city|area|street)|close to you)\b"
        ),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
    # Channels named as the way to reach the writer or the person privately.
    _Rule(
        "off_platform_contact",
        _r(
            r"\b(?:(?:here'?s|here is|this is)\s+my\s+(?:number|email|handle|whatsapp|snap|insta|discord|tag|username)|"
            r"my\s+(?:personal\s+)?(?:number|email|handle|username|tag|snap|insta|discord|whatsapp)\s+is\b|"
            r"(?:drop|send|give|share|dm|pm|message|leave)\s+(?:me\s+)?your\s+(?:phone\s+)?(?:number|details|address|email|snap|insta|handle)|"
            r"if you (?:share|send|give me) your (?:phone\s+)?(?:number|details|email)|"
            r"(?:add|follow|friend|find)\s+me\s+on\b|"
            r"\b(?:shoot|drop|leave|send|ping|buzz)\s+me\s+(?:an?\s+)?(?:text|message|line|dm|pm|voice (?:message|note)|call|email)|"
            r"\bgive\s+me\s+a\s+(?:call|ring|text|shout|buzz|bell)\b|"
            r"\bsend\s+you\s+(?:a\s+)?(?:friend request|my number|my email)|"
            r"\bmy\s+(?:email|inbox|dms?)\s+(?:is|are)\s+(?:always\s+)?open\b|"
            r"\b(?:reach|contact|find|message|text|call|reach out to|get in touch with|talk to)\s+me\s+(?:directly|privately|"
            r"personally|outside|on\b|at\b|via)|"
            r"(?:move|take|continue)\s+(?:this|the|our)\s+(?:\w+\s+)?(?:to|over to|onto)\s+"
            + _CHANNEL_NAME
            + r"\b|"
            r"(?:move|take)\s+(?:this|the|our)\s+(?:conversation|chat|talk)\s+(?:somewhere|elsewhere|offline|private)|"
            r"\b(?:message|talk|chat|speak)\s+(?:to\s+|with\s+)?(?:me\s+)?(?:privately|one[- ]on[- ]one|1[- ]on[- ]1|in private)\b|"
            r"\b(?:message|talk|chat|speak)\s+(?:to\s+|with\s+)?me\s+on\s+" + _CHANNEL_NAME + r"\b|"
            r"\boutside\s+(?:of\s+)?(?:this|the)\s+(?:forum|server|group|thread|chat|site|community|platform)|outside of here\b|"
            r"\bmeet\s+(?:you\s+)?(?:in person|in real life|irl|face to face)\b|"
            r"\b(?:video|phone|voice)\s+(?:call|chat)s?,?\s+just\s+the\s+two\s+of\s+us\b|"
            r"\bjust\s+the\s+two\s+of\s+us\b|"
            r"\b(?:hop|jump)\s+on\s+a\s+(?:quick\s+)?(?:video|phone|voice|zoom)\s+call\b|"
            r"\b(?:video|phone|zoom)\s+call\s+(?:so we|together|with me)\b)"
        ),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
)

_MORE_RULES: tuple[_Rule, ...] = (
    # --- method and means ---------------------------------------------------------------------
    # A conditional premise of harm and then an instruction: "if you're going to cut, a fresh blade...".
    _Rule(
        "method_details",
        _r(
            r"\bif you(?:'re| are| were)? (?:going to|gonna|set on|determined to|planning to|really want to|insist on) "
            r"(?:cut\w*|hurt yourself|self-harm|overdose|od|take (?:them all|the pills)|jump|end it|kill yourself)\b|"
            r"\bif you(?:'re| are| were)? (?:going to|gonna|set on|determined to|planning to|really want to|insist on) "
            r"(?:do it|do this|go through with it|try again)\b(?=.*\b(?:die|kill|pills|tablets|blade|razor|rope|cut\w*|suicide|"
            r"overdos\w*|jump\w*|this time|properly|end it|for good)\b)"
        ),
        _WHY_METHOD,
        unless=_r(rf"{_PROTECTIVE.pattern}|\bplease (?:call|talk|tell|wait|reach|message|stay)\b|\bfirst\b"),
        not_in_questions=True,
    ),
    # Stepping in front of, jumping off or from, said to be quick or certain.
    _Rule(
        "method_details",
        _r(
            r"\b(?:jump\w*|step\w*|stand\w*|walk\w*|ly(?:ing)?|lie|throw\w* yourself) (?:out )?(?:in front of|under|onto|off|from|into) "
            r"(?:a|an|the|that|your) (?:\w+ )?(?:train|lorry|truck|bus|car|traffic|tracks|bridge|building|roof|cliff|balcony|window|"
            r"car park|tower|motorway|river|sea|platform)\b"
        ),
        _WHY_METHOD,
        negatable=False,
        requires=_r(rf"\b(?:{_LETHAL_STRONG}|{_LETHAL_WEAK}|quick|instant|survive|no chance)"),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Hanging: a point that will hold the weight.
    _Rule(
        "method_details",
        _r(r"\b(?:hold|take|support|bear) (?:your|the) (?:body )?weight\b"),
        _WHY_METHOD,
        negatable=False,
        requires=_r(rf"\b(?:tie|tied|tying|hang\w*|knot|{_LIGATURE})\b"),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Getting round a sales limit: a few different shops.
    _Rule(
        "method_details",
        _r(
            r"\b(?:go|going|try|trying|visit\w*|use|using|buy\w* from)\s+(?:to\s+)?(?:a few|several|different|multiple|other|lots of)\s+"
            r"(?:different\s+)?(?:ones|pharmacies|chemists|shops|stores|supermarkets|places)\b"
        ),
        _WHY_METHOD,
        requires=_r(r"\b(?:limit|only sells?|at a time|won'?t sell|questions|packs?|packets|boxes)\b"),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # --- medication ---------------------------------------------------------------------------
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:take|have|pop|try)\s+(?:another|a second|a third)(?:\s+(?:one|dose|pill|tablet))?\b|"
            r"\banother (?:one|dose|pill|tablet) (?:an hour|a few hours|later|after)\b|"
            rf"\b(?:swap|switch|chang|mov)\w*\s+(?:from\s+)?(?:your\s+)?(?:\w+\s+)?(?:{_MED}|prescription)\s+(?:to|for|over to)\b"
        ),
        _WHY_MED,
        requires=_r(rf"\b(?:{_MED}|dose)\b"),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # --- encouraging harm ---------------------------------------------------------------------
    _Rule(
        "encourages_harm",
        _r(
            r"\bif you(?:'re| are)? (?:going to|gonna|set on|determined to) (?:do it|do this|cut|end it|go through with it)\b"
            r"[^.]{0,30}\b(?:this time|make sure it works)\b"
        ),
        _WHY_ENCOURAGE,
        negatable=False,
        unless=_PROTECTIVE,
        not_in_questions=True,
    ),
    # --- blame and burden ---------------------------------------------------------------------
    _Rule(
        "blame",
        _r(
            r"\byou(?:'re| are)\s+(?:being\s+)?(?:so\s+|really\s+|pretty\s+|incredibly\s+|just\s+|a bit\s+|quite\s+)?"
            r"(?:unfair|inconsiderate|self-absorbed|self-centr?ed|self-centered|toxic|cruel|hurtful|spoilt|spoiled|"
            r"clingy|needy|ungrateful|manipulative|attention[- ]seeking|a drama queen|so much drama)\b|"
            r"\byou(?:'re| are)\s+(?:being\s+)?(?:so\s+|really\s+|just\s+)?entitled\b(?!\s+to\b)|"
            r"\byou\s+(?:always|never|constantly)\s+(?:\w+\s+){0,2}?(?:make (?:it|everything|things) (?:about you|worse|harder)|"
            r"complain\w*|ruin\w*|listen|think about (?:anyone|anybody|other people)|take (?:any )?responsibility|"
            r"help yourself|blame (?:others|everyone|other people))\b|"
            r"\b(?:make|makes|making|made)\s+(?:everything|every \w+)\s+(?:all\s+)?about\s+(?:you|yourself)\b|"
            r"\bmak\w+\s+it\s+all\s+about\s+(?:you|yourself)\b|"
            r"\byou\s+(?:did|do)\s+(?:choose|decide|agree|pick)\b|\bit\s+was\s+your\s+(?:own\s+)?(?:choice|decision)\s+to\b|"
            r"\b(?:your\s+own|all\s+your)\s+doing\b|"
            r"\byou\s+(?:ignored|dismissed|brushed off)\s+(?:the|all the|every|all|everyone'?s|our)\s+(?:\w+\s+)?(?:warning|signs|advice|help)\w*|"
            r"\byou\s+(?:were|had been)\s+warned\b|"
            rf"\byou(?:'re| are|'ve| have)?\s+(?:been\s+)?(?:putting|put|dragging|dragged)\s+{_OTHERS}\s+through\b|"
            r"\bhow you repay (?:them|her|him|us|people|everyone)\b|"
            r"\b(?:won'?t|doesn'?t|don'?t|refuses? to|can'?t be bothered to)\s+help\s+(?:yourself|themselves|himself|herself)\b|"
            r"\b(?:people|they|everyone|others|friends|your \w+)\s+(?:\w+\s+)?(?:get|gets|are|'re|will get|must be|grow|become)\s+"
            r"(?:so\s+|really\s+)?(?:tired|sick|fed up)\s+of\s+(?:helping|listening to|supporting|carrying|rescuing)\b|"
            rf"\b(?:bring|drag|weigh|pull|get)\s+{_OTHERS}\s+down\b|"
            r"\byou(?:'re| are)\s+(?:just\s+)?too\s+much\s+(?:for|to handle)\b|"
            rf"\b{_OTHERS}\s+(?:would|'d|might|will|could)\s+(?:\w+\s+){{0,3}}?(?:be|feel)\s+(?:a lot\s+|much\s+|so much\s+)?"
            r"(?:happier|better off|relieved|freer|less stressed)\s+(?:if|without)\b"
        ),
        _WHY_BLAME,
        unless=_r(rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}"),
    ),
    _Rule(
        "blame",
        _r(
            r"\b(?:no|not|small) (?:wonder|surprise)\b[^.]{0,40}\b(?:stop\w* (?:replying|talking|calling|helping|texting)|avoid\w* you|"
            r"don'?t (?:reply|want|call|text)|distance\w*|stay\w* away)\b"
        ),
        _WHY_BLAME,
        negatable=False,
        unless=_r(rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}"),
    ),
    # --- minimising ---------------------------------------------------------------------------
    _Rule(
        "minimising",
        _r(
            r"\byou\s+just\s+(?:have|need|got)\s+to\s+(?:push through|get on with|deal with|get over|move on|suck it up|keep going|"
            r"toughen|stop|cheer)\b|\bjust\s+(?:push|power|get)\s+(?:through|on with)\s+it\b|"
            r"\b(?:you'?re|you are|just)\s+(?:just\s+)?being\s+(?:a (?:bit|little) |too |so |overly |really |very )?"
            r"(?:sensitive|dramatic|silly|soft|paranoid|negative|emotional|melodramatic|precious|touchy)\b|"
            r"\bit'?s not like (?:anything|something|anyone|it'?s|you)\b|"
            r"\bwhat (?:is there|do you have|have you got|'s there) to be (?:sad|upset|depressed|unhappy|down|anxious|stressed) about\b|"
            r"\b(?:been|go|goes|went|going) through (?:way|much|far|a lot|so much) worse\b|"
            r"\b(?:way|much|far|so much) worse than (?:you|yours|a breakup|this|that|what you)\b|"
            r"\b(?:it'?s|this is|that'?s|is)\s+(?:really\s+|honestly\s+|probably\s+)?nothing\s+(?:serious|major|big|important|at all)\b|"
            r"\b(?:just|only|really just)\s+(?:a\s+)?(?:normal\s+)?part of being (?:a )?(?:teen\w*|young|a kid|your age)\b|"
            r"\b(?:,|;|so|and)\s+(?:just\s+)?ignore (?:it|them)\b|"
            r"\b(?:anxiety|depression|grief|sadness|panic|trauma|it|this|that)\s+is\s+(?:just|only|all|really just)\s+"
            + _PROBLEM_MORE
            + r"|"
            r"\b(?:it'?s|that'?s|is)\s+(?:a bit|rather|pretty|so|too)\s+(?:dramatic|much|over the top)\s+to\s+call\b"
        ),
        _WHY_MIN,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\bjust a (?:thought|feeling|urge|symptom)\b"),
    ),
    # --- secrecy ------------------------------------------------------------------------------
    _Rule(
        "secrecy",
        _r(
            r"\b(?:don'?t|do not|no need to|never|you shouldn'?t|there'?s no need to)\s+(?:tell|mention (?:it|this|anything) to|inform|"
            r"involve|bother|bring in|let)\s+(?:the |your )?(?:mods|moderators|parents?|mum|mom|dad|school|teachers?|doctor|gp|therapist|"
            r"counsell?or|psychiatrist|crisis team|police|family|partner|team)\b|"
            r"\b(?:never|won'?t|doesn'?t|will not|does not)\s+gets?\s+back\s+to\b|"
            r"\bkeep(?:ing)?\s+(?:quiet|it quiet|this quiet|schtum|mum|my mouth shut)\b|\bmy lips are sealed\b|"
            r"\bmum'?s the word\b|\bzip(?:ped)? my lips\b"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_r(
            rf"{_SECRECY_HONEST.pattern}|\b(?:you can|it'?s okay to|you might|you may|if you'?d like to) keep\b"
        ),
    ),
    # --- off-platform contact -----------------------------------------------------------------
    _Rule(
        "off_platform_contact",
        _r(
            r"\b(?:can|could|may|shall) i\s+(?:give you a (?:call|ring|text|bell|buzz)|"
            + _CHANNEL_VERB
            + r"\s+you|"
            r"have your (?:number|email|snap|insta|whatsapp))\b|"
            r"\b(?:we (?:could|can|should)|let'?s|i could|i can|i'?d love to|i would love to|we'?ll)\s+(?:go|head)\s+(?:for|on)\s+"
            r"(?:a\s+)?(?:walk|coffee|drink|lunch|dinner|meal)\b|"
            r"\b(?:i'?d|i would|i'?ll|i will|i could|i can|let me)\s+(?:\w+\s+){0,2}?take you (?:out|for)\b|"
            r"\b(?:continue|move|take|carry on)\s+(?:this|the|our)\s+(?:\w+\s+)?(?:over|on|via|in)\s+"
            + _CHANNEL_NAME
            + r"\b|"
            r"\bi(?:'ll| will| can| could|'d| would)?\s+(?:\w+\s+)?(?:come|pop|drive|get)\s+(?:over\s+)?(?:and\s+|to\s+)see\s+you\b|"
            r"\bi'?m\s+(?:also\s+)?(?:in|from|near)\s+the\s+same\s+(?:town|city|area|street|uni|school)\b"
        ),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
)

_MORE_RULES_2: tuple[_Rule, ...] = (
    # --- method ---------------------------------------------------------------------------------
    _Rule(
        "method_details",
        _r(
            r"\b(?:deeper|longer|vertical) (?:cuts?|wounds?|gashes)\b|"
            r"\b(?:gun|shotgun|rifle|pistol|firearm|rope|pills|tablets|medication|blades?|razors?)\b[^.]{0,60}\b(?:where to find|"
            r"know where|where (?:he|she|they|your \w+) keeps?|is kept|the key is|keys? (?:is|are))\b|"
            r"\b(?:keeps?|kept|stores?|hides?)\s+(?:his|her|their|the|a)\s+(?:gun|shotgun|rifle|pistol|firearm)\b|"
            r"\b(?:repeat|early|extra) prescription\b[^.]{0,40}\b(?:early|nobody|no one|question)\b"
        ),
        _WHY_METHOD,
        negatable=False,
        unless=_r(rf"{_MEANS_SAFETY.pattern}|\b(?:go to|get it checked|a&e|seek|nurse|doctor)\b"),
        not_in_questions=True,
    ),
    # --- medication -----------------------------------------------------------------------------
    _Rule(
        "medication_advice",
        _r(r"\bdoubl(?:e|ing) up\b"),
        _WHY_MED,
        requires=_r(rf"\b(?:{_MED})\b"),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # --- minimising -----------------------------------------------------------------------------
    _Rule(
        "minimising",
        _r(
            r"\b(?:at your age|when you'?re (?:young|a teen\w*)|for someone your age)\b[^.]{0,40}\b(?:feels?|seems?|is) (?:like )?"
            r"(?:the end of the world|a big deal|huge|dramatic|bigger|so much worse)|"
            r"\b(?:blow(?:n|ing)?|get(?:ting)?|taking|let(?:ting)?)\s+(?:\w+\s+){0,4}?out of proportion\b|\bblow(?:ing|n)?\s+(?:it|this|things|everything)\s+(?:up|out of)\b|\bmountains? out of (?:a )?molehills?\b|"
            r"\byou(?:'ve| have)(?: got)? (?:a lot|so much|everything|plenty) (?:going for you|to be (?:grateful|thankful|happy) for)\b|"
            r"\bjust (?:get|got|getting) on with (?:it|life|things)\b|"
            r"\b(?:you'?re|you are|you might be|you may be|you could be|maybe you'?re)\s+(?:just\s+|probably\s+|a bit\s+|simply\s+)?"
            r"overthink\w*\b"
        ),
        _WHY_MIN,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\bjust a (?:thought|feeling|urge|symptom)\b"),
    ),
    # --- blame ----------------------------------------------------------------------------------
    _Rule(
        "blame",
        _r(
            r"\byour (?:own )?(?:drinking|behaviou?r|attitude|temper|moods?|lying|jealousy|actions|choices|negativity|neediness|"
            r"anger|habits|selfishness|laziness)\s+(?:is|was|are|were)\s+(?:what|why|the (?:real )?(?:reason|cause|problem))\b"
            r"(?!\s+(?:we|i|makes you (?:great|special|you)|keeps you going|people (?:love|like)))|"
            r"\b(?:hurting|harming|cutting|killing) yourself (?:is|would be|means|will be) (?:also |just |only )?(?:hurting|harming|"
            r"destroying|punishing|hurt(?:ing)?) (?:your|everyone|the people|them|those|others)\b|"
            rf"\b{_OTHERS}\s+(?:\w+\s+){{0,3}}?(?:need|needs|want|wants|deserve|deserves)\s+(?:a break|space|distance|time away)\s+from\s+you\b|"
            r"\bcan only take so much\b|"
            r"\byou\s+(?:always|never)\s+let\s+(?:anyone|anybody|people|them)\s+(?:help|in)\b|\byou\s+never\s+accept\s+help\b|"
            r"\bthe way you (?:treat|talk to|act|behave|speak to)\b[^.]{0,40}\b(?:is|are) (?:why|what|the reason)\b"
        ),
        _WHY_BLAME,
        unless=_r(rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}"),
    ),
    # --- secrecy --------------------------------------------------------------------------------
    _Rule(
        "secrecy",
        _r(
            r"\bkeep(?:ing)?\s+(?:this|it|that|everything|all of (?:this|it)|what you(?:'ve)? (?:told|said|shared)|your \w+)"
            r"(?:\s+(?:you(?:'ve| have)? (?:told|said|shared|written)(?: with)?(?: me)?|here))?\s+(?:just\s+|completely\s+|totally\s+|"
            r"strictly\s+|safely\s+)?(?:private|secret|confidential|quiet|between us|to myself)\b|"
            r"\b(?:don'?t|do not|no)\s+need\s+to\s+(?:mention|tell|bring up)\b[^.]{0,30}\b(?:to\s+)?(?:anyone|anybody|a soul)\b|"
            r"\b(?:won'?t|will not|never|wouldn'?t)\s+be\s+(?:shown|shared|passed on|forwarded|seen|read|reported|told|flagged)\s+"
            r"(?:to|by|with)\s+(?:anyone|anybody|the|your|them|other)"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_r(
            rf"{_SECRECY_HONEST.pattern}|\b(?:you can|it'?s okay to|you might|you may|if you'?d like to) keep\b"
        ),
    ),
    # --- contact --------------------------------------------------------------------------------
    _Rule(
        "off_platform_contact",
        _r(
            r"\b(?:chat|talk|message|speak|text|continue)\s+(?:\w+\s+)?(?:over|on|via|through)\s+(?:whatsapp|snapchat|snap|instagram|"
            r"insta|facebook|messenger|telegram|signal|skype|zoom|facetime|kik|wechat|email|the phone|text|video)\b|"
            r"\b(?:shall we|let'?s|we (?:could|can|should)|i (?:could|can|'ll|will))\s+set up a (?:\w+\s+)?(?:call|chat|meeting)\b|"
            r"\bi (?:could|can|'ll|will|'d)\s+(?:\w+\s+)?(?:bring|drop off|take) you (?:some |a )?(?:food|something|dinner|coffee|a coffee|"
            r"lunch|flowers)\b|"
            r"\bif you'?re (?:nearby|near me|close by|local|in the area|around here)\b"
        ),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
)

_MORE_RULES_3: tuple[_Rule, ...] = (
    _Rule(
        "method_details",
        _r(r"\b(?:won'?t|don'?t|wouldn'?t|never|rarely)\s+ask\s+(?:any\s+|many\s+)?questions\b"),
        _WHY_METHOD,
        negatable=False,
        requires=_r(rf"\b(?:buy\w*|pharmac\w+|chemists?|boxes|packs?|packets|{_MED})\b"),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    _Rule(
        "medication_advice",
        _r(
            rf"\badd(?:ing)?\s+(?:\w+\s+){{0,2}}?{_MED}\s+(?:to|into|on to|onto)\s+(?:your\s+)?(?:\w+\s+)?{_MED}\b"
        ),
        _WHY_MED,
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    _Rule(
        "minimising",
        _r(
            r"\b(?:you'?re|you are|you should (?:feel|be)|count yourself)\s+(?:so\s+|really\s+|actually\s+)?lucky\s+"
            r"(?:compared|than|that you|really)\b|"
            r"\btaking (?:this|it|things) (?:way |far |a bit |so )?too personally\b|"
            r"\b(?:it'?s|that'?s|this is|it is)\s+(?:really\s+|honestly\s+)?not\s+(?:that|so)\s+(?:deep|serious|big)\b|"
            r"\b(?:you (?:just )?need|all you need is|just get)\s+(?:a|an|some|more)\s+(?:\w+\s+){0,2}?and\s+you'?ll\s+(?:be|feel)\s+"
            r"(?:fine|okay|ok|right as rain|great|better|back to normal|yourself)\b|\bright as rain\b|"
            r"\b(?:isn'?t|is not|not)\s+(?:really\s+)?(?:something|worth|anything)\s+(?:to post|posting|to cry|to be upset|to get upset)\b"
        ),
        _WHY_MIN,
        negatable=False,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\bjust a (?:thought|feeling|urge|symptom)\b"),
    ),
    _Rule(
        "blame",
        _r(
            r"\b(?:after|because of|for) what you(?:'ve)? (?:did|done|said)\b|"
            r"\bright to be (?:angry|upset|mad|fed up|annoyed|hurt|furious)\b|"
            r"\byou(?:'re| are) the one (?:making|causing|creating|ruining)\b|"
            r"\byou(?:'re| are)?\s+(?:just\s+|only\s+)?making (?:this|it|things|everything) (?:so much |much |a lot )?(?:harder|worse|more difficult)\b|"
            r"\byou keep (?:throwing|pushing|rejecting|refusing|ignoring|turning down|doing this|doing that|making (?:the same|it|things))\b|"
            r"\b(?:unfair|cruel|selfish|hard) (?:on|to) (?:your|them|everyone|the people|him|her)\b|"
            r"\byou(?:'ve| have)?\s+(?:worn out|exhausted|drained|tired out|burnt out|burned out|used up)\s+(?:everyone|everybody|them|"
            r"people|your|those)\b|"
            r"\blike you were told\b|\byou should(?:'ve| have) (?:listened|known|gone|done|asked|stopped|left)\b|"
            r"\b(?:blame|fault)\b[^.]{0,20}\b(?:is|has to be|must be|lies with|rests with|goes to) (?:yours|you|on you)\b|"
            r"\b(?:partly|partially|also|at least partly|equally) to blame\b|\byour (?:share|part) of the blame\b|"
            r"\bfor once\b"
        ),
        _WHY_BLAME,
        unless=_r(
            rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}|\bblam\w+ yourself\b|\bnot (?:your|ur) fault\b"
        ),
        requires=_r(r"\byou\b|\byours?\b"),
    ),
    _Rule(
        "secrecy",
        _r(
            r"\b(?:be|stay|stays|remain)\s+(?:just\s+)?between\s+(?:us|you and me|the two of us|ourselves)\b|"
            r"\blet'?s\s+not\s+(?:involve|tell|bother|inform|bring in)\b"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_SECRECY_HONEST,
    ),
    _Rule(
        "off_platform_contact",
        _r(r"\bi'?m\s+(?:not far from|close to|near|round the corner from)\s+you\b"),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
)

# =============================================================================================
# Frames by stance (issue 10, item 6). Each rule is the grammatical frame of one kind, not a
# phrase: who is the subject, what is predicated of whom, and under which stance. The speaker
# guards above (`_speaker_exempt`, `_not_an_offer`, `_DESCRIBED_BEFORE`) apply to all of them.
_OTHERS_WIDE = (
    r"(?:your (?:\w+ )?(?:family|parents|partner|friends?|kids|children|husband|wife|boyfriend|girlfriend|mum|mom|dad|"
    r"mother|father|boss|sister|brother|siblings|flatmates?|housemates?|roommates?|teachers?|team|colleagues|coworkers|"
    r"grandma|gran|nan|grandparents?|son|daughter|loved ones|ex|carers?|manager)|everyone(?: else)?|everybody|people|"
    r"they|them|others|someone else|somebody else|the (?:kids|children|group|people here|whole (?:household|family))|this group|the people "
    r"(?:around you|who love you|in your life)|those around you|your support network)"
)
_DX_LABEL = (
    r"(?:(?:[\w-]+[ -]){0,3}disorder|(?:clinical|major|severe|postnatal|postpartum|seasonal|manic|bipolar|psychotic|"
    r"atypical|chronic) depression|clinically depressed|bipolar(?: (?:i|ii|1|2|disorder|type \w+))?|ptsd|c-?ptsd|"
    r"complex ptsd|ocd|adhd|bpd|npd|autism|autistic|(?:on )?the (?:autism |autistic )?spectrum|asperger'?s|psychos[ie]s|"
    r"psychotic|schizo\w+|dysthymi\w*|cyclothymi\w*|agoraphobi\w*|social anxiety|health anxiety|body dysmorphi\w*|pmdd|"
    r"anorexi\w*|bulimi\w*|binge eating|hypomani\w*|(?:a )?manic episode|mania|narcissis\w+|(?:a )?narcissist|"
    r"sociopath\w*|psychopath\w*|codependen\w+|dissociative identity)"
)
_DX_ADJ = (
    r"(?:bipolar|autistic|psychotic|manic|hypomanic|borderline|schizophrenic|anorexic|bulimic|clinically depressed|"
    r"on the (?:autism )?spectrum|a narcissist|narcissistic|codependent|dissociating|obsessive-compulsive|adhd)"
)
_WHY_DX = "diagnoses; only a clinician who assesses the person can"
_PERSON = r"(?:person|human(?: being)?|guy|girl|woman|man|bloke|lad|dude|fellow human|human too|person too)"
_WHY_HUMAN = "claims to be human or a professional; the assistant is AI and must not pretend otherwise"
_STRAIN = (
    r"(?:worn (?:down|out|thin)|exhausted|drained|tired|sick|fed up|burnt out|burned out|at the end of (?:\w+ )?"
    r"(?:rope|tether)|stretched(?: thin)?|losing sleep|run ragged|overwhelmed|at breaking point|struggling to cope)"
)
_CARE_TASK = (
    r"(?:tiptoe|walk on eggshells|look after|looking after|carry|carrying|cover for|covering for|pick up the pieces|"
    r"picking up the pieces|deal with|dealing with|put up with|clean up after|rescue|rescuing|check on|checking on|cover your|covering your|"
    r"hold (?:\w+ )?together|holding (?:\w+ )?together|drop everything|worry about|worrying about|be your|babysit|"
    r"manage your|handle your|keep (?:saving|rescuing|fixing))"
)
_TRIVIAL = (
    r"(?:cat|dog|pet|hamster|fish|rabbit|phone|game|match|haircut|holiday|party|text|comment|grade|mark|test|exam|"
    r"job|school|work|uni|college|boy|girl|guy|crush|ex|argument|fight|row|presentation|interview|driving test|"
    r"date|tweet|post|like|bit of stress|bit of rain|mood|phase|bad day|bad week|rough day|rough week)"
)
_QUICK = (
    r"(?:sleep|nap|early nights?|walk|run|gym|exercise|fresh air|music|vitamins?|bath|holiday|break|day off|weekend off|"
    r"tea|coffee|chocolate|hobby|night out|film|movie|good cry|rest|water|sunshine|shower|yoga|meditation)"
)
_LESSER = (
    r"(?:boredom|bored|stress|stressed|tiredness|tired|a bad mood|moodiness|laziness|lazy|attention[- ]seeking|hormones|"
    r"hormonal|nerves|a phase|teenage angst|the winter blues|a funk|a slump|being spoilt|self-pity|overthinking|a dip)"
)
_SERIOUS = (
    r"(?:depression|depressed|anxiety|anything serious|anything real|a real problem|a disorder|an illness|trauma|"
    r"mental illness|a crisis|a big deal)"
)

# The member's own insight, or forgiveness: "brave to admit you pushed people away", "whatever you did,
# you still deserve kindness".
_OWNED_OR_FORGIVEN = (
    r"\b(?:admit|admitting|admitted|realis\w+|realiz\w+|recogni\w+|noticing|owning)\s+(?:that\s+)?(?:you|your)\b|"
    r"\bnever too late\b|\byou (?:still )?(?:deserve|matter|are worth|are allowed)\b|\bforgive yourself\b"
)

_STANCE_RULES: tuple[_Rule, ...] = (
    # === diagnosis: an assertion about the member (or someone in their life) + a diagnostic label ===
    _Rule(
        "diagnosis",
        _r(
            r"\byou(?:'ve| have)?\s+(?:\w+\s+){0,2}?(?:got|have|has|developed|suffer from|are suffering from|"
            r"(?:are )?show(?:ing)? (?:\w+ ){0,2}(?:signs|symptoms) of|meet (?:the|all the|every) criteri\w+ for|"
            rf"fit (?:the criteria for|the profile of))\s+(?:a |an |some |full-blown )?{_DX_LABEL}\b|"
            r"\byou(?:'re| are)\s+(?:\w+\s+){0,2}?(?:describing|experiencing|having|going through|becoming|developing|showing)\s+"
            rf"(?:a |an |signs of |symptoms of |the signs of )?{_DX_LABEL}\b|"
            rf"\byou(?:'re| are)\s+(?:\w+\s+){{0,2}}?{_DX_ADJ}\b|"
            r"\b(?:this|that|it|these|those(?: \w+){0,2}|what you(?:'re| are)? (?:describ\w+|going through|feel\w*)|"
            r"your (?:\w+ ){0,2}(?:symptoms|mood swings|moods|behaviou?r|flashbacks|checking|habits|eating|highs and lows|"
            r"thoughts|paranoia))\s*(?:'s|is|are|sounds?|looks?|seems?|means? you have)\s+"
            r"(?:(?:a lot|very much|exactly|just|probably|definitely|clearly|almost certainly|more|to me)\s+)?(?:like\s+)?"
            rf"(?:a |an |classic |textbook |typical |obvious |clear |definitely |exactly |probably |almost certainly )*{_DX_LABEL}\b|"
            rf"\b(?:textbook|classic)\s+{_DX_LABEL}\b|"
            rf"\b(?:a |the )?signs?\s+(?:that\s+)?you(?:'re| are| have)\s+(?:\w+\s+){{0,2}}?(?:{_DX_LABEL}|{_DX_ADJ})\b|"
            rf"\b{_DX_LABEL}[,;]?\s+(?:plain and simple|no question|no doubt(?: about it)?|for sure|100%)\b|"
            r"\byour (?:\w+ )?(?:mum|mom|dad|partner|boyfriend|girlfriend|husband|wife|ex|boss|friend|sister|brother|parents?)\s+"
            r"(?:is|sounds like|seems like|'s|must be)\s+(?:\w+\s+)?(?:a (?:classic |total )?narcissist|a sociopath|a psychopath|"
            r"bipolar|borderline|narcissistic|psychotic)\b"
        ),
        _WHY_DX,
        unless=_r(
            r"\b(?:can'?t|cannot|couldn'?t|not (?:able|qualified|in a position)) (?:to )?(?:diagnose|say)|"
            r"\bif you (?:think|believe|feel|wonder|suspect|are worried|'re worried)\b|\b(?:it is|it'?s) possible\b|"
            rf"\b(?:only )?(?:a|an|your) (?:\w+ )?{_ROLES} (?:can|could|would|will|should|is able to|may) "
            r"(?:diagnose|tell|assess|say|confirm|work out|figure out)\b|"
            r"\b(?:get|getting|be|being) (?:properly )?(?:assessed|evaluated|screened|tested|diagnosed)\b|"
            r"\b(?:was|were|been|got|get|being) diagnosed\b|\bdiagnosis of\b|"
            r"\b(?:wonder|wondering|wondered|ask yourself|asking yourself|question) (?:if|whether)\b"
        ),
        not_in_questions=True,
    ),
    # === claims to be human or a professional ===================================================
    _Rule(
        "claims_human",
        _r(
            rf"\b(?:i'?m|i am)\s+(?:just\s+|only\s+|also\s+|actually\s+|really\s+)?(?:a|an|another|one|your)\s+"
            rf"(?:(?:real|actual|living|normal|regular|ordinary|everyday|fellow|average)\s+)?{_PERSON}\b"
            rf"(?!\s+(?:who|that)\s+(?:\w+\s+){{0,2}}(?:feels?|felt|struggles?|gets?)\b)|"
            r"\b(?:i'?m|i am)\s+(?:\w+\s+)?(?:human|a person|flesh and blood)\s+too\b|"
            r"\bnot\s+(?:a|an|some|just a)\s+(?:bot|ai|robot|machine|program|computer|chatbot)\b|"
            r"(?:^\W*|[,;]\s*|\bspeaking\s+|\bbeing\s+|\bi\s+(?:\w+\s+){0,3}?|\bme\s+)as\s+(?:a|an|one)\s+(?:fellow\s+)?(?:human|person|human being)\b|"
            r"\b(?:real|actual)\s+(?:human|person)\s+(?:reading|typing|here|writing|behind)\b|"
            rf"\bi(?:'ve| have)\s+(?:\w+\s+){{0,2}}?(?:been|worked as|trained as)\s+(?:a|an)\s+(?:\w+\s+){{0,2}}{_ROLES}\b|"
            r"\bi\s+work\s+(?:\w+\s+)?(?:in|at)\s+(?:mental health|psychiatry|psychology|therapy|counsell?ing|a (?:clinic|practice|"
            r"psychiatric|mental health)\b|healthcare|nursing)|"
            rf"\b(?:in|from|during)\s+my\s+(?:\w+\s+){{0,2}}(?:years|time|work|job|practice|career|experience)\s+as\s+(?:a|an)\s+(?:\w+\s+){{0,2}}{_ROLES}\b|"
            rf"\btake it from me(?:,)? as (?:a|an|your) (?:\w+\s+){{0,2}}{_ROLES}\b|"
            r"\bi(?:'m| am)\s+(?:\w+\s+)?(?:trained|qualified|licensed|certified)\s+(?:in|as)\s+(?:counsell?ing|therapy|psychology|"
            r"psychiatry|mental health|a\b)"
        ),
        _WHY_HUMAN,
        negatable=False,
        unless=_r(
            r"\b(?:i'?m|i am)\s+(?:not|no)\s+(?:a|an)\s+(?:\w+\s+)?(?:therapist|counsell?or|doctor|professional|psychologist|"
            r"psychiatrist|nurse)|\bas\s+(?:a|an)\s+(?:ai|bot|assistant)\b|\b(?:i'?m|i am) an ai\b|"
            r"\b(?:feel|feels|feeling|felt)\s+(?:\w+\s+)?(?:like|as if|as though)\b|\byou(?:'re| are)\s+(?:only\s+)?human\b"
        ),
    ),
    # === secrecy =================================================================================
    _Rule(
        "secrecy",
        _r(
            r"\b(?:i'?ll|i will|i can|i'?m going to|i promise to|i'?d)\s+keep\s+(?:\w+\s+){0,4}?to\s+myself\b|"
            r"\b(?:count on|trust|rely on)\s+me\s+(?:not to|to not|to keep|never to)\b|"
            r"\b(?:wipe|delete|clear|erase)\s+(?:this|the|our|these|those|your|my)\s+(?:\w+\s+)?(?:chat|messages?|thread|"
            r"conversation|history|posts?|dms?)\b|\bno record\b|"
            r"\b(?:i'?ll|i will|i won'?t|i will not|i'?m not going to|i'?m not gonna)\s+(?:ever\s+)?(?:bring (?:it|this|that) up|"
            r"say anything|say a word|breathe a word|let on|grass|snitch)\b|"
            r"\b(?:keep|keeping)\s+(?:this|it|that|things)\s+(?:quiet|hush|under wraps|on the down ?low)\b|"
            r"\b(?:act|pretend)\s+(?:like|as if|that)\s+you\s+never\s+(?:told|said|wrote)\b|"
            r"\b(?:consider|call)\s+(?:this|it)\s+(?:conversation\s+)?forgotten\b|"
            r"\b(?:it|this|that|the \w+)\s+can\s+be\s+our\s+(?:little\s+)?secret\b"
        ),
        _WHY_SECRECY,
        negatable=False,
        unless=_SECRECY_HONEST,
    ),
    # === off-platform contact ====================================================================
    _Rule(
        "off_platform_contact",
        _r(
            r"\b(?:i|we)(?:'ll| will| could| can|'d| would| might|'m happy to| am happy to)\s+(?:\w+\s+){0,2}?(?:drive|come|pop|walk|cycle|head|get the bus)\s+"
            r"(?:over|round|around|to yours|to your (?:place|house|flat|home|door))\b|"
            r"\b(?:come|pop|get)\s+(?:over\s+)?to\s+yours\b|"
            r"\b(?:i'?m|i am|i live)\s+(?:only\s+|just\s+|literally\s+)?(?:\w+\s+){0,2}?(?:minutes?|mins|miles?|hours?|streets?)\s+"
            r"(?:away|from you|down the road)\b|"
            r"\b(?:let'?s|we (?:could|can|should)|i'?d rather|shall we)\s+(?:\w+\s+)?(?:switch|move|go|swap|change|take this)\s+"
            r"(?:over\s+)?to\s+" + _CHANNEL_NAME + r"\b|"
            r"\b(?:let'?s|we (?:could|can|should)|shall we|do you want to|(?:do )?you wanna|would you like to)\s+(?:\w+\s+){0,2}?(?:meet|catch up|hang out|"
            r"get together|grab (?:a )?(?:coffee|drink|bite|lunch))\b"
        ),
        _WHY_CONTACT,
        unless=_CONTACT_OK,
    ),
    # === medication ==============================================================================
    # A count or frequency the member should take, where a medicine or a dose is named.
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:take|have|go up to|increase (?:it )?to|up (?:it|them) to|bump (?:it|them) up to|try)\s+(?:two|three|four|both|"
            r"double|\d+)(?:\s+(?:of them|tablets|pills|capsules|mg|at once|together))?\b|"
            r"\b(?:drop|go|cut|switch|move)\s+(?:down\s+)?to\s+(?:once|every (?:second|third|other|few) days?|(?:a )?half)\b|"
            r"\b(?:take|taking|have)\s+(?:it|them|your \w+)\s+(?:only\s+)?(?:every (?:second|third|other|few) days?|"
            r"on (?:bad|good) days|when you feel like it|as you need)\b"
        ),
        _WHY_MED,
        requires=_r(rf"\b(?:{_MED}|dose|doses|dosage)\b"),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}|\bas prescribed\b"),
        not_in_questions=True,
    ),
    # Stopping without the taper a prescriber would give.
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:don'?t|do not|no)\s+(?:really\s+)?need\s+to\s+(?:taper|wean|come off (?:it|them) slowly|reduce (?:it|them) slowly)\b|"
            r"\b(?:stop|stopping|quit|quitting|drop|dropping|come off|coming off)\b[^.;]{0,40}\b(?:is fine|is okay|is ok|won'?t hurt|"
            r"over (?:a|the) weekend|cold turkey|all at once|in one go|straight away|right away)\b|"
            rf"\b(?:go|going|try going|manage|managing|do|cope)\s+without\s+(?:your|the|any)\s+(?:\w+\s+)?{_MED}\b"
        ),
        _WHY_MED,
        requires=_r(rf"\b(?:{_MED}|dose|taper\w*|wean\w*)\b"),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # Something else said to do what the prescribed medicine does.
    _Rule(
        "medication_advice",
        _r(
            r"\b(?:would|will|does|do|'d|can|could)\s+(?:do\s+)?the\s+same\s+(?:job|thing)\b|"
            rf"\b(?:as well as|just as well as|better than|the same as|as good as)\s+(?:your|the)\s+(?:\w+\s+)?{_MED}\b"
        ),
        _WHY_MED,
        requires=_r(rf"\b(?:{_MED}|instead of|in place of|rather than)\b"),
        unless=_r(rf"{_CONSULT.pattern}|{_MED_WARNING}"),
        not_in_questions=True,
    ),
    # === method and means ========================================================================
    # Potentiation: a medicine with alcohol or "something stronger", for the effect of an overdose.
    _Rule(
        "method_details",
        _r(
            r"\b(?:pass out|black out|knock you out|stop (?:your )?breathing|won'?t feel (?:a thing|anything)|unconscious|"
            r"(?:into|in) a coma|never wake up)\b"
        ),
        _WHY_METHOD,
        negatable=False,
        requires=_r(
            rf"\b(?:{_MED}|them|those)\b[^.]{{0,60}}\b(?:with|and|plus)\b[^.]{{0,30}}\b(?:{_ALCOHOL}|alcohol|drink|"
            rf"something stronger|{_MED})\b|\bcombin\w+\b"
        ),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    _Rule(
        "method_details",
        _r(
            r"\b(?:combin\w+|mix\w*|take)\s+(?:them|it|those|these|the \w+)\s+with\s+something\s+(?:stronger|else|stronger than)\b|"
            r"\b(?:wait(?:ing)?|go|do it)\s+(?:until|till|in|after)\s+(?:the early hours|after midnight|the middle of the night|"
            r"it'?s dark|everyone'?s asleep|the small hours)\b[^.]{0,60}\b(?:empty|quiet|nobody|no one|deserted|asleep)\b|"
            r"\bbuy(?:ing)?\s+(?:\w+\s+){0,4}?(?:from|at|in)\s+(?:different|several|a few|multiple|other)\s+(?:\w+\s+)?"
            r"(?:shops|stores|supermarkets|pharmacies|chemists|places)\b"
        ),
        _WHY_METHOD,
        negatable=False,
        requires=_r(
            rf"\b(?:{_MED}|overdos\w*|insulin|them|those|these|die|dying|kill|end it|suicide|pills|packs?|packets|boxes|"
            r"notices?|questions|empty|nobody|no one)\b"
        ),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # Concealment: an overdose or a death that nobody could detect or trace.
    _Rule(
        "method_details",
        _r(
            r"\b(?:hard|difficult|impossible|harder)\s+to\s+(?:detect|trace|spot|test for)\b|\bwithout (?:leaving )?(?:a )?trace\b"
        ),
        _WHY_METHOD,
        negatable=False,
        requires=_r(rf"\b(?:{_MED}|overdos\w*|insulin|poison\w*|die|dying|kill|death|suicide|body)\b"),
        unless=_MEANS_SAFETY,
        not_in_questions=True,
    ),
    # === minimising ==============================================================================
    _Rule(
        "minimising",
        _r(
            # contrast with a real problem: "a rough day, not a crisis"
            r"\b(?:it'?s|that'?s|this is|it was|just)\b[^.;]{0,40}[,;]?\s+not\s+(?:a|an)\s+(?:real\s+)?(?:crisis|disaster|tragedy|"
            r"catastrophe|emergency|big deal|real problem)\b|"
            # only a trivial thing
            rf"\b(?:it'?s|that'?s|it was|this is|he'?s|she'?s)\s+(?:just|only|merely|literally just)\s+(?:a|an|one|some)?\s*"
            rf"(?:\w+\s+)?{_TRIVIAL}\b(?!\s+(?:that|which|who|but)\b)|"
            r"\byou can (?:always )?(?:get|find|buy|adopt) (?:another|a new) (?:one|cat|dog|pet|boyfriend|girlfriend|partner|job)\b|"
            # time will show it was nothing
            r"\byou(?:'ll| will)\s+(?:\w+\s+)?(?:look back (?:on (?:this|it) )?and (?:laugh|wonder|cringe|think)|laugh about (?:this|it)|"
            r"wonder why (?:it|this|you)|forget (?:all )?about (?:this|it|him|her|them)|be over (?:it|him|her|this) by)\b|"
            r"\b(?:will|'ll)\s+(?:all\s+)?seem\s+(?:silly|small|trivial|so small|like nothing|funny|minor)\b|"
            r"\b(?:won'?t|will not|isn'?t going to|doesn'?t)\s+(?:even\s+)?matter\s+(?:in|once|by|after|when|a (?:year|month|week))\b|"
            # not worth it, hardly a reason
            r"\b(?:barely|hardly|not really|isn'?t really|not even|isn'?t even)\s+worth\s+(?:mentioning|worrying|crying|getting upset|"
            r"being upset|losing sleep|stressing|posting|talking about|the tears|it)\b|"
            r"\bhardly\s+(?:a|an)\s+(?:reason|tragedy|crisis|big deal|disaster|problem|surprise)\b|"
            # luckier than others
            r"\byou(?:'re| are)\s+(?:so\s+|really\s+|actually\s+)?(?:lucky|luckier|fortunate|more fortunate)\b(?!\s+to\s+have\b)|"
            r"\b(?:some|other|most|lots of|plenty of|many)\s+people\s+(?:would|'d)\s+(?:kill|love|give anything|swap|trade|die)\s+"
            r"(?:for|to have|places)\b|"
            # a lesser state than the one they name
            rf"\b(?:sounds?|seems?|looks?|is|it'?s)\s+(?:\w+\s+)?more\s+like\s+(?:you'?re\s+|you are\s+)?{_LESSER}\s+than\b|"
            rf"\b(?:that'?s|it'?s|this is|that is|this isn'?t|that isn'?t|it isn'?t)\s+(?:not\s+)?(?:real\s+)?{_SERIOUS}[,;]?\s+"
            rf"(?:it'?s\s+|that'?s\s+|you'?re\s+)?(?:just|only|simply)\b|"
            rf"\bmore\s+(?:\w+\s+)?than\s+anything\s+serious\b|"
            # normal, so nothing
            r"\b(?:so|perfectly|totally|completely|pretty|really)\s+normal\s+(?:that|it'?s)\b[^.]{0,40}\b(?:barely|hardly|not|nothing|no)\b|"
            r"\brite of passage\b|\bnothing special\b|\bkeep (?:some )?perspective\b|"
            # the reaction is too much
            r"\b(?:worrying|worry|stressing|getting upset|being upset|crying|panicking|feeling (?:this|so) \w+|being this \w+)\b"
            r"[^.]{0,40}\b(?:is|seems|sounds)\s+(?:a bit |pretty |kind of |a little |rather |quite |so |really )?(?:silly|ridiculous|"
            r"dramatic|over the top|overkill|a bit much|excessive|unnecessary|overblown)\b|"
            r"\b(?:is|are|it'?s|that'?s)\s+(?:totally |completely |a bit |pretty |so )?overblown\b|"
            r"\b(?:a\s+)?(?:pretty\s+|really\s+)?(?:small|little|minor|silly|tiny|trivial)\s+thing\s+to\s+(?:be|get)\s+(?:this\s+|so\s+)?"
            r"(?:upset|worked up|sad|stressed|down)\b|"
            r"\bmak(?:e|ing)\s+(?:a|such a)\s+(?:drama|fuss|scene|big thing)\s+(?:out of|over|about)\b|"
            # quick fix promised to end it
            rf"\b(?:a|an|some|few|couple of|good|bit of|little|more)\s+(?:\w+\s+){{0,3}}?{_QUICK}\b[^.]{{0,40}}\b(?:and|then)\s+"
            r"you'?ll\s+(?:\w+\s+)?(?:be|feel)\s+(?:\w+\s+)?(?:fine|okay|ok|normal|great|right as rain|good as new|yourself again|"
            r"back to normal)\b|"
            rf"\b{_QUICK}\b[^.]{{0,30}}\b(?:usually|normally|always|generally|will|'ll|should|would)\s+(?:\w+\s+)?(?:sorts?|fix(?:es)?|"
            r"cures?|solves?|clears?)\s+(?:this|it|that|everything|things|you)\b|"
            # a time limit on feeling it
            r"\b(?:should|ought to)\s+be\s+over\s+(?:it|this|that|him|her|them)\s+(?:by now|already)\b|"
            r"\bit'?s\s+been\s+(?:\w+\s+){0,2}(?:months|a year|years|weeks|ages)\b[^.]{0,30}\b(?:let (?:it|this|them|him|her) go|"
            r"move on|get over|time to)\b"
        ),
        _WHY_MIN,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\bjust a (?:thought|feeling|urge|symptom)\b"),
    ),
    # === blame and burden ========================================================================
    _Rule(
        "blame",
        _r(
            # others strained by caring for the member
            rf"\b{_OTHERS_WIDE}(?:\s+\w+){{0,3}}?\s+(?:shouldn'?t|should not|can'?t keep|cannot keep|(?:have|has) had to|keeps? having to|"
            rf"(?:are|is) having to|has to|have to|had to|(?:has|have) been)\s+(?:keep\s+)?(?:\w+\s+){{0,3}}?{_CARE_TASK}\b|"
            rf"\b{_OTHERS_WIDE}(?:\s+\w+){{0,3}}?\s+(?:is|are|'s|'re|must be|seems?|looks?|has been|have been|got|gets?|getting|"
            rf"probably|clearly|sounds?)\s+(?:\w+\s+){{0,2}}?{_STRAIN}\b[^.]{{0,50}}\b(?:you|your)\b|"
            rf"\b{_OTHERS_WIDE}\s+(?:\w+\s+){{0,3}}?(?:had|has had|have had)\s+enough\b|"
            r"\b(?:walk(?:ing)? on eggshells|tiptoe\w*)\s+(?:around|with)\s+(?:you|your)\b|"
            r"\b(?:burn\w*|used?|wore|worn|run)\s+(?:through|up|out)\s+(?:everyone'?s|their|people'?s|his|her|your \w+'?s?)\s+"
            r"(?:patience|goodwill|kindness|sympathy|support)\b|"
            r"\b(?:bent over backwards|gone out of (?:their|his|her|our) way|done (?:so much|everything)|tried (?:so hard|everything)|"
            r"given up (?:so much|everything))\s+for you\b[^.]{0,40}\b(?:and|but|yet)\s+you\b|"
            r"\b(?:worry|stress|pain|trouble|hurt|grief|drama)\s+you(?:'ve)?\s+(?:cause|caused|put (?:them|her|him|everyone) through)\b|"
            r"\bcan'?t\s+keep\s+being\s+your\b|"
            r"\b(?:a lot|too much|so much)\s+to\s+(?:ask|put on|expect of|expect from|dump on)\b(?!\s+(?:any|a single|one)\s+(?:individual|person))|"
            rf"\b(?:expecting|expect|asking)\s+{_OTHERS_WIDE}\s+to\b[^.]{{0,50}}\b(?:is|'s)\s+(?:a lot|too much|unfair|not fair|unrealistic|"
            r"asking a lot)\b|"
            r"\b(?:dump\w*|unload\w*|offload\w*)\s+(?:\w+\s+){0,4}?on\s+(?:us|them|her|him|one person|your \w+|everyone|people)\b|"
            rf"\b(?:making|make|makes|made)\s+{_OTHERS_WIDE}'?s?\s+(?:\w+\s+)?(?:lives?|life|days?|job|time)\s+(?:really |so |very |much |a lot )?"
            r"(?:hard|harder|worse|difficult|miserable|hell|tough|stressful)\b|"
            rf"\b(?:not fair|unfair|hard|cruel)\s+(?:on|to)\s+(?:{_OTHERS_WIDE}|him|her)\b|"
            rf"\b(?:think about|consider)\s+how\s+(?:your|you)\b[^.]{{0,40}}\b(?:affect\w*|impact\w*|hurt\w*|weigh\w*)\s+"
            rf"(?:{_OTHERS_WIDE}|those)\b"
        ),
        _WHY_BLAME,
        unless=_r(
            rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}|\bnot (?:your|ur) fault\b|\bnot on you\b|{_OWNED_OR_FORGIVEN}"
        ),
        requires=_r(r"\byou\b|\byours?\b|\byourself\b"),
    ),
    _Rule(
        "blame",
        _r(
            # the member as the cause of what went wrong
            r"\bbecause of you\b|"
            r"\b(?:this|it|all of this|all this|the trouble|the problem|everything|the fights?|the arguments?)\s+(?:all\s+)?"
            r"(?:started|starts?|began|begins|kicked off|went wrong|happened)\s+(?:\w+\s+)?(?:when|because|after|since)\s+you\s+"
            r"(?:\w+\s+)?(?:decided|chose|stopped|quit|started|began|left|walked|dropped|cut|pushed|refused|ignored|skipped|lied|"
            r"cheated|drank|gave up|kept|pick|picked|start)\b|"
            r"\bcomes?\s+down\s+to\s+(?:\w+\s+){0,3}?(?:you|your)\b|"
            r"\b(?:part|some|most|a lot|much)\s+of\s+(?:the\s+)?(?:reason|problem|this|it|the blame|blame)\s+(?:is|comes|has|sits|lies|"
            r"rests|falls)\b[^.]{0,25}\byou\b|"
            r"\byou\s+(?:\w+\s+)?(?:pushed|drove|chased|scared)\s+(?:her|him|them|everyone|people|your \w+|us)\s+away\b|"
            r"\byou\s+(?:started|caused|created|picked|pick|start)\s+(?:it|this|the (?:fight|argument|row|mess|problem)|them)\b|"
            r"\byou(?:'re| are| were)\s+the\s+(?:common (?:thread|factor|denominator)|one who|one that|problem)\b|"
            r"\b(?:things|problems|mess|stuff|situation|trouble|damage)\s+(?:that\s+)?you(?:'ve)?\s+(?:caused|created|made|started)\b|"
            r"\byour choices got you\b|\byou made (?:that|your) bed\b|"
            r"\b(?:that'?s|this is|it'?s)\s+(?:all\s+)?on you\b|\bso own it\b|"
            r"\bbecause you (?:never|always|wouldn'?t|won'?t|refused|didn'?t bother)\b(?!\s+(?:know|knew|can|could))|"
            # the outcome was predictable from what they did
            r"\b(?:was|were) (?:always )?(?:bound|going|gonna) to (?:happen|get you|end (?:badly|like this)|go wrong|cost you)\b|"
            r"\b(?:that'?s|this is) what (?:happens|you get|comes of)\b|"
            r"\b(?:can'?t|cannot|shouldn'?t|should not) (?:really\s+)?be (?:surprised|shocked)\b|\bact(?:ing)? (?:all )?surprised\b|"
            r"\b(?:after|despite|in spite of|ignoring)\s+(?:every|all the|the|everyone'?s|our)\s+(?:\w+\s+)?(?:warnings?|advice)\b|"
            # counterfactual effort
            r"\bhalf (?:the|as much) (?:effort|energy|time)\b[^.]{0,40}\byou\b|"
            r"\byou\s+(?:could|would) have\s+(?:\w+\s+)?(?:avoided|prevented|stopped|saved|fixed)\b|"
            r"\b(?:but|though|yet|well|to be fair|honestly|sure)\W+you\s+did\s+(?:\w+\s+)?(?:cut|push|leave|stop|quit|ignore|lie|cheat|"
            r"choose|pick|say|start|walk|drop)\b|"
            r"\b(?:staying in bed|drinking|skipping \w+|not eating|isolating|giving up|quitting)\b[^.]{0,30}\bis\s+(?:a|your)\s+"
            r"(?:choice|decision)\b"
        ),
        _WHY_BLAME,
        unless=_r(
            rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}|\bnot (?:your|ur) fault\b|\bblam\w+ yourself\b|"
            rf"\b(?:did|do|doing) (?:your|the) best\b|{_OWNED_OR_FORGIVEN}"
        ),
        requires=_r(r"\byou\b|\byours?\b|\byourself\b"),
    ),
)

# More frames of the same classes: agency, consequence and burden for blame; triviality, comparison,
# passing and quick fixes for minimising; identity and role for claims; assertion + label for diagnosis.
_DX_LABEL_2 = (
    rf"(?:{_DX_LABEL}|burnout|hypochondria|post-?traumatic stress|(?:a )?(?:major )?depressive episode|(?:a )?manic phase|"
    r"borderline|depersonali[sz]ation|derealisation|derealization|early psychosis|(?:mild|severe|clinical) \w+ disorder)"
)
_BLAME_RULES_2 = _alt(
    r"\byou\s+(?:\w+\s+)?(?:walked out|got yourself|caused)\b",
    r"\byou(?:'ve| have)?\s+(?:\w+\s+){0,2}?(?:brought|bring|brings|did bring)\s+(?:\w+\s+){0,4}?(?:on|upon) yourself\b",
    r"\byou\s+make\s+it\s+(?:\w+\s+)?(?:hard|difficult|impossible)\s+for\s+(?:anyone|anybody|people|others|them|us|your \w+)\b",
    r"\byou\s+(?:\w+\s+)?(?:ruined|spoiled|spoilt|wrecked)\s+(?:\w+\s+){0,3}?for\s+(?:everyone|everybody|them|us|your|the)\b",
    r"\byou(?:'re| are)\s+(?:\w+\s+)?(?:draining|exhausting|wearing (?:out|down)|burning out)\s+(?:the people|everyone|your|them|those)\b",
    r"\bputting\s+(?:\w+\s+){0,2}?in\s+an?\s+(?:impossible|awful|difficult|terrible|horrible|unfair)\s+position\b",
    r"\byou(?:'re| are)\s+(?:the\s+)?(?:\w+\s+)?(?:reason|cause)\s+(?:why\s+)?(?:the|your|everyone|things|it|this|that|they|he|she|people)\b"
    r"[^.]{0,40}\b(?:tense|stress\w*|upset|angry|worried|sad|miserable|left|fight\w*|argu\w*|hard|worse|apart|broke|suffer\w*|"
    r"unhappy|exhausted|tired)\b",
    r"\bburn\w*\s+(?:your|all your|all of your|most of your|a lot of your)\s+bridges\b",
    r"\bthr(?:own|ew|ow)\s+(?:it|them|each one|every \w+|\w+ chances?)\s+away\b",
    r"\byou\s+(?:keep\s+)?adding\s+to\s+(?:it|them|his|her|their)\b",
    r"\b(?:a break|space|distance|time away)\s+from\s+(?:all (?:of )?)?(?:you\b|your (?:problems|moods?|drama|negativity|crises|"
    r"mess|complaining|meltdowns)|all this)",
    r"\bto be (?:dealing with|putting up with|looking after|worrying about|carrying) (?:your|you)\b",
    r"\b(?:while|whilst) you\s+(?:\w+\s+)?(?:stay in bed|sit around|lie in bed|do nothing|sleep all day|fall apart|wallow|mope|"
    r"play games)\b",
    r"\b(?:tearing|ripping|pulling)\s+(?:your|the|this)\s+(?:\w+\s+)?(?:family|household|relationship|marriage|friendships?)\s+apart\b",
    r"\b(?:given up|sacrificed|gave up|put (?:\w+ )?on hold)\s+(?:\w+\s+){0,3}?(?:to|for)\s+(?:deal with|look after|care for|help|"
    r"support|cope with)?\s*(?:you|your)\b",
    r"\bcover(?:ing|ed)?\s+(?:for\s+you|your\s+(?:shifts?|work|share|rent|bills))\b",
    r"\bthink about (?:what|how)\s+(?:your|you)\b[^.]{0,40}\b(?:doing to|affect\w*|impact\w*|hurt\w*)\b",
    r"\byou should (?:be )?think(?:ing)? about (?:how|what)\b[^.]{0,40}\b(?:for|on|to) (?:your|them|him|her|everyone)\b",
    r"\b(?:leaned|leaning|relied|relying|depended|depending)\s+on\s+(?:\w+\s+){0,3}?(?:so much|too much|too heavily)\b",
    r"\b(?:paying|suffering)\s+(?:the price\s+)?for\s+(?:the way you|how you|what you)\b",
    r"\b(?:can'?t|cannot) be blamed for\b|\bgiving up on you\b",
    r"\b(?:wearing|running|worn)\s+thin\b|\bmaking allowances for you\b",
    r"\b(?:stress|strain|pressure|worry|burden)\s+you(?:'re| are)?\s+(?:putting|placing|causing)\b",
    r"\bkeep saying you'?ll\b|\bthen blame (?:everyone|everybody|others|other people|the world)\b",
    r"\b(?:you need to|you should|you have to|time you)\s+take (?:some |more )?responsibility for (?:how|what|your part|the way)\b",
    r"\b(?:so|and)\s+of course\s+(?:they|he|she|people|everyone|your \w+)\s+(?:\w+\s+)?(?:left|drifted|stopped|gave up|walked|"
    r"moved on|got|are|don'?t|won'?t)\b",
    r"\b(?:carried|carrying|carry)\s+you\b",
    r"\bmaking\s+(?:your \w+|them|him|her|everyone)\s+(?:ill|sick|miserable|unhappy|anxious)\b",
    r"\b(?:overwhelming|exhausting|draining|too much)\s+for\s+(?:her|him|them|your \w+|everyone)\b",
    r"\bonly (?:have|has|got) so much (?:patience|energy|time|sympathy)\b",
    # a past counterfactual with a bad outcome: "if you'd kept up, you wouldn't be failing"
    r"\bif\s+you(?:'d|\s+had|\s+hadn'?t|'d not|\s+had not)\s+(?:just\s+|only\s+|not\s+|never\s+|actually\s+)?"
    r"(?:\w+(?:ed|en|wn|ne|ght)|been|kept|made|put|left|told|said|got|spent|drunk|drank|run|had|sent|lost|met|paid|slept)\b"
    r"[^.]{0,60}\b(?:(?:none of this|this|it)\s+(?:would(?:n'?t| not| never)?|'d never)\s+(?:have\s+)?happened|"
    r"you\s+(?:wouldn'?t|would not|'d not)\s+be\s+(?:\w+\s+)?(?:failing|alone|struggling|here|in (?:this|such a)|single|broke|"
    r"fired|unemployed|sick|depressed|lonely|homeless|in trouble|so \w+)|(?:she|he|they|your \w+)\s+(?:wouldn'?t|would not|"
    r"would never|'d never)\s+have\s+(?:left|gone|dumped|fired|broken up|walked out|given up))",
    r"\b(?:is|are|was|were)\s+(?:exactly\s+|probably\s+|partly\s+)?(?:why|the reason)\s+(?:they|nobody|no one|people|he|she|everyone|"
    r"your \w+)\b[^.]{0,30}\b(?:stopped|left|gave up|avoid\w*|don'?t|won'?t|never|nobody|no one|can'?t|drifted|cut you off)\b",
    r"\b(?:you|your \w+)\s+(?:(?!and\b)\w+\s+){0,3}?(?:push\w*|drives?|drove|chase[sd]?|scare[sd]?)\s+(?:her|him|them|everyone|people|your \w+|us|"
    r"others)\s+away\b",
    r"\byou\s+chose\s+\w+\s+over\b",
    r"\byou\s+(?:always|constantly|keep|kept)\s+(?:\w+ing\s+)?(?:cancel\w*|snap\w*|blam\w*|complain\w*|moan\w*|lie|lying|lied|"
    r"ruin\w*|ignor\w*|dump\w*)\b",
    r"\byou never (?:turn up|show up|listen|follow through|try|answer|reply|return|take responsibility)\b",
)
_MIN_RULES_2 = _alt(
    r"\b(?:isn'?t|is not|not|hardly)\s+(?:really\s+)?the end of (?:the world|anything|everything|your life)\b",
    rf"\b(?:a|an|some|few|couple of|good|bit of|little|more)\s+(?:\w+\s+){{0,3}}?{_QUICK}\b[^.]{{0,40}}\b(?:will|'ll|should|would|can)\s+"
    r"(?:\w+\s+)?(?:put you right|sort you out|fix you|cure you|make it all better|make it go away|do the trick)\b",
    r"\b(?:being (?:sad|upset|angry|down)|crying|worrying|stressing|feeling \w+)\b[^.]{0,40}\b(?:is|'s)\s+(?:a|such a)\s+"
    r"waste of (?:energy|time|tears)\b",
    r"\b(?:it|this|things|that)\s+could\s+be\s+(?:so much |much |a lot |far |way )?worse\b",
    r"\bit'?s (?:just |only )?one (?:\w+\s+)?(?:friend|exam|test|day|night|grade|job|argument|rejection|person|comment|mistake|"
    r"bad day|date|game|boy|girl|guy)\b",
    r"\b(?:plenty (?:of|more) (?:others|fish)|other fish in the sea)\b|\boverdiagnosed\b",
    r"\byou'?re (?:probably |just |only |maybe )+(?:just )?(?:sad|tired|stressed|bored|hungry|hormonal)\b(?!\s+(?:and|because))",
    r"\b(?:upset|worked up|hard on yourself|crying|stress\w*|worry\w*|fuss\w*|panic\w*|drama)\s+(?:over|about|for)\s+nothing\b",
    r"\bdon'?t let (?:a|one|some)\s+(?:little |bit of |small |silly |stupid )?\w+\s+ruin\b",
    r"\bit means nothing\b|\bno excuse (?:to|for) (?:feel|feeling|be|being)\b",
    r"\b(?:it'?s|that'?s|is)\s+(?:really\s+|honestly\s+|just\s+)?no\s+big\s+deal\b|\bno need to make (?:it|this) (?:a |into a )?(?:thing|big thing|drama)\b",
    r"\b(?:it'?s|that'?s) (?:just |only )?(?:modern |adult |normal )?life\b(?![-\w]|\s+(?:or|threatening|changing|saving))",
    r"\bjust (?:push|power|plough|soldier|carry) (?:on|through)\b",
    r"\b(?:a lot of|loads of|lots of|plenty of|many|some)\s+people\s+(?:would|'d)\s+(?:kill|love|give anything|swap|trade)\b",
    r"\b(?:people|kids|someone|others)\s+(?:\w+\s+){0,3}?(?:who'?d|who would)\s+(?:swap|trade|kill|love|give anything)\b",
    r"\bmaking (?:it|this|that) (?:out to be )?(?:bigger|worse|more) than it (?:is|was|needs to be)\b",
    r"\bit'?s (?:just |only )?a (?:stage|phase)\b|\ball (?:teenagers|teens|kids|students) go through\b",
    r"\b(?:just|only) (?:the )?(?:hormones|nerves|tiredness|alcohol) talking\b",
    r"\bstop treating (?:it|this) (?:like|as) (?:a|the)\b",
    r"\bjust\s+[^.]{0,30}\b(?:and|then)\s+(?:it|this|that|the feeling|the sadness)(?:'ll| will)\s+(?:just\s+)?(?:go away|pass|disappear|"
    r"fade|stop)\b",
    r"\bwon'?t have time to (?:feel|be) (?:sad|down|depressed|low|anxious)\b|\b(?:fixes|cures|solves|sorts)\s+everything\b",
    r"\byou just have to (?:get used to|live with|accept) it\b|\byou'?re not special\b",
    r"\b(?:isn'?t|is not|is no|not)\s+(?:a\s+)?reason\s+to\s+(?:feel|be|get)\s+(?:this|so|that)\b",
    r"\bno reason to (?:feel|be) (?:like this|this way|that way|sad|depressed|down|upset|low)\b(?![^.]{0,60}\b(?:and|but|yet) still\b)",
    r"\bwithout (?:posting|complaining|moaning|making a fuss|falling apart|crying) about it\b",
    r"\b(?:it'?s|that'?s|this is)\s+(?:really\s+|honestly\s+|just\s+|only\s+)?(?:a|such a)\s+(?:small|little|minor|tiny|trivial)\s+thing\b",
    r"\bget out (?:of the house )?more\b|\bnot a big thing\b",
    r"\bno (?:point|use|sense) (?:in )?(?:getting|being) (?:upset|worked up|sad|stressed)\b|\bno (?:point|use) (?:in )?dwelling\b",
    r"\b(?:try being|just be|be more|you should be)\s+grateful\b",
    r"\byou don'?t (?:really )?have (?:depression|anxiety|ptsd|adhd|trauma|a disorder)\b",
    r"\bbounce back (?:by|in no time|before you know it)\b|\bbeing (?:a (?:little|bit) )?over the top\b",
    r"\byou'?ll have forgotten (?:about )?(?:it|this|her|him|them)\b|\btoo young to (?:have|be|feel) (?:real|proper|serious)\b",
    r"\b(?:try not to|stop|quit)\s+complain\w*\b|\bdon'?t take (?:them|it|your feelings|this) (?:too |so )?seriously\b",
    r"\b(?:anxiety|depression|it|this)\s+is\s+(?:probably\s+)?just\s+(?:too much|not enough|a lack of)\b",
    r"\b(?:aren'?t|isn'?t|not)\s+(?:really\s+)?(?:that|so)\s+(?:serious|bad|big)\s+compared\b",
)
_HUMAN_RULES_2 = _alt(
    r"\bas (?:a|an) (?:real|actual|living)\s+(?:person|human)\b",
    r"\bas someone (?:who(?:'s| is| has| was)?\s+)?(?:trained|qualified|with a degree|works|working|has worked|'s worked|worked)\b",
    rf"\b(?:when i was|i was|i used to be|i'?ve been|being)\s+(?:a|an)\s+(?:\w+\s+){{0,2}}{_ROLES}\b",
    r"\bflesh and blood\b|\b(?:there'?s|there is) (?:a )?(?:real|actual) (?:person|human)\b",
    r"\b(?:sessions|clients|patients|cases|caseload) i (?:run|see|treat|work with|have)\b|\bi (?:treat|see|work with) (?:clients|patients)\b",
    r"\bi(?:'ve| have) treated\b|\bhaving (?:trained|worked|qualified) (?:in|as)\b|\b(?:many|my|hundreds of|lots of) (?:clients|patients)\b",
    r"\b(?:peer support|support|crisis|care|youth) worker\b",
    r"\bi'?m (?:just )?(?:sitting|lying|standing) (?:here )?(?:in|on|at) my\b",
    r"\bin my (?:clinical |private |own )?practice\b|\bin my (?:\w+ ){0,2}years (?:working|as|in)\b|\bcases like yours\b",
)
_DX_RULES_2 = _alt(
    rf"\bpoints? to\s+(?:a |an )?{_DX_LABEL_2}\b",
    rf"\byou (?:sound|seem|look)\s+(?:\w+\s+)?{_DX_ADJ}\b",
    r"\b(?:what you (?:have|describe|'re describing|are describing)|the way you (?:describe|talk about)(?: \w+){0,3}|everything you'?ve "
    r"(?:said|described)|(?:this|that|these|those)(?:\s+\w+){0,2}|your (?:\w+ ){0,2}(?:symptoms|habits|thoughts|behaviou?r|worry|"
    r"moods?|eating))\s*(?:'s|is|are|sounds?|looks?|seems?|fits?|matches?|confirms?|points? to)\s+"
    r"(?:(?:obviously|clearly|definitely|surely|totally|a clear case of|a classic case of|a case of|symptoms of|signs of|like|"
    r"a|an|the|classic|textbook|typical|early|mild|severe|full-blown|probably|exactly)\s+){0,3}"
    rf"{_DX_LABEL_2}\b",
    rf"\b(?:classic|clear|textbook|obvious)\s+(?:sign|symptom|case)s?\s+of\s+(?:a |an )?{_DX_LABEL_2}\b",
    rf"\b(?:confirms?|proves?|shows?|means?|suggests?)\s+(?:that\s+)?you(?:'ve| have)\s+(?:got\s+)?(?:a |an )?{_DX_LABEL_2}\b",
    r"\byou(?:'re| are)\s+(?:definitely|clearly|obviously|clinically|seriously)\s+depressed\b",
    rf"\byou(?:'re| are)\s+(?:\w+\s+)?(?:suffering from|going through|having)\s+(?:a |an )?{_DX_LABEL_2}\b",
    rf"\byour (?:\w+ )?(?:son|daughter|child|kid|mum|mom|dad|partner|boyfriend|girlfriend|husband|wife|brother|sister)\s+"
    rf"(?:\w+\s+)?(?:has|'s got|is)\s+(?:a |an )?{_DX_LABEL_2}\b",
    rf"\b(?:fits?|matches?)\s+(?:the\s+)?(?:criteria for\s+|profile of\s+)?(?:a |an )?{_DX_LABEL_2}\b",
)

_STANCE_RULES_2: tuple[_Rule, ...] = (
    _Rule(
        "blame",
        _r(_BLAME_RULES_2),
        _WHY_BLAME,
        unless=_r(
            rf"{_FEELING_FRAME.pattern}|{_BLAME_REPORTED.pattern}|\bnot (?:your|ur) fault\b|\bblam\w+ yourself\b|"
            rf"\b(?:did|do|doing) (?:your|the) best\b|{_OWNED_OR_FORGIVEN}"
        ),
        requires=_r(r"\byou\b|\byours?\b|\byourself\b"),
    ),
    _Rule(
        "minimising",
        _r(_MIN_RULES_2),
        _WHY_MIN,
        unless=_r(rf"{_MIN_REPORTED.pattern}|\bjust a (?:thought|feeling|urge|symptom)\b"),
    ),
    _Rule(
        "claims_human",
        _r(_HUMAN_RULES_2),
        _WHY_HUMAN,
        negatable=False,
        unless=_r(
            r"\b(?:i'?m|i am)\s+(?:not|no)\s+(?:a|an)\s+(?:\w+\s+)?(?:therapist|counsell?or|doctor|professional|psychologist|"
            r"psychiatrist|nurse|worker)|\bas\s+(?:a|an)\s+(?:ai|bot|assistant)\b|\b(?:i'?m|i am) an ai\b|\bif you (?:see|talk|ask)\b|"
            r"\b(?:feel|feels|feeling|felt)\s+(?:\w+\s+)?(?:like|as if|as though)\b|\b(?:your|a|the|local) (?:\w+ )?(?:support|crisis|care|youth) worker\b"
        ),
    ),
    _Rule(
        "diagnosis",
        _r(_DX_RULES_2),
        _WHY_DX,
        unless=_r(
            r"\b(?:can'?t|cannot|couldn'?t|not (?:able|qualified|in a position)) (?:to )?(?:diagnose|say)|"
            r"\bif you (?:think|believe|feel|wonder|suspect|are worried|'re worried)\b|\b(?:it is|it'?s) possible\b|"
            rf"\b(?:only )?(?:a|an|your) (?:\w+ )?{_ROLES} (?:can|could|would|will|should|is able to|may) "
            r"(?:diagnose|tell|assess|say|confirm|work out|figure out)\b|"
            r"\b(?:get|getting|be|being) (?:properly )?(?:assessed|evaluated|screened|tested|diagnosed)\b|"
            r"\b(?:was|were|been|got|get|being) diagnosed\b|\bdiagnosis of\b|"
            r"\b(?:wonder|wondering|wondered|ask yourself|asking yourself|question) (?:if|whether)\b"
        ),
        not_in_questions=True,
    ),
)

# The rules written by class (each has a positive and a hard-negative test in tests/unit/test_safety_checks.py).
_BY_CLASS = _CLASS_RULES + _MORE_RULES + _MORE_RULES_2 + _MORE_RULES_3 + _STANCE_RULES + _STANCE_RULES_2
_ALL_RULES = _RULES + _BY_CLASS
_NARRATED_RULES = frozenset(r for r in _ALL_RULES if r.kind == "medication_advice")
# Exceptions that hold for every rule of a kind, the older ones included.
_KIND_UNLESS: dict[str, re.Pattern[str]] = {
    "minimising": _r(
        rf"{_MIN_REPORTED.pattern}|\beven (?:if|though)\b[^.]{{0,40}}\b(?:worse|bigger|harder|tougher)\b|"
        r"\b(?:are|is|feel\w*) (?:still |completely |totally |so )?valid\b|\b(?:isn'?t|not) a competition\b"
    ),
    "secrecy": _r(
        rf"{_SECRECY_HONEST.pattern}|\b(?:matters?|is|are)\s+more\s+(?:important\s+)?than\s+(?:keeping|staying)\b|"
        r"\bmore important than (?:keeping|secrets?)\b|\brather than keeping\b|\binstead of keeping\b"
    ),
    "medication_advice": _r(
        r"\b(?:okay|ok|alright|fine|no shame|nothing wrong|not weak|not a failure)\b[^.]{0,20}\b(?:to )?(?:take|taking|need|needing|"
        r"be on|being on) (?:medication|meds|antidepressants)\b|"
        r"\bremember to take\b|\bpill organi[sz]er\b|\breminders?\b|\bas prescribed\b|"
        r"(?<!not )(?<!n't )\b(?:dangerous|risky|unsafe|illegal|offen[cs]e)\b"
    ),
    "off_platform_contact": _r(
        r"\b(?:they|he|she|people|someone|this person|friends?|clients|patients)\s+(?:\w+\s+)?(?:call|text|message|email|phone)s?\s+me\b"
    ),
}

# Crisis numbers that replies still quote although no preset lists them: 1-800-273-TALK, the US
# Lifeline's number before 988, which still connects to it (988lifeline.org).
_FORMER_CRISIS_NUMBERS = frozenset({"18002738255", "8002738255"})

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


# Negative words inside idioms that permit rather than deny: "there's no harm in pausing your meds".
_PERMISSIVE_NEGATIVE = re.compile(
    r"\b(?:no harm in|nothing wrong with|won'?t hurt to|no reason not to|don'?t worry|not a problem to|no problem|why not|"
    r"why don'?t you)\b",
    _I,
)


_CLAUSE_BREAK = re.compile(r"[,;:]\s|\b(?:so|but|and then)\s", _I)


def _negated(sentence: str, start: int) -> bool:
    """A negator in the 30 characters before the match, within its clause."""
    window = sentence[max(0, start - 30) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    window = _PERMISSIVE_NEGATIVE.sub(" ", window)
    return bool(_NEGATOR.search(window))


def _quoted(sentence: str, start: int) -> bool:
    """True when the match opens inside double quotes: someone else's words, reported."""
    before = sentence[:start]
    if before.count("\u201c") > before.count("\u201d"):
        return True
    return before.count('"') % 2 == 1


# --- who speaks to whom ----------------------------------------------------------------------
# A pattern names an unsafe act; the sentence's frame decides whether the reply performs it.
# Kinds that are advice or judgement given to the member are not performed when the supporter
# narrates their own story ("I was on 20mg", "I told myself to suck it up"); a secrecy promise
# looks forward ("I never told anyone" is a memory); an offer of contact is the speaker's, made to
# the member ("it was time to call me", "this hit me hard" offer nothing).
_NARRATION_EXEMPT = frozenset({"medication_advice", "minimising", "blame", "diagnosis", "encourages_harm"})
# "man up means ...", "'get over it' is ...": the phrase is mentioned, not said.
_MENTIONED_AFTER = re.compile(
    r"^\W{0,3}(?:means|meant|is (?:a|an|what) (?:phrase|thing people say)|as in)\b", _I
)
# "those moments where you just smile", "until you get over it": described, not told.
_DESCRIBED_BEFORE = re.compile(
    r"\b(?:where|whenever|which|until|till|once|help(?:s|ed|ing)?(?: you)?(?: \w+){0,5}? and|help(?:s|ed|ing)? you)"
    r"(?:\s+(?:you|we|they|i|people))?(?:\s+(?:can|could|will|would|'ll|just|finally))?\s*$",
    _I,
)
_THIRD_PARTY = re.compile(
    rf"\b(?:he|she|they|someone|somebody|nobody|no one|people|everyone|anyone|who|which|{_OTHER_PERSON}s?|friends|family)\b",
    _I,
)
_REPORTED_OFFER = re.compile(
    r"\b(?:asks?|asked|asking|invites?|invited|tells?|told|says?|said|offers?|offered)\s+(?:you|me|him|her|them)?\s*"
    r"(?:if|whether|to)\b",
    _I,
)
_NARRATIVE_INFINITIVE = re.compile(
    r"\b(?:time|wants?|wanted|used|tried|trying|going|decided|bothered|remembered|forgot|needed) to\s*$|\bif\s*$",
    _I,
)


def _speaker_exempt(kind: str, sentence: str) -> bool:
    """The supporter narrates their own story; the sentence advises, judges or promises nothing."""
    if kind in _NARRATION_EXEMPT:
        return narrated(sentence)
    if kind == "secrecy":
        return narrated(sentence) and not looks_forward(sentence)
    return False


def _not_an_offer(sentence: str, start: int) -> bool:
    """The contact phrase at `start` is someone else's, or reported, or narrated: not the speaker's offer."""
    window = sentence[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    clause = window[breaks[-1].end() :] if breaks else window
    if _REPORTED_OFFER.search(clause) or _NARRATIVE_INFINITIVE.search(clause):
        return True
    if re.search(r"\b(?:you|u|ya|feel free|please|just)\b", clause, _I):
        return False
    return bool(_THIRD_PARTY.search(clause))


def _host(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0].split(":")[0]


def _asks(sentence: str) -> bool:
    """A question that asks (about risk, or what happened), not a suggestion put as a question."""
    return asks(sentence)


def _rule_finding(rule: _Rule, sentence: str, question: bool | None = None) -> OutputIssue | None:
    """The issue `rule` finds in one folded sentence, or None."""
    if question is None:
        question = _asks(sentence)
    if rule.not_in_questions and question:
        return None
    # Cheapest test first: most sentences fail the anchor (or, where it is rarer, the co-occurrence).
    if rule.requires_first:
        if rule.requires is not None and not rule.requires.search(sentence):
            return None
        if not rule.pattern.search(sentence):
            return None
    else:
        if not rule.pattern.search(sentence):
            return None
        if rule.requires is not None and not rule.requires.search(sentence):
            return None
    if rule.unless is not None and rule.unless.search(sentence):
        return None
    kind_unless = _KIND_UNLESS.get(rule.kind)
    if kind_unless is not None and kind_unless.search(sentence):
        return None
    if _speaker_exempt(rule.kind, sentence):
        return None
    for m in rule.pattern.finditer(sentence):
        if rule.negatable and _negated(sentence, m.start()):
            continue
        if _quoted(sentence, m.start()):
            continue
        before = sentence[max(0, m.start() - 30) : m.start()]
        if rule in _NARRATED_RULES and _NARRATOR_BEFORE.search(before) and not _NORMALISING.search(before):
            continue
        if _REJECTED_AFTER.search(sentence[m.end() :]) or _MENTIONED_AFTER.search(sentence[m.end() :]):
            continue
        if rule.kind == "off_platform_contact" and _not_an_offer(sentence, m.start()):
            continue
        if rule.kind == "minimising" and _DESCRIBED_BEFORE.search(
            sentence[max(0, m.start() - 40) : m.start()]
        ):
            continue
        return OutputIssue(rule.kind, m.group().strip(), rule.why)
    return None


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
        default = allowed_resources is None
        if allowed_resources is None:
            allowed_resources = [r for preset in PRESETS.values() for r in preset]
        self._hosts, self._numbers = _resource_allowlist(allowed_resources)
        if default:
            self._numbers |= _FORMER_CRISIS_NUMBERS
        self._semantic = LazyLayer(SemanticGate, enabled=use_semantic, layer=semantic)

    @property
    def semantic(self) -> SemanticGate | None:
        return self._semantic.get()

    def warm(self) -> None:
        self._semantic.warm()

    def semantic_status(self) -> str:
        return self._semantic.status()

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
        question = _asks(sentence)
        for rule in _ALL_RULES:
            issue = _rule_finding(rule, sentence, question)
            if issue is not None:
                yield issue

    def _data_issues(self, text: str) -> Iterable[OutputIssue]:
        # Patterns only: a name in a reply (often the member's own) is not a leak to flag.
        for span in find_personal_data(text, detect_names=False):
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
