"""What `llumi config check` can learn of a GGUF file without loading its weights.

llama.cpp opens the file vocabulary-only: it reads the header, every metadata
key and the tensor table, and refuses a file whose tensor data would run past
its end (a truncated download), in a fraction of a second and without
allocating the weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelLoadError
from .llama_cpp import _check_gguf_header, _install_native_log, _recent_native, import_llama_cpp


@dataclass(frozen=True, slots=True)
class GgufFacts:
    size_bytes: int
    architecture: str
    name: str
    n_vocab: int
    context_length: int | None

    def line(self) -> str:
        context = f", trained context {self.context_length}" if self.context_length else ""
        label = f"{self.name} " if self.name else ""
        return (
            f"{label}({self.architecture}, {self.size_bytes / 2**20:.0f} MB, "
            f"vocabulary {self.n_vocab}{context})"
        )


def inspect_gguf(path: Path) -> GgufFacts:
    """Header, metadata and vocabulary of a GGUF; raises ModelLoadError naming the file and why."""
    _check_gguf_header(path)
    size = path.stat().st_size
    _install_native_log()
    import_llama_cpp()
    from llama_cpp import Llama

    _recent_native.clear()
    try:
        model = Llama(model_path=str(path), vocab_only=True, verbose=False)
    except (ValueError, RuntimeError, OSError):
        reason = _recent_native[-1] if _recent_native else "truncated or corrupt"
        raise ModelLoadError(
            str(path), f"llama.cpp cannot read its header and tensor table ({reason})"
        ) from None
    try:
        meta = model.metadata
        architecture = meta.get("general.architecture", "unknown")
        trained = meta.get(f"{architecture}.context_length")
        return GgufFacts(
            size_bytes=size,
            architecture=architecture,
            name=meta.get("general.name", ""),
            n_vocab=int(model.n_vocab()),
            context_length=int(trained) if trained and trained.isdigit() else None,
        )
    finally:
        model.close()
