"""Answers from table cells: candidates, the written value, citations, the row view, two sources."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from rapportsok.app.replies import citation, reply_markdown, reply_text
from rapportsok.app.table_view import table_row_html
from rapportsok.index.answer import build_reply, rank_answers
from rapportsok.index.browse import figure_year, figures_about
from rapportsok.index.candidates import column_labels, header_row
from rapportsok.index.evidence import asks_change, names_year
from rapportsok.index.question import analyze
from rapportsok.index.results import Hit, Reply
from rapportsok.index.store import Store
from rapportsok.index.table_answers import (
    asked_basis,
    asked_heads,
    asked_parts,
    asked_tails,
    cell_cue,
    cell_measure,
    is_sum_row,
    lookup_words,
    names_measure,
    table_candidates,
    tables_to_read,
    unasked_row_share,
    written_value,
)
from rapportsok.ingest.records import AMOUNT, Chunk, Document, Figure
from rapportsok.ingest.tables import read_table

GRID = [
    ["Driftredovisning (tkr)", "Bokslut 2023", "Budget 2024", "Bokslut 2024", "Avvikelse"],
    ["Fritid", "1 100", "1 300", "1 234", "66"],
    ["Kultur", "2 000", "2 100", "2 050", "50"],
]
RISKS = [["Risk", "Sannolikhet", "Konsekvens"], ["Brand i lokaler", "3", "4"], ["Fritid stängs", "2", "3"]]
PROSE = "Nettokostnaden för fritid blev 1,2 miljoner kronor i bokslutet 2024, något under budget."



def table_text(caption: str, grid: list[list[str]]) -> str:
    """A table passage as the reader writes it: its caption, then its rows tab-separated."""
    return caption + "\n" + "\n".join("\t".join(row) for row in grid)

def table_hit(chunk_id: int = 1) -> tuple[Hit, list[Figure]]:
    table = read_table(GRID, caption="Driftredovisning", page=12, ordinal=0)
    assert table is not None
    text = "Driftredovisning\n" + "\n".join("\t".join(row) for row in GRID)
    hit = Hit(chunk_id, "/corpus/bokslut.pdf", "Bokslut 2024", "2025-02-10", 12, "Driftredovisning", text,
              1.0)
    for figure in table.figures:
        figure.chunk_id = chunk_id
    return hit, table.figures


def test_the_cell_of_the_row_and_column_asked_for_answers() -> None:
    hit, figures = table_hit()
    reply = build_reply(analyze("Vad var nettokostnaden för fritid i bokslutet 2024?"), [hit], {1: figures})
    answer = reply.answer
    assert answer is not None
    assert answer.value == 1_234_000.0
    assert answer.text == "1 234 tkr"
    assert (answer.table, answer.row, answer.column) == ("Driftredovisning", "Fritid", "Bokslut 2024")


def test_a_question_without_a_basis_takes_the_plan_of_a_table_of_plans_only() -> None:
    grid = [
        ["Investeringar (tkr)", "Budget 2027", "Plan 2028", "Total utgift"],
        ["Summa nya investeringsprojekt", "36 325", "15 975", "52 300"],
    ]
    table = read_table(grid, caption="Investeringar", page=5, ordinal=0)
    text = table_text("Investeringar", grid)
    hit = Hit(1, "/corpus/budget.pdf", "Budget", None, 5, "Investeringar", text, 1.0)
    question = analyze("Vad summerar de nya investeringsprojekten till 2027?")
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and (answer.column, answer.value) == ("Budget 2027", 36_325_000.0)
    # Beside an outcome column a budget answers only a question that asks for one.
    hit, figures = table_hit()
    cells = table_candidates(analyze("Hur stor var nettokostnaden för fritid 2024?"), [hit], {1: figures})
    assert cells and all(cell.basis != "budget" for cell in cells)


def test_a_cell_cue_is_its_basis_else_what_its_column_label_names() -> None:
    table = read_table(
        [
            ["Enhet", "Utfall/resultat 2019", "Årsprognos › Resultat", "Budget 2019", "Utfall 2018"],
            ["Skola A", "8 562", "-2 000", "0", "-5 382"],
        ]
    )
    assert [cell_cue(f) for f in table.figures] == ["result", "planned", "budget", None]


def test_a_cell_under_a_year_has_the_cue_its_row_label_names() -> None:
    """A key-figure table puts years across: the row label says what the cells are."""
    table = read_table([["", "2015", "2014"], ["Förvaltningskostnad, mnkr", "199,7", "198,9"],
                        ["Antal ärenden", "236 009", "228 717"], ["Utfall/resultat", "3", "4"]])
    assert table is not None
    assert [cell_cue(f) for f in table.figures] == ["cost", "cost", None, None, "result", "result"]


def test_a_cell_under_a_group_row_has_the_cue_the_group_names() -> None:
    """"Verksamhetens kostnader" over "Personal": the group says the cells are costs."""
    grid = [["", "2008", "2007"], ["Verksamhetens kostnader", "", ""], ["Personal", "13 418", "12 585"]]
    table = read_table(grid)
    assert table is not None
    assert [cell_cue(f) for f in table.figures] == ["cost", "cost"]


def test_a_cells_first_place_in_its_row_earns_no_first_figure_credit() -> None:
    """The first cell of a quoted row is the first column's, which says nothing of the answer."""
    grid = [["Kostnader (tkr)", "2007", "2008"], ["Personal", "12 585", "13 418"]]
    table = read_table(grid, caption="Kostnader", page=3, ordinal=0)
    assert table is not None
    text = table_text("Kostnader", grid)
    hit = Hit(1, "/corpus/arsredovisning.pdf", "Årsredovisning", "2009-02-20", 3, "Kostnader", text, 1.0)
    ranked = rank_answers(analyze("Hur mycket kostade personalen 2007?"), [hit], {1: table.figures})
    assert ranked and all("first" not in answer.why for answer in ranked)


def test_budget_question_gets_the_budget_column() -> None:
    hit, figures = table_hit()
    reply = build_reply(analyze("Vilken budget hade kultur 2024?"), [hit], {1: figures})
    assert reply.answer is not None and reply.answer.column == "Budget 2024"
    assert reply.answer.value == 2_100_000.0


def test_cells_need_money_or_percent_and_a_row_the_question_names() -> None:
    hit, figures = table_hit()
    risks = read_table(RISKS, caption="Riskmatris", ordinal=1)
    assert risks is not None
    question = analyze("Hur mycket kostade fritid 2024?")
    found = table_candidates(question, [hit], {1: figures + risks.figures})
    assert found and all(c.row == "Fritid" for c in found)
    assert all(c.table == "Driftredovisning" for c in found)
    assert not table_candidates(analyze("Hur mycket kostade skolan 2024?"), [hit], {1: figures})


def test_basis_words() -> None:
    assert asked_basis(analyze("Vad var budgeten för fritid 2024?")) == "budget"
    assert asked_basis(analyze("Hur många årsarbetare beräknas förvaltningen ha 2026?")) == "prognos"
    assert asked_basis(analyze("Hur stor var avvikelsen för fritid?")) == "avvikelse"
    assert asked_basis(analyze("Hur mycket kostade fritid?")) is None
    # A change by its verb, or by a compound's tail.
    assert asked_basis(analyze("Hur mycket ökade kostnaderna jämfört med året innan?")) == "förändring"
    assert asked_basis(analyze("Hur stor är ramminskningen för styrelsen 2021?")) == "förändring"
    # The passive asks for the change as the active does, before the budget word it changes.
    assert asked_basis(analyze("Hur mycket minskades budgetramarna 2021?")) == "förändring"
    assert asked_basis(analyze("Hur mycket har anslaget ökats?")) == "förändring"
    assert asked_basis(analyze("Hur många ökenstäder finns?")) is None


def test_written_value_keeps_the_table_unit() -> None:
    _, figures = table_hit()
    assert written_value(figures[0]) == "1 100 tkr"
    millions = Figure(AMOUNT, 373_600_000.0, "kr", "373,6", "Intäkter | 373,6", 11, 16, table=0,
                      row="Intäkter")
    assert written_value(millions) == "373,6 mnkr"


def test_citation_names_table_row_column_and_page() -> None:
    hit, figures = table_hit()
    reply = build_reply(analyze("Vad var nettokostnaden för fritid i bokslutet 2024?"), [hit], {1: figures})
    assert reply.answer is not None
    cited = citation(reply.answer)
    assert "tabell ”Driftredovisning”, rad ”Fritid”, kolumn ”Bokslut 2024”, sidan 12" in cited
    assert "kolumn ”Bokslut 2024”" in reply_markdown(reply)


def test_row_view_marks_the_cell_and_escapes() -> None:
    hit, figures = table_hit()
    reply = build_reply(analyze("Vad var nettokostnaden för fritid i bokslutet 2024?"), [hit], {1: figures})
    answer = reply.answer
    assert answer is not None
    answer.columns = ["Bokslut 2023", "Budget 2024", "Bokslut 2024", "Avvikelse"]
    shown = table_row_html(answer)
    assert "<th>Bokslut 2024</th>" in shown
    assert '<td class="rs-cell"><mark>1 234</mark></td>' in shown
    assert shown.count("<mark>") == 1
    answer.row, answer.sentence = "<b>Fritid</b>", "<b>Fritid</b> | 1 100 | 1 300 | 1 234 | 66"
    assert "&lt;b&gt;Fritid&lt;/b&gt;" in table_row_html(answer) and "<b>" not in table_row_html(answer)
    answer.row = None
    assert table_row_html(answer) == ""


def _reply_with_prose(value: float):
    """The reply to the table question when a prose sentence of another report states `value`."""
    hit, figures = table_hit()
    prose_hit = Hit(2, "/corpus/bokslut.pdf", "Bokslut 2024", "2025-02-10", 3, "Fritid", PROSE, 0.9)
    start = PROSE.index("1,2 miljoner kronor")
    prose = Figure(AMOUNT, value, "kr", "1,2 miljoner kronor", PROSE, start, start + 19, "2024")
    return build_reply(
        analyze("Vad var nettokostnaden för fritid i bokslutet 2024?"), [hit, prose_hit],
        {1: figures, 2: [prose]},
    )


def test_prose_and_table_with_the_same_figure_are_one_answer_with_two_sources() -> None:
    reply = _reply_with_prose(1_234_000.0)
    answer = reply.answer
    assert answer is not None and len(answer.also_in) == 1
    assert {answer.row is None, answer.also_in[0].row is None} == {True, False}
    assert all(a.value != 1_234_000.0 for a in reply.alternatives)
    assert "Står också i:" in reply_text(reply)


def test_a_sentence_that_rounds_a_cell_shows_the_cell_with_the_sentence_as_its_source() -> None:
    reply = _reply_with_prose(1_230_000.0)  # "1,2 miljoner" beside the cell 1 234 (tkr)
    answer = reply.answer
    assert answer is not None and answer.row == "Fritid" and answer.value == 1_234_000.0
    assert [other.row for other in answer.also_in] == [None]
    assert answer.also_in[0].value == 1_230_000.0


def test_prose_and_table_that_disagree_are_both_shown() -> None:
    reply = _reply_with_prose(1_200_000.0)
    assert reply.answer is not None and not reply.answer.also_in
    shown = {reply.answer.value, *(a.value for a in reply.alternatives)}
    assert {1_234_000.0, 1_200_000.0} <= shown


def test_figures_tab_lists_table_cells_as_a_series(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite")
    _, figures = table_hit()
    text = "\n".join("\t".join(row) for row in GRID)
    for figure in figures:
        figure.chunk_id = None
    store.replace_document(
        Document(str(tmp_path / "bokslut.txt"), "Bokslut 2024", "2025-02-10", 1),
        [Chunk(text, "Driftredovisning", 12, 12, 0, len(text), figures=figures)],
    )
    rows = figures_about(store, "fritid")
    assert {row["text"] for row in rows} == {"1 100", "1 300", "1 234", "66"}
    outcome = [row for row in rows if row["basis"] == "utfall"]
    assert {row["measure"] or row["row"] for row in outcome} == {"Fritid"}
    assert sorted(figure_year(row) for row in outcome) == [2023, 2024]
    assert figures_about(store, "kultur") and not figures_about(store, "ambulanshelikopter")


def test_engine_answers_from_a_markdown_table_with_its_headers(tmp_path: Path) -> None:
    """End to end: a report with a table is ingested, and the question gets the cell, its
    citation and the table's column labels for the row view."""
    from rapportsok.index.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bokslut.md").write_text(
        "# Bokslut 2024 för kultur- och fritidsnämnden\n\n## Driftredovisning\n\n"
        "Driftredovisning per verksamhet, tkr\n\n"
        "| Verksamhet | Bokslut 2023 | Budget 2024 | Bokslut 2024 |\n|---|---|---|---|\n"
        "| Fritid | 1 100 | 1 300 | 1 234 |\n| Kultur | 2 000 | 2 100 | 2 050 |\n",
        encoding="utf-8",
    )
    engine = Engine(tmp_path / "data")
    assert engine.sync([corpus], workers=1).ok
    reply = engine.ask("Vad var nettokostnaden för fritid i bokslutet 2024?", summarize=False)
    engine.close()
    answer = reply.answer
    assert answer is not None and answer.value == 1_234_000.0 and answer.text == "1 234 tkr"
    assert answer.columns == ["Bokslut 2023", "Budget 2024", "Bokslut 2024"]
    assert "rad ”Fritid”, kolumn ”Bokslut 2024”" in citation(answer)
    assert '<mark>1 234</mark>' in table_row_html(answer)


def test_unitless_and_count_cells_answer_as_what_they_are() -> None:
    """A cell of a table without a unit answers a money question as a plain figure (shown as
    printed, no kind credit); a count cell ("antal") answers a "hur många" question."""
    results = read_table(
        [["Enhet", "Ack utfall 2019", "Ack budget 2019"], ["Orminge skola", "-4 069", "-5 000"]],
        caption="Resultat per enhet", ordinal=0,
    )
    staff = read_table(
        [["Personal", "Utfall 2025", "Prognos 2026"], ["Antal årsarbetare", "733,8", "750"]],
        caption="Personalvolym", ordinal=1,
    )
    assert results is not None and staff is not None
    hit = Hit(1, "/r/rapport.pdf", "Rapport", "2026-03-31", 3, "Ekonomi", "Resultat per enhet", 1.0)
    figures = {1: results.figures + staff.figures}
    money = table_candidates(analyze("Vilket ackumulerat utfall hade Orminge skola 2019?"), [hit], figures)
    assert [(c.text, c.kind) for c in money] == [("-4 069", "figure")]
    counts = table_candidates(analyze("Hur många årsarbetare beräknas det bli 2026?"), [hit], figures)
    assert [(c.text, c.kind, c.cue) for c in counts] == [("750", "count", "planned")]


def test_tables_to_read_prefers_the_row_that_names_the_topic() -> None:
    question = analyze("Hur stora intäkter hade nämnden 2026?")
    rows = [
        {"chunk_id": 7, "row": "Övriga intäkter och bidrag", "measure": None, "periods": "2025"},
        {"chunk_id": 8, "row": "Intäkter", "measure": "Intäkter", "periods": "2025,2026"},
        {"chunk_id": 9, "row": "Intäkter", "measure": "Intäkter", "periods": "2024"},
        {"chunk_id": 3, "row": "Kostnader", "measure": "Kostnader", "periods": "2026"},
    ]
    assert tables_to_read(question, rows, known=set(), n=2) == [8, 9]
    assert tables_to_read(question, rows, known={8}, n=2) == [9, 7]
    assert lookup_words(analyze("Vilket system används?")) == ()
    # the row "Iran" names "iranier" (stem "irani") as a shorter form of the word
    assert "iran" in lookup_words(analyze("Hur många iranier sökte asyl 2009?"))


def test_tables_to_read_weighs_the_tables_heading() -> None:
    """A row under a heading the question names ("resultaträkningen") comes before an equally
    named row elsewhere; a heading alone never brings in a row that names none of the topic."""
    question = analyze("Vad kostade personalen enligt resultaträkningen 2012?")
    rows = [
        {"chunk_id": 4, "row": "Personal", "measure": None, "section": "Personal › Kompetens",
         "periods": "2012"},
        {"chunk_id": 5, "row": "Kostnader för personal", "measure": None,
         "section": "Finansiell redovisning › Resultaträkning", "periods": "2012"},
        {"chunk_id": 6, "row": "Intäkter av anslag", "measure": None,
         "section": "Finansiell redovisning › Resultaträkning", "periods": "2012"},
    ]
    assert tables_to_read(question, rows, known=set(), n=3) == [5, 4]


def test_table_rows_are_looked_up_by_casefolded_stems(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite")
    grid = [["Ekonomi (tkr)", "Bokslut 2024"], ["ÅRSARBETARE", "12"], ["Intäkter", "5"]]
    table = read_table(grid, ordinal=0)
    assert table is not None
    for figure in table.figures:
        figure.chunk_id = None
    text = "Ekonomi\nÅRSARBETARE\t12\nIntäkter\t5"
    document_id = store.replace_document(
        Document(str(tmp_path / "a.txt"), "A", "2025-01-01", 1),
        [Chunk(text, "Ekonomi", 1, 1, 0, len(text), figures=table.figures)],
    )
    found = store.table_rows_naming(["årsarbet"])
    assert [row["row"] for row in found] == ["ÅRSARBETARE"] and found[0]["periods"] == "2024"
    assert found[0]["section"] == "Ekonomi"
    assert store.table_rows_naming(["årsarbet"], [document_id + 1]) == []
    assert store.table_rows_naming([]) == []
    # A cut keeps the rows that name the most words.
    best = store.table_rows_naming(["intäk", "årsarbet", "arbetare"], limit=1)
    assert [row["row"] for row in best] == ["ÅRSARBETARE"]


def test_engine_reads_a_table_that_passage_search_ranks_low(tmp_path: Path) -> None:
    """A figure question reaches the table whose row names its topic although the table's passage
    is not among the passages search returns (numbers rank low as text)."""
    from rapportsok.index.answer_config import DEFAULT_CONFIG
    from rapportsok.index.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    prose = "".join(
        f"## Avsnitt {n}\n\n"
        + f"Intäkterna från avgifter för verksamhet {n} diskuterades av nämnden januari–mars 2026, "
        f"och intäkterna väntas följa planen för området {n} under året. " * 12
        + "\n\n"
        for n in range(1, 15)
    )
    (corpus / "delarsrapport.md").write_text(
        "# Delårsrapport mars 2026\n\n" + prose + "## Resultatredovisning\n\nBelopp i mnkr\n\n"
        "| Resultat | Utfall jan–mar 2026 | Budget jan–mar 2026 |\n|---|---|---|\n"
        "| Intäkter | 373,6 | 375,7 |\n| Kostnader | -360,5 | -382,1 |\n",
        encoding="utf-8",
    )
    engine = Engine(tmp_path / "data")
    assert engine.sync([corpus], workers=1).ok
    question = "Hur stora intäkter hade nämnden januari–mars 2026?"
    searched = engine.search(question, DEFAULT_CONFIG.candidate_passages)
    assert not any("373,6" in hit.text for hit in searched)  # the premise: search misses the table
    reply = engine.ask(question, summarize=False)
    engine.close()
    assert reply.answer is not None and reply.answer.text == "373,6 mnkr"
    assert reply.answer.row == "Intäkter"


def test_a_row_that_adds_words_the_question_does_not_say_is_a_part() -> None:
    question = analyze("Hur många anställda hade myndigheten 2008?")
    assert unasked_row_share(question, SimpleNamespace(row="Summa anställda")) == 0.0
    assert unasked_row_share(question, SimpleNamespace(row="Övriga anställda")) == 0.5
    assert unasked_row_share(question, SimpleNamespace(row=None)) == 0.0


def test_a_row_names_the_asked_noun_as_its_compounds_tail_after_a_linking_s() -> None:
    """"Hur många lån" is answered by the row "Bibliotekslån", but not by a row whose compound merely
    holds a part of a question word ("ungdomstandvård" for "tandvårdsvalet")."""
    grid = [
        ["Statistik", "Bokslut 2024", "Bokslut 2025"],
        ["Bibliotekslån", "95 414", "93 666"],
        ["Antal besökare", "116 000", "117 000"],
    ]
    table = read_table(grid, caption="Folkbibliotek", ordinal=0)
    assert table is not None
    text = table_text("Folkbibliotek", grid)
    hit = Hit(1, "/r/bokslut.pdf", "Bokslut", "2026-02-01", 35, "Statistik", text, 1.0)
    reply = build_reply(analyze("Hur många lån hade biblioteket 2025?"), [hit], {1: table.figures})
    assert reply.answer is not None and reply.answer.text == "93 666"
    assert asked_tails(analyze("Hur många lån hade biblioteket?"), "Bibliotekslån") == "lån"
    assert asked_tails(analyze("Hur mycket kostade tandvårdsvalet?"), "Barn- och ungdomstandvård") == ""


def test_a_total_over_years_is_the_total_column_that_spans_them() -> None:
    """"Totalt 2027-2029" asks for the total column (its period the span of the table's years,
    its label the question's "totalt"); each year's cell is a part of that period."""
    grid = [
        ["Investeringar (tkr)", "Budget 2027", "Plan 2028", "Plan 2029", "Total utgift"],
        ["Summa investeringsbudget", "37 525", "17 125", "7 475", "62 125"],
    ]
    table = read_table(grid, caption="Investeringar", page=5, ordinal=0)
    assert table is not None
    text = table_text("Investeringar", grid)
    hit = Hit(1, "/corpus/budget.pdf", "Budget", "2026-10-01", 5, "Investeringar", text, 1.0)
    question = analyze("Hur stora är investeringarna totalt 2027-2029?")
    cells = {c.column: c for c in table_candidates(question, [hit], {1: table.figures})}
    assert cells["Total utgift"].period == "2027/2029" and cells["Budget 2027"].period == "2027"
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and answer.column == "Total utgift" and answer.why["verb"] > 0
    ranked = rank_answers(question, [hit], {1: table.figures})
    assert next(a for a in ranked if a.column == "Budget 2027").why["part"] < 0


def test_a_change_column_answers_a_question_that_asks_for_a_change_by_verb_or_compound() -> None:
    """"Hur mycket ökade …" and "ramminskningen" ask for the change column and score it as the
    change asked for, not as a change beside the figure asked for."""
    grid = [
        ["Mått", "Utfall perioden jämfört med samma period föregående år", "Prognos helår jämfört med helår"],
        ["Personalkostnader", "7,6 %", "6,0 %"],
        ["Övriga kostnader", "10,6 %", "-13,6 %"],
    ]
    table = read_table(grid, caption="Kostnadsutveckling", page=4, ordinal=0)
    assert table is not None and {f.basis for f in table.figures} == {"förändring"}
    text = table_text("Kostnadsutveckling", grid)
    hit = Hit(1, "/r/delar.pdf", "Delårsrapport", "2026-03-31", 4, "Kostnadsutveckling", text, 1.0)
    question = analyze("Hur mycket ökade övriga kostnader jämfört med samma period året innan?")
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and answer.text == "10,6 %" and answer.why["change"] > 0
    grid = [["Mnkr", "2020", "2021", "2022", "Summa"], ["Styrelsen", "17", "187", "110", "314"]]
    table = read_table(grid, caption="Ramminskning 2020-2022", page=13, ordinal=0)
    assert table is not None
    text = table_text("Ramminskning 2020-2022", grid)
    hit = Hit(1, "/r/plan.txt", "Plan", "2021-11-01", 13, "Ramminskning", text, 1.0)
    question = analyze("Hur stor är ramminskningen för styrelsen 2021?")
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and answer.value == 187_000_000.0 and answer.why["change"] > 0
    assert asks_change(analyze("Hur stor blev kostnadsökningen?"))
    assert not asks_change(analyze("Hur stor var nettokostnaden?"))


def test_a_column_that_names_what_its_cells_measure_is_asked_about_like_a_row() -> None:
    """In a table of investment frames per decision level the columns name what is invested in:
    "finansiella investeringar" asks for that column, whatever the row; a column of a year, a basis
    or a sum names no measure."""
    grid = [
        ["Beslutsnivå", "Inventarier & fastigheter", "Finansiella investeringar", "Hjälpmedel", "Summa"],
        ["Styrelsen", "189,9", "6,0", "", "195,9"],
        ["Service", "", "", "38,0", "38,0"],
        ["Summa", "189,9", "6,0", "38,0", "234,9"],
    ]
    table = read_table(grid, caption="Investeringsramar 2022, mnkr", page=16, ordinal=0)
    assert table is not None
    text = table_text("Investeringsramar 2022, mnkr", grid)
    hit = Hit(1, "/r/plan.txt", "Plan", "2021-11-01", 16, "Investeringar", text, 1.0)
    question = analyze("Hur mycket avsätts för finansiella investeringar i investeringsramen 2022?")
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and answer.value == 6_000_000.0
    assert answer.column == "Finansiella investeringar"
    cell = next(f for f in table.figures if f.column == "Finansiella investeringar" and f.row == "Styrelsen")
    assert cell_measure(cell) == "Styrelsen › Finansiella investeringar"
    assert names_measure("Inkomna") and names_measure("Hjälpmedel")
    assert not any(names_measure(c) for c in ("Bokslut 2024", "Budget", "Summa", "Avvikelse", None))
    # A table whose columns are years keeps the row as what a cell measures.
    _, figures = table_hit()
    assert cell_measure(figures[0]) == (figures[0].measure or figures[0].row)


GOALS = [
    ["Styrmått", "Ingångsvärde", "Mål 2022", "Mål 2024", "Källa"],
    ["Antibiotikarecept per tusen invånare", "2019: 275 st", "270", "245", "E-hälsomyndigheten"],
]


def goals_hit() -> tuple[Hit, list[Figure]]:
    table = read_table(GOALS, caption="Styrmått", page=3, ordinal=0)
    assert table is not None
    intro = "Regionen följer upp läkemedelsanvändningen med styrmått som visar hur arbetet går framåt."
    text = intro + "\n\nStyrmått\n" + "\n".join("\t".join(row) for row in GOALS)
    hit = Hit(1, "/corpus/plan.txt", "Plan", "2022-01-01", 3, "Styrmått", text, 1.0)
    return hit, table.figures


def test_a_sentence_question_that_names_a_cells_row_and_column_gets_the_cell() -> None:
    hit, figures = goals_hit()
    question = analyze("Vad är målet för antibiotikarecept per tusen invånare 2024?")
    answer = build_reply(question, [hit], {1: figures}).answer
    assert answer is not None and (answer.text, answer.column) == ("245", "Mål 2024")
    # A sentence question that names no column asks no cell.
    assert not table_candidates(analyze("Vad säger regionen om antibiotikarecept?"), [hit], {1: figures})


def test_a_header_row_is_never_a_text_answer() -> None:
    hit, figures = goals_hit()
    question = analyze("Vilka styrmått och källor har regionen?")
    ranked = rank_answers(question, [hit], {1: figures})
    assert ranked and all(not answer.sentence.startswith("Styrmått\t") for answer in ranked)
    assert header_row("\t".join(GOALS[0]), column_labels(figures))
    assert not header_row("\t".join(GOALS[1]), column_labels(figures))
    assert not header_row("\t".join(GOALS[0]), column_labels([]))  # no table read from the passage


def test_a_sum_row_measures_what_the_heading_over_the_table_names() -> None:
    grid = [["Land", "2007", "2008"], ["Afghanistan", "609", "784"], ["Totalt", "36 207", "24 353"]]
    table = read_table(grid, caption="Asylsökande 2007-2008", page=18, ordinal=0)
    assert table is not None
    text = table_text("Asylsökande 2007-2008", grid)
    hit = Hit(1, "/corpus/arsredovisning.pdf", "Årsredovisning", "2009-02-20", 18, "Asylsökande 2007-2008",
              text, 1.0)
    assert is_sum_row("Totalt") and is_sum_row("Summa 1)") and not is_sum_row("Summa anställda")
    total = next(f for f in table.figures if f.row == "Totalt")
    assert cell_measure(total) == "Asylsökande 2007-2008 › Totalt"
    answer = build_reply(analyze("Hur många asylsökande var det 2007?"), [hit], {1: table.figures}).answer
    assert answer is not None and answer.text == "36 207"


def test_a_column_that_names_its_year_states_it_as_plainly_as_a_sentence() -> None:
    grid = [["Mnkr", "fg år", "2021"], ["Fritid", "12", "14"]]
    table = read_table(grid, caption="Driftredovisning", page=1, ordinal=0)
    assert table is not None
    text = table_text("Driftredovisning", grid)
    hit = Hit(1, "/corpus/bokslut.pdf", "Bokslut", "2021-12-31", 1, "Driftredovisning", text, 1.0)
    named = next(f for f in table.figures if f.column == "2021")
    relative = next(f for f in table.figures if f.column == "fg år")
    assert names_year(named.column, named.period) and not names_year(relative.column, relative.period)
    ranked = rank_answers(analyze("Vad kostade fritid 2021?"), [hit], {1: table.figures})
    cell = next(a for a in ranked if a.column == "2021")
    assert cell.why["year"] == 1.0


def test_a_caption_of_the_same_head_word_names_the_asked_compound() -> None:
    grid = [["Mnkr", "2020", "2021", "2022"], ["Regionstyrelsen", "17", "187", "110"]]
    table = read_table(grid, caption="Budgetminskning", page=1, ordinal=0)
    assert table is not None
    prose = "Inför 2021 identifierades 20,4 mnkr som möjliga att minska inom regiongemensamma funktioner " \
        "vilka nu verkställs som ramminskning."
    text = table_text("Budgetminskning", grid) + "\n\n" + prose
    hit = Hit(1, "/corpus/plan.txt", "Plan", "2021-11-01", 1, "Budgetminskning", text, 1.0)
    question = analyze("Hur stor är ramminskningen för regionstyrelsen 2021?")
    assert asked_heads(question, "Budgetminskning") == "ramminskning"
    assert not asked_heads(question, "Minskning")  # no compound: no kind of the same thing
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and (answer.row, answer.column) == ("Regionstyrelsen", "2021")
    assert answer.why["topic_sentence"] == 1.0  # the whole topic: the row and the caption's kind


def test_a_row_counting_the_whole_kind_is_no_count_of_a_narrower_compound() -> None:
    """"Hur många bilbränder" is not answered by a row of all fires ("Bränder totalt"), whose label
    names only the compound's head; a row naming the compound ("Bilbränder") answers it."""

    def reply_from(row: list[str]) -> Reply:
        grid = [["Räddningsinsatser", "2023", "2024"], row]
        table = read_table(grid, caption="Insatser", ordinal=0)
        assert table is not None
        text = "Insatser\n" + "\n".join("\t".join(cells) for cells in grid)
        hit = Hit(1, "/r/raddning.pdf", "Årsrapport", "2025-02-01", 9, "Insatser", text, 1.0)
        return build_reply(analyze("Hur många bilbränder var det 2024?"), [hit], {1: table.figures})

    assert reply_from(["Bränder totalt", "1 830", "1 760"]).answer is None
    narrow = reply_from(["Bilbränder", "130", "142"]).answer
    assert narrow is not None and narrow.text == "142"


CALLS = [
    ["", "2011", "2012"],
    ["Kundcenter, privat", "", ""],
    ["Inkomna samtal, antal", "6 677 662", "6 859 747"],
    ["Kundcenter, partner", "", ""],
    ["Inkomna samtal, antal", "856 111", "832 445"],
]


def test_a_label_names_a_question_word_as_a_part_of_a_compound() -> None:
    question = analyze("Hur många samtal kom in till kundcenter för privatpersoner 2012?")
    # A label word that is the start of the question's compound ("privat" of "privatpersoner").
    assert asked_parts(question, "Kundcenter, privat › Inkomna samtal") == "privatperson"
    assert asked_parts(question, "Kundcenter, partner › Inkomna samtal") == ""
    # A question word inside a later part of a label's compound ("minsk" of "Budgetminskning").
    cut = analyze("Hur mycket minskades budgetramarna sammanlagt 2021?")
    assert "minsk" in asked_parts(cut, "Budgetminskning 2020-2022").split()
    assert asked_parts(cut, "Minskning") == ""  # a whole word: stemming matches it already, or not
    table = read_table(CALLS, caption="Tillgänglighet i kundcenter", page=40, ordinal=0)
    assert table is not None
    text = table_text("Tillgänglighet i kundcenter", CALLS)
    hit = Hit(1, "/corpus/arsredovisning.pdf", "Årsredovisning 2012", "2013-02-20", 40, "Kundcenter", text,
              1.0)
    answer = build_reply(question, [hit], {1: table.figures}).answer
    assert answer is not None and answer.text == "6 859 747"
