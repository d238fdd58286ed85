"""The checkout's files the tools read by default. The tools run from the checkout, so these are
relative to the working directory (never found through the installed package's location)."""

from __future__ import annotations

from pathlib import Path

CORPUS_DIR = Path("corpus")
EVAL_QUESTIONS = Path("eval/questions.jsonl")
NER_DIR = Path("models/ner")
