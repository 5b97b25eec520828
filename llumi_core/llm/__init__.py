"""Model backends behind `LLMBackend`, and the GM/IM role wiring.

`build_backends(settings)` resolves the GM and IM names in the registry and
loads the models **eagerly**, in the backend's worker thread (so the event
loop stays free): a missing or corrupt GGUF fails at start with a message
naming the file, not on the first moderator's request, and the first draft
does not pay seconds of loading. When GM and IM name the same GGUF (with the
same settings) it is loaded once and both roles share one backend, one queue
and one worker; each role keeps its own prompt-cache slot.

Nothing here imports llama-cpp-python or httpx at import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..config import Settings
from ..domain import ModelRole
from ..errors import ModelError
from ..ports import BackendStatus, ChatMessage, GenerationParams, LLMBackend
from .registry import ModelSpec, Registry, settings_registry

if TYPE_CHECKING:
    from .llama_cpp import LlamaCppBackend
    from .openai_compat import OpenAICompatBackend

__all__ = ["RoleBackends", "RoleView", "build_backends"]


class _RoleAware(Protocol):
    model_id: str

    def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams, role: str = "default"
    ) -> AsyncIterator[str]: ...

    async def aclose(self) -> None: ...

    def status(self) -> BackendStatus: ...


class RoleView:
    """One role's face of a (possibly shared) backend: its own model id and cache slot."""

    def __init__(self, backend: _RoleAware, role: ModelRole, model_id: str) -> None:
        self.backend = backend
        self.role = role
        self.model_id = model_id

    def generate(self, messages: Sequence[ChatMessage], *, params: GenerationParams) -> AsyncIterator[str]:
        return self.backend.generate(messages, params=params, role=self.role.value)

    async def yes_probability(self, messages: Sequence[ChatMessage], *, params: GenerationParams) -> float:
        """The model's P(yes) for a yes/no question (the risk screen's second opinion)."""
        judge = getattr(self.backend, "yes_probability", None)
        if judge is None:
            raise ModelError(f"model {self.model_id}'s backend cannot score a yes/no answer")
        return float(await judge(messages, params=params, role="judge"))

    async def aclose(self) -> None:
        await self.backend.aclose()

    def status(self) -> BackendStatus:
        return self.backend.status()


@dataclass
class RoleBackends:
    """The GM and IM backends. `shared` is True when both run on one loaded model."""

    gm: LLMBackend
    im: LLMBackend
    shared: bool
    _owned: list[_RoleAware] = field(default_factory=list)

    async def aclose(self) -> None:
        """Stop every backend once (pending requests are answered 'stopped')."""
        for backend in self._owned:
            await backend.aclose()

    def status(self) -> dict[str, BackendStatus]:
        """Per role; a shared backend reports the same figures for both."""
        return {ModelRole.GM.value: self.gm.status(), ModelRole.IM.value: self.im.status()}


async def build_backends(settings: Settings, *, registry: Registry | None = None) -> RoleBackends:
    """Resolve, build and load the GM and IM backends. Raises ConfigError / ModelLoadError."""
    registry = registry or settings_registry(settings)
    remote = settings.models.backend == "openai_compat"
    specs = {
        role: registry.resolve(getattr(settings.models, role.value), need_file=not remote)
        for role in ModelRole
    }
    built: dict[object, _RoleAware] = {}
    owned: list[_RoleAware] = []
    views: dict[ModelRole, RoleView] = {}
    try:
        for role, spec in specs.items():
            key = _share_key(spec, remote)
            backend = built.get(key)
            if backend is None:
                backend = await _build_one(spec, settings, remote)
                built[key] = backend
                owned.append(backend)
            views[role] = RoleView(backend, role, spec.name)
    except BaseException:
        for backend in owned:
            await backend.aclose()
        raise
    return RoleBackends(views[ModelRole.GM], views[ModelRole.IM], shared=len(owned) == 1, _owned=owned)


def _share_key(spec: ModelSpec, remote: bool) -> object:
    if remote:
        return ("remote", spec.url, spec.served_name)
    assert spec.path is not None  # resolve(need_file=True) guarantees it
    return ("local", spec.path.resolve(), spec.chat_format)


async def _build_one(
    spec: ModelSpec, settings: Settings, remote: bool
) -> LlamaCppBackend | OpenAICompatBackend:
    if remote:
        from .openai_compat import OpenAICompatBackend

        remote_backend = OpenAICompatBackend(spec, settings.models)
        await remote_backend.probe()  # like loading: status knows at once whether it answers
        return remote_backend
    from .llama_cpp import LlamaCppBackend

    backend = LlamaCppBackend(spec, settings.models)
    try:
        await backend.load()
    except BaseException:
        await backend.aclose()
        raise
    return backend
