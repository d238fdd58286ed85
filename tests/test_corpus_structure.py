"""The five sample reports in corpus/: known sections, clean text, whole tables, honest chunks."""

import re
from pathlib import Path

import pytest
from rapportsok.ingest.chunking import MAX_WORDS, MIN_WORDS
from rapportsok.ingest.pipeline import read_and_chunk
from rapportsok.ingest.records import BLOCK_SEPARATOR, TABLE, Chunk, Document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NAMES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def processed() -> dict[str, tuple[Document, list[Chunk]]]:
    return {name: read_and_chunk(CORPUS / name) for name in NAMES}


def _sections(processed, name: str) -> set[str]:
    return {chunk.section for chunk in processed[name][1]}


def test_all_five_reports_are_there() -> None:
    assert [name[:3] for name in NAMES] == ["000", "001", "002", "003", "004"]


KNOWN_SECTIONS = {
    "000_8ac7d356e43819cf.txt": [
        "Återrapport nationella överenskommelser 2020 › Återrapport Psykisk hälsa 2020",
        "Återrapport nationella överenskommelser 2020 › Återrapport Kömiljarden 2020",
        "Information från verksamheten › Divisioner Närsjukvård › Utökad egenprovtagning",
        "Information från nämnderna › Regionala utvecklingsnämnden › Besked om Norrbotniabanan",
        "Aktuella händelser › Krislägesavtalet aktiverat",
        "Ekonomirapport",
        "Inledning",
    ],
    "001_5065905771da5bec.txt": [
        "Ekonomirapport",
        "Tillgänglighet › Primärvård",
        "Specialiserad vård",
        "Personalrapport",
        "Hjärtvården på Sunderby sjukhus näst bäst i Sverige",
        "Aktuella händelser › Omställningsarbetet fortsätter att väcka stort intresse i media",
        "Ökad tillgänglighet i hälso- och sjukvården 2020 – kömiljarden",
        "Patientsäkerhet, nationella kvalitetsregister m.m. 2020",
    ],
    "002_53cb80a50044d88b.txt": [
        "Aktuella händelser › Regionen i lokala medier",
        "Information från verksamheterna › Patientkontrakt › Pilotprojekt",
        "Nationella överenskommelser 2018 › Sjukskrivnings- och rehabiliteringsprocess, 2017-2018 › Resultat",
        "Nationella överenskommelser 2018 › Kortare väntetider i cancervården, 2017-2018 › "
        "Överenskommelse 2018",
        "Nya överenskommelser 2018 › Patientmiljard",
    ],
    "003_c0ac15c80a7442ce.txt": [
        "Vision",
        "Nära vård › Målbild",
        "Verksamhet och ekonomi › Ekonomiska ramar › Ekonomisk ram 2022, mnkr",
        "Samhällsperspektivet › Strategiskt mål: Ett livskraftigt län › "
        "Framgångsfaktor: Attraktiva livsmiljöer finns i hela Norrbotten",
        "Ekonomiperspektivet › Strategiskt mål: Långsiktigt hållbar ekonomi › "
        "Framgångsfaktor: Kostnadseffektiv verksamhet",
        "Bilaga 1: Styrmått och kontrollmått › Styrmått",
    ],
    "004_9ab87643420e52f5.txt": [
        "Ledningsrapport december 2019",
        "Omställningsarbetet",
        "Aktuella händelser › MR-vagnen till Kiruna",
        "Information om verksamhet › Digitalen",
        "Avrapportering av uppdrag enligt analysplan › Socioekonomiskt svaga grupper",
    ],
}


@pytest.mark.parametrize(("name", "sections"), KNOWN_SECTIONS.items())
def test_known_section_titles(processed, name: str, sections: list[str]) -> None:
    found = _sections(processed, name)
    missing = [section for section in sections if section not in found]
    assert not missing, f"{name}: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_table_of_contents_is_not_indexed(processed, name: str) -> None:
    text = processed[name][0].text
    assert "Innehållsförteckning" not in text and "\nInnehåll\n" not in text
    assert not re.search(r"\.{4,}\s*\t?\d+\s*$", text, re.MULTILINE)


@pytest.mark.parametrize("name", NAMES)
def test_offsets_are_honest_and_chunks_cover_sections(processed, name: str) -> None:
    doc, chunks = processed[name]
    assert chunks
    for chunk in chunks:
        assert doc.text[chunk.char_start : chunk.char_end] == chunk.text[chunk.lead :]
        assert chunk.text.strip() and chunk.section
        assert 1 <= chunk.page_start <= chunk.page_end <= doc.page_count
    starts = [c.char_start for c in chunks]
    assert starts == sorted(starts)
    assert all(a.char_end <= b.char_start for a, b in zip(chunks, chunks[1:], strict=False))


@pytest.mark.parametrize("name", NAMES)
def test_chunk_sizes(processed, name: str) -> None:
    doc, chunks = processed[name]
    words = [len(c.text.split()) for c in chunks]
    over = [
        c for c, w in zip(chunks, words, strict=True) if w > MAX_WORDS * 1.2 and TABLE not in _kinds(doc, c)
    ]
    assert not over, [c.text[:80] for c in over]
    # Short chunks come only from short sections: a section with enough words fills its chunks.
    runs: list[list[int]] = []
    for i, (chunk, count) in enumerate(zip(chunks, words, strict=True)):
        if i and chunks[i - 1].section == chunk.section:
            runs[-1].append(count)
        else:
            runs.append([count])
    for counts in runs:
        if len(counts) > 1:
            assert min(counts) >= MIN_WORDS // 3, counts


def _kinds(doc: Document, chunk: Chunk) -> set[str]:
    kinds, offset = set(), 0
    for block in doc.blocks:
        end = offset + len(block.text)
        if offset < chunk.char_end and end > chunk.char_start:
            kinds.add(block.kind)
        offset = end + 2
    return kinds


def test_most_chunks_of_long_sections_are_in_range(processed) -> None:
    in_range = total = 0
    for _, chunks in processed.values():
        sizes: dict[str, int] = {}
        for chunk in chunks:
            sizes[chunk.section] = sizes.get(chunk.section, 0) + len(chunk.text.split())
        for chunk in chunks:
            if sizes[chunk.section] >= MIN_WORDS:
                total += 1
                in_range += MIN_WORDS * 0.75 <= len(chunk.text.split()) <= MAX_WORDS * 1.2
    assert in_range / total >= 0.8


# Words of file 001 that its PDF extraction split at line ends ("in-" / "nebär").
DEHYPHENATED_001 = [
    "innebär",
    "perioden",
    "balanskravsresultatet",
    "uppgår",
    "Avkastningen",
    "procent",
    "primärvård",
    "procentenheter",
    "jämfört",
    "standarder",
    "förbättras",
    "annan region",
    "Sunderby sjukhus)",
]


def test_no_broken_hyphenation_in_001(processed) -> None:
    doc, chunks = processed["001_5065905771da5bec.txt"]
    text = doc.text
    for word in DEHYPHENATED_001:
        assert word in text, word
    for fragment in (
        "in- nebär",
        "pe- riod",
        "balanskravsre- sultatet",
        "upp- går",
        "Avkast- ningen",
        "stan- darder",
    ):
        assert fragment not in text
    # Every remaining "x- y" has a conjunction after it (hälso- och sjukvård).
    for match in re.finditer(r"\w- (\w+)", text):
        assert match.group(1) in {"och", "eller", "samt", "till"}, text[match.start() - 20 : match.end() + 20]
    assert "2016-2018" in text


@pytest.mark.parametrize("name", NAMES)
def test_no_hyphen_then_lowercase_across_lines(processed, name: str) -> None:
    text = processed[name][0].text
    assert not re.search(r"[a-zåäö]-\n+[a-zåäö]", text)


def test_glued_headings_and_page_breaks_in_001(processed) -> None:
    doc, _ = processed["001_5065905771da5bec.txt"]
    paragraphs = doc.text.split("\n\n")
    assert "Sammanslagning av Erikslund och Björknäs hälsocentraler" in paragraphs
    assert any(
        p.startswith("Om antal anställda") or "är 40 tillsvidareanställda medarbetare" in p
        for p in paragraphs
    )
    assert not any(p.startswith("tillsvidareanställda") for p in paragraphs)


def test_003_tables_stay_whole_with_their_heading(processed) -> None:
    doc, chunks = processed["003_c0ac15c80a7442ce.txt"]
    frame = [c for c in chunks if "Vårdval primärvård\t1 191,2" in c.text]
    assert len(frame) == 1
    assert frame[0].section.endswith("Ekonomiska ramar › Ekonomisk ram 2022, mnkr")
    assert frame[0].text.startswith("Ekonomisk ram 2022, mnkr\n\n\tRam 2021\tFörändring jmf 2021")
    assert "Totalt\t8 406,5\t300,2\t+123,5\t-118,1\t0\t8 712,1" in frame[0].text
    grant = [c for c in chunks if "Anslag året innan\t8 406,5" in c.text]
    assert len(grant) == 1 and grant[0].text.startswith("Förändringar i regionbidraget till Regionstyrelsen")
    assert "Regionbidrag\t8 712,1\t8 930,2\t9 201,5" in grant[0].text
    investments = [c for c in chunks if "Beslutsnivå\tInventarier & fastigheter" in c.text]
    assert len(investments) == 1 and "Summa\t189,9\t6,0\t10,6\t38,0\t0,5\t245,0" in investments[0].text
    offset = 0
    for block in doc.blocks:
        start, offset = offset, offset + len(block.text) + len(BLOCK_SEPARATOR)
        if block.kind != TABLE:
            continue
        if len(block.text.split()) <= MAX_WORDS:
            holders = [c for c in chunks if block.text in c.text]
            assert len(holders) == 1, block.text[:60]
            continue
        # A long table is cut between rows: each row in one chunk, each later part led by the header.
        parts = [c for c in chunks if c.char_start < start + len(block.text) and c.char_end > start]
        header = block.text.split("\n")[0]
        assert len(parts) >= 2 and all(header in part.text[: part.lead] for part in parts[1:])
        held = [line for c in parts for line in doc.text[max(c.char_start, start) : c.char_end].split("\n")]
        assert held[: len(block.text.split("\n"))] == block.text.split("\n")


def test_002_markup_is_gone_and_table_kept(processed) -> None:
    doc, chunks = processed["002_53cb80a50044d88b.txt"]
    assert "<b>" not in doc.text and "**" not in doc.text and "\n#" not in doc.text
    table = [c for c in chunks if "Kontrollmoment\tKontrollutförare\tKontrollmetod" in c.text[c.lead :]]
    assert len(table) == 1
    assert "Bisysslor\tRegiondirektörens stab" in table[0].text


def test_004_bold_metadata_block_is_not_a_heading(processed) -> None:
    doc, _ = processed["004_9ab87643420e52f5.txt"]
    assert all(b.text != "GÄLLER FÖR VERKSAMHET" or b.kind != "heading" for b in doc.blocks)
    assert doc.blocks[0].text == "Regiondirektörens rapport"
