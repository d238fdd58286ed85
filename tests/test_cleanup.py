"""Swedish cleanup rules: each case comes from the corpus or from real Swedish PDFs."""

import pytest
from rapportsok.ingest.cleanup import (
    bullet_text,
    continues,
    drawn_hyphens,
    hyphen_join,
    is_page_counter,
    join_lines,
    normalize_chars,
    remove_page_furniture,
)
from rapportsok.ingest.records import HEADING, LIST_ITEM, PARAGRAPH, TABLE
from rapportsok.ingest.structure import SourceLine, build_blocks, section_paths, split_toc


@pytest.mark.parametrize(
    ("prev", "nxt", "joined"),
    [
        ("Det in-", "nebär att", "Det innebär att"),
        ("samma pe-", "riod föregående år", "samma period föregående år"),
        ("inom hälso-", "och sjukvård", "inom hälso- och sjukvård"),
        ("barn-", "eller ungdomspsykiatri", "barn- eller ungdomspsykiatri"),
        ("under 2016-", "2018 ökade", "under 2016-2018 ökade"),
        ("i IT-", "miljön", "i IT-miljön"),
        ("Sunderby sjuk-", "hus) och", "Sunderby sjukhus) och"),
        ("verksamhets-", "samt ekonomiplan", "verksamhets- samt ekonomiplan"),
    ],
)
def test_hyphen_join(prev: str, nxt: str, joined: str) -> None:
    assert hyphen_join(prev, nxt) == joined


def test_hyphen_join_ignores_lines_without_end_hyphen_and_dashes() -> None:
    assert hyphen_join("kostnader", "nebär") is None
    assert hyphen_join("kostnader -", "se bilaga") is None
    assert join_lines("Resultatet är 106", "mnkr vilket") == "Resultatet är 106 mnkr vilket"


@pytest.mark.parametrize(
    ("prev", "nxt", "expected"),
    [
        ("I korthet sammanfattas", "resultaten enligt följande.", True),
        ("Resultatet är 106", "mnkr vilket är bättre", True),
        ("sjukresor och luftburen sjuktransport.", "Även periodens resultat", False),
        ("Ekonomirapport", "I bilaga presenteras", False),
        ("balanskravsre-", "sultatet", True),
    ],
)
def test_continues(prev: str, nxt: str, expected: bool) -> None:
    assert continues(prev, nxt) is expected


def test_full_width_line_continues_before_capital() -> None:
    assert continues("har beslutat att bevilja ett stöd", "Region Norrbotten", full_width=True)
    assert not continues("har beslutat att bevilja ett stöd", "Region Norrbotten", wrapped=False)
    assert continues("I år riktar vi kritik till", "Förvaltnings AB Framtiden", wrapped=False)


@pytest.mark.parametrize(
    "line",
    [
        "\uf0b7 Utbilda medarbetare",
        "\uf0a7 Utbilda medarbetare",
        "• Utbilda medarbetare",
        "▪ Utbilda medarbetare",
        "- Utbilda medarbetare",
        "\uf076  Utbilda medarbetare",
    ],
)
def test_bullets_become_one_bullet(line: str) -> None:
    assert bullet_text(line) == "• Utbilda medarbetare"


def test_hyphenated_word_is_no_bullet() -> None:
    assert bullet_text("-20 procent jämfört med") is None
    assert bullet_text("Hälso- och sjukvård") is None


@pytest.mark.parametrize("line", ["10 (26)", "Sida 3 av 12", "3/12", "- 4 -", "7", "Budget.DOCX SID 3 (26)"])
def test_page_counters(line: str) -> None:
    assert is_page_counter(line)


@pytest.mark.parametrize("line", ["2 896 miljoner kronor", "Tabell 3", "Resultat 2020 (mnkr)"])
def test_not_page_counters(line: str) -> None:
    assert not is_page_counter(line)


BODIES = [
    "Likviditeten har stärkts under året.",
    "Nämnden har god kontroll över sina lån.",
    "Revisionen bedömer att styrningen är tillräcklig.",
    "Rekommendationer lämnas i avsnitt fem.",
]


def test_running_header_and_footer_removed() -> None:
    pages = [
        ["Granskning av finansiering", body, f"Stadsrevisionen, rapport 2024, sida {n}", f"{n} (4)"]
        for n, body in enumerate(BODIES, start=1)
    ]
    cleaned = remove_page_furniture(pages)
    assert cleaned == [[body] for body in BODIES]


def test_lines_that_repeat_on_few_pages_stay() -> None:
    pages = [
        ["Inledning", "Text ett."],
        ["Bakgrund", "Text två."],
        ["Inledning", "Text tre."],
        ["Slut", "Fyra."],
        ["Metod", "Fem."],
    ]
    assert remove_page_furniture(pages) == pages


def test_normalize_chars() -> None:
    assert normalize_chars("hälso\u00adoch 12\u00a0000 ﬁnans") == "hälsooch 12 000 finans"


@pytest.mark.parametrize(
    ("prev", "nxt", "joined"),
    [
        # From a real annual report that draws its hyphen glyph as U+00AD.
        ("i åldern 16\u00ad17 år", "och", "i åldern 16-17 år och"),
        ("som jag tillsam\u00ad", "mans med", "som jag tillsammans med"),
        ("nya IT\u00ad", "stöd", "nya IT-stöd"),
        ("fler e\u00adtjänster per", "2009\u00ad12\u00ad31", "fler e-tjänster per 2009-12-31"),
    ],
)
def test_drawn_soft_hyphen_is_a_hyphen_in_pdf_text(prev: str, nxt: str, joined: str) -> None:
    assert normalize_chars(join_lines(drawn_hyphens(prev), drawn_hyphens(nxt))) == joined


def test_indesign_not_sign_hyphen_is_dropped_inside_words_only() -> None:
    # From gbg_stadsrevisionens_arsredogorelse_2024.pdf (InDesign export).
    assert normalize_chars("legalitetsprinci¬pen") == "legalitetsprincipen"
    assert normalize_chars("villkor ¬ 2024") == "villkor ¬ 2024"


def _lines(text: str) -> list[SourceLine]:
    out, gap = [], True
    for raw in text.split("\n"):
        if not raw.strip():
            gap = True
            continue
        out.append(SourceLine(raw, 1, gap_before=gap))
        gap = False
    return out


TOC_TEXT = """Rapport om läget

Innehållsförteckning

Inledning\t3
Ekonomi\t4
Resultat per division.....\t4

Inledning

Nedan följer min rapport till styrelsen om det ekonomiska läget i regionen.

Ekonomi

Resultatet per mars är 436 mnkr vilket är bättre än budget.

Resultat per division

Divisionerna redovisar ett positivt resultat.
"""


def test_toc_removed_and_used_for_heading_levels() -> None:
    body, entries, at = split_toc(_lines(TOC_TEXT))
    assert [e.page for e in entries] == [3, 4, 4]
    assert at == 1
    assert not any("\t" in line.text for line in body)
    blocks = build_blocks(_lines(TOC_TEXT))
    headings = [(b.text, b.level) for b in blocks if b.kind == HEADING]
    assert headings == [
        ("Rapport om läget", 1),
        ("Inledning", 1),
        ("Ekonomi", 1),
        ("Resultat per division", 2),
    ]
    paths = section_paths(blocks)
    assert paths[-1] == "Ekonomi › Resultat per division"
    assert "Innehållsförteckning" not in "\n".join(b.text for b in blocks)


def test_tab_rows_stay_one_table_block() -> None:
    text = (
        "Ekonomisk ram 2022, mnkr\n\nMnkr\t2020\t2021\nRegionstyrelsen\t17\t187\n"
        "\tSumma\t23\n\nEfter tabellen."
    )
    blocks = build_blocks(_lines(text))
    table = [b for b in blocks if b.kind == TABLE]
    assert len(table) == 1
    assert table[0].text == "Mnkr\t2020\t2021\nRegionstyrelsen\t17\t187\n\tSumma\t23"


def test_bullets_become_list_blocks() -> None:
    text = (
        "Överenskommelsen omfattar tre områden:\n\n\uf0b7 Utbilda vårdens framtida\n\n"
        "medarbetare\n\n\uf0b7 Stöd till omställning"
    )
    blocks = build_blocks(_lines(text))
    assert [(b.kind, b.text) for b in blocks] == [
        (PARAGRAPH, "Överenskommelsen omfattar tre områden:"),
        (LIST_ITEM, "• Utbilda vårdens framtida medarbetare"),
        (LIST_ITEM, "• Stöd till omställning"),
    ]


def test_glued_heading_lines_form_one_heading() -> None:
    lines = [
        SourceLine("Hjärtvården på Sunderby sjukhus näst bäst i ", glued=True, gap_before=True),
        SourceLine("Sverige ", glued=True),
        SourceLine("En ny rapport om svensk hjärtvård visar att ", gap_before=False),
        SourceLine("Sunderby sjukhus ligger näst bäst i landet.", gap_before=True),
    ]
    blocks = build_blocks(lines, wrapped=True)
    assert blocks[0].kind == HEADING
    assert blocks[0].text == "Hjärtvården på Sunderby sjukhus näst bäst i Sverige"
    assert (
        blocks[1].text
        == "En ny rapport om svensk hjärtvård visar att Sunderby sjukhus ligger näst bäst i landet."
    )


def test_headers_of_left_and_right_pages_are_furniture() -> None:
    """Even pages carry "N Årsredovisning 2008", odd pages "Ekonomisk redovisning N": each stands on
    half the pages only, which is enough in a long report."""
    pages = [
        [f"{n} Årsredovisning 2008" if n % 2 == 0 else f"Ekonomisk redovisning {n}",
         f"Texten på sidan {n} handlar om verksamheten och dess resultat under året."]
        for n in range(1, 15)
    ]
    kept = remove_page_furniture(pages)
    assert all(len(lines) == 1 and lines[0].startswith("Texten") for lines in kept)
    # In a short report a line on a third of the pages is no furniture: half are needed.
    short = [[("Sammanfattning" if n < 2 else f"Rubrik {chr(65 + n)}"), f"Brödtext på sidan {n}."]
             for n in range(6)]
    assert [lines[0] for lines in remove_page_furniture(short)][:2] == ["Sammanfattning"] * 2


def test_a_page_number_glued_onto_a_running_footer_keeps_it_furniture() -> None:
    """The same footer with its number set apart, glued on ("11årsredovisning") or drawn in glyphs
    that map to control characters: one footer, on every page."""
    forms = ["{n} Årsredovisning 2009", "{n}Årsredovisning 2009", "\x18\x18Årsredovisning 2009"]
    words = ["Intäkter", "Kostnader", "Personal", "Lokaler", "Investeringar", "Skulder"]
    pages = [[f"{word} beskrivs här.", forms[n % 3].format(n=n + 10)] for n, word in enumerate(words)]
    assert remove_page_furniture(pages) == [[f"{word} beskrivs här."] for word in words]
