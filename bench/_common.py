"""Shared helpers for the benchmarks: the default model, realistic prompts, medians, JSON results.

Every benchmark compares against a raw llama-cpp-python baseline measured in
the same run, interleaving the variants round by round so that drift on a
shared machine (other processes, thermal state) hits all of them alike.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a fresh clone without installing
    sys.path.insert(0, str(ROOT))

from llumi_core.config import DEFAULT_MODELS_DIR, Settings, load_settings, physical_cores  # noqa: E402
from llumi_core.domain import ModelRole  # noqa: E402
from llumi_core.llm.registry import load_registry  # noqa: E402
from llumi_core.ports import ChatMessage, GenerationParams  # noqa: E402
from llumi_core.prompts import load_prompt  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SEED = 42

# Realistic posts of different lengths (written for the benchmarks; not real people).
POSTS = (
    "I haven't slept properly in weeks. Every night I lie awake replaying every mistake I made at work, "
    "and in the morning I feel like I'm dragging myself through mud. My partner says I'm distant and I "
    "don't know how to explain that I'm just so tired of everything.",
    "Today was my first day back at college after the break and I panicked in the hallway. My heart was "
    "racing and I had to leave before class. I feel so stupid because everyone else seemed fine.",
    "My dad passed away two months ago and everyone expects me to be okay now. I keep going to text him "
    "about little things and then remember. I don't want to burden my friends with it any more.",
    "I got rejected from another job today. That's the twelfth one. I'm starting to think there's "
    "something wrong with me that everyone else can see.",
    "Does anyone else feel lonely even when they're surrounded by people? I went to a party last night "
    "and spent the whole time wishing I was at home, and then at home I felt worse.",
    "I've been trying to cut down on drinking and made it nine days, then slipped last night. I feel "
    "like I've wasted all the effort and I'm embarrassed to tell my sponsor.",
)
HUMAN_REPLIES = (
    "that sounds really hard. maybe try sleeping earlier and not thinking about work so much?",
    "panic attacks are common, you shouldn't feel stupid. just breathe next time.",
    "sorry for your loss. it takes time. you should talk to your friends anyway.",
    "dont give up, the right job will come. maybe change your CV.",
    "yes i feel that too sometimes. maybe try smaller groups",
    "nine days is good!! one slip doesnt erase it, tell your sponsor",
)


def settings(**models: Any) -> Settings:
    """Defaults (no config file) with the given [models] overrides."""
    return load_settings(use_file=False, models=models)


def default_gguf() -> str:
    spec = load_registry(DEFAULT_MODELS_DIR / "registry.toml").resolve("smollm2-135m-instruct")
    assert spec.path is not None
    return str(spec.path)


def gm_messages(i: int) -> list[ChatMessage]:
    prompt = load_prompt(DEFAULT_MODELS_DIR / "prompts", ModelRole.GM)
    return prompt.render(POSTS[i % len(POSTS)])


def im_messages(i: int) -> list[ChatMessage]:
    prompt = load_prompt(DEFAULT_MODELS_DIR / "prompts", ModelRole.IM)
    return prompt.render(POSTS[i % len(POSTS)], reply=HUMAN_REPLIES[i % len(HUMAN_REPLIES)])


def params(
    max_tokens: int, *, seed: int = SEED, requester: str = "bench", timeout_s: float = 600.0
) -> GenerationParams:
    """Greedy and seeded: every variant generates the same tokens, so times compare work for work."""
    return GenerationParams(
        max_tokens=max_tokens, temperature=0.0, seed=seed, requester=requester, timeout_s=timeout_s
    )


def raw_llama(n_ctx: int, **kw: Any) -> Any:
    """The baseline: llama-cpp-python's Llama as a typical bot would create it.

    Imported the way our backend imports it (OpenMP threads wait passively), so
    both sides run on the same native settings; see llumi_core.llm.llama_cpp.
    """
    from llumi_core.llm.llama_cpp import import_llama_cpp

    Llama = import_llama_cpp().Llama

    return Llama(model_path=default_gguf(), n_ctx=n_ctx, n_threads=physical_cores(), verbose=False, **kw)


def raw_kwargs(max_tokens: int) -> dict[str, Any]:
    """The same sampling settings `params()` gives our backends."""
    p = params(max_tokens)
    return {
        "max_tokens": p.max_tokens,
        "temperature": p.temperature,
        "top_p": p.top_p,
        "top_k": p.top_k,
        "repeat_penalty": p.repeat_penalty,
        "seed": p.seed,
    }


def raw_stream(llm: Any, messages: Sequence[ChatMessage], max_tokens: int) -> tuple[float, float, int]:
    """(time to first piece, total time, pieces) of a bare streaming create_chat_completion."""
    start = time.perf_counter()
    first: float | None = None
    n = 0
    for chunk in llm.create_chat_completion(messages=list(messages), stream=True, **raw_kwargs(max_tokens)):
        if chunk["choices"][0]["delta"].get("content"):
            n += 1
            if first is None:
                first = time.perf_counter()
    end = time.perf_counter()
    return (first or end) - start, end - start, n


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "logical_cpus": os.cpu_count(),
        "physical_cores_used": physical_cores(),
        "loadavg_1m": os.getloadavg()[0],
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {
        "benchmark": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        **data,
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path


def verdict(value: float, target: float, *, lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return "MET" if ok else "NOT MET"


@contextmanager
def quiet_native() -> Iterator[None]:
    """Keep llama.cpp's native log off the benchmark's output."""
    from llumi_core.llm.llama_cpp import _install_native_log

    _install_native_log()
    yield


@contextmanager
def llama_server(n_ctx: int, log_path: Path | None = None) -> Iterator[tuple[str, int]]:
    """llama-cpp-python's OpenAI-compatible server with the default model on 127.0.0.1.

    Yields its /v1 URL and process id.
    """
    import socket
    import subprocess

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import tempfile

    log_path = log_path or Path(tempfile.gettempdir()) / "llumi_bench_llama_server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    threads = str(physical_cores())
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "llumi_core.llm.serve", "--model", default_gguf(), "--model_alias",
                "smollm2-135m-instruct", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
                "--n_threads", threads, "--n_threads_batch", threads,
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}/v1"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"llama_cpp.server exited; see {log_path}")
                try:
                    if httpx.get(f"{base}/models", timeout=1.0, trust_env=False).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("llama_cpp.server did not start within 120 s")
                time.sleep(0.2)
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
