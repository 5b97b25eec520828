"""A semantic layer built on first use from the installed sentence encoder, or honestly absent.

The risk screen and the output gate each have one. Building waits for the first post (or
`warm()` at start); when the encoder package is not installed the layer is None and
`status()` says why, so nothing silently pretends to run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from ..embedding import SentenceEncoder, default_encoder, encoder_unavailable_reason


class Warmable(Protocol):
    def warm(self) -> None: ...


L = TypeVar("L", bound=Warmable)


class LazyLayer(Generic[L]):
    def __init__(
        self, build: Callable[[SentenceEncoder], L], *, enabled: bool, layer: L | None = None
    ) -> None:
        self._build = build
        self._layer = layer
        self._enabled = enabled or layer is not None
        self._lock = threading.Lock()

    def get(self) -> L | None:
        if not self._enabled:
            return None
        with self._lock:
            if self._layer is None:
                encoder = default_encoder()
                if encoder is None:
                    self._enabled = False
                    return None
                self._layer = self._build(encoder)
            return self._layer

    def warm(self) -> None:
        """Load the encoder and what the layer precomputes now, not on the first post."""
        layer = self.get()
        if layer is not None:
            layer.warm()

    def status(self) -> str:
        if self.get() is not None:
            return "on"
        return "off: " + (encoder_unavailable_reason() or "turned off in [safety] semantic")
