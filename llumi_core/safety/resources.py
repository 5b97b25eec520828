"""Making sure a draft carries the crisis resources (the presets: `llumi_core.crisis_resources`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..crisis_resources import PRESETS, normalise_region, resources_for
from ..domain import CrisisResource

__all__ = ["PRESETS", "ensure_resources", "has_resources", "normalise_region", "resources_for", "resources_paragraph"]


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
