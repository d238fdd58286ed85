"""Tables as data: interpretation of grids, and tables from text, Markdown, Word and PDF files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pdf_factory import continued_table_pdf, overflowing_table_pdf, rule_closed_tables_pdf, table_pdf
from rapportsok.ingest.chunking import chunk_document
from rapportsok.ingest.cleanup import furniture_mask
from rapportsok.ingest.markdown import pipe_row
from rapportsok.ingest.pdf_tables import join_split_columns, table_rows
from rapportsok.ingest.pipeline import process_file
from rapportsok.ingest.readers import read_document
from rapportsok.ingest.records import AMOUNT, HEADING, NUMBER, PERCENT
from rapportsok.ingest.structure import SourceLine, build_blocks
from rapportsok.ingest.tables import (
    block_tables,
    date_tables,
    find_basis,
    find_period,
    find_unit,
    framed_cell,
    header_above,
    listed_cell,
    looks_like_table_row,
    parse_cell,
    read_table,
    row_label_basis,
    split_rows,
)

RAM = (
    "\tRam 2021\tFörändring jmf 2021\t\t\t\tRam 2022\n"
    "\t\tLöne- & prisindex\tUtökning\tNeddragning\tOmfördelning\t\n"
    "Vårdval primärvård\t1 191,2\t33,7\t0\t0\t-1,9\t1 223,0\n"
    "Styrelsen för vidare fördelning\t7 131,5\t264,3\t+123,5\t-118,1\t2,4\t7 403,6\n"
    "Totalt\t8 406,5\t300,2\t+123,5\t-118,1\t0\t8 712,1"
)


def _cell(table, row: str, column: str):
    return next(f for f in table.figures if f.row == row and f.column == column)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("−5 347", (-5347.0, False)),
        ("-5 347", (-5347.0, False)),
        ("(5 347)", (-5347.0, False)),
        ("+123,5", (123.5, False)),
        ("12,5 %", (12.5, True)),
        ("8 712,1", (8712.1, False)),
        ("2019: 73,4%", None),
        ("Nytt mått", None),
        ("(5 347", None),
    ],
)
def test_parse_cell_signs_and_percent(text: str, expected) -> None:
    assert parse_cell(text) == expected


def test_units_from_caption_header_and_notes() -> None:
    assert find_unit("Belopp i tkr") == "tkr"
    assert find_unit("Ekonomisk ram 2022, mnkr") == "mnkr"
    assert find_unit("", "Mnkr") == "mnkr"
    assert find_unit("Andel i %") == "%"
    assert find_unit("Antal besökare") == "antal"
    assert find_unit("Belopp i miljoner kronor") == "mnkr"
    assert find_unit("Tabell 45 Småföretagarförsäkring, tusental kronor") == "tkr"
    assert find_unit("Verksamhetens mått") is None
    assert find_unit("Verksamhetens kostnader (1 000-tal kronor)") == "tkr"
    assert find_unit("Belopp i 1000 kr") == "tkr"
    assert find_unit("Belopp i 1 000 000 kr") == "mnkr"
    assert find_unit("Antalet årsarbetskrafter") == find_unit("Medelantalet anställda") == "antal"


def test_a_row_left_unread_is_no_group_label() -> None:
    table = read_table(
        [["Tkr", "2013", "2012"], ["Anslag", "10", "12"], ["Avgifter 8 033", "", ""], ["Bidrag", "4", "5"]]
    )
    assert [row.parent for row in table.rows] == [None, None]


def test_periods_and_bases_of_column_labels() -> None:
    assert find_period("Bokslut 2025", None) == "2025"
    assert find_period("Utfall fg år", "2026") == "2025"
    assert find_period("Utfall jan–mar 2026", None) == "2026-01/2026-03"
    assert find_period("Utfall jan-mar", "2026") == "2026-01/2026-03"
    assert find_period("Utfall perioden", "2026-03-31") == "2026-01/2026-03"
    assert find_period("Utfall perioden", "2026") == "2026"  # a report dated by its year only
    assert find_period("Utfall perioden 2026", "2026-03") == "2026-01/2026-03"
    assert find_period("Utfall helår 2025", "2026-03") == "2025"
    assert find_period("Prognos helår jämfört med helår föregående år", "2026-03") == "2026"
    assert find_period("Helår › Bokslut › fg år", "2026-03") == "2025"
    assert find_period("Förändring jmf 2021", None) is None
    assert find_basis("Budget 2025") == "budget"
    assert find_basis("Bokslut 2025") == "utfall"
    assert find_basis("Prognos helår") == "prognos"
    assert find_basis("Avvikelse mot budget") == "avvikelse"
    assert find_basis("Förändring jmf 2021") == "förändring"


def test_a_money_table_without_unit_takes_the_unit_its_sums_have_in_the_prose() -> None:
    table_lines = [
        SourceLine("Enhet\tUtfall 2019\tBudget 2019\tAvvikelse"),
        SourceLine("Skola A\t2 423\t0\t2 423"),
        SourceLine("Total\t10 391\t10 300\t91"),
    ]

    def read(prose: str, lines: list[SourceLine]):
        (table,) = block_tables(build_blocks([*lines, SourceLine(prose, gap_before=True)], wrapped=True))
        return table

    both = "Enheten redovisar ett resultat på +10,4 miljoner kronor mot budget +10,3 miljoner kronor."
    table = read(both, table_lines)
    assert table.unit == "tkr"
    assert _cell(table, "Skola A", "Utfall 2019").value == 2_423_000.0
    # One sum alone could agree by chance; a count table has no money column.
    assert read("Resultatet blev +10,4 miljoner kronor.", table_lines).unit is None
    counts = [SourceLine("Enhet\t2018\t2019"), SourceLine("Total\t10 391\t10 300")]
    assert read(both, counts).unit is None


def test_two_level_header_unit_and_normalised_values() -> None:
    table = read_table(split_rows(RAM), caption="Ekonomisk ram 2022, mnkr")
    assert table is not None and table.unit == "mnkr"
    labels = [column.label for column in table.columns]
    assert labels[0] == "Ram 2021"
    assert labels[2] == "Förändring jmf 2021 › Utökning"
    assert labels[-1] == "Ram 2022"
    total = _cell(table, "Totalt", "Ram 2022")
    assert (total.kind, total.value, total.unit, total.period, total.basis) == (
        AMOUNT,
        8_712_100_000.0,
        "kr",
        "2022",
        "budget",
    )
    cut = _cell(table, "Totalt", "Förändring jmf 2021 › Neddragning")
    assert cut.value == -118_100_000.0 and cut.basis == "förändring"
    assert total.sentence[total.start : total.end] == "8 712,1"
    assert len(table.figures) == 18


def test_row_hierarchy_groups_and_sums() -> None:
    grid = split_rows(
        "Belopp i tkr\tUtfall 2025\tBudget 2025\n"
        "Intäkter\t\t\n"
        "Avgifter\t1 200\t1 000\n"
        "Bidrag\t300\t400\n"
        "Summa intäkter\t1 500\t1 400\n"
        "Resultat\t(200)\t0"
    )
    table = read_table(grid)
    assert table is not None and table.unit == "tkr"
    assert _cell(table, "Avgifter", "Utfall 2025").measure == "Intäkter › Avgifter"
    assert _cell(table, "Summa intäkter", "Budget 2025").measure == "Intäkter › Summa intäkter"
    result = _cell(table, "Resultat", "Utfall 2025")
    assert result.measure == "Resultat" and result.value == -200_000.0


def test_indented_rows_are_children() -> None:
    table = read_table([["Mnkr", "2024"], ["Kostnader", "-50"], ["  varav personal", "-30"]])
    assert table is not None
    assert _cell(table, "varav personal", "2024").measure == "Kostnader › varav personal"


def test_not_figures_notes_codes_years_and_text() -> None:
    grid = [
        ["Nr", "Åtgärd", "Budget 2027", "Källa"],
        ["1", "Ombyggnad av skolan", "1 000", "KF 2024"],
        ["2", "Ny förskola", "2 500", "2019: 73,4%"],
    ]
    table = read_table(grid, caption="Investeringar (tkr)")
    assert table is not None
    assert [f.text for f in table.figures] == ["1 000", "2 500"]
    assert table.figures[0].value == 1_000_000.0
    assert read_table([["Kapitel", "Sida"], ["Inledning", "3"]]) is None or all(
        f.kind == NUMBER for f in read_table([["Kapitel", "Sida"], ["Inledning", "3"]]).figures
    )


def test_a_column_of_years_is_no_figure_whatever_its_header() -> None:
    grid = [
        ["Handläggningsstatus", "", "Antal"],
        ["Öppet återvändandeärende", "2008", "4 224"],
        ["Öppet återvändandeärende", "2009", "5 870"],
    ]
    table = read_table(grid)
    assert table is not None
    assert [f.text for f in table.figures] == ["4 224", "5 870"]
    # a count column with one year-like number among others stays a count column
    counted = read_table([["Skola", "Elever"], ["Norra", "1 450"], ["Södra", "2009"]])
    assert counted is not None and [f.text for f in counted.figures] == ["1 450", "2009"]


def test_a_value_under_its_own_year_takes_that_year() -> None:
    grid = [
        ["Styrmått", "Ingångsvärde", "Mål 2022", "Mål 2024"],
        ["Andel SIP där den enskilde deltagit", "2019: 73,4%", "80 %", "85 %"],
        ["Antal anmälningar", "2019: T1 56 st, T2 40 st", "Minska", "Minska"],
        ["Andel med rådgivning", "2019: K 50 % M 47 %", "Öka", "Öka"],
    ]
    table = read_table(grid)
    assert table is not None
    found = [(f.text, f.value, f.period, f.sentence[f.start : f.end]) for f in table.figures]
    assert found[0] == ("73,4%", 73.4, "2019", "73,4%")
    # A list of values per tertial gives one figure per tertial, dated by it and quoted as itself;
    # a value for one sex measures its row for that sex.
    assert found[3:5] == [
        ("56", 56.0, "2019-01/2019-04", "56"), ("40", 40.0, "2019-05/2019-08", "40"),
    ]
    assert [f.text for f in table.figures] == ["73,4%", "80 %", "85 %", "56", "40", "50 %", "47 %"]
    by_sex = ["Andel med rådgivning › kvinnor", "Andel med rådgivning › män"]
    assert [f.measure for f in table.figures][-2:] == by_sex
    date_tables([table], "2021-02-01")  # resolving the columns against the report keeps the cell's year
    assert [f.period for f in table.figures][::3] == ["2019", "2019-01/2019-04", "2019"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2019: T1 56 st, T2 40 st, T3 57 st. Fr.o.m 2020 könsuppdelat.",
         [("2019-01/2019-04", None, "56"), ("2019-05/2019-08", None, "40"), ("2019-09/2019-12", None, "57")]),
        ("2019: T1 K 60%, M 65% T2 K 56%", [
            ("2019-01/2019-04", "kvinnor", "60%"), ("2019-01/2019-04", "män", "65%"),
            ("2019-05/2019-08", "kvinnor", "56%"),
        ]),
        ("2021 T1 1 234,5", [("2021-01/2021-04", None, "1 234,5")]),
        # All, then women and men; a footnote mark after the year; a unit word after the value.
        ("2019: 207 K 82, M 125", [("2019", None, "207"), ("2019", "kvinnor", "82"), ("2019", "män", "125")]),
        ("2019: ¹⁰ K: 16,9 % M: 18,0 %", [("2019", "kvinnor", "16,9 %"), ("2019", "män", "18,0 %")]),
        ("2019: 6 kommuner", [("2019", None, "6")]),
        ("2020 T1, T2, ÅR", []),  # tertials named, no values
        ("19600 tom T2 2021, prognos 35 000 2021", []),  # no year first
        ("2019 40 år K:16% M:13%", []),  # a value followed by other words: what it is is not known
        ("2019: Som vård 47,6 %", []),
        ("2019 2020", []),
        ("2019 45 år", []),  # an age or a duration, no count
        ("2020: 3 K 2 M", []),  # labels after their values: whose value is which is unsure
        ("2019: 12,5 M", []),  # "M" may be millions
    ],
)
def test_a_cell_listing_values_under_a_year(cell: str, expected: list) -> None:
    assert [(period, sex, cell[start:end]) for period, sex, start, end in listed_cell(cell)] == expected


def test_percent_and_count_columns_and_previous_year() -> None:
    grid = [
        ["Mått", "Utfall 2026", "Utfall fg år"],
        ["Antal besökare", "41 310", "39 800"],
        ["Andel nöjda", "87 %", "85 %"],
    ]
    table = read_table(grid)
    assert table is not None
    visitors = _cell(table, "Antal besökare", "Utfall 2026")
    assert (visitors.kind, visitors.unit, visitors.value) == (NUMBER, "antal", 41310.0)
    share = _cell(table, "Andel nöjda", "Utfall fg år")
    assert (share.kind, share.value) == (PERCENT, 85.0)
    assert share.period is None
    date_tables([table], "2026-04-20")
    assert _cell(table, "Andel nöjda", "Utfall fg år").period == "2025"


def test_a_period_column_with_a_year_takes_the_report_months_once_dated() -> None:
    table = read_table([["Mått", "Utfall perioden 2026", "Utfall 2025"], ["Antal ärenden", "7", "55"]])
    assert table is not None and _cell(table, "Antal ärenden", "Utfall perioden 2026").period == "2026"
    date_tables([table], "2026-03")
    assert _cell(table, "Antal ärenden", "Utfall perioden 2026").period == "2026-01/2026-03"
    assert _cell(table, "Antal ärenden", "Utfall 2025").period == "2025"


def test_the_numeric_tail_reads_as_its_plain_regex_and_fast() -> None:
    """The possessive pattern must accept exactly what the plain (backtracking) one does."""
    import random
    import re

    from rapportsok.ingest.tables import _NUMERIC_TAIL_RE

    plain = re.compile(r"(?:[\s(]*[-−–+]?\d[\d\s]*(?:,\d+)?\)?\s*%?){2,}\s*$")
    rng = random.Random(7)
    alphabet = "123  (-−+),%a\t"
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        want, got = plain.search(text), _NUMERIC_TAIL_RE.search(text)
        assert (want and (want.start(), want.group())) == (got and (got.start(), got.group())), text
    # The plain pattern backtracks exponentially here; the possessive one answers at once.
    assert not looks_like_table_row("Kostnader " + "12 345 " * 40 + "–")


def test_table_rows_are_not_headings() -> None:
    assert looks_like_table_row("Budgetavvikelse -1 930 -5 122")
    assert looks_like_table_row("Besökare 41 310 39 800 37 950 40 120")
    assert not looks_like_table_row("Mål 2024")
    assert not looks_like_table_row("Plan 2022-2024")
    assert not looks_like_table_row("Rapport till styrelsen 28 februari dnr 5-2018")
    lines = [
        SourceLine("Ekonomi", 1, True, heading=1),
        SourceLine("Budgetavvikelse -1 930 -5 122", 1, True, heading=2),
        SourceLine("Nämnden redovisar ett underskott för året.", 1, True),
    ]
    blocks = build_blocks(lines, guess_headings=False)
    assert [b.text for b in blocks if b.kind == HEADING] == ["Ekonomi"]


def test_markdown_pipe_table_becomes_figures(tmp_path: Path) -> None:
    assert pipe_row("|---|---:|") == ""
    assert pipe_row("| Intäkter | 10 135 |") == "Intäkter\t10 135"
    path = tmp_path / "rapport.md"
    path.write_text(
        "# Ekonomi\n\nTabell 1. Belopp i tkr\n\n| Post | Utfall 2024 | Utfall 2025 |\n|---|---:|---:|\n"
        "| Intäkter | 10 135 | 11 251 |\n| Kostnader | −69 731 | −73 300 |\n",
        encoding="utf-8",
    )
    doc, chunks = process_file(path)
    (table,) = doc.tables
    assert table.caption == "Tabell 1. Belopp i tkr"
    figures = [f for chunk in chunks for f in chunk.figures if f.table == 0]
    costs = next(f for f in figures if f.row == "Kostnader" and f.period == "2025")
    assert (costs.value, costs.basis, costs.chunk_id) == (-73_300_000.0, "utfall", None)


def test_text_file_table_from_corpus_style(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Budgetminskning 2020-2022\nMnkr\t2020\t2021\t2022\tSumma\nRegionstyrelsen\t17\t187\t110\t314\n"
        "Summa\t23\t199\t122\t344\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    (table,) = doc.tables
    assert table.unit == "mnkr"
    assert [c.period for c in table.columns] == ["2020", "2021", "2022", "2020/2022"]
    assert _cell(table, "Summa", "2021").value == 199_000_000.0


def test_docx_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Driftredovisning", level=1)
    document.add_paragraph("Belopp i tkr")
    table = document.add_table(rows=3, cols=4)
    for row, values in zip(
        table.rows,
        [
            ("Verksamhet", "Utfall 2025", "Budget 2025", "Avvikelse"),
            ("Bibliotek", "-5 347", "-5 000", "-347"),
            ("Museum", "-1 200", "-1 250", "50"),
        ],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "drift.docx"
    document.save(str(path))
    doc = read_document(path)
    (read,) = doc.tables
    assert [c.basis for c in read.columns] == ["utfall", "budget", "avvikelse"]
    library = _cell(read, "Bibliotek", "Avvikelse")
    assert (library.value, library.kind) == (-347_000.0, AMOUNT)


def test_pdf_ruled_table(tmp_path: Path) -> None:
    doc, chunks = process_file(table_pdf(tmp_path / "tabell.pdf"))
    (table,) = doc.tables
    assert table.unit == "tkr" and table.page == 1
    costs = _cell(table, "Kostnader", "Bokslut 2025")
    assert (costs.value, costs.period, costs.basis) == (-73_300_000.0, "2025", "utfall")
    assert any(f.table == 0 for chunk in chunks for f in chunk.figures)


def test_a_word_over_a_column_rule_stays_whole_in_its_cell(tmp_path: Path) -> None:
    # pdfplumber places each character by its own middle: "Bokslut 202" | "4 Bokslut 2025".
    (table,) = read_document(overflowing_table_pdf(tmp_path / "tabell.pdf")).tables
    columns = [(c.label, c.period) for c in table.columns]
    assert columns == [("Bokslut 2024", "2024"), ("Bokslut 2025", "2025")]
    assert [(f.row, f.period, f.value) for f in table.figures[:2]] == [
        ("Museet", "2024", 56_945.0),
        ("Museet", "2025", 62_014.0),
    ]


def test_table_chunk_keeps_caption_with_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Budgetminskning 2020-2022\nMnkr\t2020\t2021\nRegionstyrelsen\t17\t187\n", encoding="utf-8"
    )
    chunks = chunk_document(read_document(path))
    assert chunks[0].text.startswith("Budgetminskning 2020-2022\n\nMnkr\t2020")


def test_a_block_of_leftover_figures_is_no_caption() -> None:
    # The row before a table that was not read, run into its footnote: its "%" is no unit here.
    blocks = build_blocks(
        [
            SourceLine("Varav andel korrekta beslut 100 % 100 % 100 % 1 1 Bortfall på 35 procent."),
            SourceLine("Bostadstillägg\t2011\t2012", gap_before=True),
            SourceLine("Bidragsutgifter, mnkr\t4 557\t4 425"),
        ],
        wrapped=True,
    )
    (table,) = block_tables(blocks)
    assert table.caption == "" and table.unit is None
    (spent, _) = table.figures
    assert (spent.kind, spent.value, spent.unit) == (AMOUNT, 4_557_000_000.0, "kr")  # the row's mnkr


def test_a_row_naming_a_money_unit_in_a_percent_table_is_an_amount() -> None:
    table = read_table(
        [
            ["", "2011", "2012"],
            ["Sjukfrånvaro totalt", "4,5", "4,7"],
            ["Kostnader för sjukfrånvaro, mnkr", "53,4", "57,1"],
        ],
        caption="Tabell 23 Sjukfrånvaro, procent",
    )
    share, _, cost, _ = table.figures
    assert (share.kind, share.value) == (PERCENT, 4.5)
    assert (cost.kind, cost.value, cost.unit) == (AMOUNT, 53_400_000.0, "kr")


def test_table_figures_round_trip_through_the_store(tmp_path: Path) -> None:
    from rapportsok.index.store import Store

    path = tmp_path / "plan.md"
    path.write_text(
        "# Ekonomi\n\nBelopp i tkr\n\n| Post | Budget 2025 |\n|---|---|\n| Intäkter | 1 200 |\n\n"
        "Resultatet blev 5 mnkr under 2025.\n",
        encoding="utf-8",
    )
    doc, chunks = process_file(path)
    store = Store(tmp_path / "store.db")
    try:
        document_id = store.replace_document(doc, chunks)
        assert all(row["table"] is None for row in store.figures(document_id=document_id))
        rows = store.figures(document_id=document_id, with_tables=True)
        table_row = next(row for row in rows if row["table"] == 0)
        assert (table_row["measure"], table_row["basis"], table_row["row"], table_row["column"]) == (
            "Intäkter",
            "budget",
            "Intäkter",
            "Budget 2025",
        )
        assert store.figure(table_row).value == 1_200_000.0
        prose = [row for row in rows if row["table"] is None]
        # A prose figure carries the noun phrase it quantifies (lang/measures.py), no table position.
        assert prose and prose[0]["measure"] and prose[0]["row"] is None
        (table,) = store.tables(document_id)
        assert table["unit"] == "tkr" and table["columns"][0]["basis"] == "budget"
    finally:
        store.close()


def test_a_column_pdfplumber_read_twice_is_dropped_but_equal_neighbours_stay() -> None:
    twice = [["Intäkter", "", "7,8 %", "6,0 %"], ["IT-tjänster", "-2,7 %", "-2,7 %", "9,9 %"]]
    assert join_split_columns(twice) == [["Intäkter", "7,8 %", "6,0 %"], ["IT-tjänster", "-2,7 %", "9,9 %"]]
    once_equal = [
        ["Intäkter", "1 506,8", "1 506,8"],
        ["Kostnader", "-1 490,0", "-1 495,2"],
        ["Netto", "", "3"],
    ]
    assert join_split_columns(once_equal) == once_equal


def test_a_word_hyphenated_inside_a_cell_is_one_word() -> None:
    # From simrishamn_Protokoll_SPn_april_2024_Bortredigerad.pdf (a ruled list of items).
    grid = [
        ["Ärende", "Dnr"],
        ["Österlen VA AB - uppfölj-\nning/åtgärder", "2023/314"],
        ["hälso-\noch sjukvård", "1"],
    ]
    rows = table_rows(grid, [False, False, False])
    assert [row[0] for row in rows][1:] == ["Österlen VA AB - uppföljning/åtgärder", "hälso- och sjukvård"]


def test_a_label_row_at_line_spacing_continues_the_row_above_a_padded_one_is_a_group() -> None:
    grid = [
        ["Statistik", "Bokslut 2024", "Bokslut 2025"],
        ["Antal besökare", "", ""],
        ["Bibliotek och buss", "117 271", "116 000"],
        ["Antal bibliotekslån", "", ""],  # a row of its own: a group label
        ["Ny inredning, biblioteket", "97 032", "95 414"],
        ["(6014)", None, ""],  # the wrapped rest of the label above
    ]
    rows = table_rows(grid, [False, False, False, False, False, True])
    assert [row[0] for row in rows] == [
        "Statistik",
        "Antal besökare",
        "Bibliotek och buss",
        "Antal bibliotekslån",
        "Ny inredning, biblioteket (6014)",
    ]
    table = read_table(rows)
    assert table is not None
    assert _cell(table, "Ny inredning, biblioteket (6014)", "Bokslut 2025").measure == (
        "Antal bibliotekslån › Ny inredning, biblioteket (6014)"
    )
    # Without the geometry only a lower-case row continues the label above.
    assert [row[0] for row in table_rows(grid[:4] + [["Bokbuss", "1", "2"], ["och cykel", "", ""]], [])][
        -1
    ] == "Bokbuss och cykel"


def test_a_labelled_row_of_words_under_a_group_label_is_body_not_header() -> None:
    table = read_table(
        [
            ["Statistik", "Bokslut 2024", "Bokslut 2025"],
            ["Antal besökare", "", ""],
            ["Korsavads simhall", "Stängt", "Stängt"],
            ["Tobisviksbadet", "22 898", "23 902"],
        ]
    )
    assert table is not None and table.header == [["Statistik", "Bokslut 2024", "Bokslut 2025"]]
    figure = _cell(table, "Tobisviksbadet", "Bokslut 2024")
    assert (figure.measure, figure.period, figure.basis) == (
        "Antal besökare › Tobisviksbadet",
        "2024",
        "utfall",
    )


def test_a_table_row_repeated_at_page_tops_is_not_a_running_header() -> None:
    pages = [["Rapport", "Projekt\tBudget 2027", f"Skola {n}\t1 000"] for n in range(3)]
    assert not any(mask[1] for mask in furniture_mask(pages))
    assert all(mask[0] for mask in furniture_mask(pages))


def test_a_pdf_table_over_a_page_break_takes_its_header_and_caption_on_each_page(tmp_path: Path) -> None:
    doc, chunks = process_file(continued_table_pdf(tmp_path / "lang.pdf", rows=70))
    assert [table.page for table in doc.tables] == [1, 2, 3]
    assert sum(len(table.rows) for table in doc.tables) == 70
    for table in doc.tables:
        assert table.caption == "Investeringar per projekt (tkr)" and table.unit == "tkr"
        assert [column.label for column in table.columns] == ["Budget 2027", "Plan 2028"]
    row = doc.tables[1].rows[0]
    figure = _cell(doc.tables[1], row.label, "Budget 2027")
    assert (figure.page, figure.period, figure.basis, figure.unit) == (2, "2027", "budget", "kr")
    assert figure.value == float(figure.text.replace(" ", "")) * 1000
    last = _cell(doc.tables[-1], "Hamn Äng", "Plan 2028")
    assert (last.page, last.value) == (3, -70_500.0)


def test_label_column_is_chosen_by_the_rows_with_numbers_not_by_wrapped_header_cells() -> None:
    table = read_table(
        [
            ["", "Aktuell", "Motsvarande period föregående år", "Prognos 2026"],
            ["", "period (ack", "", ""],
            ["", "sedan", "", ""],
            ["", "årets början)", "", ""],
            ["Antal årsarbetare", "197,7", "188,7", "750"],
        ],
        report_date="2026-03-31",
    )
    assert table is not None and [row.label for row in table.rows] == ["Antal årsarbetare"]
    periods = [column.period for column in table.columns]
    assert periods == ["2026-01/2026-03", "2025-01/2025-03", "2026"]
    assert _cell(table, "Antal årsarbetare", "Prognos 2026").basis == "prognos"


def test_only_the_first_header_row_names_the_rows_subject() -> None:
    """Rows below the first in a header read too deep are data, not the label over the rows."""
    header = [["Styrmått", "Mål 2024"], ["Antal besök på filialer", "3"]]
    assert framed_cell("Mål", "Antal lån", "", header) == ("Mål", "Styrmått › Antal lån")


def test_a_list_item_counting_under_a_group_row_is_a_count() -> None:
    table = read_table(
        [
            ["", "2015", "2014"],
            ["Garantipension", "", ""],
            ["- utbetalt belopp, mnkr", "15 761", "16 539"],
            ["- antal garantipensioner", "770 000", "787 000"],
        ]
    )
    paid, _, count, _ = table.figures
    assert (paid.kind, paid.value) == (AMOUNT, 15_761_000_000.0)
    assert (count.kind, count.unit, count.value) == (NUMBER, "antal", 770_000.0)


@pytest.mark.parametrize(
    ("label", "basis"),
    [
        ("Budgetavvikelse", "avvikelse"),
        ("Budget", "budget"),
        ("Prognos helår", "prognos"),
        ("Intäkter av anslag", None),
        ("Årets kapitalförändring", None),
        ("Beviljad låneram", None),
        ("Anslagssparande (utgående saldo)", None),
        # A modifier first: the last word is the basis word itself.
        ("Ack. budget", "budget"),
        ("Reviderad budget", "budget"),
        ("Nettokostnad, budget", "budget"),
    ],
)
def test_a_row_labels_first_or_own_basis_word_names_its_basis(label: str, basis: str | None) -> None:
    assert row_label_basis(label) == basis


def test_an_outcome_row_of_a_statement_is_no_budget() -> None:
    table = read_table(
        [
            ["Resultaträkning (tkr)", "Not", "2013", "2012"],
            ["Intäkter av anslag", "1", "1 197 595", "959 553"],
        ]
    )
    assert [(f.value, f.period, f.basis) for f in table.figures] == [
        (1_197_595_000.0, "2013", None),
        (959_553_000.0, "2012", None),
    ]


def test_years_merged_into_one_header_cell_go_to_their_columns() -> None:
    # A ruled table whose header row has no column rules reads as one cell over all columns.
    table = read_table([["2008 2007", "", ""], ["Beviljad kontokredit", "1 736 543", "1 651 314"]])
    assert [c.period for c in table.columns] == ["2008", "2007"]
    assert [f.period for f in table.figures] == ["2008", "2007"]
    # Three years over two columns say nothing sure of either.
    table = read_table([["2008 2007 2006", "", ""], ["Beviljad kontokredit", "1 736 543", "1 651 314"]])
    assert [c.period for c in table.columns] == [None, None]


def test_a_ruled_table_reads_its_rule_closed_last_row_header_above_and_series_unit(tmp_path: Path) -> None:
    first, second = read_document(rule_closed_tables_pdf(tmp_path / "tabeller.pdf")).tables
    # The caption drawn after the table stands before it; the unit line over it gives the unit.
    assert first.caption == "Kostnader per år" and first.unit == "tkr"
    # The years and column words above the box are the header.
    assert [(c.label, c.period) for c in first.columns] == [
        ("2008 › utfall", "2008"),
        ("2007 › utfall", "2007"),
    ]
    # The row under the last boxed row, closed by a rule alone, is a row of the table.
    assert [row.label for row in first.rows] == ["Personal", "Lokaler", "Summa"]
    total = _cell(first, "Summa", "2007 › utfall")
    assert (total.value, total.unit, total.period) == (1_380_000.0, "kr", "2007")
    # The like table under it on the page has the same unit; its own rows only.
    assert second.caption == "Intäkter per år" and second.unit == "tkr"
    assert [row.label for row in second.rows] == ["Avgifter", "Bidrag", "Summa"]


def test_header_lines_above_a_ruled_box_give_one_word_to_each_column() -> None:
    lines = ["antal antal Procutv", "2006 2007 2006–2007", "Tabell 3 Ärenden"]
    assert header_above(lines, 3) == [["", "2006", "2007", "2006–2007"], ["", "antal", "antal", "Procutv"]]
    # A line of words alone, or lines whose words do not fall one to a column, are no header.
    assert header_above(["antal antal Procutv"], 3) == []
    assert header_above(["2006 2007", "Tabell 3"], 3) == []
