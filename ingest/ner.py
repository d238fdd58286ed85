"""Swedish NER for Rapportsök: DIVISION, AMOUNT, DATE and PERCENT with normalized values.

The spaCy pipeline in models/ner/model is `spacy.blank("sv")` + an `entity_ruler`
(high-precision patterns for amounts, percentages, dates and the division list) + the
`rapportsok_entity_rules` and `rapportsok_values` components (ingest/ner_components.py). The
folder is an ordinary spaCy pipeline: `spacy.load(path)` works once this package is installed.
This module loads it once and turns its entities into `Entity` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.records import Entity
from rapportsok.lang.numbers import normalize_spaces
from rapportsok.models import model_path
from spacy.language import Language

MODEL_DIR = model_path("ner/model")

_LINE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")


@lru_cache(maxsize=4)
def load_pipeline(path: str | Path | None = None) -> Language:
    """Load the NER pipeline once per process (default: models/ner/model in the package)."""
    folder = Path(path) if path is not None else MODEL_DIR
    try:
        return spacy.load(folder)
    except OSError as error:
        raise IngestError(f"NER-modellen kunde inte läsas från {folder}: {error}") from error


def prepare_text(text: str) -> str:
    """The text the pipeline sees: odd spaces and single line breaks become plain spaces.

    One character for one, so offsets stay those of the original. Single line
    breaks are hard breaks of extracted PDF text ("Division\\nNärsjukvård",
    "28 januari\\n2020"); blank lines still separate paragraphs.
    """
    return _LINE_BREAK.sub(" ", normalize_spaces(text))


def tag_texts(
    texts: Iterable[str], nlp: Language | None = None, rules_only: bool = False, batch_size: int = 256
) -> Iterator[list[Entity]]:
    """Tag many texts with `nlp.pipe`; yields one entity list per text, in order.

    The pipeline sees `prepare_text(text)` (same length), because the
    tokenizer splits on plain spaces only.
    `rules_only` switches a trained `ner` off where the pipeline has one (to measure what it adds).
    """
    nlp = nlp or load_pipeline()
    originals = list(texts)
    disable = ["ner"] if rules_only and "ner" in nlp.pipe_names else []
    with nlp.select_pipes(disable=disable):
        docs = nlp.pipe((prepare_text(text) for text in originals), batch_size=batch_size)
        for original, doc in zip(originals, docs, strict=True):
            yield [
                Entity(
                    span.label_,
                    original[span.start_char : span.end_char],
                    span.start_char,
                    span.end_char,
                    span._.value,
                    span._.period_start,
                    span._.period_end,
                )
                for span in doc.ents
            ]


def tag_text(text: str, nlp: Language | None = None, rules_only: bool = False) -> list[Entity]:
    """Tag one text: entities with offsets into `text` and normalized values."""
    return next(tag_texts([text], nlp=nlp, rules_only=rules_only))
