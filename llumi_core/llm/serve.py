"""llama-cpp-python's OpenAI-compatible server, started with this project's CPU workarounds.

    python -m llumi_core.llm.serve --model MODEL.gguf --host 127.0.0.1 --port 8080

It takes exactly the arguments of `python -m llama_cpp.server`; the difference is
that models load as the in-process backend loads them (see `import_llama_cpp`:
plain CPU buffers on AMX CPUs, where the stock server crashes on its first
request, and passive OpenMP waiting).
"""

from __future__ import annotations

from .llama_cpp import import_llama_cpp


def main() -> None:
    import_llama_cpp()
    from llama_cpp.server.__main__ import main as serve

    serve()  # type: ignore[no-untyped-call]  # llama-cpp-python's entry point is untyped


if __name__ == "__main__":
    main()
