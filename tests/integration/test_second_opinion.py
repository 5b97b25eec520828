"""The model second opinion on the real llama.cpp model: its score, its timeout, its wiring."""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from llumi_core.config import Settings
from llumi_core.domain import LayerScore, ModelRole, RiskAssessment, RiskLevel
from llumi_core.llm import RoleView
from llumi_core.llm.llama_cpp import LlamaCppBackend, import_llama_cpp
from llumi_core.llm.registry import load_registry
from llumi_core.ports import GenerationParams
from llumi_core.safety import Safety
from llumi_core.safety.second_opinion import SecondOpinion, question

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
POST = "some days i think everyone would manage fine without me around"
# With the shipped screen: left at none with a semantic signal, at none with none, and flagged.
BORDERLINE = "honestly im just tired of everything lately"
CLEAN = "passed my driving test today, so happy"
FLAGGED = POST


def borderline_none() -> RiskAssessment:
    """A post the first two layers left at none with a semantic signal (what gets asked)."""
    layers = (LayerScore("patterns", 0.0685, ""), LayerScore("semantic", 0.9, "burden ≈ 'x' (sentence 1)"))
    return RiskAssessment(RiskLevel.NONE, 0.0685, (), layers=layers)


@pytest.fixture
async def backend(settings_factory: Callable[..., Settings]) -> AsyncIterator[LlamaCppBackend]:
    settings = settings_factory(models={"n_ctx": 1024, "max_queue": 4, "prefix_cache": True})
    spec = load_registry(settings.models.registry).resolve(settings.models.gm)
    b = LlamaCppBackend(spec, settings.models)
    await b.load()
    yield b
    await b.aclose()


async def test_yes_probability_matches_the_models_own_logprobs(backend: LlamaCppBackend) -> None:
    """Read from the logits the backend already has (no logits_all): same as llama.cpp's logprobs."""
    llama_cpp = import_llama_cpp()
    reference = llama_cpp.Llama(model_path=str(backend.path), n_ctx=1024, logits_all=True, verbose=False)
    try:
        for post in (POST, "passed my driving test today, so happy"):
            out = reference.create_chat_completion(
                messages=question(post), max_tokens=1, temperature=0.0, logprobs=True, top_logprobs=20
            )
            top = out["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
            yes = sum(math.exp(t["logprob"]) for t in top if t["token"].strip().lower() == "yes")
            no = sum(math.exp(t["logprob"]) for t in top if t["token"].strip().lower() == "no")
            got = await backend.yes_probability(question(post), params=GenerationParams(timeout_s=60))
            assert 0.0 < got < 1.0
            assert got == pytest.approx(yes / (yes + no), abs=0.02)
    finally:
        reference.close()


async def test_review_adds_the_model_layer_and_only_raises(backend: LlamaCppBackend) -> None:
    p_yes = await backend.yes_probability(question(POST), params=GenerationParams(timeout_s=60))
    raised = await SecondOpinion(backend, raise_at=p_yes - 0.01).review(POST, borderline_none())
    kept = await SecondOpinion(backend, raise_at=p_yes + 0.01).review(POST, borderline_none())
    assert raised.level is RiskLevel.ELEVATED and kept.level is RiskLevel.NONE
    for risk in (raised, kept):
        assert risk.layers[-1].layer == "model"
        assert risk.layers[-1].score == pytest.approx(p_yes, abs=1e-3)
    # A post the screen already flagged is not asked, so it cannot be lowered.
    flagged = RiskAssessment(RiskLevel.ACUTE, 0.97, ("plan",), layers=(LayerScore("patterns", 0.97, "plan"),))
    assert await SecondOpinion(backend, raise_at=1.1).review(POST, flagged) == flagged


async def test_a_busy_model_times_out_and_the_screen_stands(backend: LlamaCppBackend) -> None:
    """The screen never holds a draft back for long: behind a long generation it gives up."""
    long_draft = backend.generate(
        [{"role": "user", "content": "Write a very long story about the sea."}],
        params=GenerationParams(max_tokens=400, temperature=0.0, seed=1, requester="someone"),
    )
    first = await anext(long_draft)  # type: ignore[call-overload]
    assert first
    started = time.perf_counter()
    risk = await SecondOpinion(backend, timeout_s=0.3).review(POST, borderline_none())
    took = time.perf_counter() - started
    await long_draft.aclose()  # type: ignore[attr-defined]
    assert took < 2.0
    assert risk.level is RiskLevel.NONE
    assert risk.layers[-1].layer == "model" and risk.layers[-1].reason.startswith("not asked: timed out")


async def test_safety_asks_only_when_turned_on_and_only_about_borderline_posts(
    backend: LlamaCppBackend, caplog: pytest.LogCaptureFixture
) -> None:
    gm = RoleView(backend, ModelRole.GM, "gm")
    off = Safety()
    on = Safety(off.settings.model_copy(update={"model_second_opinion": True}))
    caplog.set_level(logging.DEBUG)
    # Off (the default): the screen alone.
    assert all(
        x.layer != "model"
        for x in (await off.screen_with_opinion(BORDERLINE, gm, for_model=BORDERLINE)).layers
    )
    # On: a borderline post is asked; a clean one and a flagged one are not.
    asked = await on.screen_with_opinion(BORDERLINE, gm, for_model=BORDERLINE)
    assert asked.layers[-1].layer == "model" and "P(yes)" in asked.layers[-1].reason
    for post in (CLEAN, FLAGGED):
        assert all(
            x.layer != "model" for x in (await on.screen_with_opinion(post, gm, for_model=post)).layers
        )
    # A backend that cannot score answers is named, not silently skipped.
    unable = await on.screen_with_opinion(BORDERLINE, object(), for_model=BORDERLINE)
    assert unable.level is RiskLevel.NONE and unable.layers[-1].reason.startswith("not asked: ")
    # No post text in any log record, at any level.
    assert not any("tired of everything" in r.getMessage() for r in caplog.records)


def test_llumi_screen_json_shows_the_model_layer_when_it_ran(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LLUMI_STORAGE__DATA_DIR": str(tmp_path),
        "LLUMI_MODELS__GM": "smollm2-135m-instruct",
        "LLUMI_MODELS__IM": "smollm2-135m-instruct",
        "LLUMI_SAFETY__MODEL_SECOND_OPINION": "true",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "screen", "--json", BORDERLINE],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    layers = {x["layer"]: x for x in json.loads(proc.stdout)["layers"]}
    assert {"patterns", "semantic", "model"} <= set(layers)
    assert 0.0 < layers["model"]["score"] < 1.0 and "P(yes)" in layers["model"]["reason"]
    assert BORDERLINE not in proc.stderr


async def test_the_risk_a_draft_starts_with_includes_the_second_opinion(tmp_path: Path) -> None:
    """The service screens with the GM before `on_start`, so adapters show its verdict first."""
    from bot.bootstrap import open_app
    from llumi_core.domain import Platform, Post, PostRef
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, safety={"model_second_opinion": True})
    post = Post(PostRef(Platform.DISCORD, "g", "c", "m1"), author_id="7", text=BORDERLINE, author_name="Sam")
    async with open_app(settings) as app:
        risk = await app.service.screen_post(post)
    assert risk.layers[-1].layer == "model" and "P(yes)" in risk.layers[-1].reason
