"""Title and date from the text, and the sidecar metadata.toml that corrects them."""

import shutil
from pathlib import Path

import pytest
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.metadata import apply_metadata, infer_date, infer_title, report_year
from rapportsok.ingest.pipeline import process_file
from rapportsok.ingest.readers import read_document
from rapportsok.ingest.records import HEADING, PARAGRAPH, Block, Document
from rapportsok.ingest.sidecar import SIDECAR, check_date

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _doc(*blocks: Block) -> Document:
    return Document(path="x.txt", title="", date=None, page_count=1, blocks=list(blocks))


def test_title_page_with_day_and_month_takes_year_from_content() -> None:
    doc = _doc(
        Block(HEADING, "Regiondirektörens rapport", level=1),
        Block(PARAGRAPH, "5 maj"),
        Block(PARAGRAPH, "GÄLLER FÖR VERKSAMHET"),
        Block(PARAGRAPH, "Resultatet per mars 2021 är bättre än mars 2020. Prognosen för mars 2021 håller."),
    )
    assert infer_title(doc) == "Regiondirektörens rapport 5 maj"
    assert infer_date(doc) == "2021-05-05"


def test_full_date_on_title_page() -> None:
    doc = _doc(Block(HEADING, "Regiondirektörens rapport", level=1), Block(PARAGRAPH, "28 januari 2020"))
    assert infer_title(doc) == "Regiondirektörens rapport 28 januari 2020"
    assert infer_date(doc) == "2020-01-28"


def test_month_and_year_in_a_title_heading_date_the_report_to_that_month() -> None:
    doc = _doc(Block(PARAGRAPH, "Nämnden för Intraservice"),
               Block(HEADING, "Delårsrapport mars 2026", level=1))
    assert infer_date(doc) == "2026-03"


def test_year_in_title_wins() -> None:
    assert report_year("Rapport 28 februari dnr 5-2018", "december 2019 och januari 2019") == 2018
    assert report_year("", "mars 2020, mars 2021, april 2021") == 2021


def test_no_title_page_means_no_title() -> None:
    doc = _doc(
        Block(HEADING, "Ekonomirapport", level=1),
        Block(PARAGRAPH, "I bilaga presenteras ekonomirapport per januari 2020 med en sammanfattning."),
    )
    assert infer_title(doc) is None
    assert infer_date(doc) == "2020"


def test_without_sidecar_title_and_date_come_from_text(tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    shutil.copy(CORPUS / "004_9ab87643420e52f5.txt", path)
    doc = apply_metadata(read_document(path), path)
    assert (doc.title, doc.date) == ("Regiondirektörens rapport 28 januari 2020", "2020-01-28")


def test_file_name_is_the_last_resort(tmp_path: Path) -> None:
    path = tmp_path / "anteckning.txt"
    path.write_text("Här står bara en mening utan datum och utan rubrik som kan bli titel.", encoding="utf-8")
    doc, _ = process_file(path)
    assert (doc.title, doc.date) == ("anteckning", None)


@pytest.mark.parametrize("bad", ["28 januari 2020", "2020-13", "20-01-28"])
def test_bad_date_is_refused_in_swedish(tmp_path: Path, bad: str) -> None:
    with pytest.raises(IngestError, match="Datum måste skrivas"):
        check_date(bad, str(tmp_path / "rapport.txt"))


def test_broken_sidecar_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    path.write_text("Inledning\n\nText.", encoding="utf-8")
    (tmp_path / SIDECAR).write_text('["rapport.txt"\ntitle = ', encoding="utf-8")
    with pytest.raises(IngestError, match="metadata.toml är felaktig"):
        process_file(path)


def test_unquoted_toml_date_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    path.write_text("Inledning\n\nText.", encoding="utf-8")
    (tmp_path / SIDECAR).write_text('["rapport.txt"]\ndate = 2021-05-05\n', encoding="utf-8")
    assert process_file(path)[0].date == "2021-05-05"


CORPUS_METADATA = {
    "000_8ac7d356e43819cf.txt": ("Regiondirektörens rapport 5 maj 2021", "2021-05-05"),
    "001_5065905771da5bec.txt": (
        "Regiondirektörens rapport februari 2020 (uppföljning per januari 2020)",
        "2020-02",
    ),
    "002_53cb80a50044d88b.txt": ("Regiondirektörens rapport till styrelsen 28 februari 2018", "2018-02-28"),
    "003_c0ac15c80a7442ce.txt": ("Regionstyrelsens plan 2022-2024", "2021"),
    "004_9ab87643420e52f5.txt": ("Regiondirektörens rapport 28 januari 2020", "2020-01-28"),
}


@pytest.mark.parametrize(("name", "expected"), CORPUS_METADATA.items())
def test_corpus_sidecar(name: str, expected: tuple[str, str]) -> None:
    path = CORPUS / name
    doc = apply_metadata(read_document(path), path)
    assert (doc.title, doc.date) == expected


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("000_8ac7d356e43819cf.txt", "2021-05-05"),
        ("002_53cb80a50044d88b.txt", "2018-02-28"),
        ("004_9ab87643420e52f5.txt", "2020-01-28"),
    ],
)
def test_corpus_dates_from_text_agree_with_sidecar(name: str, date: str) -> None:
    assert infer_date(read_document(CORPUS / name)) == date


def test_a_cover_title_that_goes_on_from_the_first_heading_is_the_title() -> None:
    cover = "Välkommen till kommunens digitala årsredovisning 2008"
    doc = _doc(Block(HEADING, "Välkommen till kommunens digitala", level=1), Block(PARAGRAPH, "Tips"))
    doc.title = cover  # the PDF reader's cover title
    assert apply_metadata(doc, Path("rapport.pdf"), {}).title == cover
    other = _doc(Block(HEADING, "Årsredovisning 2008", level=1), Block(PARAGRAPH, "Tips för läsning"))
    other.title = "Välkommen"
    assert apply_metadata(other, Path("rapport.pdf"), {}).title == "Årsredovisning 2008"
