"""A deterministic stand-in for the real embedder in unit tests of the index (no model load)."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class WordHashEmbedder:
    """Hashed bag of words, L2-normalized: texts sharing words get similar vectors."""

    dimension = 64

    def __init__(self, model_id: str = "test-double") -> None:
        self.id = model_id
        self.calls: list[str] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.full((len(texts), self.dimension), 1e-6, np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.extend(texts)
        return self._embed(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)
