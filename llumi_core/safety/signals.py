"""What the risk screen looks for: its signals, their patterns, and the stems that open them.

Each signal is a kind of evidence on the C-SSRS scale (intent, plan, means, preparation,
attempts, self-harm, burden, ...). The patterns are read by `screen.py` on normalised text
(see `normalise`), sentence by sentence, and every hit is then weighed by its context there;
this module is only the vocabulary. The Suicide Risk Lexicon's phrases join these patterns
in `lexicon.py`.
"""

from __future__ import annotations

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
    "farewell",
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

SELF = r"(?:myself|my ?self|my own life|my life)"
DIE = rf"(?:die|be dead|kill {SELF}|end (?:it|{SELF}|things|everything)|commit suicide|take {SELF}|suicide|not exist|disappear forever)"

# Medication by kind and by common name (the lexicon's "Lethal means" and "Mental health treatment"
# constructs name some; the rest are the usual over-the-counter and prescribed ones). A medication is
# means only in quantity, stored up, or asked about for its lethality: never by its name alone.
MEDS = (
    r"(?:pills?|tablets?|meds|medications?|medicine|pain ?killers?|sleeping (?:pills|tablets)|antidepressants?|"
    r"benzos?|opioids?|opiates?|insulin|paracetamol|acetaminophen|tylenol|ibuprofen|advil|aspirin|codeine|tramadol|"
    r"oxycodone|oxycontin|morphine|fentanyl|zopiclone|zolpidem|ambien|sertraline|zoloft|fluoxetine|prozac|citalopram|"
    r"celexa|escitalopram|lexapro|venlafaxine|effexor|amitriptyline|mirtazapine|quetiapine|seroquel|lithium|"
    r"lamotrigine|diazepam|valium|xanax|alprazolam|clonazepam|klonopin|lorazepam|ativan|benadryl|diphenhydramine|"
    r"propranolol)"
)
# Objects of the lexicon's "Lethal means for suicide" construct that are also everyday things: means only
# when kept, hidden or got ready (the context rules cancel an ordinary purpose stated beside them).
MEANS_OBJECTS = (
    r"(?:rope|noose|gun|pistol|rifle|shotgun|firearm|bullets?|razor blades?|razors?|blades?|charcoal|helium|"
    r"exhaust hose|plastic bag|pesticide|antifreeze|bleach|poison)"
)
# What a question about a way to die asks: the outcome itself, not death in general ("what happens
# when we die?" is not a method question; "would it be fatal?" is).
LETHAL = (
    r"(?:fatal|lethal|deadly|kill (?:you|u|someone|somebody|a person)|(?:not|never|don't|wouldn't|won't) wake up|"
    r"pass out|lose consciousness|bleed out|(?:bleed|freeze) to death|overdose|od|(?<!want )(?<!wanna )to die|"
    r"(?:would|will|does|do|could) (?:you|i|someone|somebody|a person) (?:just )?die|painless (?:death|way|to go))"
)
# A sentence put as a question: a question word first (a lead-in like "random q but" allowed), or a "?".
_ASK = (
    r"^\W*(?:(?:random|quick|serious|honest|genuine|real) (?:q|question)(?: but)?\W+|(?:does )?any ?(?:one|body) know\W+|"
    r"hypothetically\W+|asking for (?:real|a friend)\W+|so\W+)?(?:how|what|what's|which|is|are|does|do|would|will|can|"
    r"could|should|where)\b(?!')"
)
# Leaving life said as a figure of leaving ("log off for good", "drift away and not come back").
EXIT = (
    r"(?:log(?:ging)? off|clock(?:ing)? out|check(?:ing)? out|sign(?:ing)? off|tap(?:ping)? out|bow(?:ing)? out|"
    r"drift(?:ing)? (?:off|away)|fad(?:e|ing) (?:out|away)|disappear(?:ing)?|vanish(?:ing)?|be gone|let(?:ting)? go|"
    r"switch(?:ing)? (?:it |myself )?off|go(?:ing)? (?:to sleep|quiet|dark)|fall(?:ing)? asleep|sleep|rest)"
)
PERMANENT = (
    r"(?:for good|permanently|forever|for ever|and (?:never|not) (?:come back|wake up|return)|"
    r"(?:the )?rest of my life)"
)

# Others' relief, and the writer's absence it is conditioned on ("they'd be relieved if i was gone").
RELIEF = (
    r"(?:better|easier|happier|lighter|safer|relieved|fine|freer|better off|(?:wouldn't|would not|won't|will not|"
    r"nobody would|no one would|never) (?:have to|need to))"
)
ABSENT = (
    r"(?:without me|if i (?:was|were|wasn't|weren't|was not|were not) (?:here|around|alive|gone|in the picture|"
    r"out of the picture)|if i (?:vanished|disappeared|died|left|was gone|were gone|removed myself)|"
    r"with (?:one less of me|me gone|me out of the (?:picture|way)))"
)

PATTERNS: dict[str, tuple[str, ...]] = {
    "explicit intent": (
        rf"\bi(?:'m| am)? ?(?:going|planning|about|ready|gonna|determined|decided) to {DIE}",
        rf"\bi(?:'ve| have)? ?decided (?:to|that i(?:'m| am| will)) {DIE}",
        rf"\bi(?:'ll| will) (?:finally )?(?:kill {SELF}|end (?:it|{SELF})|do it)\b",
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
        rf"\bi (?:really |just |honestly |seriously |still |kinda |kind of |sometimes |often |always )?(?:want|wanted|need|wish|would like|plan|intend|think about|thought about|keep thinking about|considered|consider|am considering|'m considering|contemplate|contemplating|fantasi[sz]e about)(?: to)? {DIE}",
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
        r"\bi (?:don't|do not|dont) want to (?:live|be alive|exist|wake up|be here)(?: anymore)?\b"
        r"(?! (?:until|till|before|early|at|for (?:a|the|this|my|long)|with|in (?:this|that)|alone))",
        r"\bhope (?:i|that i) (?:don't|never|do not) wake up\b|\bnot wake up\b(?! (?:until|till|before|early|at|for))",
        r"\bi (?:don't|do not) (?:want|wish) to (?:go on|continue|keep going)\b",
        r"\bwhy (?:should|do|would) i (?:even )?(?:live|keep living|stay alive|bother living)\b",
        r"\b(?:tired|sick) of (?:living|being alive|life|existing)\b",
        r"\blife (?:isn't|is not|isnt) worth living\b|\bno (?:reason|point) (?:to|in) (?:live|living|being alive|go on|going on)\b",
        r"\b(?:wouldn't|would not|won't|will not|don't|do not) (?:mind|care|be upset) if i (?:died|die|didn't wake up|don't wake up|"
        r"never woke up|was gone|wasn't here|got hit|just stopped)\b|\bif (?:a (?:bus|car|truck|train)|something) (?:hit|hits|killed|kills) me\b",
        r"\b(?:gone|dead|asleep|sleep|fade out|disappear) (?:for good|forever|permanently)\b|\b(?:envy|jealous of) (?:people|ppl|those) who (?:get to )?die\b",
        r"\b(?:running out of|no|don't have any|there's no|not many) reasons? to (?:stick around|stay|keep going|live|be here|wake up)\b",
        r"\bstop existing\b|\bcease to exist\b|\b(?:want to|wanna|wish i could|wishing i could) (?:disappear|vanish)\b"
        r"(?! (?:into|to (?:a|the)|for (?:a|the) (?:week|month|weekend|bit|few days|day|while)|on (?:a|holiday|vacation)))|"
        r"\bdisappear forever\b",
        # A figure of leaving made permanent: "clock out permanently", "drift away and not come back".
        rf"\b{EXIT}\b[^.!?]{{0,30}}\b{PERMANENT}",
        r"\b(?:leave|leaving|exit|exiting|quit|quitting|log(?:ging)? off from|check(?:ing)? out of|done with) "
        r"(?:this )?(?:life|world|existence|planet)\b(?! of\b)",
        # A foreshortened future: not expecting to be alive (C-SSRS passive ideation).
        r"\b(?:not|never) (?:planning|going|gonna|intending) (?:on|to) (?:be )?(?:stick|sticking|stay|staying|be|being) "
        r"(?:around|here|alive)\b(?! (?:this|next|on|at|for (?:a|the)|tonight|tomorrow|today|until|till|in the|to (?:help|see|pick)))",
        r"\b(?:don't|do not|won't|will not) (?:expect|plan|intend|think i'll|think i will) (?:to )?(?:be (?:here|around|alive)|"
        r"stick around|still be (?:here|around|alive)|live to see)\b",
        r"\bfuture (?:where|in which|with) (?:i(?:'m| am| will| would)?|me) (?:be )?(?:still )?(?:here|alive|around|in it)\b|"
        r"\b(?:don't|do not|can't|cannot|never) see myself (?:being |still |getting |growing )?(?:here|around|alive|old)\b",
        r"\b(?:to )?not (?:be|exist)(?: here| alive)? anymore\b|\bwant out of (?:all of it|everything|life|this life|it all)\b",
        r"\b(?:disappointed|upset|annoyed|sad|angry|gutted) (?:that )?i (?:woke up|wake up|am still (?:here|alive)|"
        r"'m still (?:here|alive)|survived|made it through (?:the|another) night)\b",
        r"\bwhat'?s the point (?:of|in) (?:me )?(?:being (?:here|alive)|staying|existing|going on|carrying on|me)\b",
        r"\bhop(?:e|ing|ed) (?:this|the|that|my|something|it)\b[^.!?]{0,25}\b(?:gets|kills|takes|finishes) me\b|"
        r"\b(?:hit|run over|killed) by (?:a|the) (?:bus|car|truck|train|lorry)\b[^.!?]{0,40}\b(?:relieved|relief|wouldn't mind|"
        r"nice|grateful|fine with)\b",
        r"\b(?:nothing|no one|nobody|no reason)\b[^.!?]{0,15}\bto (?:stick around|stay (?:alive|around)|live|be here|keep going|"
        r"wake up|get up) for\b",
        r"\b(?:don't|do not) think i(?:'ll| will) (?:make it|live|be (?:here|around|alive)) (?:to|till|until|past) "
        r"(?:\d+|thirty|forty|twenty\w*|next year|my (?:\w+ )?birthday)\b",
        r"\b(?:pray|praying|prayed|wish|wishing)\b[^.!?]{0,10}\bi (?:don't|do not|won't|never) wake up\b",
        r"\b(?:dying|died|dies|death|dead|killed|funeral|accident|cancer)\b[^.!?]{0,60}\bwish (?:it was|it were|it had been|"
        r"it could (?:have been|be)) me\b|\bwish (?:it was|it were|it had been) me (?:instead|who died|dying)\b",
    ),
    "plan": (
        r"\bi (?:have|had|made|'ve made|'ve got|got) (?:a|the|my) plan\b|\bmy plan is\b|\bplanned (?:it )?(?:out|everything)\b",
        r"\b(?:wrote|writing|written|write|drafted) (?:a|my) (?:suicide )?(?:note|letter|will)\b"
        r"(?! (?:to|for) (?:my |the |a )?(?:younger|future|older|past|inner|little|teenage|gp|doctor|landlord|boss|school|"
        r"teacher|therapist|mp|council|bank|employer|manager|uni|university|college|editor|newspaper|job|class))",
        r"\bhow i(?:'m| am|'ll| will| would)? (?:going to )?(?:do it|kill myself|end it)\b",
        r"\bwhen i (?:do it|kill myself|go through with it)\b|\bgo through with it\b",
        r"\b(?:researching|researched|looked up|googled|searching) (?:methods|ways|how to)\b",
        # Notes or letters left for people to find: preparation (C-SSRS), beyond a goodbye.
        r"\b(?:wrote|writing|written|write|drafted|left|leaving) (?:a |my |some |the )?(?:goodbye |farewell |last )?"
        r"(?:notes?|letters?) (?:to|for) (?:my|everyone|everybody|each|the people|all|mom|dad)\b"
        r"(?! (?:younger|future|older|past|inner|little|teenage) (?:self|me)| (?:gp|doctor|landlord|boss|school|teacher|"
        r"therapist|mp|council|bank|employer|manager|uni|university))|\bgoodbye (?:notes?|letters?)\b",
        r"\bi(?:'m| am) (?:doing|going to do|gonna do) it\b|\bi(?:'ve| have) (?:already )?decided\W*$",
        r"\bi(?:'ve| have) made sure of (?:it|that)\b",
    ),
    "method or means": (
        r"\b(?:overdose|overdosing|noose|hanging(?! (?:around|out|up|on|in there|with|over))|hang myself|gun|shotgun|pistol|"
        r"firearm|bullet|"
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
        # The way, the place or the day settled ("decided on the method", "worked out the when and the where").
        r"\b(?:decided on|settled on|worked out|figured out) (?:exactly )?(?:the |a |my )?"
        r"(?:method|way|date|day|place|spot|when|where|how and when|when and (?:the )?where)\b(?! (?:to (?:fix|get|cook|study|help)|you))",
        r"\b(?:picked|chosen|chose|found) (?:a|the|my) (?:bridge|building|tree|roof|night|weekend|overpass|cliff)\b|"
        r"\bthe (?:date|day) is (?:circled|marked|set|picked|chosen)\b|\b(?:circled|marked) the (?:date|day)\b",
        r"\bi know (?:exactly )?(?:how|when|where)(?: (?:i'll|i will|i'm going to|i am going to|to) (?:do it|go))?\W*$",
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
        # Medication stored up by any verb of putting by ("pocketing one every night", "about 60 saved up").
        rf"\b(?:sav(?:e|ed|ing)|hoard(?:ed|ing)?|collect(?:ed|ing)?|stash(?:ed|ing)?|pocket(?:ed|ing)?|stockpil\w*|"
        rf"squirrel(?:ed|ing|led|ling)? away|hid(?:e|ing|den)?|gather(?:ed|ing)?|set(?:ting)? aside|"
        rf"put(?:ting)? aside|buil(?:t|d|ding) up)(?: [\w']+){{0,7}} {MEDS}\b(?! (?:bottles?|organi[sz]ers?|cases?|boxes for))|"
        rf"\b{MEDS}\b[^.!?]{{0,20}}\b(?:saved up|stashed|hidden|put by|set aside|stockpiled|in (?:a|my) (?:bag|sock|drawer|"
        rf"shoebox|box) (?:next to|under|in)|under my (?:bed|mattress))\b",
        rf"\b(?:[2-9]\d|\d{{3,}}|dozens?|hundreds?) (?:of )?(?:my |the |these |those )?{MEDS}\b(?! a day)|"
        rf"\b(?:every|all the|all of the) {MEDS}\b (?:in|from) (?:the|this|my) (?:house|flat|cabinet|cupboard)\b|"
        rf"\b(?:two|three|four|several|\d) (?:boxes|packs|packets|bottles) of {MEDS}\b[^.!?]{{0,40}}\b(?:different|so (?:they|nobody|no one))",
        r"\b(?:so i could|to|so i'd|so i would) (?:get|have) (?:another|a second|an extra|more|a new) (?:prescription|refill|script)\b|"
        r"\b(?:told|lied to) (?:the |my )?(?:doctor|gp|pharmacist)\b[^.!?]{0,40}\b(?:lost|ran out|another)\b",
        # A method's object kept where it is at hand, hidden, or got ready.
        rf"\b{MEANS_OBJECTS}\b[^.!?]{{0,40}}\b(?:in (?:the|my) (?:garage|closet|wardrobe|room|drawer|car|boot|trunk|bag|shed|"
        rf"attic|basement)|under (?:my|the) (?:bed|desk|mattress)|taped|hidden|hid|ready|so (?:nobody|no one) (?:finds|can find|sees))\b|"
        rf"\b(?:got|have|bought|ordered|keep|kept|hid|hide|hiding) (?:the |a |my |some )?{MEANS_OBJECTS}\b[^.!?]{{0,30}}\b(?:and the|in (?:the|my)|under|hidden|taped|ready)\b",
        r"\b(?:gun|gun safe|safe|cabinet)\b[^.!?]{0,30}\b(?:code|combination|key)\b[^.!?]{0,30}\b(?:is|checked|know|found|have)\b|"
        r"\bknow where (?:my |the )?(?:\w+ )?(?:keeps? )?(?:the |his |her |their )?(?:gun|pistol|rifle|pills|meds)\b",
        r"\b(?:sitting|standing|perched|up|stood|sat) on (?:the |a |my )?(?:bridge|roof|ledge|edge|railing|rail|balcony|overpass|"
        r"parapet|cliff)\b[^.!?]{0,60}\b(?:legs over|over the (?:side|edge|railing)|up here|so high|below me|the drop|the water)\b",
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
        # Any question whose object is dying ("could you mix X and Y and not wake up", "does drowning hurt").
        rf"{_ASK}[^.!?]{{0,80}}?\b{LETHAL}\b",
        rf"\b{LETHAL}\b[^.!]{{0,60}}\?",
        # How much of a medication would be enough: its lethality, not its dose ("is 100mg too much?" is a dose).
        rf"{_ASK}[^.!?]{{0,60}}?\b(?:{MEDS}\b[^.!?]{{0,40}}\b(?:enough|reverse|undo|kill)\b|"
        rf"{MEDS}\b[^.!?]{{0,40}}\btoo (?:much|many) for (?:someone|somebody|a person|anyone|a human|the body|an adult))",
        rf"{_ASK}[^.!?]{{0,60}}?\b(?:hang(?:ing)?|drown(?:ing)?|noose|(?:cut|slit|slash)\w*\b[^.!?]{{0,20}}\b(?:wrists?|veins?)|"
        rf"(?:wrists?|veins?)\b[^.!?]{{0,20}}\b(?:cut|slit|slash)\w*|(?:which|what) (?:floor|storey|story|height))\b"
        rf"[^.!?]{{0,50}}\b(?:quick|quickly|hurt|painful|peaceful|work|works|fatal|certain|definitely|enough|messy|long|sure)\b",
        r"\b(?:least|less) (?:messy|painful|traumati[sc]\w*|scary|violent|obvious)\b (?:way|ways|method|methods)\b|"
        r"\b(?:cleanest|most reliable|surest|most certain|gentlest|quietest) (?:way|ways|method|methods)\b",
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
        r"\b\d{1,2} ?(?:am|pm)\b|\b(?:two|three|four|a few|a couple of|\d+) (?:weeks|days|months) from now\b|"
        r"\bnew year'?s(?: eve| day)?\b|\bpay ?day\b|\bthe \d{1,2}(?:st|nd|rd|th)\b|"
        r"\b(?:the )?(?:night|day|morning|week) (?:after|before) (?:my|the|her|his)\b|"
        r"\bafter (?:work|school|my shift|(?:my|the|her|his) (?:\w+'?s )?(?:wedding|funeral|exams?|finals|birthday|graduation|shift))\b",
        r"\b(?:once|when|after) (?:the kids|everyone|everybody|they|my (?:\w+ )?(?:parents|family|roommate|flatmate|partner|wife|"
        r"husband|mom|mum|dad|kids|sister|brother)) (?:are|is|'re|'s|leave|leaves|go|goes|get|gets|fall|falls|have gone)\b",
    ),
    "goodbye/finality": (
        # A goodbye said to people, or to nothing more ("goodbye lectures" says goodbye to lectures).
        r"\b(?:goodbye|good bye|farewell)\b(?=\W*$|\W*[.!?,…]|\s+(?:everyone|everybody|all|guys|friends|world|y'?all|folks|"
        r"you|forever|for (?:good|ever|real)|my (?:friends|family|loves?|babies)|to (?:all|everyone|you|the world)))|"
        r"\bbye (?:everyone|all|guys|world|forever)\b",
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
        r"\btake care of (?:my|mom|dad) (?:cat|dog|family|kids)\b|\bi love you all\b",
        r"\b(?:won't|will not|wont|not) be (?:logging|coming|posting|checking) (?:back|in)\b|\blast (?:post|message|words) from me\b|"
        r"\b(?:done|finished) here for good\b|\bthe last thing i (?:can|could|will|'ll) (?:do|give)\b",
        r"\bbefore i (?:go|leave)\b(?! (?:to|on|out|for|into|back|home|shopping|abroad|away|there|in|up|down|through|over|with)\b)|"
        r"\b(?:won't|will not|wont) be (?:here|around) (?:to|after|when)\b|\bwhere i(?:'m| am) going\b(?! (?:on|for|to|next|this)\b)",
        r"\bmy (?:time|turn) to go\b(?! (?:next|first|now|to|on|shopping|home|out|in|back))",
    ),
    # The softer acts of a farewell: thanks for everything, an apology, absolving others, a message to pass
    # on, being at peace. One is ordinary ("thanks for the chat everyone!"); two, or one beside a goodbye, a
    # wish to die or affairs put in order, are a farewell.
    "farewell": (
        r"\b(?:thank you|thanks|thank u|grateful)\b[^.!?]{0,30}\bfor (?:everything|all of it|all (?:you've|you have) done|"
        r"being (?:here|there)|putting up with me|listening|the (?:laughs|memories|kindness|support|love)|"
        r"(?:every|each|all the) (?:late )?(?:night|late night|chat|talk|message)s?)\b|\b(?:it's|it has|its) been a good run\b|"
        r"\bgrateful for (?:every|each|all) (?:one )?of you\b",
        r"\bsorry (?:for everything|for all of it|for being (?:like this|this way|a burden)|i (?:couldn't|could not|can't|wasn't) "
        r"(?:stay|be better|do better|be enough))\b",
        r"\b(?:not|none of (?:this|it) (?:is|was)|isn't|wasn't|never) (?:anyone'?s|anybody'?s|your|ur|y'all'?s) fault\b|"
        r"\b(?:don't|do not) blame (?:yourselves|anyone|each other)\b|\byou (?:all|guys) (?:tried|did (?:everything|your best))\b",
        r"\btell (?:my \w+|mom|mum|dad|him|her|them|everyone) (?:that )?(?:i love|i loved|i'm sorry|i am sorry|sorry)\b",
        r"\b(?:i'm|i am) (?:finally )?at peace\b|\b(?:it's|this is) what i want\b|"
        r"\bplease (?:don't|do not) (?:be sad|cry|grieve|mourn|miss me)\b",
        r"\bsee you (?:on the other side|in another life|in the next life)\b|\b(?:take care of|look after) yourselves\b|"
        r"\b(?:love|luv) (?:you all|you guys|y'all|yall|all of you|u all|u guys)\b|"
        r"\byou (?:were|all were|guys were) the (?:best|only good) (?:part|thing)\b|"
        r"\b(?:won't|will not|wont|don't|do not|dont) need (?:it|them|any of (?:it|this|them)|these|those)\b",
    ),
    # Putting affairs in order (C-SSRS preparatory behaviour): giving things away, rehoming a pet,
    # who gets what. Ordinary alone ("giving away my old couch"); preparation beside a farewell,
    # another such act, or any wish to die.
    "preparation": (
        r"\b(?:gave|giving|give|given) (?:away )?(?:my|all my|all of my|most of my) (?:\w+ ){0,5}(?:to|away)\b|"
        r"\b(?:gave|giving|give|given) away (?:my|all my|all of my|most of my)\b",
        r"\b(?:rehom(?:e|ing)|find(?:ing)? a (?:new |good )?home for|can someone take|who (?:will|would|can) take) "
        r"(?:care of )?my (?:cat|dog|pets?|rabbit|bird|hamster|fish)\b|\b(?:my )?(?:cat|dog)? ?needs a (?:new |good )?home\b",
        r"\b(?:who (?:wants|gets)|whoever wants|(?:does )?any ?(?:one|body) want) (?:my|all my)\b|\b(?:list|will) of who gets (?:my|what)\b",
        r"\b(?:handing out|hand out|handed out|selling|sold|getting rid of|got rid of) (?:all )?(?:of )?(?:my|everything i own|"
        r"all my (?:stuff|things|belongings|possessions)|everything)\b",
        r"\b(?:tying up|tie up|tied up) (?:loose ends|my affairs)\b|\b(?:got|getting|put|putting|have|having) (?:my )?(?:affairs|things|everything) "
        r"(?:in order|sorted|ready)\b|\bi(?:'ve| have) (?:got )?everything (?:ready|sorted|in order|planned)\b|"
        r"\bleft (?:my )?passwords\b",
        # Affairs left for others: passwords, accounts, a will, debts and contracts, a pet's care, notes where they'll be found.
        r"\b(?:wrote|written|writing|left|gave|sent|shared|sorted|made a list of) (?:down |out )?(?:all )?(?:of )?(?:my )?"
        r"(?:passwords|bank (?:details|stuff|info|logins?|accounts?)|pin(?: numbers?)?|account (?:details|logins)|logins)\b",
        r"\b(?:updated|wrote|written|made|finished|sorted|signed) (?:my|a|out my) will\b|\b(?:took out|bought|got|increased) (?:a |my )?life insurance\b",
        r"\b(?:cancell?ed|cancelling|canceled|canceling) (?:all )?(?:of )?(?:my )?(?:subscriptions|contracts|accounts|phone contract)\b|"
        r"\bpaid off (?:my|all my|all of my) (?:card|cards|debts?|loans?)\b|\breturned (?:everything|all the (?:stuff|things)) i borrowed\b",
        r"\beverything(?:'s| is)? (?:in order|sorted|taken care of|arranged|ready)\b|\bdeleted (?:all )?(?:of )?my (?:socials|accounts|social media)\b",
        r"\b(?:gave|giving|left|dropped off|handed) (?:the |my )?(?:dog|cat|pets?|rabbit|hamster|bird|fish|kitten|puppy) (?:to|with)\b|"
        r"\b(?:dog|cat|hamster|rabbit|pet)\b[^.!?]{0,20}\bneeds? a (?:new |good )?home\b",
        r"\bwhere (?:my )?(?:mum|mom|dad|they|he|she|someone|my \w+) (?:will|'ll|would) (?:look|find|see) (?:first|them|it)?\b|"
        r"\b(?:finished|wrote|written|done) (?:the|my|all the|all my) (?:letters|notes)\b",
    ),
    "recent attempt": (
        r"\bi (?:tried|attempted|try|almost|nearly) (?:to )?(?:kill(?:ed)? myself|end(?:ed)? (?:my life|it)|die|suicide|overdose|hang myself)\b",
        r"\b(?:my|a|last|failed|second|third|suicide) attempts?\b|\battempted suicide\b|\bi attempted\b",
        r"(?:^|\bi )(?:overdosed|took (?:a bunch|all|too many|a whole|a handful|\d+) (?:of )?(?:my |the )?(?:pills|tablets|meds))\b",
        r"\b(?:tried|attempted)\b(?! to (?!kill|end|hang|overdose|od|die|do it|take|jump|drown))[^.]{0,40}\bbut "
        r"(?:woke up|survived|failed|it didn't work|someone found me)\b|"
        r"\b(?:my )?attempt\b[^.]{0,20}\b(?:didn't|did not) work\b|\bwoke up (?:in the hospital|in hospital|again) after\b",
        r"\b(?:woke up in|ended up in|rushed to|admitted to|was in) (?:the |a )?(?:hospital|er|icu|psych ward|a&e)\b",
        r"\b(?:stomach pumped|survived (?:it|my attempt)|psych ward|involuntary hold|5150)\b",
        r"\b(?:got|get|getting|was|just got|came) (?:out of|discharged from) (?:the |a )?(?:hospital|psych ward|inpatient|ward|rehab|"
        r"er|a&e|icu|emergency room|emergency)\b",
        r"\bcheck(?:ed|ing)? myself (?:in|into)\b|\b(?:was|been|went) inpatient\b|\b(?:was|got) (?:hospitali[sz]ed|committed|sectioned)\b",
        # An attempt named by its act, the "I" dropped as chat does ("tried to hang myself on saturday").
        r"(?:^|\bi )(?:tried|attempted|try) (?:to )?(?:hang|drown|shoot|gas|poison|suffocate|overdose|od|kill|end)\b(?! (?:it|this|that) (?:out|up))",
        rf"(?:^|\bi )(?:took|swallowed|downed|drank|taken|swallow) (?:way )?(?:too many|everything in|all (?:of )?(?:my|the)|"
        rf"a (?:whole|full) (?:bottle|box|pack|packet)|every (?:pill|tablet)|the whole|\d+ (?:of )?(?:my |the )?{MEDS})\b",
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
        r"\b(?:can't|cannot|couldn't|can not) stop\b[^.!?]{0,20}\b(?:cutting|burning|hurting myself|harming|self[- ]harm\w*|"
        r"scratching|hitting myself)\b",
        r"\b(?:needed|need|got|had|getting) stitches\b|\b(?:stop|stopping) the bleeding\b|\b(?:wouldn't|won't) stop bleeding\b|"
        r"\b(?:ran out of|no more) (?:room|space|places|skin) on my\b",
    ),
    # Perceived burdensomeness (Joiner): a core driver of suicidal desire, beyond general hopelessness.
    "burden": (
        r"\b(?:better off|happier|be fine|be easier|be relieved) (?:without me|if i (?:was|were|wasn't|weren't) (?:here|around|gone|alive))\b|"
        r"\b(?:i'm|i am|being|i feel like) (?:a|such a|just a|nothing but a) (?:burden|waste of space)\b|\bburden (?:to|on) (?:everyone|my|them|others)",
        r"\bnobody (?:would|will|even) (?:care|miss me|notice|even notice)\b|\bnobody cares\b|\bnobody would (?:even )?(?:notice|care|miss)",
        r"\b(?:wouldn't|would not|won't|will not) (?:even )?(?:be missed|notice if i|matter if i|care if i)\b",
        r"\b(?:one less (?:thing|problem|person)|easier|better|happier|lighter)\b[^.]{0,40}\bif i (?:wasn't|weren't|was not|were not) "
        r"(?:here|around|alive)\b|\b(?:enough problems|better|fine|easier) without me (?:in it|around|here|there)\b",
        # Relief for others on the condition of my absence, in either order (Joiner's burdensomeness).
        rf"\b(?:{RELIEF}|so much more|a favou?r|kindest thing)\b[^.!?]{{0,40}}\b{ABSENT}",
        rf"\b{ABSENT}[^.!?]{{0,40}}\b{RELIEF}\b",
        r"\b(?:favou?r|kindest thing|best thing)\b[^.!?]{0,40}\b(?:disappear\w*|vanish\w*|remove myself|removing myself|"
        r"not (?:being )?(?:here|around)|kill\w* myself)\b",
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

# Cheap substring checks: a signal's patterns run only on sentences holding one of its stems.
# Every pattern above needs at least one of these (tests/unit/test_screen.py checks that).
STEMS: dict[str, tuple[str, ...]] = {
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
        "permanent",
        "for ever",
        "come back",
        "return",
        "rest of my life",
        "life",
        "world",
        "planet",
        "around",
        "here",
        "see myself",
        "future",
        "anymore",
        "want out",
        "disappointed",
        "annoyed",
        "sad",
        "angry",
        "gutted",
        "the point",
        "hop",
        "hit by",
        "run over",
        "killed by",
        "nothing",
        "no one",
        "nobody",
        "no reason",
        "think i",
        "pray",
        "dying",
        "died",
        "dies",
        "death",
        "funeral",
        "accident",
        "cancer",
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
    "specific plan": (
        "picked",
        "chosen",
        "chose",
        "found",
        "set a date",
        "decided on",
        "settled on",
        "worked out",
        "figured out",
        "circled",
        "marked",
        "know",
    ),
    "means at hand": (
        "sav",
        "hoard",
        "collect",
        "stash",
        "keep",
        "kept",
        "put",
        "stopped",
        "quit",
        "prescription",
        "so i",
        "pill",
        "tablet",
        "meds",
        "painkiller",
        "counted",
        "whole",
        "entire",
        "full",
        "bought",
        "buying",
        "got",
        "have",
        "found",
        "picked up",
        "holding",
        "hold",
        "rope",
        "noose",
        "gun",
        "blade",
        "razor",
        "roof",
        "bridge",
        "ledge",
        "edge",
        "cliff",
        "balcony",
        "overpass",
        "in the car",
        "engine",
        "pocket",
        "squirrel",
        "hid",
        "gather",
        "set",
        "buil",
        "stockpil",
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "dozen",
        "hundred",
        "every",
        "all the",
        "all of the",
        "boxes",
        "packs",
        "packets",
        "bottles",
        "to get",
        "to have",
        "told",
        "lied",
        "rifle",
        "pistol",
        "shotgun",
        "firearm",
        "bullet",
        "charcoal",
        "helium",
        "exhaust",
        "plastic bag",
        "pesticide",
        "antifreeze",
        "bleach",
        "poison",
        "safe",
        "cabinet",
        "know where",
        "sitting",
        "standing",
        "perched",
        "up on",
        "stood",
        "sat on",
    ),
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
        "?",
        "how",
        "is",
        "are",
        "does",
        "do",
        "would",
        "will",
        "can",
        "could",
        "should",
        "where",
        "least",
        "less",
        "cleanest",
        "reliable",
        "surest",
        "certain",
        "gentlest",
        "quietest",
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
        "wrote",
        "written",
        "writing",
        "left",
        "sent",
        "shared",
        "made a list",
        "will",
        "insurance",
        "cancel",
        "paid off",
        "returned",
        "everything",
        "deleted",
        "dropped off",
        "handed",
        "home",
        "where",
        "finished",
        "done",
        "whoever",
        "anyone want",
        "anybody want",
        "any one want",
        "handing",
        "hand out",
        "handed out",
        "selling",
        "sold",
        "rid of",
    ),
    "self-harm escalation": (
        "cut",
        "burn",
        "harm",
        "hurting",
        "scratch",
        "deeper",
        "worse",
        "more",
        "stop",
        "stitches",
        "bleeding",
        "ran out of",
        "no more",
    ),
    "burden": (
        "without me",
        "burden",
        "waste",
        "nobody",
        "be missed",
        "notice",
        "matter",
        "care if",
        "one less",
        "easier",
        "happier",
        "lighter",
        "if i",
        "enough problems",
        "better",
        "safer",
        "relieved",
        "fine",
        "freer",
        "so much more",
        "favo",
        "kindest",
        "best thing",
        "with one less",
        "with me",
        "have to",
        "need to",
    ),
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
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "from now",
        "pay",
        "night",
        "morning",
        "after",
        "before",
        "once",
        "when",
        "school",
        "work",
        "shift",
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
        "logging",
        "coming",
        "posting",
        "checking",
        "from me",
        "for good",
        "the last thing",
        "before i",
        "where i",
        "time to go",
        "turn to go",
    ),
    "farewell": (
        "thank",
        "grateful",
        "sorry",
        "fault",
        "blame",
        "tried",
        "did everything",
        "did your best",
        "tell",
        "at peace",
        "what i want",
        "please",
        "see you",
        "yourselves",
        "the best",
        "the only good",
        "need",
        "love",
        "luv",
        "been a good run",
        "every",
        "each",
        "all the",
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
        "attempted",
        "swallow",
        "downed",
        "drank",
        "taken",
        "er",
        "a&e",
        "icu",
        "emergency",
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
