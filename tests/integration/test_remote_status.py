"""`llumi status` with a remote server: "unreachable" is told apart from "loaded"."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from llumi_core.llm.openai_compat import OpenAICompatBackend
from llumi_core.llm.registry import ModelSpec
from tests.conftest import make_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def backend(
    tmp_path: Path, url: str, transport: httpx.AsyncBaseTransport | None = None
) -> OpenAICompatBackend:
    settings = make_settings(tmp_path, models={"backend": "openai_compat", "remote": {"base_url": url}})
    return OpenAICompatBackend(ModelSpec(name="m", path=None), settings.models, transport=transport)


async def test_a_down_server_is_reported_unreachable_not_loaded(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    down = backend(tmp_path, url)
    try:
        assert "not contacted yet" in down.status().detail and down.status().loaded is False
        assert await down.probe() is False
        status = down.status()
    finally:
        await down.aclose()
    assert status.loaded is False
    assert "remote server unreachable (ConnectError" in status.detail and url in status.detail
    assert status.extra["reachable"].startswith("remote server unreachable")


async def test_a_server_that_answers_is_reachable(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/models"
        return httpx.Response(200, json={"data": [{"id": "m"}]})

    up = backend(tmp_path, "http://inference.local/v1", httpx.MockTransport(answer))
    try:
        assert await up.probe() is True
        status = up.status()
    finally:
        await up.aclose()
    assert status.loaded is True and status.detail.endswith("remote server reachable")


async def test_a_failing_server_is_unreachable(tmp_path: Path) -> None:
    failing = backend(
        tmp_path, "http://inference.local/v1", httpx.MockTransport(lambda _: httpx.Response(503))
    )
    try:
        assert await failing.probe() is False
    finally:
        await failing.aclose()
    assert "remote server unreachable (HTTP 503)" in failing.status().detail
