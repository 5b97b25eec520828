"""Errors the core raises. Every one carries a message fit to show a chat user.

Adapters and the CLI show `user_message` and never a traceback; details go to
the log at DEBUG (without post or draft text).
"""

from __future__ import annotations


class LlumiError(Exception):
    """Base: `str(err)` is a short, content-free message a person can act on."""

    @property
    def user_message(self) -> str:
        return str(self)


class InputError(LlumiError):
    """The post or text given cannot be used (empty, not text, ...)."""


class NotAllowed(LlumiError):
    """The actor may not do this (not the requester, not enabled, opted out...)."""


class NotFound(LlumiError):
    """No such draft, post or community."""


class DraftClosed(LlumiError):
    """The draft was already posted, approved or discarded."""


class ConfigError(LlumiError):
    """A setting is wrong; the message names the field."""


class StorageError(LlumiError):
    """The database cannot be reached, written or is locked."""


class ModelError(LlumiError):
    """The model failed: load, timeout, crash."""


class ModelLoadError(ModelError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"could not load model file {path}: {reason}")
        self.path = path


class ModelTimeout(ModelError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the model did not finish within {seconds:g} s; nothing was lost, please retry")
        self.seconds = seconds


class ModelBusy(ModelError):
    """The queue is full. `position` is where the request would stand."""

    def __init__(self, position: int, eta_s: float) -> None:
        super().__init__(
            f"busy — you are number {position} in the queue, about {eta_s:.0f} seconds; please retry shortly"
        )
        self.position = position
        self.eta_s = eta_s


class ModelStopped(ModelError):
    def __init__(self) -> None:
        super().__init__("the assistant is stopping; your request was not run, please retry")
