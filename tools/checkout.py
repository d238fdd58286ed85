"""The checkout's files the tools read by default. The tools run from the checkout, so these are
relative to the working directory (never found through the installed package's location)."""

from __future__ import annotations

from pathlib import Path

CORPUS_DIR = Path("corpus")
EVAL_QUESTIONS = Path("eval/questions.jsonl")
QA_QUESTIONS = Path("eval/qa_questions.jsonl")
# The material folder beside the checkout (not in git): the shared reports the question set names.
SHARED_PDFS = Path("../shared/pdfs")
QA_RECORDS = Path("eval/results/qa_records.jsonl")
NER_DIR = Path("models/ner")
