"""One stream throttle for every platform: show a draft as it is written, within rate limits.

The model's stream never waits on the platform: `update` only stores the
latest text, and a background task edits the message with it at most once per
interval. An edit never repeats the text already shown, and leaving the
block waits for an edit in flight, so the adapter's final render is the last
edit the platform sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class StreamThrottle:
    """`async with StreamThrottle(edit, interval_s) as stream:` then pass `stream.update` as `on_text`."""

    def __init__(self, edit: Callable[[str], Awaitable[None]], interval_s: float) -> None:
        self._edit = edit
        self._interval = interval_s
        self._latest: str | None = None
        self._shown: str | None = None
        self._changed = asyncio.Event()
        self._editing = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.edits = 0

    async def update(self, text: str) -> None:
        self._latest = text
        self._changed.set()

    async def _run(self) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            text = self._latest
            if text is None or text == self._shown:
                continue
            async with self._editing:
                try:
                    await self._edit(text)
                    self._shown = text
                    self.edits += 1
                except Exception as err:  # a dropped preview edit is harmless; the final render follows
                    log.debug("stream edit failed: %s", type(err).__name__)
            # Counted from the end of the edit, so edits reach the platform at least
            # `interval` apart even when one request was slow.
            await asyncio.sleep(self._interval)

    async def __aenter__(self) -> StreamThrottle:
        self._task = asyncio.create_task(self._run(), name="llumi-stream")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is None:
            return
        async with self._editing:  # let an edit in flight land before the final render
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
