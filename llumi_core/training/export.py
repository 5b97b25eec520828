"""Export a trained Llama-architecture model (Hugging Face folder) to GGUF for llama.cpp.

llama.cpp's own converter (`convert_hf_to_gguf.py`) is not installable from
PyPI, so this is a small writer over the `gguf` package's `GGUFWriter` for the
Llama architecture (Llama, SmolLM, TinyLlama ...): the tensor names and the
rotary Q/K permutation follow that converter. The tokenizer is copied from the
GGUF it came from when the model was trained from one (exact, pre-tokenizer
included), else built from `tokenizer.json` (byte-level BPE).

Needs numpy, safetensors and gguf (all in the `[train]` extra); not torch,
unless the weights are stored in bfloat16.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .trainer import read_meta

log = logging.getLogger(__name__)

OutType = Literal["f32", "f16", "q8_0"]
_LAYER = re.compile(r"^model\.layers\.(\d+)\.(.+)$")
_LAYER_NAMES = {
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "post_attention_layernorm.weight": "ffn_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
}
_TOP_NAMES = {
    "model.embed_tokens.weight": "token_embd.weight",
    "model.norm.weight": "output_norm.weight",
    "lm_head.weight": "output.weight",
}


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    tensors: int
    bytes: int
    context_length: int
    tokenizer_source: str


def _permute(w: npt.NDArray[Any], n_head: int) -> npt.NDArray[Any]:
    """HF stores Q/K for rotate-half RoPE; llama.cpp's llama arch expects interleaved pairs."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _weights(model_dir: Path) -> Iterator[tuple[str, npt.NDArray[Any]]]:
    files = sorted(model_dir.glob("*.safetensors"))
    if not files:
        raise InputError(f"{model_dir}: no .safetensors weights (is this a trained model folder?)")
    from safetensors import safe_open

    for file in files:
        with safe_open(str(file), framework="np") as f:
            for name in f.keys():  # noqa: SIM118 - safe_open is not a mapping
                try:
                    yield name, f.get_tensor(name)
                except (TypeError, ValueError):  # bfloat16 has no numpy dtype
                    yield name, _via_torch(file, name)


def _via_torch(file: Path, name: str) -> npt.NDArray[Any]:
    from safetensors import safe_open

    with safe_open(str(file), framework="pt") as f:
        out: npt.NDArray[Any] = f.get_tensor(name).float().numpy()
        return out


def gguf_name(hf_name: str) -> str | None:
    """The llama.cpp tensor name for a Hugging Face Llama tensor (None: not exported)."""
    if hf_name in _TOP_NAMES:
        return _TOP_NAMES[hf_name]
    m = _LAYER.match(hf_name)
    if m and m.group(2) in _LAYER_NAMES:
        return f"blk.{m.group(1)}.{_LAYER_NAMES[m.group(2)]}"
    return None


def _config(model_dir: Path) -> dict[str, Any]:
    try:
        config: dict[str, Any] = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{model_dir}: no config.json (expected a Hugging Face model folder)") from None
    if config.get("model_type") != "llama":
        raise InputError(
            f"{model_dir}: model type '{config.get('model_type')}' — export supports the Llama architecture"
        )
    return config


def export_gguf(
    model_dir: Path,
    out: Path,
    *,
    outtype: OutType = "f16",
    name: str | None = None,
    tokenizer_gguf: Path | None = None,
) -> ExportResult:
    """Write `out` (GGUF) from a Hugging Face Llama folder. Atomic: a temp file renamed into place."""
    import gguf

    config = _config(model_dir)
    n_head = int(config["num_attention_heads"])
    n_kv = int(config.get("num_key_value_heads") or n_head)
    hidden = int(config["hidden_size"])
    head_dim = int(config.get("head_dim") or hidden // n_head)
    tie = bool(config.get("tie_word_embeddings", False))
    ctx = int(config.get("max_position_embeddings", 2048))
    rope = config.get("rope_parameters") or {}
    rope_theta = float(config.get("rope_theta") or rope.get("rope_theta") or 10000.0)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    writer = gguf.GGUFWriter(str(tmp), "llama")
    writer.add_name(name or model_dir.name)
    writer.add_context_length(ctx)
    writer.add_embedding_length(hidden)
    writer.add_block_count(int(config["num_hidden_layers"]))
    writer.add_feed_forward_length(int(config["intermediate_size"]))
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_kv)
    writer.add_rope_freq_base(rope_theta)
    writer.add_layer_norm_rms_eps(float(config.get("rms_norm_eps", 1e-5)))
    writer.add_rope_dimension_count(head_dim)
    writer.add_vocab_size(int(config["vocab_size"]))
    file_type = {
        "f32": gguf.LlamaFileType.ALL_F32,
        "f16": gguf.LlamaFileType.MOSTLY_F16,
        "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
    }[outtype]
    writer.add_file_type(file_type)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

    source = tokenizer_gguf or _meta_tokenizer(model_dir)
    if source is not None:
        _copy_tokenizer(writer, source)
        tok_source = str(source)
    else:
        _tokenizer_from_json(writer, model_dir, int(config["vocab_size"]))
        tok_source = str(model_dir / "tokenizer.json")

    count = 0
    for hf_name, data in _weights(model_dir):
        target = gguf_name(hf_name)
        if target is None or (tie and target == "output.weight"):
            continue
        data = data.astype(np.float32)
        if target.endswith("attn_q.weight"):
            data = _permute(data, n_head)
        elif target.endswith("attn_k.weight"):
            data = _permute(data, n_kv)
        _add_tensor(writer, target, data, outtype)
        count += 1
    if count == 0:
        raise InputError(f"{model_dir}: no Llama tensors found")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(out)
    return ExportResult(out, count, out.stat().st_size, ctx, tok_source)


def _add_tensor(writer: Any, name: str, data: npt.NDArray[np.float32], outtype: OutType) -> None:
    import gguf

    # Norms (1-D) stay float32, as llama.cpp expects; so do matrices whose rows do not fit q8_0 blocks.
    if data.ndim == 1 or outtype == "f32":
        writer.add_tensor(name, data)
    elif outtype == "f16":
        writer.add_tensor(name, data.astype(np.float16))
    elif data.shape[-1] % 32 == 0:
        q = gguf.quants.quantize(data, gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor(name, q, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    else:
        writer.add_tensor(name, data.astype(np.float16))


def _meta_tokenizer(model_dir: Path) -> Path | None:
    raw = read_meta(model_dir).get("tokenizer_gguf")
    if raw and Path(raw).is_file():
        return Path(raw)
    if raw:
        log.warning("the tokenizer's source GGUF %s is gone; rebuilding it from tokenizer.json", raw)
    return None


def _copy_tokenizer(writer: Any, source: Path) -> None:
    """Copy every `tokenizer.*` key from a GGUF: the exact vocabulary llama.cpp used before."""
    import gguf

    reader = gguf.GGUFReader(str(source))
    copied = 0
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(key, field.contents(), vtype, sub_type=sub)
        copied += 1
    if copied == 0:
        raise InputError(f"{source}: no tokenizer in this GGUF")


def _tokenizer_from_json(writer: Any, model_dir: Path, vocab_size: int) -> None:
    """Byte-level BPE from tokenizer.json (GPT-2 style, as SmolLM, Llama 3, Qwen use)."""
    import gguf

    path = model_dir / "tokenizer.json"
    if not path.is_file():
        raise InputError(f"{model_dir}: no tokenizer.json and no source GGUF to take the tokenizer from")
    data = json.loads(path.read_text(encoding="utf-8"))
    model = data.get("model", {})
    if model.get("type") != "BPE":
        raise InputError(f"{path}: only byte-level BPE tokenizers can be exported without a source GGUF")
    vocab: dict[str, int] = dict(model["vocab"])
    added = {t["content"]: t for t in data.get("added_tokens", [])}
    for content, t in added.items():
        vocab[content] = int(t["id"])
    by_id = {i: tok for tok, i in vocab.items()}
    tokens: list[str] = []
    types: list[int] = []
    for i in range(vocab_size):
        tok = by_id.get(i)
        if tok is None:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
        else:
            tokens.append(tok)
            special = tok in added and added[tok].get("special", False)
            types.append(gguf.TokenType.CONTROL if special else gguf.TokenType.NORMAL)
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    config_path = model_dir / "tokenizer_config.json"
    tconf: dict[str, Any] = (
        json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    )
    for attr, adder in (
        ("bos_token", "add_bos_token_id"),
        ("eos_token", "add_eos_token_id"),
        ("pad_token", "add_pad_token_id"),
    ):
        tok = tconf.get(attr)
        if isinstance(tok, dict):
            tok = tok.get("content")
        if isinstance(tok, str) and tok in vocab:
            getattr(writer, adder)(vocab[tok])
    template = model_dir / "chat_template.jinja"
    chat = template.read_text(encoding="utf-8") if template.is_file() else tconf.get("chat_template")
    if isinstance(chat, str):
        writer.add_chat_template(chat)
    writer.add_add_bos_token(False)


def check_free_name(registry: Path, name: str, shipped: Path | None = None) -> None:
    """Raise InputError unless `name` is a valid name taken by no model in `shipped` (default: the
    source tree's registry) or the registry file `registry` (checked before export writes anything)."""
    from ..config import DEFAULT_MODELS_DIR
    from ..llm.registry import load_registry
    from ..llm.user_models import check_free_name as check_name

    check_name(load_registry(shipped or DEFAULT_MODELS_DIR / "registry.toml", registry), name)


def register_model(
    registry: Path,
    name: str,
    gguf_path: Path,
    *,
    context_length: int,
    description: str = "",
    shipped: Path | None = None,
    family: str | None = None,
) -> None:
    """Add `[models."<name>"]` pointing at the GGUF to the (user) registry file `registry`."""
    from ..llm.user_models import add_entry

    check_free_name(registry, name, shipped)
    add_entry(
        registry, name, gguf_path, context_length=context_length, description=description, family=family
    )
