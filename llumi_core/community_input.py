"""What admins type into a community's settings, read the same way on every platform."""

from __future__ import annotations

import re

from .domain import CrisisResource
from .errors import InputError

_SEPARATORS = re.compile(r"[;\n]")
RESOURCES_FORMAT = "'Name | how to reach them | optional link', one per line or separated by ';'"
# Shown beside the learning switch on every platform: admins worry about data leaving.
LEARNING_NOTE = (
    "Nothing leaves this machine: it only marks this community's drafts as usable for `llumi pairs export`."
)


def parse_resources(text: str, region: str) -> list[CrisisResource]:
    """Custom crisis resources, one per line or separated by ';' (a one-line field has no lines).

    An empty text means none: the community uses its region's preset.
    """
    found = []
    for item in filter(None, (part.strip() for part in _SEPARATORS.split(text))):
        fields = [f.strip() for f in item.split("|")]
        if len(fields) < 2 or not fields[0] or not fields[1]:
            raise InputError(f"write each resource as {RESOURCES_FORMAT}")
        link = fields[2] if len(fields) > 2 and fields[2] else None
        found.append(CrisisResource(fields[0], fields[1], region, link))
    return found
