"""The in-process backend: a GGUF model run by llama.cpp (llama-cpp-python).

How a call runs, and why:

- **One worker thread per loaded model.** llama.cpp contexts are not safe to
  use from two threads at once, and one model serves one call at a time
  anyway; the `FairQueue` decides whose turn it is. The model is loaded and
  every generation runs in that same dedicated thread, so the asyncio event
  loop never waits on llama.cpp (platform heartbeats keep ticking).
- **Streaming hand-off.** The worker iterates `create_chat_completion(stream=True)`
  and hands each piece to the loop with `loop.call_soon_threadsafe` into an
  `asyncio.Queue`; `generate()` is an async iterator over that queue.
- **Stopping.** The worker checks the request's `threading.Event` between
  tokens: a caller that stops iterating, is cancelled or times out stops the
  generation within one token (prompt evaluation itself cannot be
  interrupted; it is short for chat-sized prompts).
- **Context size.** `[models] n_ctx` when set; otherwise sized to what a
  call can need (the longest post and reply the service lets through, the
  prompt templates, `max_tokens`), capped by the model's trained context. The
  KV cache is allocated for the whole context up-front, so the model's
  maximum (8k to 128k) would waste memory for nothing.
- **Threads.** `[models] n_threads` when set, else the physical cores
  (llama.cpp gains nothing from SMT siblings and loses from oversubscription).
  Idle OpenMP threads sleep instead of spinning (`OMP_WAIT_POLICY=PASSIVE`
  unless set), see `import_llama_cpp`.
- **Prompt cache.** GM and IM prompts start with long fixed prefixes (system
  prompt, community guidance). llama-cpp-python already reuses the live
  context's common prefix, which helps GM after GM; but when GM and IM share
  one loaded model, each call of one role wipes the other's prefix. With
  `[models] prefix_cache`, when the role changes the live state is parked
  under its role and the new role's parked state is restored, so alternating
  GM and IM calls re-evaluate only what differs (the post, the reply), and
  runs of one role cost nothing extra. The states keep only llama.cpp's own serialized state, not
  llama-cpp-python's score matrix (up to n_batch x n_vocab floats, ~100 MB
  for a 49k vocabulary), which a restored prefix never needs: the first
  suffix token is always re-decoded.
- **Quiet.** llama.cpp's native log goes to Python logging at DEBUG
  (`llumi_core.llm.native`), never straight to the terminal; its last
  error lines explain a failed load.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import logging
import math
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ModelsSettings, physical_cores
from ..errors import ModelError, ModelLoadError, ModelStopped
from ..ports import BackendStatus, ChatMessage, GenerationParams
from .queue import FairQueue, Request, queued_stream
from .registry import ModelSpec

log = logging.getLogger(__name__)
native_log = logging.getLogger("llumi_core.llm.native")

# A chat-sized prompt: system prompt + community guidance + template tokens.
PROMPT_OVERHEAD_TOKENS = 768
# English runs about 4 characters per token. Text that tokenizes worse (other scripts,
# emoji) can overflow; the call then fails with a message naming [models] n_ctx.
CHARS_PER_TOKEN = 4
MIN_N_CTX = 1024


def context_size(settings: ModelsSettings, trained: int | None) -> int:
    """The n_ctx to load with (see the module docstring for why not the model's maximum)."""
    if settings.n_ctx:
        wanted = settings.n_ctx
    else:
        # IM prompts carry the post and the human's reply, each up to max_post_chars.
        text_tokens = 2 * settings.max_post_chars // CHARS_PER_TOKEN
        wanted = text_tokens + PROMPT_OVERHEAD_TOKENS + settings.max_tokens
        wanted = max(MIN_N_CTX, -(-wanted // 512) * 512)
    return min(wanted, trained) if trained else wanted


def rss_bytes() -> int | None:
    """Resident memory of this process (the model's weights are mmapped and count once)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def import_llama_cpp() -> Any:
    """Import llama-cpp-python, first making its OpenMP threads sleep rather than spin when idle.

    llama.cpp's CPU build uses OpenMP, whose default "active" wait spins between
    operations. When the cores are shared (the bot's event loop, the database,
    other services), spinning threads starve each other: measured on a busy
    2-core machine, a 32-token draft took ~60 s with 2 spinning threads and
    ~2.3 s with passive waiting. libgomp reads the variable when it loads, so it
    is set before the first import; an explicit OMP_WAIT_POLICY in the
    environment wins.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import llama_cpp

    if _cpu_has_amx():
        _without_extra_buffer_types(llama_cpp.llama_cpp)
    return llama_cpp


def _cpu_has_amx() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            return any(line.startswith("flags") and " amx_tile" in line for line in f)
    except OSError:
        return False


@functools.cache
def _without_extra_buffer_types(native: Any) -> None:
    """Load every model into plain CPU buffers, not ggml's "extra" (AMX) ones.

    On CPUs that list AMX (Sapphire Rapids and later Xeons), a native build picks
    ggml's AMX buffer type, and the first decode crashes the process with SIGSEGV
    (llama-cpp-python 0.3.36, seen with every model here). llama-cpp-python has no
    argument for `use_extra_bufts`, and builds its model parameters from this
    function inside `Llama.__init__`, so the default itself is changed, once.
    """
    defaults = native.llama_model_default_params

    def plain_cpu_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    native.llama_model_default_params = plain_cpu_buffers


# -- native log ----------------------------------------------------------------

_recent_native: deque[str] = deque(maxlen=8)
_native_callback: Any = None
_native_lock = threading.Lock()


def _install_native_log() -> None:
    """Route llama.cpp's log through Python logging (DEBUG), keeping recent errors for messages."""
    global _native_callback
    with _native_lock:
        if _native_callback is not None:
            return
        llama_cpp = import_llama_cpp()

        @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
        def _on_log(level: int, text: bytes, _user: ctypes.c_void_p) -> None:
            line = text.decode("utf-8", errors="replace").strip()
            if not line:
                return
            if level in (2, 3):  # warn, error
                _recent_native.append(line)
            native_log.debug("%s", line)

        # Keep a reference: ctypes frees the trampoline with the Python object.
        _native_callback = _on_log
        llama_cpp.llama_log_set(_on_log, ctypes.c_void_p(0))


# -- lean prompt-state cache ------------------------------------------------------


@functools.cache
def _llama_class() -> type[Any]:
    """Define the llama-cpp-python subclass on first use (importing llama_cpp loads a native library)."""
    llama_cpp = import_llama_cpp()
    import numpy as np
    from llama_cpp.llama import Llama, LlamaState

    class LeanStateLlama(Llama):
        """Saves and restores llama.cpp's state without the (huge, unneeded) score matrix."""

        def save_state(self) -> LlamaState:
            ctx = self._ctx.ctx
            size = llama_cpp.llama_state_get_size(ctx)
            buffer = (ctypes.c_uint8 * int(size))()
            written = int(llama_cpp.llama_state_get_data(ctx, buffer, size))
            if written > int(size):
                raise RuntimeError("llama.cpp state larger than announced")
            return LlamaState(
                input_ids=self.input_ids[: self.n_tokens].copy(),
                scores=np.zeros((0, 0), dtype=np.single),
                n_tokens=self.n_tokens,
                llama_state=ctypes.string_at(buffer, written),
                llama_state_size=written,
                seed=self._seed,
            )

        def load_state(self, state: LlamaState) -> None:
            self.input_ids[: state.n_tokens] = state.input_ids[: state.n_tokens]
            self.n_tokens = state.n_tokens
            # The restored logits are stale for sampling: generate() re-decodes one token.
            self._requires_eval = True
            data = (ctypes.c_uint8 * state.llama_state_size).from_buffer_copy(state.llama_state)
            if (
                llama_cpp.llama_state_set_data(self._ctx.ctx, data, state.llama_state_size)
                != state.llama_state_size
            ):
                raise RuntimeError("failed to restore llama.cpp state")

    return LeanStateLlama


# -- the backend -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


_END = object()


class _Loaded:
    """The loaded model, used only from the backend's one worker thread: a generation, the
    yes/no judge, the per-role prompt cache and the flag that stops llama.cpp mid-decode."""

    def __init__(self, llm: Any, *, prefix_cache: bool) -> None:
        self.llm = llm
        self.prefix_cache = prefix_cache
        # Prompt cache: the saved state of each role whose prefix is not the live context's.
        self.states: dict[str, Any] = {}
        self.live_role: str | None = None
        self.prefix_restores = 0
        # The running call's stop flag, read by llama.cpp between graph nodes (see _install_abort).
        self.stop_flag: threading.Event | None = None
        self._yes_no: tuple[list[int], list[int]] | None = None
        self._install_abort()

    def close(self) -> None:
        """Free the model; a call still queued then fails as a ModelError instead of crashing."""
        llm, self.llm = self.llm, None
        self.states.clear()
        llm.close()

    def run(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        role: str,
        cancel: threading.Event,
        emit: Callable[[object], None],
    ) -> None:
        """Worker thread: stream one chat completion to `emit`, piece by piece, then `_END`."""
        stream: Any = None
        try:
            if cancel.is_set():
                return
            self.stop_flag = cancel
            if self.prefix_cache:
                self._switch_role(role)
            stream = self.llm.create_chat_completion(
                messages=messages,
                stream=True,
                max_tokens=params.max_tokens,
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                repeat_penalty=params.repeat_penalty,
                seed=_seed(params),
                stop=list(params.stop) or None,
            )
            for chunk in stream:
                if cancel.is_set():
                    break
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    emit(piece)
        except Exception as err:  # reported to the caller as a ModelError (an abort too)
            emit(_Failed(err))
        finally:
            self.stop_flag = None
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()
            emit(_END)

    def judge(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        role: str,
        cancel: threading.Event,
        emit: Callable[[object], None],
    ) -> None:
        """Worker thread: evaluate the prompt once and read the yes/no logits of the next token."""
        try:
            if cancel.is_set():
                return
            if self.prefix_cache:
                self._switch_role(role)
            yes, no = self._answer_tokens()
            seen: list[float] = []

            def read(_ids: Any, logits: Any) -> Any:
                top = float(logits.max())
                p_yes = sum(math.exp(float(logits[t]) - top) for t in yes)
                p_no = sum(math.exp(float(logits[t]) - top) for t in no)
                seen.append(p_yes / (p_yes + p_no) if p_yes + p_no > 0 else 0.5)
                return logits

            self.llm.create_chat_completion(
                messages=messages, max_tokens=1, temperature=0.0, logits_processor=[read]
            )
            if seen:
                emit(repr(seen[0]))
        except Exception as err:  # reported to the caller as a ModelError
            emit(_Failed(err))
        finally:
            emit(_END)

    def _answer_tokens(self) -> tuple[list[int], list[int]]:
        """The single-token spellings of "yes" and "no" in this model's vocabulary."""
        if self._yes_no is None:

            def single(words: tuple[str, ...]) -> list[int]:
                found = {tuple(self.llm.tokenize(w.encode(), add_bos=False, special=False)) for w in words}
                return sorted(t[0] for t in found if len(t) == 1)

            self._yes_no = (
                single(("yes", "Yes", " yes", " Yes", "YES")),
                single(("no", "No", " no", " No", "NO")),
            )
        return self._yes_no

    def _switch_role(self, role: str) -> None:
        """Worker thread: park the live context under its role, bring back this role's.

        Saved only when the role changes (GM after GM reuses the live context at
        no cost); llama-cpp-python then re-evaluates only the tokens after the
        longest prefix shared with the restored state.
        """
        live = self.live_role
        if live == role:
            return
        if live is not None and self.llm.n_tokens > 0:
            self.states[live] = self.llm.save_state()
        state = self.states.get(role)
        if state is not None:
            self.llm.load_state(state)
            self.prefix_restores += 1
        self.live_role = role

    def _install_abort(self) -> None:
        """Let a stop (timeout, cancel, shutdown) interrupt llama.cpp inside a decode too.

        Between tokens the worker checks the flag itself; but evaluating a long prompt is one
        decode that can take seconds on a busy CPU. llama.cpp asks this callback between graph
        nodes and gives up the decode when it returns True; llama-cpp-python then drops the
        unfinished tokens from the cache before the next call.
        """
        llama_cpp = import_llama_cpp()

        @llama_cpp.ggml_abort_callback  # type: ignore[untyped-decorator]
        def _should_abort(_data: ctypes.c_void_p) -> bool:
            flag = self.stop_flag
            return flag is not None and flag.is_set()

        self._abort_callback = _should_abort  # ctypes frees the trampoline with the Python object
        llama_cpp.llama_set_abort_callback(self.llm._ctx.ctx, _should_abort, ctypes.c_void_p(0))


class LlamaCppBackend:
    """A GGUF model in this process. Implements `LLMBackend`; call `await load()` before use."""

    def __init__(self, spec: ModelSpec, settings: ModelsSettings, *, model_id: str | None = None) -> None:
        if spec.path is None:
            raise ModelLoadError(spec.name, "the registry entry has no local GGUF file")
        self.spec = spec
        self.path: Path = spec.path
        self.model_id = model_id or spec.name
        self.settings = settings
        self.n_threads = settings.n_threads or physical_cores()
        self.n_ctx = context_size(settings, spec.context_length)
        self.queue = FairQueue(settings.max_queue)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"llama-{spec.name}")
        self._model: _Loaded | None = None
        self._load_error: str | None = None
        self.load_seconds: float | None = None

    # -- life cycle --

    async def load(self) -> None:
        """Load the GGUF in the worker thread. Raises ModelLoadError naming the file."""
        if self._model is not None:
            return
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._load_blocking)

    def _load_blocking(self) -> None:
        start = time.perf_counter()
        _check_gguf_header(self.path)
        _install_native_log()
        lean_llama = _llama_class()
        _recent_native.clear()
        try:
            llm = lean_llama(
                model_path=str(self.path),
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_gpu_layers=self.settings.n_gpu_layers,
                chat_format=self.spec.chat_format,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as err:
            reason = _recent_native[-1] if _recent_native else str(err)
            raise ModelLoadError(str(self.path), f"llama.cpp could not read it ({reason})") from None
        trained = int(llm._model.n_ctx_train())
        if not self.settings.n_ctx and self.n_ctx > trained:
            # The registry did not know the trained context; reload within it.
            llm.close()
            self.n_ctx = trained
            self._load_blocking()
            return
        self._model = _Loaded(llm, prefix_cache=self.settings.prefix_cache)
        self.load_seconds = time.perf_counter() - start
        log.info(
            "loaded %s (n_ctx=%d, n_threads=%d, %.1f s)",
            self.model_id,
            self.n_ctx,
            self.n_threads,
            self.load_seconds,
        )

    async def aclose(self) -> None:
        """Answer waiting requests 'stopped', stop the running one, free the model."""
        await self.queue.aclose()
        loop = asyncio.get_running_loop()
        if self._model is not None:
            await loop.run_in_executor(self._executor, self._free_blocking)
        self._executor.shutdown(wait=False)

    def _free_blocking(self) -> None:
        model, self._model = self._model, None
        if model is not None:
            model.close()

    # -- generation --

    def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams, role: str = "default"
    ) -> AsyncIterator[str]:
        """Stream text pieces; see `LLMBackend.generate`.

        `role` ("gm", "im") picks the prompt-cache slot when one model serves both roles.
        """
        model = self._loaded()
        copied = [{"role": m["role"], "content": m["content"]} for m in messages]
        return queued_stream(
            self.queue,
            params.requester,
            params.timeout_s,
            lambda request: self._stream(model.run, copied, params, role, request),
        )

    async def yes_probability(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams, role: str = "judge"
    ) -> float:
        """P(yes) / (P(yes) + P(no)) for the first answer token, from the logits (no sampling).

        Waits its turn in the fair queue like `generate`; `params.timeout_s` covers the wait.
        With `[models] prefix_cache` it has its own cache slot, so it does not evict the GM's.
        """
        model = self._loaded()
        copied = [{"role": m["role"], "content": m["content"]} for m in messages]
        stream = queued_stream(
            self.queue,
            params.requester,
            params.timeout_s,
            lambda request: self._stream(model.judge, copied, params, role, request),
        )
        async for answer in stream:
            return float(answer)
        raise ModelError(f"model {self.model_id} gave no answer")

    def _loaded(self) -> _Loaded:
        if self._model is None:
            raise ModelError(f"model {self.model_id} is not loaded")
        return self._model

    async def _stream(
        self,
        work: Callable[..., None],
        messages: list[dict[str, str]],
        params: GenerationParams,
        role: str,
        request: Request,
    ) -> AsyncIterator[str]:
        """Run `work` (a `_Loaded` method) in the worker thread and stream what it emits."""
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[object] = asyncio.Queue()

        def emit(item: object) -> None:
            try:
                loop.call_soon_threadsafe(pieces.put_nowait, item)
            except RuntimeError:  # the loop is gone: nobody is listening any more
                request.cancel_event.set()

        done = loop.run_in_executor(self._executor, work, messages, params, role, request.cancel_event, emit)
        request.worker_done = done
        try:
            while True:
                item = await pieces.get()
                if item is _END:
                    await done  # END is the worker's last act: this returns at once
                    return
                if isinstance(item, _Failed):
                    if request.cancel_event.is_set():  # the stop aborted llama.cpp mid-decode
                        if request.stopped_by_shutdown:
                            raise ModelStopped()
                        return
                    raise self._model_error(item.error)
                yield item  # type: ignore[misc]
        finally:
            # Stops the worker within a token; the queue hands the turn on when it has stopped.
            request.cancel_event.set()

    def _model_error(self, err: BaseException) -> ModelError:
        text = str(err)
        log.debug("generation failed: %s", type(err).__name__, exc_info=err)
        if "exceed context window" in text:
            return ModelError(
                f"the text is too long for model {self.model_id}'s context window ({self.n_ctx} tokens); "
                "shorten it or raise [models] n_ctx"
            )
        return ModelError(f"model {self.model_id} failed while generating ({type(err).__name__})")

    # -- figures --

    def status(self) -> BackendStatus:
        extra = {
            "path": str(self.path),
            "n_ctx": str(self.n_ctx),
            "n_threads": str(self.n_threads),
            "avg_call_s": f"{self.queue.average_call_s:.2f}",
        }
        if self.settings.prefix_cache:
            model = self._model
            states = list(model.states.values()) if model else []
            extra["prefix_cache_entries"] = str(len(states))
            extra["prefix_cache_bytes"] = str(sum(s.llama_state_size for s in states))
            extra["prefix_cache_restores"] = str(model.prefix_restores if model else 0)
        return BackendStatus(
            model_id=self.model_id,
            loaded=self._model is not None,
            queue_length=self.queue.waiting,
            running=self.queue.running > 0,
            memory_bytes=rss_bytes(),
            detail=f"llama.cpp in-process, {self.path.name}",
            extra=extra,
        )


def _seed(params: GenerationParams) -> int:
    """The call's seed; unset means random. llama-cpp-python would otherwise derive every
    call's seed from the one fixed at load, so each process repeats the same drafts."""
    return params.seed if params.seed is not None else secrets.randbelow(2**31)


def _check_gguf_header(path: Path) -> None:
    """Refuse what is plainly not a GGUF before llama.cpp sees it."""
    try:
        with path.open("rb") as f:
            magic = f.read(4)
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise ModelLoadError(str(path), "the file does not exist") from None
    except OSError as err:
        raise ModelLoadError(str(path), f"cannot read it ({err.strerror})") from None
    if magic != b"GGUF":
        raise ModelLoadError(str(path), "not a GGUF file (wrong format or corrupt)")
    if size < 1024:
        raise ModelLoadError(str(path), "the file is truncated")
