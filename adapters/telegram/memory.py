"""What the adapter keeps in memory only: bounded, lost on restart, never logged.

Telegram's Bot API cannot fetch a message by id, so the bot remembers the
posts it was asked about (and any edits it observes via `edited_message`)
to regenerate and to check that a post is unchanged before posting. After a
restart, buttons still work from the database; regenerate/improve then start
from the post as stored with the draft (see `io.TelegramOutbox`), or ask the
human to use /draft again when none was kept; edits made while the bot was
down cannot be seen.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A small LRU map: old entries fall out, so memory stays flat in long runs."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def pop(self, key: K) -> V | None:
        return self._items.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)
