"""A logging filter that keeps post text, draft text and tokens out of logs.

The core registers every post and draft text it handles, and every secret
(platform tokens, API keys). Whatever a handler or a third-party library logs
at INFO or above, the filter replaces registered content with a marker; for
records below INFO (DEBUG, opt-in on the community's own machine) content is
still scrubbed, because a debug log is copied around too.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

REDACTED = "[content withheld]"
SECRET = "[secret withheld]"
_MIN_FRAGMENT = 12  # shorter spans are too common to be identifying
_MAX_TEXTS = 512

_lock = threading.Lock()
_secrets: set[str] = set()
_texts: deque[str] = deque(maxlen=_MAX_TEXTS)


def register_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def register_content(text: str | None) -> None:
    """Remember a post or draft text so it can never be logged."""
    if text and len(text.strip()) >= _MIN_FRAGMENT:
        with _lock:
            _texts.append(text)


def _fragments(text: str) -> list[str]:
    # Lines and sentences, so a partial quote of the text is caught too.
    pieces = [text]
    for line in text.splitlines():
        pieces.extend(s.strip() for s in line.replace("!", ".").replace("?", ".").split("."))
    return sorted({p for p in pieces if len(p) >= _MIN_FRAGMENT}, key=len, reverse=True)


def scrub(message: str) -> str:
    with _lock:
        secrets = list(_secrets)
        texts = list(_texts)
    for secret in secrets:
        message = message.replace(secret, SECRET)
    for text in texts:
        if text in message or any(f in message for f in _fragments(text)):
            for fragment in _fragments(text):
                message = message.replace(fragment, REDACTED)
    return message


class ContentFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.levelno >= logging.INFO:
            # Tracebacks can hold locals' reprs in some formatters; keep only the type.
            record.msg = f"{record.msg} ({record.exc_info[0].__name__ if record.exc_info[0] else 'error'})"
            record.exc_info = None
            record.exc_text = None
        return True


_FILTER = ContentFilter()


def install_content_filter(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (default: root), idempotently."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
