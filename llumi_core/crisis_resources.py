"""Crisis resources: the region presets and admin overrides.

Outside the `safety` package so that settings can check a region without
importing the safety layers (which import the settings).

Every number below was checked against the service's own site (named in the
comment beside it). Admins replace a preset with their own list when their
community lives elsewhere or prefers local services; `resources_for` returns
the admin's list unchanged whenever one is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from .domain import CrisisResource
from .errors import ConfigError

_R = CrisisResource

PRESETS: dict[str, tuple[CrisisResource, ...]] = {
    "us": (
        # Source: https://988lifeline.org (call or text 988; chat on the site), 24/7.
        _R("988 Suicide & Crisis Lifeline", "call or text 988", "us", "https://988lifeline.org"),
        # Source: https://www.crisistextline.org ("Text HOME to 741741").
        _R("Crisis Text Line", "text HOME to 741741", "us", "https://www.crisistextline.org"),
        # Source: https://www.911.gov (emergency services).
        _R("Emergency services", "911", "us", note="immediate danger"),
    ),
    "uk-ie": (
        # Source: https://www.samaritans.org ("call us free on 116 123", UK and Republic of Ireland, 24/7).
        _R("Samaritans", "call 116 123 (free, 24/7)", "uk-ie", "https://www.samaritans.org"),
        # Source: https://giveusashout.org ("text SHOUT to 85258", UK).
        _R("Shout (UK)", "text SHOUT to 85258", "uk-ie", "https://giveusashout.org"),
        # Source: https://text50808.ie ("text HELLO to 50808", Ireland).
        _R("50808 (Ireland)", "text HELLO to 50808", "uk-ie", "https://text50808.ie"),
        # Source: NHS 111 / gov.ie: 999 in the UK, 112 or 999 in Ireland.
        _R("Emergency services", "999 (UK) or 112 (Ireland)", "uk-ie", note="immediate danger"),
    ),
    "ca": (
        # Source: https://988.ca ("call or text 9-8-8", launched 30 Nov 2023), 24/7.
        _R("9-8-8 Suicide Crisis Helpline", "call or text 9-8-8", "ca", "https://988.ca"),
        # Source: https://kidshelpphone.ca (1-800-668-6868, text CONNECT to 686868).
        _R(
            "Kids Help Phone",
            "call 1-800-668-6868 or text CONNECT to 686868",
            "ca",
            "https://kidshelpphone.ca",
        ),
        _R("Emergency services", "911", "ca", note="immediate danger"),
    ),
    "au": (
        # Source: https://www.lifeline.org.au ("call 13 11 14", text 0477 13 11 14), 24/7.
        _R("Lifeline", "call 13 11 14 or text 0477 13 11 14", "au", "https://www.lifeline.org.au"),
        # Source: https://www.beyondblue.org.au (1300 22 4636).
        _R("Beyond Blue", "call 1300 22 4636", "au", "https://www.beyondblue.org.au"),
        # Source: https://kidshelpline.com.au (1800 55 1800).
        _R("Kids Helpline", "call 1800 55 1800", "au", "https://kidshelpline.com.au"),
        # Source: https://www.triplezero.gov.au.
        _R("Emergency services", "000", "au", note="immediate danger"),
    ),
    "in": (
        # Source: https://telemanas.mohfw.gov.in (Tele MANAS 14416 or 1-800-891-4416), 24/7.
        _R("Tele MANAS", "call 14416 or 1-800-891-4416", "in", "https://telemanas.mohfw.gov.in"),
        # Source: https://www.aasra.info (+91-9820466726, 24/7).
        _R("AASRA", "call +91-9820466726", "in", "https://www.aasra.info"),
        # Source: https://112.gov.in (Emergency Response Support System).
        _R("Emergency services", "112", "in", note="immediate danger"),
    ),
    "de": (
        # Source: https://www.telefonseelsorge.de (0800 111 0 111, 0800 111 0 222, 116 123; free, 24/7).
        _R(
            "TelefonSeelsorge",
            "0800 111 0 111 or 0800 111 0 222 (free, 24/7)",
            "de",
            "https://www.telefonseelsorge.de",
        ),
        # Source: https://www.nummergegenkummer.de (Kinder- und Jugendtelefon 116 111).
        _R("Nummer gegen Kummer (young people)", "116 111", "de", "https://www.nummergegenkummer.de"),
        _R("Notruf", "112", "de", note="immediate danger"),
    ),
    "fr": (
        # Source: https://3114.fr (numéro national de prévention du suicide, 3114, free, 24/7).
        _R("3114 — prévention du suicide", "3114 (gratuit, 24h/24)", "fr", "https://3114.fr"),
        # Source: https://www.sos-amitie.com (09 72 39 40 50).
        _R("SOS Amitié", "09 72 39 40 50", "fr", "https://www.sos-amitie.com"),
        # Source: https://www.service-public.fr (SAMU 15, European emergency number 112).
        _R("Urgences", "15 (SAMU) or 112", "fr", note="immediate danger"),
    ),
    "international": (
        # Source: https://findahelpline.com (ThroughLine's verified directory of helplines by country).
        _R("Find A Helpline", "findahelpline.com", "international", "https://findahelpline.com"),
        _R("Emergency services", "your local emergency number", "international", note="immediate danger"),
    ),
}

_ALIASES = {
    "uk": "uk-ie",
    "gb": "uk-ie",
    "ie": "uk-ie",
    "ireland": "uk-ie",
    "united kingdom": "uk-ie",
    "usa": "us",
    "united states": "us",
    "canada": "ca",
    "australia": "au",
    "india": "in",
    "germany": "de",
    "deutschland": "de",
    "france": "fr",
    "intl": "international",
    "global": "international",
}


def normalise_region(region: str) -> str:
    """Map a region name or alias ("UK", "Ireland", "usa") to a preset key, or raise ConfigError."""
    key = region.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    if key not in PRESETS:
        valid = ", ".join(sorted(PRESETS))
        raise ConfigError(f"unknown crisis region '{region}'; valid regions: {valid}")
    return key


def resources_for(region: str, custom: Sequence[CrisisResource] = ()) -> tuple[CrisisResource, ...]:
    """The resources to show: the admin's own list when given, else the region's preset."""
    if custom:
        return tuple(custom)
    return PRESETS[normalise_region(region)]
