"""The model queue with a small fake generator (no model): fairness, bound, cancellation, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from llumi_core.errors import ModelBusy, ModelStopped, ModelTimeout
from llumi_core.llm.queue import FairQueue, Request, RequestState, queued_stream


class FakeModel:
    """Streams `n_tokens` pieces with a pause between them, checking the cancel flag like the worker does."""

    def __init__(self, n_tokens: int = 3, delay_s: float = 0.01) -> None:
        self.n_tokens = n_tokens
        self.delay_s = delay_s
        self.served: list[str] = []  # requesters, in the order their calls started
        self.tokens_made = 0
        self.active = 0
        self.max_active = 0

    def start(self, request: Request) -> AsyncIterator[str]:
        return self._stream(request)

    async def _stream(self, request: Request) -> AsyncIterator[str]:
        self.served.append(request.requester)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            for i in range(self.n_tokens):
                if request.cancel_event.is_set():
                    return
                await asyncio.sleep(self.delay_s)
                self.tokens_made += 1
                yield f"{request.requester}-{i} "
        finally:
            self.active -= 1


async def collect(queue: FairQueue, model: FakeModel, requester: str, timeout_s: float = 10.0) -> str:
    return "".join([p async for p in queued_stream(queue, requester, timeout_s, model.start)])


async def test_one_call_at_a_time_and_all_answered() -> None:
    queue = FairQueue(max_queue=10)
    model = FakeModel()
    results = await asyncio.gather(*(collect(queue, model, f"u{i}") for i in range(5)))
    assert all(r.count("-") == 3 for r in results)
    assert model.max_active == 1
    assert queue.waiting == 0 and queue.running == 0


async def test_round_robin_a_burst_does_not_starve_others() -> None:
    queue = FairQueue(max_queue=20)
    model = FakeModel(n_tokens=1, delay_s=0.005)
    # "alice" floods first with 4 requests; bob and carol ask right after.
    tasks = [asyncio.create_task(collect(queue, model, "alice")) for _ in range(4)]
    await asyncio.sleep(0)  # alice's first call is running, three wait
    tasks += [asyncio.create_task(collect(queue, model, name)) for name in ("bob", "carol")]
    await asyncio.gather(*tasks)
    # alice's first started at once; then one each in turn, not all of alice's first.
    assert model.served == ["alice", "alice", "bob", "carol", "alice", "alice"]


async def test_positions_follow_fair_order() -> None:
    queue = FairQueue(max_queue=10)
    running = queue.enqueue("alice")
    assert running.state is RequestState.RUNNING and queue.position(running) == 0
    a2, a3 = queue.enqueue("alice"), queue.enqueue("alice")
    b1 = queue.enqueue("bob")
    assert [queue.position(r) for r in (a2, b1, a3)] == [1, 2, 3]
    assert queue.position_of("bob") == 2
    assert queue.position_of("nobody") is None
    queue.release(running)
    assert a2.state is RequestState.RUNNING
    assert queue.position(b1) == 1 and queue.position(a3) == 2


async def test_bound_raises_busy_with_position_and_eta() -> None:
    queue = FairQueue(max_queue=2, initial_call_s=4.0)
    queue.enqueue("a")  # running
    queue.enqueue("b")
    queue.enqueue("c")
    with pytest.raises(ModelBusy) as caught:
        queue.enqueue("d")
    assert caught.value.position == 3
    # one running (about 4 s left) + three calls of about 4 s each
    assert caught.value.eta_s == pytest.approx(16.0, abs=0.5)
    assert "number 3" in caught.value.user_message
    assert queue.waiting == 2


async def test_eta_uses_moving_average_of_durations() -> None:
    queue = FairQueue(max_queue=5, initial_call_s=100.0)
    model = FakeModel(n_tokens=2, delay_s=0.02)
    await collect(queue, model, "a")
    assert 0.03 <= queue.average_call_s < 1.0


async def test_cancel_while_waiting_leaves_the_queue() -> None:
    queue = FairQueue(max_queue=10)
    model = FakeModel(n_tokens=5, delay_s=0.02)
    first = asyncio.create_task(collect(queue, model, "a"))
    waiting = asyncio.create_task(collect(queue, model, "b"))
    await asyncio.sleep(0.01)
    assert queue.waiting == 1
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    assert queue.waiting == 0
    await first
    assert model.served == ["a"]  # b never ran


async def test_consumer_stopping_early_stops_generation_and_frees_the_model() -> None:
    queue = FairQueue(max_queue=10)
    model = FakeModel(n_tokens=50, delay_s=0.005)
    stream = queued_stream(queue, "a", 10.0, model.start)
    first = await anext(stream)
    assert first.startswith("a-")
    await stream.aclose()  # the person discarded the draft
    assert model.tokens_made < 5
    assert queue.running == 0
    assert (await collect(queue, model, "b")).startswith("b-")


async def test_cancelling_a_running_task_stops_its_tokens() -> None:
    queue = FairQueue(max_queue=10)
    model = FakeModel(n_tokens=100, delay_s=0.005)
    task = asyncio.create_task(collect(queue, model, "a"))
    await asyncio.sleep(0.03)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    made = model.tokens_made
    await asyncio.sleep(0.03)
    assert model.tokens_made == made < 100
    assert queue.running == 0


async def test_timeout_while_waiting_and_while_running() -> None:
    queue = FairQueue(max_queue=10)
    slow = FakeModel(n_tokens=100, delay_s=0.01)
    running = asyncio.create_task(collect(queue, slow, "a", timeout_s=0.1))
    waiter = asyncio.create_task(collect(queue, slow, "b", timeout_s=0.05))
    with pytest.raises(ModelTimeout):
        await waiter
    with pytest.raises(ModelTimeout):
        await running
    assert slow.served == ["a"]
    assert queue.running == 0 and queue.waiting == 0


async def test_shutdown_answers_every_pending_request_with_stopped() -> None:
    queue = FairQueue(max_queue=10)
    model = FakeModel(n_tokens=1000, delay_s=0.005)
    tasks = [asyncio.create_task(collect(queue, model, f"u{i % 3}")) for i in range(6)]
    await asyncio.sleep(0.02)
    assert queue.running == 1 and queue.waiting == 5
    await queue.aclose(grace_s=0.05)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, ModelStopped) for r in results), results
    with pytest.raises(ModelStopped):
        queue.enqueue("late")
    assert model.served == ["u0"]


async def test_shutdown_lets_a_short_running_call_finish() -> None:
    queue = FairQueue(max_queue=10)
    model = FakeModel(n_tokens=3, delay_s=0.01)
    task = asyncio.create_task(collect(queue, model, "a"))
    await asyncio.sleep(0.005)
    await queue.aclose(grace_s=2.0)
    assert (await task).count("-") == 3


async def test_cancel_of_a_running_request_keeps_the_turn_until_its_worker_stops() -> None:
    queue = FairQueue(max_queue=10)
    running = queue.enqueue("a")
    waiting = queue.enqueue("b")
    queue.cancel(running)
    assert running.cancel_event.is_set()
    # no overlap: b waits until a's clean-up releases the turn
    assert waiting.state is RequestState.WAITING and queue.running == 1
    queue.release(running, completed=False)
    assert waiting.state is RequestState.RUNNING
    assert queue.average_call_s == pytest.approx(5.0)  # an abandoned call says nothing about durations


async def test_worker_outliving_its_caller_holds_the_turn() -> None:
    """A backend whose worker stops a little after the caller left (llama.cpp's thread) sets worker_done."""
    loop = asyncio.get_running_loop()
    queue = FairQueue(max_queue=10)
    worker_done: asyncio.Future[None] = loop.create_future()

    async def start(request: Request) -> AsyncIterator[str]:
        request.worker_done = worker_done
        yield "x"
        await asyncio.sleep(10)
        yield "never"

    stream = queued_stream(queue, "a", 10.0, start)
    assert await anext(stream) == "x"
    await stream.aclose()
    assert queue.running == 1  # the worker has not stopped yet
    follower = asyncio.create_task(collect(queue, FakeModel(n_tokens=1), "b"))
    await asyncio.sleep(0.01)
    assert not follower.done() and queue.waiting == 1
    worker_done.set_result(None)
    assert (await follower).startswith("b-")
