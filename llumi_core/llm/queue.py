"""The request queue in front of one loaded model.

A loaded llama.cpp model serves one call at a time, so calls take turns. The
queue decides whose turn it is:

- **fair**: round-robin across `GenerationParams.requester`, so one person's
  burst of ten drafts waits behind everybody else's first one;
- **bounded**: past `max_queue` waiting requests, `enqueue` raises
  `ModelBusy(position, eta_s)` at once ("you are number N, about M
  seconds") instead of letting people wait forever; the ETA comes from a
  moving average of recent call durations;
- **cancellable**: a request that is cancelled while waiting leaves the queue;
  a running one gets its `cancel_event` set, which the backend's worker
  thread checks between tokens;
- **honest on shutdown**: `aclose()` answers every waiting request with
  `ModelStopped` (never silently dropped) and stops running ones.

The queue grants turns; it does not run the model. `queued_stream` wraps a
backend's raw token stream with the queue, the per-call timeout and clean-up,
so the llama.cpp and OpenAI-compatible backends behave the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from enum import Enum

from ..errors import ModelBusy, ModelStopped, ModelTimeout

log = logging.getLogger(__name__)

# Until a call has finished, ETAs assume this many seconds per call.
DEFAULT_CALL_S = 5.0
# Weight of the newest duration in the moving average: recent calls matter most.
EMA_ALPHA = 0.3


class RequestState(Enum):
    WAITING = "waiting"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    STOPPED = "stopped"


class Request:
    """One caller's place in the queue."""

    _ids = itertools.count(1)

    def __init__(self, requester: str) -> None:
        self.id = next(self._ids)
        self.requester = requester
        self.state = RequestState.WAITING
        self.enqueued_at = time.monotonic()
        self.started_at: float | None = None
        # Checked by the worker thread between tokens: set = stop generating now.
        self.cancel_event = threading.Event()
        # Why it was stopped from outside: shutdown (ModelStopped) rather than the caller leaving.
        self.stopped_by_shutdown = False
        # Set by a backend whose worker may outlive the caller (it stops within a token):
        # the turn is handed on only when the worker is done.
        self.worker_done: asyncio.Future[None] | None = None
        self._granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def __repr__(self) -> str:
        return f"Request(id={self.id}, requester={self.requester!r}, state={self.state.value})"


class FairQueue:
    """Round-robin, bounded turn-taking for `slots` concurrent calls (1 for llama.cpp)."""

    def __init__(
        self, max_queue: int = 32, *, slots: int = 1, initial_call_s: float = DEFAULT_CALL_S
    ) -> None:
        if max_queue < 1 or slots < 1:
            raise ValueError("max_queue and slots must be at least 1")
        self.max_queue = max_queue
        self.slots = slots
        self._avg_call_s = initial_call_s
        self._calls_timed = 0
        # requester -> their waiting requests (FIFO); _ring is the round-robin order of requesters.
        self._waiting: dict[str, deque[Request]] = {}
        self._ring: deque[str] = deque()
        self._running: set[Request] = set()
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()

    # -- figures -----------------------------------------------------------

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self._waiting.values())

    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def average_call_s(self) -> float:
        """Moving average of recent completed call durations (seconds)."""
        return self._avg_call_s

    def eta_s(self, position: int) -> float:
        """About how long until a request at `position` (1 = next) has its answer."""
        now = time.monotonic()
        running_left = sum(max(0.0, self._avg_call_s - (now - (r.started_at or now))) for r in self._running)
        return (running_left + position * self._avg_call_s) / self.slots

    def position(self, request: Request) -> int:
        """0 while running (or finished), else 1-based place in the fair serving order."""
        if request.state is not RequestState.WAITING:
            return 0
        for index, queued in enumerate(self._order(), start=1):
            if queued is request:
                return index
        return 0

    def position_of(self, requester: str) -> int | None:
        """Place of this requester's earliest waiting request; None if they have none."""
        for index, queued in enumerate(self._order(), start=1):
            if queued.requester == requester:
                return index
        return None

    # -- turn taking ---------------------------------------------------------

    def enqueue(self, requester: str) -> Request:
        """Join the queue. Raises ModelBusy past the bound, ModelStopped after shutdown."""
        if self._closed:
            raise ModelStopped()
        request = Request(requester)
        if self.running >= self.slots and self.waiting >= self.max_queue:
            position = self._order(extra=request).index(request) + 1
            raise ModelBusy(position, self.eta_s(position))
        if requester not in self._waiting:
            self._waiting[requester] = deque()
            self._ring.append(requester)
        self._waiting[requester].append(request)
        self._dispatch()
        return request

    async def wait_turn(self, request: Request) -> None:
        """Wait until `request` may run. Cancelling the wait removes it from the queue."""
        try:
            await asyncio.shield(request._granted)
        except asyncio.CancelledError:
            if request.state is RequestState.RUNNING:
                # Granted in the same instant the caller gave up: hand the turn on.
                request.state = RequestState.CANCELLED
                self._running.discard(request)
                self._after_running_changed()
            else:
                self.cancel(request)
            raise

    def release(self, request: Request, *, completed: bool = True) -> None:
        """The call ended. A completed call's duration feeds the ETA; the next turn is granted."""
        if request in self._running:
            self._running.discard(request)
            if completed and request.state is RequestState.RUNNING and request.started_at is not None:
                self._record(time.monotonic() - request.started_at)
            if request.state is RequestState.RUNNING:
                request.state = RequestState.DONE
        self._after_running_changed()

    def _after_running_changed(self) -> None:
        if not self._running:
            self._idle.set()
        self._dispatch()

    def cancel(self, request: Request) -> None:
        """The caller left: drop a waiting request, or tell a running one's worker to stop.

        A running request keeps its turn until its stream's clean-up releases it
        (the worker stops within a token), so two generations never overlap.
        """
        if request.state is RequestState.WAITING:
            self._remove_waiting(request)
            request.state = RequestState.CANCELLED
            if not request._granted.done():
                request._granted.cancel()
        elif request.state is RequestState.RUNNING:
            request.cancel_event.set()

    async def aclose(self, grace_s: float = 5.0) -> None:
        """Refuse new requests, answer waiting ones with ModelStopped, stop running ones.

        Running calls get `grace_s` to finish; then their workers are told to stop.
        """
        if self._closed:
            return
        self._closed = True
        pending = [r for q in self._waiting.values() for r in q]
        self._waiting.clear()
        self._ring.clear()
        for request in pending:
            request.state = RequestState.STOPPED
            if not request._granted.done():
                request._granted.set_exception(ModelStopped())
        if pending:
            log.info("model queue closing: %d waiting request(s) answered 'stopped'", len(pending))
        if self._running:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), grace_s)
        for request in list(self._running):
            request.stopped_by_shutdown = True
            request.cancel_event.set()

    # -- internals -------------------------------------------------------------

    def _dispatch(self) -> None:
        while len(self._running) < self.slots and self._ring and not self._closed:
            requester = self._ring.popleft()
            queue = self._waiting[requester]
            request = queue.popleft()
            if queue:
                self._ring.append(requester)
            else:
                del self._waiting[requester]
            request.state = RequestState.RUNNING
            request.started_at = time.monotonic()
            self._running.add(request)
            self._idle.clear()
            request._granted.set_result(None)

    def _remove_waiting(self, request: Request) -> None:
        queue = self._waiting.get(request.requester)
        if queue is None:
            return
        with contextlib.suppress(ValueError):
            queue.remove(request)
        if not queue:
            del self._waiting[request.requester]
            with contextlib.suppress(ValueError):
                self._ring.remove(request.requester)

    def _order(self, extra: Request | None = None) -> list[Request]:
        """The order waiting requests will be served in, if nobody else arrives.

        Round-robin serves the k-th request of every requester (in ring order)
        before anybody's (k+1)-th.
        """
        lanes = [list(self._waiting[r]) for r in self._ring]
        if extra is not None:
            if extra.requester in self._waiting:
                lanes[list(self._ring).index(extra.requester)].append(extra)
            else:
                lanes.append([extra])
        order: list[Request] = []
        depth = 0
        while True:
            layer = [lane[depth] for lane in lanes if depth < len(lane)]
            if not layer:
                return order
            order.extend(layer)
            depth += 1

    def _record(self, duration_s: float) -> None:
        if self._calls_timed == 0:
            self._avg_call_s = duration_s
        else:
            self._avg_call_s += EMA_ALPHA * (duration_s - self._avg_call_s)
        self._calls_timed += 1


StreamFactory = Callable[[Request], AsyncIterator[str]]


async def queued_stream(
    queue: FairQueue, requester: str, timeout_s: float, start: StreamFactory
) -> AsyncIterator[str]:
    """Run `start(request)` when it is this requester's turn; yield its pieces.

    The timeout covers waiting and generating (what the person experiences).
    On timeout, cancellation or an early stop by the consumer, the request
    leaves the queue or its generation is told to stop between tokens, and
    the raw stream is closed. The caller is answered at once; the turn passes
    on when the backend's worker has stopped (`request.worker_done`).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    request = queue.enqueue(requester)
    completed = False
    try:
        try:
            async with asyncio.timeout_at(deadline):
                await queue.wait_turn(request)
        except TimeoutError:
            raise ModelTimeout(timeout_s) from None
        stream = start(request)
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        piece = await anext(stream)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise ModelTimeout(timeout_s) from None
                if request.stopped_by_shutdown:
                    raise ModelStopped()
                yield piece
            if request.stopped_by_shutdown:
                raise ModelStopped()
            completed = True
        finally:
            # Whatever ended the call, the worker must stop before the next turn starts.
            request.cancel_event.set()
            await _close_stream(stream)
    finally:
        if request.state is RequestState.WAITING:
            queue.cancel(request)
        elif request.worker_done is None or request.worker_done.done():
            queue.release(request, completed=completed)
        else:
            # The caller is answered now (timeout, cancel); the next turn waits for the worker.
            request.worker_done.add_done_callback(lambda _: queue.release(request, completed=completed))


async def _close_stream(stream: AsyncIterator[str]) -> None:
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()
