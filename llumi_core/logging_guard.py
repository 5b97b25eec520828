"""Keeps post text, draft text and tokens out of every log line, whoever logs it.

The core registers every post and draft text it handles, and every secret
(platform tokens, API keys). `install_content_filter()` then scrubs every log
record as it is created (a record factory, so handlers added later — e.g. by
discord.py — are covered too) and, belt and braces, on the handlers present:

- secrets are replaced wherever they appear;
- quoted content (the whole text or any sentence of it) is replaced;
- content that survives in another shape (JSON-escaped, re-cased, re-spaced)
  is recognised on a normalised form, and then the whole line is withheld;
- tracebacks at INFO and above keep only the exception type (exception
  messages often quote their input).

DEBUG lines are scrubbed the same way: a debug log is copied around too.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from dataclasses import dataclass

REDACTED = "[content withheld]"
SECRET = "[secret withheld]"
WITHHELD_LINE = f"{REDACTED} (log line withheld: it quoted member content)"
_MIN_TEXT = 8  # letters/digits: shorter texts are too common to be identifying
_MIN_FRAGMENT = 12
_MAX_TEXTS = 512
_NON_WORD = re.compile(r"[\W_]+")
_SENTENCE = re.compile(r"[.!?\n]+")


def _normalise(text: str) -> str:
    """Letters and digits only, case-folded: survives JSON escaping, re-spacing, re-casing."""
    return _NON_WORD.sub("", text.casefold())


@dataclass(frozen=True, slots=True)
class _Registered:
    exact: tuple[str, ...]  # the text and its sentences, longest first
    normalised: tuple[str, ...]


_lock = threading.Lock()
_secrets: set[str] = set()
_texts: deque[_Registered] = deque(maxlen=_MAX_TEXTS)


def register_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def register_content(text: str | None) -> None:
    """Remember a post or draft text so it can never be logged."""
    if not text or len(_normalise(text)) < _MIN_TEXT:
        return
    sentences = [s.strip() for s in _SENTENCE.split(text)]
    exact = sorted({text, *(s for s in sentences if len(_normalise(s)) >= _MIN_FRAGMENT)}, key=len, reverse=True)
    normalised = tuple(n for n in {_normalise(p) for p in exact} if n)
    with _lock:
        _texts.append(_Registered(tuple(exact), normalised))


def scrub(message: str) -> str:
    """The message with secrets and member content removed."""
    with _lock:
        secrets = list(_secrets)
        texts = list(_texts)
    for secret in secrets:
        message = message.replace(secret, SECRET)
    if not texts:
        return message
    for registered in texts:
        for fragment in registered.exact:
            if fragment in message:
                message = message.replace(fragment, REDACTED)
    flat = _normalise(message)
    if any(n in flat for registered in texts for n in registered.normalised):
        return WITHHELD_LINE
    return message


def _scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_llumi_scrubbed", False):
        return record
    message = record.getMessage()
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.levelno >= logging.INFO:
        exc_type = record.exc_info[0]
        record.msg = f"{record.msg} ({exc_type.__name__ if exc_type else 'error'})"
        record.args = None
        record.exc_info = None
        record.exc_text = None
    record._llumi_scrubbed = True
    return record


class ContentFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        _scrub_record(record)
        return True


_FILTER = ContentFilter()
_factory_installed = False


def _install_record_factory() -> None:
    global _factory_installed
    with _lock:
        if _factory_installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            return _scrub_record(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _factory_installed = True


def install_content_filter(logger: logging.Logger | None = None) -> None:
    """Scrub every record from now on, and attach the filter to `logger`'s handlers (idempotent)."""
    _install_record_factory()
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
