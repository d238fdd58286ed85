"""Questions are tokenized by a Unigram tokenizer built from only the pieces they can use
(index/subset_tokenizer.py), so that a cold `ask` does not load all 250 000 pieces. Its ids must
be those of the full tokenizer.json for any text: the report corpus line by line and in long
windows (truncation at 512), and odd text (special tokens inside text, combining marks, control
and zero-width characters, other scripts, spaces at the edges, empty strings, random strings)."""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from rapportsok.index.e5_conversion import ensure_converted
from rapportsok.index.embedder import SUBSET_MAX_CHARS, FastTokenizer
from rapportsok.index.settings import Settings
from rapportsok.index.subset_tokenizer import PIECES_FILE, PieceIndex, piece_index, write_piece_index

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

ODD_TEXTS = [
    "", " ", "   ", "x ", " x", "x  y  ", "\t\n", "a\r\nb", "\r\n", "e\u0301", "\ufb01\u0301",
    "\ufb01nansiellt",
    "x\u00a0y", "\u200d", "a\u200db", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "中文測試", "مرحبا",
    "<s>hej</s>", "<mask>", " <pad> x ", "<unk>", "<s", "hej<s>", "<s> ", "a <mask>b", "<<s>>", "</s></s>",
    "1 234 567,89 kr", "2020-01-01", "−12,5 %", "Sjukvårdshuvudmannaorganisationsstrukturutredningen",
    "https://www.example.se/a?b=c&d=e", "\x00\x07x", "\u2581", "\u2581hej", "hej \u2581 då", "ÅÄÖåäö",
    "A\u030a", "Ω℃½x²Ⅻ", "\ufeffhej", "\u3000a", "ﾊﾝｶｸ", "\U0001f600" * 3, "a" * 3000, "ab " * 1000,
    "query: hur mycket fick regionen för psykisk hälsa 2020", "passage: ”330 mnkr” — totalt",
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(9)
    alphabet = [chr(c) for c in range(32, 0x3000) if unicodedata.category(chr(c))[0] != "C"]
    alphabet += ["\u0301", "\u030a", "\u200d", "\r\n", "\u00a0", "\t", "<s>", "</s>", "<mask>", " ", "  "]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def _corpus_texts() -> list[str]:
    reports = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    lines = [line for report in reports for line in report.split("\n")]
    windows = [report[start : start + 3000] for report in reports for start in range(0, len(report), 9000)]
    rng = random.Random(3)
    marked = "".join(  # a report with combining marks, joiners and no-break spaces sprinkled in
        char + (rng.choice(["\u0301", "\u030a", "\u200d", "\u00a0", ""]) if i % 7 == 0 else "")
        for i, char in enumerate(reports[0][:3000])
    )
    return lines + windows + [marked]


def _truncate(tokenizer, limit: int | None) -> None:
    if limit is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(limit)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the converted model's tokenizer files, without a piece index yet."""
    source = ensure_converted(Settings.from_env().cache_dir)
    target = tmp_path_factory.mktemp("tokenizer")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(source / name, target / name)
    return target


@pytest.fixture(scope="module")
def full(folder: Path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(folder / "tokenizer.json"))


@pytest.fixture(scope="module")
def index(folder: Path) -> PieceIndex:
    assert write_piece_index(folder)
    return PieceIndex(folder)


@pytest.mark.slow
def test_subset_tokenizer_gives_the_full_ids(index: PieceIndex, full) -> None:
    texts = _corpus_texts() + ODD_TEXTS + _random_texts(1500)
    assert sum(map(len, texts)) > 200_000
    for text in texts:
        tokenizer, full_ids = index.tokenizer_for([text])
        for limit in (None, 512):
            _truncate(tokenizer, limit)
            _truncate(full, limit)
            want = full.encode(text).ids
            got = full_ids[np.asarray(tokenizer.encode(text).ids, dtype=np.int64)].tolist()
            assert got == want, (text[:80], limit)
    full.no_truncation()


@pytest.mark.slow
def test_fast_tokenizer_uses_subsets_for_questions_with_the_full_ids(
    folder: Path, index: PieceIndex, full
) -> None:
    """Through FastTokenizer (what OnnxEncoder calls): batches with padding, without special
    tokens, truncated; a batch over SUBSET_MAX_CHARS goes to the full tokenizer."""
    fast = FastTokenizer(folder)
    assert fast._pieces is not None
    questions = ["query: " + text for text in ODD_TEXTS[:-4] + _random_texts(20)]
    for options in ({}, {"add_special_tokens": False}, {"truncation": True, "max_length": 8},
                    {"padding": True, "truncation": True, "max_length": 512, "return_tensors": "np"}):
        got = fast(questions, **options)
        assert "_full" not in vars(fast), "short texts must not load the full tokenizer"
        _truncate(full, options.get("max_length"))
        if options.get("padding"):
            full.enable_padding(pad_id=1, pad_token="<pad>")
        want = full.encode_batch(questions, add_special_tokens=options.get("add_special_tokens", True))
        full.no_truncation()
        full.no_padding()
        assert [list(row) for row in got["input_ids"]] == [encoding.ids for encoding in want], options
        assert [list(row) for row in got["attention_mask"]] == [encoding.attention_mask for encoding in want]
    assert fast("query: hej")["input_ids"] == full.encode("query: hej").ids
    long = fast(["passage: " + "ord " * SUBSET_MAX_CHARS], truncation=True, max_length=512)
    assert "_full" in vars(fast) and len(long["input_ids"][0]) == 512


def test_piece_index_is_written_once_and_only_for_the_xlmr_layout(tmp_path: Path, folder: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(folder / "tokenizer.json", fresh / "tokenizer.json")
    assert piece_index(fresh) is not None and (fresh / PIECES_FILE).is_file()
    written = (fresh / PIECES_FILE).stat().st_mtime_ns
    assert piece_index(fresh) is not None and (fresh / PIECES_FILE).stat().st_mtime_ns == written
    data = json.loads((fresh / "tokenizer.json").read_text(encoding="utf-8"))
    data["model"]["vocab"][-2][1] -= 1.0  # a changed tokenizer.json: the index follows it
    (fresh / "tokenizer.json").write_text(json.dumps(data), encoding="utf-8")
    index = piece_index(fresh)
    assert index is not None and (fresh / PIECES_FILE).stat().st_mtime_ns != written
    assert index._scores[-2] == data["model"]["vocab"][-2][1]

    other = tmp_path / "other"
    other.mkdir()
    data = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    data["added_tokens"] = [token for token in data["added_tokens"] if token["content"] != "<mask>"]
    (other / "tokenizer.json").write_text(json.dumps(data), encoding="utf-8")
    assert not write_piece_index(other)
    assert piece_index(other) is None
    assert [path.name for path in other.iterdir()] == ["tokenizer.json"]
