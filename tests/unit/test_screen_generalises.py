"""Issue 10's classes of failure, each by its rule: normalisation, lexicon constructs, voice, language."""

from __future__ import annotations

import pytest

from llumi_core.domain import RiskLevel
from llumi_core.safety import lexicon
from llumi_core.safety.normalise import fold_unicode, segment, strip_invisible
from llumi_core.safety.risk import LayeredScreen
from llumi_core.safety.screen import RiskScreen, normalise
from llumi_core.text import guess_language


@pytest.fixture(scope="module")
def patterns() -> LayeredScreen:
    return LayeredScreen(use_semantic=False)


def level(screen: LayeredScreen, text: str) -> RiskLevel:
    return screen.assess(text).level


# --- normalisation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "disguised",
    [
        "I want to k\u200bill my\u200dself tonight",  # zero-width space and joiner
        "I want to kill my\u2060self tonight",  # word joiner
        "I want to \u202ekill myself\u202c tonight",  # bidi override
        "I want to ｋｉｌｌ ｍｙｓｅｌｆ tonight",  # full-width
        "I want to kіll mysеlf tonight",  # Cyrillic і and е
        "I want to k1ll mys3lf tonight",  # leetspeak
    ],
)
def test_disguised_letters_read_as_the_plain_text(patterns: LayeredScreen, disguised: str) -> None:
    plain = patterns.assess("I want to kill myself tonight")
    assert plain.level is RiskLevel.ACUTE
    assert patterns.assess(disguised).level is plain.level


def test_an_exclamation_mark_is_not_a_leet_i() -> None:
    assert normalise("so happy!!") == "so happy!!"
    assert normalise("k!ll mys3lf") == "kill myself"


def test_invisible_characters_go_and_accents_stay() -> None:
    assert strip_invisible("a\u200bb\u200cc\u200dd\u2060e\ufeff") == "abcde"
    assert fold_unicode("ＣＡＦÉ") == "café"


@pytest.mark.parametrize(
    ("spaced", "words"),
    [
        ("i w a n t t o d i e", "i want to die"),
        ("i  w a n t  t o  d i e", "i want to die"),  # wider gaps mark the words
        ("s u i c i d e", "suicide"),
        ("k.i.l.l m.y.s.e.l.f", "kill myself"),
    ],
)
def test_spaced_letters_are_split_back_into_words(spaced: str, words: str) -> None:
    assert words in normalise(spaced)


def test_segment_prefers_fewest_known_words_and_keeps_unknown_letters() -> None:
    vocab = frozenset({"no", "one", "cares", "nobody"})
    assert segment("nobodycares", vocab) == "nobody cares"
    assert segment("xqzv", vocab) == "xqzv"


# --- constructs from the Suicide Risk Lexicon -------------------------------------------------------


def test_lexicon_ships_its_provenance_and_only_multiword_phrases_become_patterns() -> None:
    data = lexicon.lexicon()
    assert data["licence"] == "Apache-2.0" and "construct-tracker" in data["source"]
    assert len(data["constructs"]) >= 49
    for signal in lexicon.CONSTRUCTS:
        phrases = lexicon.phrases_for(signal)
        assert phrases and all(" " in p for p in phrases)
        assert not set(phrases) & lexicon.FIGURATIVE_OR_SERVICE


@pytest.mark.parametrize(
    "text",
    [
        "i just want to sleep and never wake up",
        "don't want to be here anymore",
        "what's the point of living",
        "no one would notice if I disappeared",
        "nobody would notice if I disappeared",
        "everyone would be better off without me",
        "my cutting is getting worse and deeper every week",
    ],
)
def test_passive_ideation_burden_and_self_harm_in_everyday_words(patterns: LayeredScreen, text: str) -> None:
    assert level(patterns, text) is not RiskLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "what's the most painless way to go",
        "how many of my pills would it take to not wake up",
        "how high does a bridge have to be",
        "I've been saving up my pills for weeks. I have a plan.",
        "I have a plan. It happens on friday.",  # the date sits in another sentence
        "giving away all my stuff, thanks for everything guys",
        "I wrote letters to my family. Goodbye everyone.",
    ],
)
def test_method_questions_preparation_and_a_nearby_date_are_acute(patterns: LayeredScreen, text: str) -> None:
    assert level(patterns, text) is RiskLevel.ACUTE


@pytest.mark.parametrize(
    "text",
    [
        "I can't sleep",
        "I can't sleep again, exams are stressing me out",
        "I don't want to die, I want things to change.",
        "please don't hurt yourself, we're all here for you",
        "this homework is killing me lol",
        "two years clean from cutting today",
        "I'm done with this assignment",
    ],
)
def test_no_banner_without_a_suicide_specific_signal(patterns: LayeredScreen, text: str) -> None:
    assert level(patterns, text) is RiskLevel.NONE


def test_the_pattern_score_stays_below_elevated_when_the_level_is_none() -> None:
    screen = RiskScreen()
    assert screen.assess("I can't sleep").score < float(screen.weights["elevated_threshold"])


# --- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ya no quiero vivir, estoy cansada de todo", "es"),
        ("Je ne veux plus vivre, je suis fatigué de tout", "fr"),
        ("Я больше не хочу жить", "other"),
        ("I want to die", "en"),
        ("lol", "und"),
        # Two-word posts have no function words to count: the language identifier reads them.
        ("quiero desaparecer", "es"),
        ("voy a suicidarme", "es"),
        ("I can't sleep", "en"),
        ("so tired of everything", "en"),
    ],
)
def test_language_guess(text: str, code: str) -> None:
    assert guess_language(text) == code


def test_without_the_language_identifier_function_words_still_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("llumi_core.text._language_model", lambda: None)
    assert guess_language("Ya no quiero vivir, estoy cansada de todo") == "es"
    assert guess_language("quiero desaparecer") == "und"


def test_a_post_the_screen_cannot_read_is_not_screened_never_none(patterns: LayeredScreen) -> None:
    risk = patterns.assess("Ya no quiero vivir, estoy cansada de todo")
    assert not risk.screened and risk.unscreened_language == "es"
    assert risk.needs_resources
    assert risk.reasons == ("not screened: language (es)",)


def test_english_risk_words_inside_another_language_still_count(patterns: LayeredScreen) -> None:
    risk = patterns.assess("estoy muy mal, i want to kill myself tonight")
    assert risk.level is RiskLevel.ACUTE


# --- rule classes widened from the lexicon's constructs (issue 10, second round) ---------------------
# Each class is a structure, not a phrase list: the sentences below are not in any bench set.


@pytest.mark.parametrize(
    "text",
    [
        "honestly ready to clock out permanently",  # a figure of leaving made permanent
        "i want to drift off and not come back",
        "i don't expect to be around next year",  # a foreshortened future
        "can't picture a future where i'm still alive",
        "my sister would be relieved if i was gone",  # others' relief on the condition of my absence
        "if i disappeared everyone at home would be better off",
        "i can't stop cutting, it's every night now",  # "can't stop" is not a negation
    ],
)
def test_passive_ideation_burden_and_escalation_by_structure(patterns: LayeredScreen, text: str) -> None:
    assert level(patterns, text) is RiskLevel.ELEVATED


@pytest.mark.parametrize(
    "text",
    [
        "could you take a bunch of sleeping pills with vodka and just not wake up",  # a question whose object is dying
        "what floor would make a fall fatal",
        "how cold does it have to be to freeze to death outside",  # "to death" here is not an idiom
        "is 30 of my quetiapine enough",  # a medication's lethality, by any name
        "i've been pocketing a couple of my dad's painkillers every night",  # stored up, by any verb
        "got about 80 of my antidepressants saved up",
        "sorry for everything. none of this is anyone's fault",  # two soft acts of a farewell
        "giving my bike and my books away, i won't be needing them",
        "wrote down my passwords and bank logins for my brother. everything's in order",  # affairs in order, twice
        "decided on the method. sunday.",  # the way settled, the day in the next sentence
        "tried to hang myself on saturday but the knot slipped",  # an attempt with the "i" dropped
    ],
)
def test_acute_rule_classes(patterns: LayeredScreen, text: str) -> None:
    assert level(patterns, text) is RiskLevel.ACUTE


@pytest.mark.parametrize(
    "text",
    [
        "logging off for the night, see you all tomorrow",
        "i want to sleep for a week after this trip",
        "you're not a burden, we'd never be better off without you",  # a supporter
        "is 100mg of sertraline too much for me?",  # a dose, not a lethality
        "how long did your zoloft take to start working?",
        "what happens when we die? i think about it a lot",  # death in general is no method question
        "i keep my pills in a weekly organiser so i don't forget",
        "i keep forgetting my meds",
        "my roommate has been saving her pills and i'm scared",  # someone else's means
        "thanks for listening everyone",  # one soft act alone
        "taking a social media break for a month, love you all, take care of yourselves",  # an ordinary leave
        "rehoming my rabbit because my new flat doesn't allow pets",  # an ordinary reason
        "we decided on the date for the wedding, it's in june",  # an everyday event
        "i tried to apply to oxford but failed",
        "> i want to die tonight",  # a quoted line is someone else's words
        "it takes courage to talk about suicidal thoughts",  # a topic, not a state
        "my last self harm was 300 days ago",  # a streak
        "haven't touched a razor in three years",
        "my therapist asked if i had thoughts of suicide and i said no",  # a question put to the writer
        "i'm bored to death in this lecture",
        "i'd rather die than go to that party",
        "women are more likely to attempt suicide",  # a statement about a group
        "there's no painless way to go, please don't",
        "i was hanging out with friends all day",
        "i'm done with this semester, goodbye lectures",  # a goodbye to lectures, not to people
        "my ex is gone for good and honestly good riddance",  # "my ex" is the ex
        "i want to disappear into a cabin for a month with no phone",
        "i finally picked a date for my driving test!",  # a date for something
        "how many mg of melatonin is safe to take",  # a dose's safety
        "i'm not going to be around this weekend, visiting my gran",
        "i won't be here next week, holiday!",  # an ordinary leave (and "!" is not a leet "i")
        "leaving this world of retail for good, new job starts monday",
        "my therapist says i should write a letter to my younger self",
    ],
)
def test_context_keeps_look_alikes_at_none(patterns: LayeredScreen, text: str) -> None:
    assert level(patterns, text) is RiskLevel.NONE


def test_semantic_gate_reads_only_the_writers_present_voice() -> None:
    from llumi_core.safety.screen import semantic_gate

    assert semantic_gate("i just want it all to stop") is None
    assert semantic_gate("i used to want it all to stop") == "past"
    assert semantic_gate("my brother wants it all to stop") == "about someone else"
    assert semantic_gate("this song about wanting it all to stop is so good") == "fiction or a game"
    assert semantic_gate("this exam is killing me lol") == "hyperbole"


def test_fragments_are_read_with_the_sentence_they_belong_to() -> None:
    from llumi_core.safety.screen import semantic_segments

    assert semantic_segments(["i tried.", "it didn't work.", "now what"]) == [
        (0, "i tried. it didn't work. now what")
    ]
    assert semantic_segments(["i have thought about this for a long time.", "sunday."]) == [
        (0, "i have thought about this for a long time. sunday.")
    ]
