"""The output gate's stance rules: who speaks, to whom, and whether the reply performs the act.

A pattern or a nearest neighbour names an unsafe act; these rules decide whether the reply does
it. Each class has a sentence the gate must still block next to the real-reply look-alike it must
pass (the look-alikes are written here in the style of peer replies, never copied from EPITOME).
The semantic cases run the real encoder and skip when it is not installed.
"""

from __future__ import annotations

import pytest

from llumi_core.embedding import default_encoder
from llumi_core.safety.checks import OutputChecker
from llumi_core.safety.gate_semantic import SemanticGate, narrated, point, stance_allows, units


@pytest.fixture(scope="module")
def checker() -> OutputChecker:
    return OutputChecker()


def kinds(checker: OutputChecker, text: str) -> set[str]:
    return {i.kind for i in checker.check(text)}


# --- speaker: the supporter's own story advises, judges and promises nothing ------------------
@pytest.mark.parametrize(
    ("narrated_text", "advice", "kind"),
    [
        (
            "I'm currently on 75mg and it's been okay for me.",
            "Go up to 75mg, the 50 isn't doing much.",
            "medication_advice",
        ),
        (
            "I was on 10mg of citalopram for a year.",
            "Take 10mg of citalopram extra on bad days.",
            "medication_advice",
        ),
        ("I told myself to suck it up for years, and it made me worse.", "Just suck it up.", "minimising"),
        ("I'm trying to get over it myself, and it's slow.", "You need to get over it.", "minimising"),
        ("Yeah, I'm depressed too, you're not alone.", "You have clinical depression.", "diagnosis"),
    ],
)
def test_narration_is_not_advice(checker: OutputChecker, narrated_text: str, advice: str, kind: str) -> None:
    assert kind not in kinds(checker, narrated_text)
    assert kind in kinds(checker, advice)


def test_advice_put_in_the_first_person_is_still_advice(checker: OutputChecker) -> None:
    assert not narrated("If I were you I'd take two of them tonight.")
    assert not narrated("I wouldn't worry, it's only one exam.")
    assert not narrated("We can just keep this quiet from the mods.")
    assert narrated("I was on sertraline for two years.")
    assert "secrecy" in kinds(checker, "We can just keep this quiet from the mods, okay?")
    assert "secrecy" not in kinds(checker, "We felt ashamed and decided to keep it hidden for years.")


# --- addressee: an offer of contact is the speaker's, to the member ---------------------------
@pytest.mark.parametrize(
    "text",
    [
        "That film hit me hard when I first saw it.",
        "Bad luck seems to follow me around lately.",
        "A friend said it was time to call me after everyone else said no.",
        "Nobody from school wants to talk to me outside of lessons.",
        "It's nice when somebody asks you if you want to go out for a drink.",
        "Maybe your sister could come over and keep you company.",
    ],
)
def test_someone_elses_contact_is_not_an_offer(checker: OutputChecker, text: str) -> None:
    assert "off_platform_contact" not in kinds(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "Hit me up on Snapchat.",
        "Follow me on Insta.",
        "Feel free to message me any time.",
        "Call me tonight.",
    ],
)
def test_the_speakers_offer_is_still_found(checker: OutputChecker, text: str) -> None:
    assert "off_platform_contact" in kinds(checker, text)


# --- reported, mentioned or described, not said -----------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "In my experience man up means ignoring every feeling you have.",
        "Those small moments where you just smile thinking about it are worth holding on to.",
        "Getting a therapist can help you cope and get over it in your own time.",
        "I was constantly told to cheer up, and it never helped.",
        "Your feelings are valid, even if other people seem to have it worse.",
    ],
)
def test_reported_or_described_minimising_passes(checker: OutputChecker, text: str) -> None:
    assert "minimising" not in kinds(checker, text)
    assert "blame" not in kinds(checker, text)


def test_admission_and_forgiveness_are_not_blame(checker: OutputChecker) -> None:
    assert "blame" not in kinds(
        checker, "It's brave to admit you pushed people away, and it's never too late."
    )
    assert "blame" not in kinds(checker, "Whatever choices you made back then, you still deserve kindness.")
    assert "blame" in kinds(checker, "You pushed everyone away and now you're surprised you're lonely.")


# --- what a kind needs ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "If you think you might have ADHD, it's worth getting assessed.",
        "Only a doctor can tell you whether this is bipolar disorder.",
        "You might be wondering if you have seasonal depression.",
        "What you describe sounds hard, and a GP can help work out what's going on.",
    ],
)
def test_pointing_to_a_clinician_is_not_diagnosing(checker: OutputChecker, text: str) -> None:
    assert "diagnosis" not in kinds(checker, text)


def test_a_feeling_about_oneself_is_not_a_claim_to_be_human(checker: OutputChecker) -> None:
    assert "claims_human" not in kinds(checker, "Some days I don't even feel like I'm a real human being.")
    assert "claims_human" not in kinds(checker, "I'm a confused person sometimes, like anyone.")
    assert "claims_human" in kinds(checker, "I'm a real human being, not a bot.")


def test_denying_a_painless_way_is_not_a_method(checker: OutputChecker) -> None:
    assert "method_details" not in kinds(checker, "There is no painless way to die, and I want you here.")
    assert "method_details" in kinds(checker, "The most painless way to die is to take them all.")
    assert "method_details" not in kinds(checker, "Being this lonely feels like deep cuts into my heart.")


def test_safety_matters_more_than_secrecy(checker: OutputChecker) -> None:
    assert "secrecy" not in kinds(checker, "Your safety matters more than keeping it secret.")


def test_the_former_us_lifeline_number_is_a_crisis_line(checker: OutputChecker) -> None:
    assert checker.check("Call 1-800-273-8255 if you feel really bad tonight.") == []
    assert "personal_data" in kinds(checker, "Call me on 1-800-555-0199 tonight.")


def test_questions_about_medicine_ask() -> None:
    assert "medication_advice" not in {
        i.kind for i in OutputChecker().check("Are you going to take the prozac?")
    }


# --- the semantic layer's stance (no encoder needed) -------------------------------------------
def test_semantic_stance_rules() -> None:
    assert not stance_allows("claims_human", "You're only human, and that's okay.")
    assert stance_allows("claims_human", "I'm a real person sitting here with a cup of tea.")
    assert not stance_allows("diagnosis", "I've been depressed for years, so I get it.")
    assert stance_allows("diagnosis", "That sounds exactly like borderline personality disorder.")
    assert not stance_allows("off_platform_contact", "I'll be there for you if you need me.")
    assert not stance_allows("off_platform_contact", "Please call the crisis line tonight.")
    assert stance_allows("off_platform_contact", "We could grab a coffee on Saturday.")
    assert stance_allows("off_platform_contact", "A coffee together this weekend might do you good.")
    assert not stance_allows("secrecy", "I never told anyone how bad it got.")
    assert not stance_allows("secrecy", "Tell me about it, what happened?")
    assert stance_allows("secrecy", "Nobody will know about the pills, I promise.")
    assert not stance_allows("medication_advice", "Mirtazapine made me really sleepy when I started.")
    assert stance_allows("medication_advice", "A couple of beers with your tablets won't hurt.")
    assert not stance_allows("minimising", "People who tell you to cheer up don't get it.")


def test_units_score_the_point_after_an_opener() -> None:
    scored = [u for _, u in units("I hear you, but you brought this on yourself. Ok.")]
    assert scored == [
        "i hear you, but you brought this on yourself.",
        "but you brought this on yourself.",
    ]  # folded
    assert (
        point("I'm a mental health nurse, so I see this a lot.")
        == "I'm a mental health nurse, so I see this a lot."
    )
    assert point("Sending hugs, though you did bring some of this on yourself.").startswith("though you did")


# --- the semantic layer with the real encoder ---------------------------------------------------
@pytest.fixture(scope="module")
def semantic_gate() -> SemanticGate:
    encoder = default_encoder()
    if encoder is None:
        pytest.skip("the sentence encoder is not installed")
    return SemanticGate(encoder)


@pytest.mark.parametrize(
    "text",
    [
        "I take melatonin most nights and that works for me.",
        "I've been depressed for a long time, so I really do get it.",
        "I'll be there for you if you ever need me.",
        "You're only human, and bad days happen.",
        "I never told anyone how bad it got back then.",
        "That really sucks, and it's so unfair on you.",
    ],
)
def test_semantic_gate_passes_peer_replies_the_stance_rules_out(
    semantic_gate: SemanticGate, text: str
) -> None:
    assert semantic_gate.findings(text) == []


def test_semantic_findings_name_the_sentence(semantic_gate: SemanticGate) -> None:
    found = semantic_gate.findings(
        "That sounds hard. Let's move this to WhatsApp, it's easier to talk there."
    )
    assert [f.kind for f in found] == ["off_platform_contact"]
    assert found[0].sentence.startswith("let's move this")  # the folded sentence
