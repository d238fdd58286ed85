"""The NER pipeline in models/ner/model (ingest/ner.py, ingest/ner_components.py) and eval-ner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from rapportsok.ingest.ner import MODEL_DIR, load_pipeline, tag_text, tag_texts
from rapportsok.ingest.ner_components import RULES, VALUES
from rapportsok.tools.cli import main

REPO = Path(__file__).resolve().parents[1]
TEST_SPLIT = REPO / "models" / "ner" / "gold" / "test.jsonl"


def _found(text: str) -> list[tuple[str, str, object]]:
    return [(e.label, e.text, e.value) for e in tag_text(text)]


def test_pipeline_loads_from_models_folder_like_any_spacy_pipeline() -> None:
    """A fresh interpreter needs no import of ours: the components come through the entry point."""
    code = (
        "import json, spacy\n"
        f"nlp = spacy.load({str(MODEL_DIR)!r})\n"
        "doc = nlp('Regionen fick 27 mnkr under tertial 1 2022.')\n"
        "ents = [[e.label_, e.text, e._.value, e._.period_start] for e in doc.ents]\n"
        "print(json.dumps([nlp.pipe_names, ents]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [
        ["entity_ruler", RULES, VALUES],
        [["AMOUNT", "27 mnkr", 27e6, None], ["DATE", "tertial 1 2022", "2022-01/2022-04", "2022-01-01"]],
    ]
    assert load_pipeline() is load_pipeline()


def test_shipped_patterns_are_the_ones_the_code_builds() -> None:
    """models/ner/model is rebuilt (`tools.ner_training.assemble`) whenever the rules change."""
    from rapportsok.tools.ner_training import rule_patterns

    shipped = MODEL_DIR / "entity_ruler" / "patterns.jsonl"
    lines = shipped.read_text(encoding="utf-8").splitlines()

    def key(pattern: dict) -> str:
        return json.dumps(pattern, ensure_ascii=False, sort_keys=True)

    assert sorted(key(json.loads(line)) for line in lines) == sorted(key(p) for p in rule_patterns())


def test_whole_and_a_half_number_words() -> None:
    assert _found("Nämnden hade en och en halv miljon kronor kvar, tre och en halv procent.") == [
        ("AMOUNT", "en och en halv miljon kronor", 1.5e6),
        ("PERCENT", "tre och en halv procent", 3.5),
    ]


def test_division_list_is_saved_in_the_model_folder(tmp_path: Path) -> None:
    nlp = load_pipeline()
    names = nlp.get_pipe(RULES).divisions.names
    assert "Folktandvård" in names
    nlp.to_disk(tmp_path / "copy")
    assert (tmp_path / "copy" / RULES / "divisions.txt").read_text(encoding="utf-8").splitlines()[0]
    assert spacy.load(tmp_path / "copy").get_pipe(RULES).divisions.names == names


def test_amounts_percentages_and_offsets() -> None:
    text = "Regionen fick ca 27\u00a0mnkr, dvs. 8 712,1 mnkr totalt och −12 mnkr netto (6,6 %)."
    entities = tag_text(text)
    assert [(e.label, e.text, e.value) for e in entities] == [
        ("AMOUNT", "27\u00a0mnkr", 27e6),
        ("AMOUNT", "8 712,1 mnkr", pytest.approx(8712.1e6)),
        ("AMOUNT", "−12 mnkr", -12e6),
        ("PERCENT", "6,6 %", 6.6),
    ]
    assert all(text[e.start : e.end] == e.text for e in entities)


def test_amount_at_sentence_end_leaves_the_period_out() -> None:
    assert _found("Ersättningen är 4 767 kr.") == [("AMOUNT", "4 767 kr", 4767.0)]


def test_millions_alone_only_where_money_is_meant() -> None:
    assert _found("Regionen fick 27,4 miljoner till satsningen.") == [("AMOUNT", "27,4 miljoner", 27.4e6)]
    assert _found("Spelet har nått 1,8 miljoner människor.") == []


def test_dates_and_what_is_not_a_date() -> None:
    found = _found("Tertial 1 2022 och första halvåret 2023, per mars, hösten 2019 och vecka 45. "
                   "Svar inom 90 dagar, dnr 2023/28, ca 2000 medarbetare.")
    assert found == [
        ("DATE", "Tertial 1 2022", "2022-01/2022-04"),
        ("DATE", "första halvåret 2023", "2023-01/2023-06"),
        ("DATE", "mars", "--03"),
        ("DATE", "hösten 2019", "2019-09/2019-11"),
        ("DATE", "vecka 45", "W45"),
    ]


def test_periods_carry_start_and_end() -> None:
    (entity,) = tag_text("Regionstyrelsens plan 2022-2024")
    assert (entity.value, entity.period_start, entity.period_end) == ("2022/2024", "2022-01-01", "2024-12-31")


def test_divisions() -> None:
    found = _found("Division Närsjukvård och division regionstöd samt divisionerna Service och "
                   "Länssjukvård 1. Sedan växer närsjukvården i länet, utom Folktandvården.")
    assert found == [
        ("DIVISION", "Division Närsjukvård", "Division Närsjukvård"),
        ("DIVISION", "division regionstöd", "Division Regionstöd"),
        ("DIVISION", "Service", "Division Service"),
        ("DIVISION", "Länssjukvård 1", "Länssjukvård 1"),
        ("DIVISION", "Folktandvården", "Division Folktandvård"),
    ]


def test_coordinated_divisions_with_a_truncated_compound() -> None:
    found = _found("Beslutet gäller divisionerna för läns- och närsjukvård samt Service.")
    assert found == [
        ("DIVISION", "läns-", "Division Länssjukvård"),
        ("DIVISION", "närsjukvård", "Division Närsjukvård"),
        ("DIVISION", "Service", "Division Service"),
    ]
    assert _found("Personal inom läns- och närsjukvården.") == []


def test_lower_case_names_only_where_they_name_the_unit() -> None:
    assert _found("Besparingen inom regionstöd är 3 mnkr och länssjukvården ska minska kostnaderna.") == [
        ("DIVISION", "regionstöd", "Division Regionstöd"),
        ("AMOUNT", "3 mnkr", 3e6),
        ("DIVISION", "länssjukvården", "Division Länssjukvård"),
    ]
    assert _found("Stödet går inom folktandvården i Kiruna till barn, och närsjukvården under våren.") == []


def test_division_value() -> None:
    divisions = load_pipeline().get_pipe(RULES).divisions
    assert divisions.value("Folktandvårdens") == "Division Folktandvård"
    assert divisions.value("Division Läns sjukvård 2") == "Läns sjukvård 2"
    assert divisions.value("Div nära") == "Division Nära"


def test_batch_tagging_matches_single_texts() -> None:
    texts = ["Resultatet per mars är 436 mnkr.", "", "Division Psykiatri fick 80,1 procent."]
    assert list(tag_texts(texts)) == [tag_text(text) for text in texts]


def test_rules_only_mode_still_tags_regular_patterns() -> None:
    assert [e.text for e in tag_text("Budgeten är 831 tkr för 2021.", rules_only=True)] == ["831 tkr", "2021"]


def test_cli_ner_json_and_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["ner", "--json", "Regionen fick 27 mnkr 2020."]) == 0
    result = json.loads(capsys.readouterr().out)
    expected = {"label": "AMOUNT", "text": "27 mnkr", "start": 14, "end": 21, "value": 27e6}
    assert result["entities"][0] == expected
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("6,6 %\n\n1,4 mdkr\n"))
    assert main(["ner", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["entities"][0]["value"] for line in lines] == [6.6, 1.4e9]


def test_bench_ner_reports_words_per_second(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "rapport.txt"
    report.write_text("Ekonomi 2020\n\nRegionen fick 27 mnkr 2020, 6,6 % mer än budget.\n", encoding="utf-8")
    assert main(["bench-ner", "--json", "--repeat", "1", str(report)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["files"], result["figures"]) == (1, 2)
    assert result["words"] >= 10 and result["words_per_s"] > 0 and result["words_per_cpu_s"] > 0


def test_eval_ner_reaches_the_targets_on_the_held_out_documents(capsys: pytest.CaptureFixture[str]) -> None:
    """AMOUNT/PERCENT F1 ≥ 0.95, DATE ≥ 0.92, DIVISION ≥ 0.90, value accuracy ≥ 0.98 (exit 0 = all met)."""
    code = main(["eval-ner", "--json", str(TEST_SPLIT)])
    result = json.loads(capsys.readouterr().out)
    assert result["missed_targets"] == []
    assert code == 0
    strict = {label: row["strict"]["f1"] for label, row in result["labels"].items()}
    assert strict["AMOUNT"] >= 0.95 and strict["PERCENT"] >= 0.95
    assert strict["DATE"] >= 0.92 and strict["DIVISION"] >= 0.90
    assert result["value_accuracy"] >= 0.98


def test_eval_ner_fails_when_a_target_is_missed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "x", "text": "Ett okänt belopp.", "spans": [
        {"start": 4, "end": 9, "label": "AMOUNT", "value": 1.0}]}) + "\n", encoding="utf-8")
    assert main(["eval-ner", str(gold)]) == 1
    assert "AMOUNT: F1 0.000" in capsys.readouterr().out
