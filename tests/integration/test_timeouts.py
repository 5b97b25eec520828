"""`[models] timeout_s` is honoured within 0.5 s, even while llama.cpp evaluates a long prompt."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from llumi_core.errors import ModelTimeout
from llumi_core.llm import build_backends
from llumi_core.ports import ChatMessage, GenerationParams
from tests.conftest import make_settings

pytestmark = pytest.mark.model

LONG: list[ChatMessage] = [{"role": "user", "content": "Tell me a very long story about the sea. " * 60}]


async def test_timeout_is_honoured_within_half_a_second_and_the_model_keeps_working(tmp_path: Path) -> None:
    backends = await build_backends(make_settings(tmp_path, models={"max_tokens": 4000}))
    try:
        params = GenerationParams(max_tokens=4000, temperature=0.7, timeout_s=0.5, requester="a")
        start = time.perf_counter()
        with pytest.raises(ModelTimeout):
            async for _ in backends.gm.generate(LONG, params=params):
                pass
        assert time.perf_counter() - start < params.timeout_s + 0.5
        # The stopped call (mid-prompt or mid-reply) leaves the model fit for the next one.
        short: list[ChatMessage] = [{"role": "user", "content": "Say hello."}]
        pieces = [p async for p in backends.gm.generate(short, params=GenerationParams(max_tokens=8, seed=1))]
        assert "".join(pieces).strip()
        # The stop reaches llama.cpp itself: closing does not wait out an unfinished prompt
        # (the queue's 5 s grace for running calls).
        with pytest.raises(ModelTimeout):
            async for _ in backends.gm.generate(LONG, params=params):
                pass
    finally:
        closing = time.perf_counter()
        await backends.aclose()
    assert time.perf_counter() - closing < 1.0
