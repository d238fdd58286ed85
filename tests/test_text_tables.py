"""Unruled PDF tables: lines of a year header and rows of figures read as tab rows, and as figures."""

from __future__ import annotations

from pathlib import Path

from pdf_factory import unruled_table_pdf
from rapportsok.ingest.pdf import StyledLine
from rapportsok.ingest.pipeline import process_file
from rapportsok.ingest.records import AMOUNT, NUMBER, PERCENT
from rapportsok.ingest.tables import read_table, split_rows
from rapportsok.ingest.text_tables import with_text_tables

COSTS = [
    "miljoner kronor (löpande priser)",
    "Kostnadsslag  2010 2011 2012",
    "Personal 5 733 5 737 6 090",
    "Lokaler 665 643 646",
    "Konsulter/IT-tjänster 338 350 374",
    "Totalt 8 142 8 159 8 544",
    " ",
    "Orsakerna till de ökade kostnaderna är bland annat följande: ",
]


def _texts(texts: list[str]) -> list[str]:
    return [line.text for line in with_text_tables([StyledLine(text, 10.0, False) for text in texts])]


def test_an_unruled_table_becomes_tab_rows_and_prose_around_it_stays() -> None:
    lines = with_text_tables([StyledLine(text, 10.0, False) for text in COSTS])
    assert [line.text for line in lines] == [
        "miljoner kronor (löpande priser)",
        "Kostnadsslag\t2010\t2011\t2012",
        "Personal\t5 733\t5 737\t6 090",
        "Lokaler\t665\t643\t646",
        "Konsulter/IT-tjänster\t338\t350\t374",
        "Totalt\t8 142\t8 159\t8 544",
        " ",
        "Orsakerna till de ökade kostnaderna är bland annat följande: ",
    ]
    assert [line.starts_table for line in lines[1:3]] == [True, False]


def test_an_ambiguous_row_ends_the_table_as_text_a_balanced_one_is_read() -> None:
    # "461 959 547 332" splits into three numbers in more than one way, none of them balanced;
    # "461 959 547 332 647 388" reads as three close numbers one way only.
    texts = [
        "Ärenden 2010 2011 2012",
        "Inkomna 12 15 17",
        "Avgjorda 11 14 16",
        "Genomförande 461 959 547 332",
    ]
    assert _texts(texts) == [
        "Ärenden\t2010\t2011\t2012",
        "Inkomna\t12\t15\t17",
        "Avgjorda\t11\t14\t16",
        "Genomförande 461 959 547 332",
    ]
    balanced = _texts([*texts[:3], "Genomförande 461 959 547 332 647 388"])
    assert balanced[-1] == "Genomförande\t461 959\t547 332\t647 388"


def test_a_balanced_row_is_read_among_more_than_a_hundred_readings() -> None:
    # Five figures of two 3-digit groups each read 126 ways; only one is balanced.
    texts = [
        "Kostnader 2004 2005 2006 2007 2008",
        "Personal 10 838 716 11 533 286 11 931 102 12 585 790 13 418 621",
        "Avskrivningar 696 685 660 190 676 252 734 327 835 971",
        "Drift 1 974 487 2 069 889 2 385 665 2 540 393 2 536 720",
    ]
    assert _texts(texts)[2] == "Avskrivningar\t696 685\t660 190\t676 252\t734 327\t835 971"


def test_prose_ending_in_numbers_and_a_single_row_are_not_tables() -> None:
    prose = [
        "Antalet ärenden ökade mellan 2011 2012",
        "Handläggningstiden var i genomsnitt 45 dagar och målet 30 dagar 12 14",
        "Det innebär en ökning med 3 procent.",
    ]
    assert _texts(prose) == prose
    lonely = ["Kostnader 2011 2012", "Personal 5 737 6 090", "Kostnaderna ökade under året."]
    assert _texts(lonely) == lonely
    wrong_count = ["Kostnader 2011 2012", "Personal 5 737 6 090 12", "Lokaler 643 646 1"]
    assert _texts(wrong_count) == wrong_count
    # An empty cell: "1 234 13" must not fill three columns as 1 | 234 | 13.
    empty_cell = ["Kostnader 2010 2011 2012", "Bidrag 1 234 13", "Avgifter 2 345 17"]
    assert _texts(empty_cell) == empty_cell


def test_negative_values_an_empty_cell_and_a_group_row() -> None:
    texts = [
        "Resultat 2008 2007",
        "intäkter",
        "Avgifter 791,6 828,6",
        "Bidrag – 12,5",
        "Kostnader −2 698,6 −2 651,8",
        "Summa -1 907,0 -1 810,7",
    ]
    assert _texts(texts) == [
        "Resultat\t2008\t2007",
        "Intäkter\t",
        "Avgifter\t791,6\t828,6",
        "Bidrag\t–\t12,5",
        "Kostnader\t−2 698,6\t−2 651,8",
        "Summa\t-1 907,0\t-1 810,7",
    ]


def test_a_note_column_is_read_only_where_one_reading_exists() -> None:
    texts = [
        "Belopp i tkr Not 2012 2011",
        "Intäkter av anslag 1 7 835 7 487",
        "Intäkter av bidrag 2 15 12",
        "Finansiella intäkter 12 456 3 210",
    ]
    assert _texts(texts) == [
        "Belopp i tkr\tNot\t2012\t2011",
        "Intäkter av anslag\t1\t7 835\t7 487",
        "Intäkter av bidrag\t2\t15\t12",
        "Finansiella intäkter 12 456 3 210",  # note 12 and 456, or no note and 12 456: left as text
    ]


def test_tables_one_under_another_each_start_a_table_and_tab_rows_are_left_alone() -> None:
    texts = [
        "Sjukpenning 2011 2012",
        "Utgifter, mnkr 20 335 23 413",
        "Volym, antal 1 852 762 2 052 471",
        "Barnbidrag 2011 2012",
        "Utgifter, mnkr 24 153 24 280",
        "Volym, antal 19 812 773 20 050 952",
        " ",
        "Enhet\tUtfall\tBudget",
        "Norr\t2 423\t0",
    ]
    lines = with_text_tables([StyledLine(text, 10.0, False) for text in texts])
    assert [line.text for line in lines][3:] == [
        "Barnbidrag\t2011\t2012",
        "Utgifter, mnkr\t24 153\t24 280",
        "Volym, antal\t19 812 773\t20 050 952",
        " ",
        "Enhet\tUtfall\tBudget",
        "Norr\t2 423\t0",
    ]
    # the ruled table's rows right under it start a table of their own
    assert [line.starts_table for line in lines] == [
        True,
        False,
        False,
        True,
        False,
        False,
        False,
        True,
        False,
    ]


def test_an_unruled_pdf_table_becomes_figures_with_period_unit_and_value(tmp_path: Path) -> None:
    doc, chunks = process_file(unruled_table_pdf(tmp_path / "arsredovisning.pdf"))
    (table,) = doc.tables
    assert table.unit == "mnkr"
    assert "miljoner kronor" in table.caption
    staff = next(f for f in table.figures if f.row == "Personal" and f.column == "2010")
    assert (staff.kind, staff.value, staff.unit, staff.period) == (AMOUNT, 5_733_000_000.0, "kr", "2010")
    assert staff.sentence.startswith("Personal | 5 733")
    assert {f.row for f in table.figures} == {"Personal", "Lokaler", "Totalt"}
    assert any(f.table == 0 and f.value == 5_733_000_000.0 for chunk in chunks for f in chunk.figures)


def test_no_break_spaces_group_thousands_and_wrapped_labels_join() -> None:
    texts = [
        "Belopp i tkr Not 2013 2012",
        "Verksamhetens intäkter",
        "Intäkter av anslag 1 1\xa0197\xa0595 959\xa0553",
        "Lönekostnader exkl. arbetsgivaravgifter,",
        "pensionspremier och andra avgifter 2 -409\xa0816 -377\xa0787",
        "Brottsförebyggande arbete",
        "Verksamhetens kostnader",
        "Kostnader 63\xa0003 1 234",  # a plain space grouping too: left as text
    ]
    assert _texts(texts) == [
        "Belopp i tkr\tNot\t2013\t2012",
        "Verksamhetens intäkter\t",
        "Intäkter av anslag\t1\t1 197 595\t959 553",
        "Lönekostnader exkl. arbetsgivaravgifter, pensionspremier och andra avgifter\t2\t-409 816\t-377 787",
        *texts[5:],
    ]


def test_a_row_of_repeated_column_words_under_the_header_is_a_second_header_row() -> None:
    texts = [
        "Ärenden 2007 2008 2007–2008",
        "antal antal Procutv",
        "Inkomna 1 551 1 854 13%",
        "Avgjorda 2 753 3 249 28%",
    ]
    assert _texts(texts)[:2] == ["Ärenden\t2007\t2008\t2007–2008", "\tantal\tantal\tProcutv"]
    assert _texts(
        ["Stöd 2014 2015", "Bostadstillägg till pensionärer", "Belopp 8 493 8 589", "Antal 286 291"]
    )[1] == ("Bostadstillägg till pensionärer\t")


def test_a_long_row_of_three_digit_groups_is_read_once_per_state() -> None:
    # 40 groups under 15 years: billions of splits if every one were tried; none fits (a stray 7).
    years = " ".join(str(year) for year in range(1998, 2013))
    row = "Utbetalningar " + " ".join(["123"] * 40) + " 7,5 1 2"
    texts = [f"Område {years}", row, row]
    assert _texts(texts) == texts


STATEMENT = [
    "Perioden 1 januari-31 december (mnkr) 2012 2011",
    "Verksamhetens intäkter Not",
    "Intäkter av anslag 1 7 835 7 487",
    "Intäkter av avgifter och andra ersättningar 2 581 608",
    "Finansiella intäkter 3 14 15",
    "Summa 8 530 8 159",
    "Uppbördsverksamhet",
    "Socialavgifter 431 986 417 499",
    "Skatter 4 883 4 938",
    "437 031 422 767",
    "  Kostnader 11",
    "Utgiftsområde: ",
    "9 Hälsovård, sjukvård och social omsorg -32 006 -30 054",
    "Andra utbetalningar -16 206 -15 483",
]


def test_a_financial_statement_with_a_note_column_under_the_years() -> None:
    # The note column's title ends the line under the years; "2 581 608" reads both as note 2 and
    # as 2 581, and takes the note because it follows note 1; "431 986 417 499" takes the one
    # reading whose two years lie close; a line of figures only is the group's sum.
    assert _texts(STATEMENT) == [
        "Perioden 1 januari-31 december (mnkr)\tNot\t2012\t2011",
        "Verksamhetens intäkter\t",
        "Intäkter av anslag\t1\t7 835\t7 487",
        "Intäkter av avgifter och andra ersättningar\t2\t581\t608",
        "Finansiella intäkter\t3\t14\t15",
        "Summa\t\t8 530\t8 159",
        "Uppbördsverksamhet\t",
        "Socialavgifter\t\t431 986\t417 499",
        "Skatter\t\t4 883\t4 938",
        "Summa\t\t437 031\t422 767",
        "Kostnader › Utgiftsområde\t",
        "9 Hälsovård, sjukvård och social omsorg\t\t-32 006\t-30 054",
        "Andra utbetalningar\t\t-16 206\t-15 483",
    ]


def test_a_note_that_does_not_follow_the_last_one_leaves_the_row_unread() -> None:
    # "1 284 812": note 1 (the table's notes are past 40) or 1 284; neither reading is balanced
    # enough to choose, so the row stays text and the table goes on after it.
    texts = [
        "Belopp i tkr Not 2015 2014",
        "Premieinkomst 45 4 061 756 2 911 755",
        "Avgifter fondförsäkring 46 567 957 542 029",
        "Övriga tekniska intäkter 1 284 812",
        "Utbetalda försäkringsersättningar 49 -693 152 -561 200",
    ]
    assert _texts(texts) == [
        "Belopp i tkr\tNot\t2015\t2014",
        "Premieinkomst\t45\t4 061 756\t2 911 755",
        "Avgifter fondförsäkring\t46\t567 957\t542 029",
        "Övriga tekniska intäkter 1 284 812\t",
        "Utbetalda försäkringsersättningar\t49\t-693 152\t-561 200",
    ]


def test_footnote_marks_dashes_wrapped_figures_and_odd_rows_inside_a_table() -> None:
    texts = [
        "Sammanställning (tkr)",
        "2013 2012 2011",
        "Inkomna ärenden 1 176 544 * 1 171 856 1 151 473",
        "Räntekostnader – -– –",
        "Bemyndiganden",
        "Tilldelad ram 1\xa0701\xa0600 713\xa0000 1\xa0450 000",
        "Antalet årsarbetskrafter 476 377 354",
        "årets kapitalförändring –10\xa0583",
        "–5\xa0121 –1\xa0012",
        "Nästa stycke är prosa.",
    ]
    assert _texts(texts) == [
        "Sammanställning (tkr)",
        "\t2013\t2012\t2011",
        "Inkomna ärenden\t1 176 544\t1 171 856\t1 151 473",
        "Räntekostnader\t–\t-–\t–",
        "Bemyndiganden\t",
        "Tilldelad ram 1\xa0701\xa0600 713\xa0000 1\xa0450 000\t",
        "Antalet årsarbetskrafter\t476\t377\t354",
        "årets kapitalförändring\t–10 583\t–5 121\t–1 012",
        "Nästa stycke är prosa.",
    ]


def test_a_footnote_reference_after_a_label_is_no_cell_but_a_figure_in_parentheses_is() -> None:
    assert _texts(
        [
            "2007 2008 2009",
            "Utgift för verksamheten (tkr) 279 798 295 616 340 716",
            "varav förvaltning (tkr) 1) 2 926 3 500 4 558",
            "Avgifter (5 347) 1 300 (2)",
        ]
    ) == [
        "\t2007\t2008\t2009",
        "Utgift för verksamheten (tkr)\t279 798\t295 616\t340 716",
        "varav förvaltning (tkr)\t2 926\t3 500\t4 558",
        "Avgifter\t(5 347)\t1 300\t(2)",
    ]


def test_share_columns_after_each_year_and_a_column_titled_under_the_header() -> None:
    # "1 799" could be one count; under a share column "1" is the 2007 share and 799 the 2008 count.
    assert _texts(
        [
            "Indelning 2007 % 2008 % 2009 %",
            "Förändring i % ",
            "2008-2009",
            "Irak 18 559 51 6 083 25 2 297 9 \xad 62",
            "Iran 485 1 799 3 1 144 5 43",
            "Totalt 36 207 100 24 353 100 24 194 100 -1",
        ]
    ) == [
        "Indelning\t2007\t% 2007\t2008\t% 2008\t2009\t% 2009\tFörändring i % 2008-2009",
        "Irak\t18 559\t51\t6 083\t25\t2 297\t9\t-62",
        "Iran\t485\t1\t799\t3\t1 144\t5\t43",
        "Totalt\t36 207\t100\t24 353\t100\t24 194\t100\t-1",
    ]


def test_a_share_column_has_its_own_unit_the_counts_beside_it_none() -> None:
    lines = ["Asylsökande", "Land 2008 % 2009 %", "Iran 799 3 1 144 5", "Syrien 551 2 587 2"]
    table = read_table(split_rows("\n".join(_texts(lines)[1:])))
    iran = [(f.text, f.kind, f.period) for f in table.figures if f.row == "Iran"]
    assert table.unit is None
    assert iran == [
        ("799", NUMBER, "2008"),
        ("3", PERCENT, "2008"),
        ("1 144", NUMBER, "2009"),
        ("5", PERCENT, "2009"),
    ]


def test_a_minus_set_apart_signs_its_number_only_where_a_dash_cannot_be_an_empty_cell() -> None:
    texts = [
        "Mnkr 2015 2014 2013",
        "Ränta upp 1 procentenhet - 1 165 -1 063 -697",
        "Ränta ner 1 procentenhet 1 311 1 197 824",
        "Utlåning - 1 200 1 100",
    ]
    assert _texts(texts) == [
        "Mnkr\t2015\t2014\t2013",
        "Ränta upp 1 procentenhet\t-1 165\t-1 063\t-697",
        "Ränta ner 1 procentenhet\t1 311\t1 197\t824",
        "Utlåning\t-\t1 200\t1 100",  # none in 2015: the dash is an empty cell
    ]
