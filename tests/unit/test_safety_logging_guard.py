"""The logging filter keeps post text, draft text and tokens out of every log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from llumi_core.logging_guard import (
    REDACTED,
    SECRET,
    install_content_filter,
    register_content,
    register_secret,
)

POST = "I have been feeling so alone since my sister moved away. Nobody at school talks to me."
TOKEN = "MTIzNDU2Nzg5.secret-bot-token.abcdefghijklmnop"


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.guard")
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    install_content_filter(logger)
    yield logger, stream
    logger.handlers = []


def test_registered_post_text_never_reaches_the_log(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content(POST)
    logger.info("got post: %s", POST)
    logger.warning("draft for: " + POST)
    logger.error("failed on %r", {"text": POST})
    out = stream.getvalue()
    assert "sister moved away" not in out
    assert "Nobody at school" not in out
    assert REDACTED in out


def test_a_quoted_sentence_of_the_post_is_caught(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content(POST)
    logger.info("user said 'Nobody at school talks to me' earlier")
    assert "Nobody at school talks to me" not in stream.getvalue()


def test_debug_lines_are_scrubbed_too(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content(POST)
    logger.debug("prompt: %s", POST)
    assert "sister moved away" not in stream.getvalue()


def test_tokens_are_withheld(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_secret(TOKEN)
    logger.info("connecting with Authorization: Bot %s", TOKEN)
    out = stream.getvalue()
    assert TOKEN not in out and SECRET in out


def test_tracebacks_at_info_keep_only_the_exception_type(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content(POST)
    try:
        raise ValueError(POST)
    except ValueError:
        logger.exception("model call failed")
    out = stream.getvalue()
    assert "sister moved away" not in out
    assert "ValueError" in out and "Traceback" not in out


def test_unrelated_messages_are_untouched(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content(POST)
    logger.info("queue length %d, model %s", 3, "smollm2")
    assert stream.getvalue().strip() == "INFO queue length 3, model smollm2"


def test_install_is_idempotent(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, _ = log
    install_content_filter(logger)
    install_content_filter(logger)
    assert len(logger.handlers[0].filters) == 1


# --- content in another shape, and handlers added later --------------------------------------------


def test_json_escaped_text_is_caught(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    post = 'My dad said "you are useless" again tonight.\nI cannot stop crying about it.'
    register_content(post)
    logger.info("payload %s", json.dumps({"content": post}))
    assert "you are useless" not in stream.getvalue()


def test_handlers_added_after_install_are_covered() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("test.guard.late")
    logger.propagate = False
    install_content_filter(logger)  # no handlers yet: nothing to attach to
    logger.handlers = [logging.StreamHandler(stream)]
    register_content(POST)
    try:
        logger.warning("%s", POST)
    finally:
        logger.handlers = []
    assert "sister moved away" not in stream.getvalue()


def test_short_posts_are_withheld(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content("kms tonight")
    logger.info("post: %s", "kms tonight")
    assert "kms tonight" not in stream.getvalue()


def test_case_changed_text_is_caught(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    register_content(POST)
    logger.info("normalised: %s", POST.lower())
    assert "sister moved away" not in stream.getvalue()
