"""A backend that streams from an in-house OpenAI-compatible server.

For communities that outgrow one machine: the GM/IM roles point at
llama.cpp's server, vLLM or Ollama on the community's own GPU machines
(`[models] backend = "openai_compat"`, `[models.remote]`), and the bot stays
the same. Posts still never leave the community's infrastructure; do not point
this at a third-party cloud API.

- Streaming: `POST {base_url}/chat/completions` with `stream: true`, read as
  server-sent events; each `delta.content` is yielded as it arrives.
- Fair and bounded: the same `FairQueue` as the local backend, with a few
  slots (servers batch concurrent requests), so one person's burst cannot
  take every slot.
- Retries: connection failures and 5xx answers *before the first token* are
  retried with exponential backoff (`remote.retries`, `remote.backoff_s`);
  after the first token a failure ends the call (a retry would repeat text
  the person has already seen).
- A down server gives one clear message naming the URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from typing import Any

import httpx

from ..config import ModelsSettings
from ..errors import ModelError
from ..ports import BackendStatus, ChatMessage, GenerationParams
from .queue import FairQueue, Request, queued_stream
from .registry import ModelSpec

log = logging.getLogger(__name__)

# Concurrent requests sent to the server; more wait in our fair queue (servers queue FIFO).
REMOTE_SLOTS = 4
CONNECT_TIMEOUT_S = 5.0
PROBE_TIMEOUT_S = 2.0  # `probe` at start: long enough for a LAN server, short enough to start


class _Retryable(Exception):
    """A failure before the first token that a retry may fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OpenAICompatBackend:
    """Implements `LLMBackend` over HTTP. No model is loaded in this process."""

    def __init__(
        self,
        spec: ModelSpec,
        settings: ModelsSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        remote = settings.remote
        self.spec = spec
        self.model_id = spec.name
        self.base_url = (spec.url or remote.base_url).rstrip("/")
        self.served_model = remote.model or spec.served_name
        self.retries = remote.retries
        self.backoff_s = remote.backoff_s
        self.queue = FairQueue(settings.max_queue, slots=REMOTE_SLOTS)
        headers = {"Accept": "text/event-stream"}
        if remote.api_key is not None:
            headers["Authorization"] = f"Bearer {remote.api_key.get_secret_value()}"
        # trust_env=False: an in-house server is reached directly, never through an HTTP(S)_PROXY.
        self._client = httpx.AsyncClient(
            headers=headers,
            timeout=httpx.Timeout(settings.timeout_s, connect=CONNECT_TIMEOUT_S),
            trust_env=False,
            transport=transport,
        )
        self._last_error: str | None = None
        self._ok_calls = 0
        self._probed = False  # whether `probe` (or a call) has reached the server yet

    async def probe(self) -> bool:
        """Ask the server for its models (`GET {base_url}/models`, 2 s at most), so
        `status` tells a reachable server from an unreachable one before any draft. Never raises."""
        try:
            response = await self._client.get(f"{self.base_url}/models", timeout=PROBE_TIMEOUT_S)
        except httpx.HTTPError as err:
            self._last_error = _reason(err)
        else:
            if response.status_code >= 500:
                self._last_error = f"HTTP {response.status_code}"
            else:  # 2xx, or a 4xx from a server that is there but has no /models: it answers
                self._last_error = None
        self._probed = True
        return self._last_error is None

    def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams, role: str = "default"
    ) -> AsyncIterator[str]:
        """Stream text pieces; see `LLMBackend.generate`. `role` is unused (the server caches)."""
        body = self._body(messages, params)
        return queued_stream(
            self.queue, params.requester, params.timeout_s, lambda request: self._stream(body, request)
        )

    def _body(self, messages: Sequence[ChatMessage], params: GenerationParams) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.served_model,
            "messages": [dict(m) for m in messages],
            "stream": True,
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            # Not in OpenAI's API; llama.cpp's server and vLLM read them, others ignore them.
            "top_k": params.top_k,
            "repeat_penalty": params.repeat_penalty,
        }
        if params.seed is not None:
            body["seed"] = params.seed
        if params.stop:
            body["stop"] = list(params.stop)
        return body

    async def _stream(self, body: dict[str, Any], request: Request) -> AsyncIterator[str]:
        attempt = 0
        while True:
            started = False
            try:
                # aclosing: a consumer that stops early must release the HTTP connection now.
                async with contextlib.aclosing(self._one_attempt(body, request)) as pieces:
                    async for piece in pieces:
                        started = True
                        yield piece
                self._ok_calls += 1
                self._last_error = None
                self._probed = True
                return
            except _Retryable as err:
                if started:  # cannot happen: _Retryable is raised before the first token
                    raise ModelError(self._down(err.reason)) from None
                self._last_error = err.reason
                self._probed = True
                if attempt >= self.retries:
                    raise ModelError(self._down(err.reason)) from None
                delay = self.backoff_s * (2**attempt)
                log.info("inference server: %s; retry %d in %.1f s", err.reason, attempt + 1, delay)
                await asyncio.sleep(delay)
                attempt += 1

    async def _one_attempt(self, body: dict[str, Any], request: Request) -> AsyncGenerator[str, None]:
        url = f"{self.base_url}/chat/completions"
        first = True
        try:
            async with self._client.stream("POST", url, json=body) as response:
                if response.status_code >= 500:
                    raise _Retryable(f"HTTP {response.status_code}")
                if response.status_code >= 400:
                    detail = (await response.aread()).decode("utf-8", errors="replace")[:200]
                    raise ModelError(
                        f"the inference server at {self.base_url} refused the request "
                        f"(HTTP {response.status_code}: {detail.strip() or response.reason_phrase})"
                    )
                async for line in response.aiter_lines():
                    if request.cancel_event.is_set():
                        return
                    piece = _sse_piece(line)
                    if piece is _DONE:
                        return
                    if piece:
                        first = False
                        yield piece  # type: ignore[misc]
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError) as err:
            reason = _reason(err)
            if first:
                raise _Retryable(reason) from None
            raise ModelError(
                f"the inference server at {self.base_url} broke off the answer ({reason})"
            ) from None
        except httpx.TimeoutException:
            raise ModelError(f"the inference server at {self.base_url} did not answer in time") from None
        except httpx.HTTPError as err:
            raise ModelError(f"the inference server at {self.base_url} failed ({_reason(err)})") from None

    def _down(self, reason: str) -> str:
        return (
            f"the inference server at {self.base_url} is not reachable ({reason}) after {self.retries + 1} "
            "attempt(s); check that it is running, or ask an admin"
        )

    async def aclose(self) -> None:
        """Answer waiting requests 'stopped' and close the HTTP client."""
        await self.queue.aclose()
        await self._client.aclose()

    def status(self) -> BackendStatus:
        """`loaded` only once the server has answered; `reachable` says which of the three it is."""
        if self._last_error is not None:
            reachable = f"remote server unreachable ({self._last_error})"
        elif self._probed:
            reachable = "remote server reachable"
        else:
            reachable = "remote server not contacted yet"
        return BackendStatus(
            model_id=self.model_id,
            loaded=self._probed and self._last_error is None,
            queue_length=self.queue.waiting,
            running=self.queue.running > 0,
            memory_bytes=None,  # the weights live in the server's process, not this one
            detail=f"OpenAI-compatible server {self.base_url} (model {self.served_model}): {reachable}",
            extra={
                "reachable": reachable,
                "last_error": self._last_error or "",
                "ok_calls": str(self._ok_calls),
            },
        )


_DONE = object()


def _sse_piece(line: str) -> object:
    """The text in one server-sent-events line: str, _DONE, or None (nothing to show)."""
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if data == "[DONE]":
        return _DONE
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError:
        return None
    if not isinstance(chunk, dict):
        return None
    if "error" in chunk:
        message = (
            chunk["error"].get("message", "") if isinstance(chunk["error"], dict) else str(chunk["error"])
        )
        raise ModelError(f"the inference server reported an error: {str(message)[:200]}")
    choices = chunk.get("choices") or []
    if not choices:
        return None
    delta = choices[0].get("delta") or {}
    content = delta.get("content")
    return content if isinstance(content, str) else None


def _reason(err: BaseException) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
