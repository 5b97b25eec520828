"""Making sure a draft carries the crisis resources (the presets: `llumi_core.crisis_resources`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..crisis_resources import PRESETS, normalise_region, resources_for
from ..domain import CrisisResource

__all__ = [
    "PRESETS",
    "ensure_resources",
    "has_resources",
    "normalise_region",
    "resources_for",
    "resources_paragraph",
    "responds_to_risk",
    "with_safety_question",
]

SAFETY_QUESTION = "Can I ask you directly: are you thinking about suicide, and are you safe right now?"

# A reply to a post that may signal a crisis has to do one of the two things every
# gatekeeper training (QPR, Mental Health First Aid, the Columbia protocol's screener)
# starts with: ask directly about suicide or safety, or point to help now. Asking does
# not put the idea in anyone's head; not asking leaves the risk unanswered.
_SAFETY_TOPIC = re.compile(
    r"\b(?:(?:are|feel|feeling|keep|keeping|stay|staying|be) (?:\w+ )?safe|safe right now|safety|suicid\w*|"
    r"kill(?:ing)? yourself|end(?:ing)? (?:your life|it all|things)|"
    r"tak(?:e|ing) your (?:own )?life|(?:hurt|harm)(?:ing)? yourself|self[- ]harm\w*|"
    r"thoughts? (?:of|about) (?:dying|death|not being here|not waking up)|"
    r"(?:want(?:ing)?|wish(?:ing)?) to (?:die|not be here|not wake up|disappear)|"
    r"not (?:want(?:ing)? to )?(?:be here|wake up|be alive|live)|"
    r"(?:with|near) you (?:right )?now|someone (?:with|near) you|"
    r"act(?:ing)? on (?:these|those|the|your) (?:thoughts|feelings|urges?))",
    re.IGNORECASE,
)
_HELP_NOW = re.compile(
    r"\b(?:crisis (?:line|text line|service|team|centre|center)|helpline|hotline|lifeline|samaritans|"
    r"emergency (?:services|number|department|room)|(?:a|the) (?:local )?emergency|\bA&E\b|"
    r"988|911|999|112|000)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def responds_to_risk(text: str, resources: Sequence[CrisisResource] = ()) -> bool:
    """Whether a reply asks about suicide or safety, or points to help now (a crisis line,
    emergency services, a listed resource): what a reply to an at-risk post must do."""
    if _HELP_NOW.search(text) or (resources and any(_mentions(text, r) for r in resources)):
        return True
    return any(s.strip().endswith("?") and _SAFETY_TOPIC.search(s) for s in _SENTENCE.findall(text))


def with_safety_question(text: str) -> str:
    """The reply with `SAFETY_QUESTION` as its one question: it replaces a closing question
    (a reply asks one), or ends the reply."""
    body = text.rstrip()
    last = _SENTENCE.findall(body)
    if last and last[-1].strip().endswith("?") and len(last) > 1:
        body = body[: body.rfind(last[-1].strip())].rstrip()
    return f"{body} {SAFETY_QUESTION}" if body else SAFETY_QUESTION


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mentions(text: str, resource: CrisisResource) -> bool:
    lowered = text.lower()
    if resource.url:
        host = re.sub(r"^https?://(www\.)?", "", resource.url.lower()).rstrip("/")
        if host and host in lowered:
            return True
    contact_digits = _digits(resource.contact)
    if len(contact_digits) >= 3:
        # Any of the numbers in the contact line, written with any spacing.
        text_digits = _digits(text)
        for number in re.findall(r"\d[\d\s\-]*\d|\d", resource.contact):
            d = _digits(number)
            if len(d) >= 3 and d in text_digits:
                return True
    return resource.name.lower() in lowered


def has_resources(text: str, resources: Iterable[CrisisResource]) -> bool:
    """Whether the text already points to the first (primary) non-emergency resource."""
    primary = [r for r in resources if r.note != "immediate danger"][:1] or list(resources)[:1]
    return all(_mentions(text, r) for r in primary)


def resources_paragraph(resources: Sequence[CrisisResource]) -> str:
    """A short paragraph naming each resource, fit to end a reply."""
    lines = "\n".join(f"• {r.line()}" for r in resources)
    return (
        "If you might act on thoughts of ending your life, or you are not safe right now, please reach out now:\n"
        + lines
    )


def ensure_resources(text: str, resources: Sequence[CrisisResource]) -> str:
    """Append a resources paragraph unless the draft already names the primary resource."""
    resources = tuple(resources)
    if not resources or has_resources(text, resources):
        return text
    return f"{text.rstrip()}\n\n{resources_paragraph(resources)}"
