"""Builds the NER pipeline in models/ner/model from the committed rules, data and config.

Steps (`rapportsok train-ner` runs them all):
1. rule patterns for the `entity_ruler` from code below and the division list models/ner/divisions.txt;
2. silver data: the rules run over text nobody annotated (extra paragraphs of
   the training documents 000/002/003 in models/ner/silver.jsonl, committed);
3. `spacy train` with models/ner/config.cfg on gold train (minus a dev part) + silver;
4. the final pipeline: blank "sv" + entity_ruler + the trained `ner` + the context rules (which
   keep a copy of the division list in their folder) + the values, saved to models/ner/model.

The shipped pipeline has no trained `ner` (it added nothing measurable on the test split; README,
"NER"): `assemble(None)` rebuilds it from the rules alone.

The held-out documents 001 and 004 and models/ner/gold/test.jsonl are never read here.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
from pathlib import Path

import spacy
from rapportsok.ingest.ner import prepare_text
from rapportsok.ingest.ner_components import RULES, VALUES, Divisions, read_divisions
from rapportsok.ingest.records import AMOUNT, DATE, DIVISION, PERCENT
from rapportsok.lang.dates import MONTH_ABBREVIATIONS, MONTHS
from rapportsok.lang.numbers import NUMBER_WORDS, WHOLE_NUMBER_WORDS
from rapportsok.tools.checkout import NER_DIR
from rapportsok.tools.ner_evaluation import read_jsonl
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_nlp
from spacy.util import filter_spans, load_config

MODEL_DIR = NER_DIR / "model"
CONFIG_FILE = NER_DIR / "config.cfg"
DIVISIONS_FILE = NER_DIR / "divisions.txt"
GOLD_TRAIN = NER_DIR / "gold" / "train.jsonl"
SILVER_FILE = NER_DIR / "silver.jsonl"
TRAIN_DOCUMENTS = ("000_", "002_", "003_")

_MONTHS = list(MONTHS)
_MONTH_ABBR = list(MONTH_ABBREVIATIONS)
_MONTH_ALT = "|".join(_MONTHS + _MONTH_ABBR)

# Token patterns. Numbers: "8 712,1" is several tokens ("8", "712,1"),
# "10–15" and "2022-2024" stay one token in spaCy's Swedish tokenizer.
_HEAD = {"TEXT": {"REGEX": r"^[-−–+]?\d{1,3}$"}}
_GROUP = {"TEXT": {"REGEX": r"^\d{3}(?:[,.]\d+)?$"}, "OP": "+"}
_SINGLE = {"TEXT": {"REGEX": r"^[-−–+]?\d+(?:[,.]\d+)?$"}}
# A number or a one-token range ("10–15"). Few patterns matter: the Matcher's cost grows with
# patterns x tokens, so alternatives share one pattern where the matches stay the same.
_SINGLE_OR_RANGE = {"TEXT": {"REGEX": r"^[-−–+]?\d+(?:[,.]\d+)?(?:[-–]\d+(?:[,.]\d+)?)?$"}}
_DASH = {"TEXT": {"IN": ["-", "–", "—", "−"]}}
_NUMBERS = [[_HEAD, _GROUP], [_SINGLE_OR_RANGE], [_SINGLE, _DASH, _SINGLE]]
_WORD_NUMBERS = [
    [{"LOWER": {"IN": [w for w in NUMBER_WORDS if " " not in w and w != "halv"]}}],
    [{"LOWER": {"IN": ["en", "ett"]}}, {"LOWER": {"IN": ["halv", "halvt"]}}],
    # "en och en halv miljon kronor", "tre och en halv procent"
    [
        {"LOWER": {"IN": list(WHOLE_NUMBER_WORDS)}},
        {"LOWER": "och"},
        {"LOWER": {"IN": ["en", "ett"]}},
        {"LOWER": {"IN": ["halv", "halvt"]}},
    ],
]

_MONEY_UNITS = ["kr", "kr.", "kronor", "tkr", "kkr", "mkr", "mnkr", "msek", "sek", "tsek", "mdkr", "mdr",
                "mdsek"]
_MILLIONS = ["miljoner", "miljarder", "miljon", "miljard", "milj", "milj."]

_YEAR = {"TEXT": {"REGEX": r"^(?:19|20)\d\d$"}}
_OPT_YEAR = {"TEXT": {"REGEX": r"^(?:19|20)\d\d$"}, "OP": "?"}
_DAY = {"TEXT": {"REGEX": r"^(?:[1-9]|0[1-9]|[12]\d|3[01])$"}}
_MONTH = {"LOWER": {"IN": _MONTHS}}
_MONTH_ANY = {"LOWER": {"IN": _MONTHS + _MONTH_ABBR}}


def _date_patterns() -> list[list[dict]]:
    # One token: a year, a year range ("2022-2024", "2019/20") or an ISO date ("2021-06-15", "2021-06").
    year_range_or_iso = {"TEXT": {"REGEX": r"^(?:19|20)\d\d(?:[-–/](?:(?:19|20)\d\d|\d\d)"
                                           r"|-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"}}
    full = [_DAY, _MONTH_ANY, _YEAR]
    return [
        [year_range_or_iso],
        [_YEAR, {"TEXT": {"IN": ["-", "–", "/"]}}, _YEAR],
        [_YEAR, {"TEXT": {"REGEX": r"^[-–](?:19|20)\d\d$"}}],
        full,
        [_DAY, _MONTH],
        [_MONTH_ANY, _YEAR],
        [_MONTH],
        [_MONTH, {"LOWER": "månad"}, _YEAR],
        [_YEAR, _MONTH_ANY],
        [{"TEXT": {"REGEX": r"^\d{1,2}[-–]\d{1,2}$"}}, _MONTH, _OPT_YEAR],
        [{"LOWER": {"REGEX": rf"^(?:{_MONTH_ALT})[-–](?:{_MONTH_ALT})$"}}, _OPT_YEAR],
        # "januari–mars 2021" and "januari till augusti 2019": one period (the year is required with "till").
        [_MONTH_ANY, {"LOWER": {"IN": [*_DASH["TEXT"]["IN"], "till"]}}, _MONTH_ANY, _YEAR],
        [_MONTH, _DASH, _MONTH],
        [*full, {"LOWER": {"IN": ["till", "–", "-"]}}, *full],
        [{"LOWER": {"IN": ["tertial", "kvartal", "halvår"]}}, {"TEXT": {"REGEX": r"^[1-4]$"}}, _OPT_YEAR],
        [{"LOWER": {"REGEX": r"^[tq][1-4]$"}}, _YEAR],
        [
            {"LOWER": {"IN": ["första", "andra", "tredje", "fjärde", "1:a", "2:a", "3:e", "4:e"]}},
            {"LOWER": {"IN": ["tertialet", "kvartalet"]}},
            _OPT_YEAR,
        ],
        [{"LOWER": {"IN": ["första", "andra", "1:a", "2:a"]}}, {"LOWER": "halvåret"}, _OPT_YEAR],
        [{"LOWER": {"IN": ["våren", "sommaren", "hösten", "vintern"]}}, _YEAR],
        [{"LOWER": {"IN": ["vecka", "v."]}}, {"TEXT": {"REGEX": r"^(?:[1-9]|[1-4]\d|5[0-3])$"}}, _OPT_YEAR],
    ]


_NOT_NAME_WORDS = (
    "från inom efter under genom samt eller även också inte bara redan skall ska kommer har hade "
    "blir blev kan fick får inför utan mellan vilket vilka som"
).split()


def _division_patterns(names: dict[str, bool]) -> list[list[dict]]:
    word = {"LOWER": {"IN": ["division", "divisionen", "divisionens", "div", "div."]}}
    number = {"TEXT": {"REGEX": r"^[1-9]$"}, "OP": "?"}
    # Two-word names are an adjective and a noun ("Division Regional utveckling"); the
    # noun must not be a common verb or function word ("Division Regional har ...").
    adjective = {"IS_TITLE": True, "TEXT": {"REGEX": r"(?:al|sk|ell|iv)$"}}
    noun = {"IS_LOWER": True, "IS_ALPHA": True, "LENGTH": {">": 3}, "LOWER": {"NOT_IN": _NOT_NAME_WORDS}}
    gap = {"IS_SPACE": True, "OP": "?"}
    patterns: list[list[dict]] = [
        [word, gap, {"IS_TITLE": True, "IS_ALPHA": True}, number],
        [word, gap, {"IS_UPPER": True, "IS_ALPHA": True}, number],
        [word, gap, adjective, noun],
    ]
    single = [name.lower() for name in names if " " not in name]
    patterns.append([word, gap, {"LOWER": {"IN": single}}, number])
    patterns += [[word, gap, *({"LOWER": part} for part in name.lower().split()), number]
                 for name in names if " " in name]
    # Specific names (marked *) also mark the unit on their own when capitalised
    # ("divisionerna Närsjukvård och Länssjukvård", "Folktandvårdens", "Länssjukvård 1").
    bare = [name for name, is_bare in names.items() if is_bare]
    patterns.append([{"TEXT": {"IN": bare}}, {"TEXT": {"REGEX": r"^[1-9]$"}}])
    forms = [f"{name}{ending}" for name in bare for ending in ("", "en", "ens", "s")]
    patterns.append([{"TEXT": {"IN": forms}}])
    patterns.append([word, {"LOWER": "läns"}, {"LOWER": "sjukvård"}, number])
    return patterns


def rule_patterns() -> list[dict]:
    """All entity_ruler patterns (AMOUNT, PERCENT, DATE, DIVISION)."""
    patterns: list[dict] = []
    for number in _NUMBERS:
        # A bare "miljoner" is checked for money in context afterwards (ingest.ner._keep).
        patterns.append({"label": AMOUNT, "pattern": [*number, {"LOWER": {"IN": _MONEY_UNITS + _MILLIONS}}]})
        millions_kronor = [
            {"LOWER": {"IN": _MILLIONS + ["tusen"]}},
            {"LOWER": {"IN": ["kronor", "kr", "sek"]}},
        ]
        patterns.append({"label": AMOUNT, "pattern": [*number, *millions_kronor]})
        patterns.append({"label": PERCENT, "pattern": [*number, {"LOWER": {"IN": ["procent", "%"]}}]})
    for number in _WORD_NUMBERS:
        # Written-out numbers only with large units or percent ("tre miljoner kronor", "en procent").
        big = {"LOWER": {"IN": _MILLIONS + ["mkr", "mnkr", "mdkr", "mdr", "msek"]}}
        patterns.append({"label": AMOUNT, "pattern": [*number, big]})
        kronor = {"LOWER": {"IN": ["kronor", "kr", "sek"]}}
        patterns.append({"label": AMOUNT, "pattern": [*number, big, kronor]})
        patterns.append({"label": PERCENT, "pattern": [*number, {"LOWER": "procent"}]})
    patterns += [{"label": DATE, "pattern": pattern} for pattern in _date_patterns()]
    divisions = _division_patterns(division_list())
    patterns += [{"label": DIVISION, "pattern": pattern} for pattern in divisions]
    return patterns


def division_list() -> dict[str, bool]:
    """The division list the pipeline is built from (models/ner/divisions.txt)."""
    return read_divisions(DIVISIONS_FILE.read_text(encoding="utf-8"))


def rules_pipeline() -> Language:
    """blank("sv") with only the entity_ruler: the rules-only baseline and the silver annotator."""
    nlp = spacy.blank("sv")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns(rule_patterns())
    return nlp


def _paragraphs(corpus_dir: Path) -> list[tuple[str, str]]:
    """(document name, paragraph) for the training documents only."""
    paragraphs = []
    for path in sorted(corpus_dir.glob("*.txt")):
        if not path.name.startswith(TRAIN_DOCUMENTS):
            continue
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            paragraph = paragraph.strip()
            if 3 <= len(paragraph) <= 2000:
                paragraphs.append((path.name, paragraph))
    return paragraphs


def build_silver(corpus_dir: Path, gold: list[dict], output: Path = SILVER_FILE) -> int:
    """Rule-annotated paragraphs of the training documents not already in the gold set.

    Silver data teaches the statistical `ner` the rule patterns in new contexts;
    the gold data teaches it what the rules miss. Returns the number of examples.
    """
    nlp = rules_pipeline()
    gold_texts = [example["text"].strip() for example in gold]
    rows = []
    candidates = [
        (name, text)
        for name, text in _paragraphs(corpus_dir)
        if not any(text in gold_text or gold_text in text for gold_text in gold_texts)
    ]
    docs = nlp.pipe(prepare_text(text) for _, text in candidates)
    for (name, text), doc in zip(candidates, docs, strict=True):
        spans = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
        rows.append({"doc": name, "text": text, "spans": spans, "source": "silver-rules"})
    output.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return len(rows)


def _to_doc(nlp: Language, example: dict) -> Doc:
    doc = nlp.make_doc(prepare_text(example["text"]))
    spans = []
    for span in example["spans"]:
        char_span = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
        if char_span is not None:
            spans.append(char_span)
    doc.ents = filter_spans(spans)
    return doc


def build_training_data(work_dir: Path, dev_share: float = 0.2, seed: int = 13) -> tuple[Path, Path, int]:
    """Write train.spacy (gold minus dev + silver) and dev.spacy (a gold part) into `work_dir`.

    Returns both paths and the number of training examples.
    """
    nlp = spacy.blank("sv")
    gold = read_jsonl(GOLD_TRAIN)
    silver = read_jsonl(SILVER_FILE) if SILVER_FILE.exists() else []
    shuffled = gold[:]
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * dev_share)
    dev, train = shuffled[:cut], shuffled[cut:] + silver
    paths = []
    for name, examples in (("train", train), ("dev", dev)):
        path = work_dir / f"{name}.spacy"
        DocBin(docs=[_to_doc(nlp, example) for example in examples]).to_disk(path)
        paths.append(path)
    return paths[0], paths[1], len(train)


def assemble(trained_ner_dir: Path | None, output: Path = MODEL_DIR) -> Language:
    """Final pipeline: entity_ruler first, then the trained ner if given (it keeps the ruler's
    spans), then the context rules with the division list, then the values."""
    nlp = rules_pipeline()
    if trained_ner_dir is not None:
        trained = spacy.load(trained_ner_dir)
        nlp.add_pipe("ner", source=trained)
    nlp.add_pipe(RULES).divisions = Divisions(division_list())
    nlp.add_pipe(VALUES)
    nlp.meta.update(
        {
            "name": "rapportsok_ner",
            "version": "0.1.0",
            "description": "Rapportsök: entity_ruler (+ trained ner) + context rules + values"
            " (DIVISION AMOUNT DATE PERCENT)",
        }
    )
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    return nlp


def train(corpus_dir: Path, output: Path = MODEL_DIR) -> dict:
    """Rebuild silver data, train the ner with config.cfg and save the full pipeline to `output`.

    spaCy's training loop runs with its console output captured (the CLI prints a
    Swedish summary instead). Returns counts and the dev F1 of the trained ner.
    """
    silver_count = build_silver(corpus_dir, read_jsonl(GOLD_TRAIN))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train_path, dev_path, train_count = build_training_data(work)
        overrides = {"paths.train": str(train_path), "paths.dev": str(dev_path)}
        config = load_config(CONFIG_FILE, overrides=overrides, interpolate=False)
        nlp = init_nlp(config, use_gpu=-1)
        log = io.StringIO()
        (work / "out").mkdir()
        train_nlp(nlp, work / "out", use_gpu=-1, stdout=log, stderr=log)
        best = work / "out" / "model-best"
        dev_f1 = json.loads((best / "meta.json").read_text(encoding="utf-8"))["performance"]["ents_f"]
        assemble(best, output)
    return {
        "output": str(output),
        "train_examples": train_count,
        "silver_examples": silver_count,
        "dev_f1": dev_f1,
    }
