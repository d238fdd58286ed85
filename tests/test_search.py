"""Hybrid search: filters, year boost, odd queries, the CLI, and the evaluation targets on our set."""

from __future__ import annotations

import json
import math
import sqlite3
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from embedding_double import WordHashEmbedder
from rapportsok.app.cli import main
from rapportsok.index.search import (
    Ranker,
    RankingConfig,
    SearchFilters,
    _lift_continuations,
    open_ranker,
    row_labels,
)
from rapportsok.index.store import Store
from rapportsok.ingest.records import DATE, DIVISION, Chunk, Document, Entity
from rapportsok.tools.cli import main as dev_main
from rapportsok.tools.search_benchmark import STAGES, bench_search, load_queries
from rapportsok.tools.search_evaluation import (
    FUSION_VARIANTS,
    TARGETS,
    fusion_shortfalls,
    load_question_file,
    metrics_from_ranks,
    missed_targets,
    rank_questions,
)

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "eval" / "questions.jsonl"
SWEFAQ = REPO / "eval" / "swefaq" / "swefaq_dev.jsonl"


def _chunk(text: str, section: str = "", entities: list[Entity] | None = None) -> Chunk:
    return Chunk(text, section, 1, 1, 0, len(text), entities=entities or [])


@pytest.fixture()
def ranker(tmp_path: Path) -> Ranker:
    """Two small reports in a real store, ranked with the hashing embedder double."""
    store = Store(tmp_path / "store.sqlite")
    store.replace_document(
        Document("/r/rapport_2020.txt", "Rapport januari 2020", "2020-01-28", 1),
        [
            _chunk("Hyrläkarkostnaderna ökade med 20 mnkr.", "Ekonomi › Kostnader"),
            _chunk(
                "Division Närsjukvård fick fler sjuksköterskor.",
                "Personal",
                [Entity(DIVISION, "Division Närsjukvård", 0, 20, "Närsjukvård")],
            ),
        ],
    )
    store.replace_document(
        Document("/r/plan_2022.txt", "Plan 2022–2024", "2022", 1),
        [
            _chunk("Hyrläkarkostnaderna ska minska under planperioden.", "Ekonomi › Åtgärder"),
            _chunk(
                "Resultatet för 2018 blev 12 mnkr.",
                "Bakgrund",
                [Entity(DATE, "2018", 14, 18, "2018")],
            ),
        ],
    )
    return open_ranker(store, tmp_path, WordHashEmbedder())


def _files(hits) -> list[str]:
    return [Path(hit.file).name for hit in hits]


def test_hits_carry_citation_fields(ranker: Ranker) -> None:
    hits = ranker.search("hyrläkarkostnaderna", 2)
    assert len(hits) == 2 and all("Hyrläkarkostnaderna" in hit.text for hit in hits)
    assert {hit.title for hit in hits} == {"Rapport januari 2020", "Plan 2022–2024"}
    assert all(hit.page == 1 and hit.section.startswith("Ekonomi") for hit in hits)
    assert hits[0].score >= hits[1].score
    person = ranker.search("sjuksköterskor", 1)[0]
    assert person.entities[0].label == DIVISION and person.entities[0].value == "Närsjukvård"


def test_year_in_query_lifts_that_year(ranker: Ranker) -> None:
    assert _files(ranker.search("hyrläkarkostnaderna 2020", 2))[0] == "rapport_2020.txt"
    assert _files(ranker.search("hyrläkarkostnaderna 2022", 2))[0] == "plan_2022.txt"


def test_year_in_section_heading_counts_more_than_in_text(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite")
    store.replace_document(
        Document("/r/a.txt", "Rapport", None, 1),
        [
            _chunk("Resultatet blev 7 mnkr, som väntat sedan 2019.", "Ekonomi"),
            _chunk("Resultatet blev 5 mnkr, som väntat.", "Ekonomi › Resultat 2019"),
            _chunk("Kostnaderna ökade under 2018.", "Ekonomi"),
        ],
    )
    ranker = open_ranker(store, tmp_path, WordHashEmbedder())
    in_text, in_heading, other = (row[0] for row in store.conn.execute("SELECT id FROM chunks ORDER BY id"))
    plain = Ranker(store, ranker.vectors, ranker.embedder, RankingConfig(year_section_boost=0.0))
    boosted, unboosted = dict(ranker.rank("resultatet 2019", 3)), dict(plain.rank("resultatet 2019", 3))
    assert boosted[in_heading] - boosted[in_text] > unboosted[in_heading] - unboosted[in_text]
    assert ranker.rank("resultatet 2019", 1)[0][0] == in_heading and other in boosted


def test_row_labels_are_the_words_before_a_rows_figures() -> None:
    text = (
        "Tabell 1\n\n\t2004\t2008\nAnställda\t\nAntagna polisstuderande\t1 056\t1 708\n"
        "• Kostnader för lokaler -1 808 830 -1 676 277\nKostnaderna för hyrläkare ökade med 20 mnkr 2020.\n"
        + "Resultatet blev 12 mnkr. " * 10 + "2019 och 2020"
    )
    # a line with one figure is no row; a line that goes on with words after its figures is prose
    assert row_labels(text) == ["Antagna polisstuderande", "Kostnader för lokaler"]


def test_a_table_row_labelled_by_the_query_lifts_its_chunk(tmp_path: Path) -> None:
    """One row of a long table answers the question; a chunk whose row label holds the query's
    words rises over one that names them in passing."""
    store = Store(tmp_path / "store.sqlite")
    store.replace_document(
        Document("/r/a.txt", "Rapport", None, 1),
        [
            _chunk("Polisutbildningen lockade. Fler antogs än tidigare, och antagningen var stor.", "Om"),
            _chunk("Poliser\t16 891\t18 321\nAntagna polisstuderande\t1 310\t1 708\nCivila\t7 972", "T"),
        ],
    )
    ranker = open_ranker(store, tmp_path, WordHashEmbedder())
    prose, table = (row[0] for row in store.conn.execute("SELECT id FROM chunks ORDER BY id"))
    plain = Ranker(store, ranker.vectors, ranker.embedder, RankingConfig(row_label_boost=0.0))
    query = "hur många antogs till polisstuderande"
    lifted, unlifted = dict(ranker.rank(query, 2)), dict(plain.rank(query, 2))
    assert lifted[table] - lifted[prose] > unlifted[table] - unlifted[prose]


def test_a_chunk_is_lifted_toward_the_better_chunk_it_continues() -> None:
    """A section cut into chunks names its subject in the first: the next chunk of the same section
    (or of a subsection) rises part of the way toward it; a chunk after another section's does not,
    nor one that scores higher than the chunk before it."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(resources.files("rapportsok.index").joinpath("schema.sql").read_text(encoding="utf-8"))
    conn.execute(
        "INSERT INTO documents(id, path, sha256, status, ingested_at)"
        " VALUES (1, '/r/a.txt', 'x', 'ok', 'now')"
    )
    sections = {1: "Avvikelser", 2: "Avvikelser › Orsak", 3: "Ekonomi", 4: "Ekonomi", 5: "Ekonomi"}
    conn.executemany(
        "INSERT INTO chunks(id, document_id, ordinal, text, section, page_start, page_end, char_start,"
        " char_end) VALUES (?, 1, ?, 'text', ?, 1, 1, 0, 0)",
        [(cid, cid, section) for cid, section in sections.items()],
    )
    fused = {1: 1.0, 2: 0.5, 3: 0.2, 4: 0.9, 5: 0.3}
    _lift_continuations(conn, fused, 0.3)
    assert fused == pytest.approx({1: 1.0, 2: 0.65, 3: 0.2, 4: 0.9, 5: 0.48})


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(document="plan_2022.txt"), {"plan_2022.txt"}),
        (SearchFilters(document="/r/rapport_2020.txt"), {"rapport_2020.txt"}),
        (SearchFilters(year_from=2020, year_to=2020), {"rapport_2020.txt"}),
        (SearchFilters(year_from=2021), {"plan_2022.txt"}),
        (SearchFilters(division="närsjukvård"), {"rapport_2020.txt"}),
        (SearchFilters(section="åtgärder"), {"plan_2022.txt"}),  # case-insensitive beyond ASCII
        (SearchFilters(document="finns_inte.txt"), set()),
    ],
)
def test_filters(ranker: Ranker, filters: SearchFilters, expected: set[str]) -> None:
    assert (
        set(_files(ranker.search("hyrläkarkostnaderna sjuksköterskor resultatet", 10, filters))) == expected
    )


def test_year_filter_is_exact_on_dated_reports(tmp_path: Path) -> None:
    """A dated report counts by its own date, even where a passage names another year (a 2020
    report planning for 2021 is no 2021 report); an undated report counts by its passages' dates."""
    store = Store(tmp_path / "store.sqlite")
    store.replace_document(
        Document("/r/dated_2020.txt", "Rapport 2020", "2020-03-01", 1),
        [_chunk("Resultatet för 2021 planeras bli 5 mnkr.", "Plan", [Entity(DATE, "2021", 13, 17, "2021")])],
    )
    store.replace_document(
        Document("/r/undated.txt", "Rapport utan datum", None, 1),
        [_chunk("Resultatet för 2021 blev 12 mnkr.", "Bakgrund", [Entity(DATE, "2021", 13, 17, "2021")])],
    )
    ranker = open_ranker(store, tmp_path, WordHashEmbedder())
    hits = ranker.search("resultatet", 10, SearchFilters(year_from=2021, year_to=2021))
    assert _files(hits) == ["undated.txt"]
    hits = ranker.search("resultatet", 10, SearchFilters(year_from=2020, year_to=2020))
    assert _files(hits) == ["dated_2020.txt"]


ODD_QUERIES = [
    '"', '""', "AND", "OR NOT", "*", "NEAR(a b)", 'NEAR("a" "b", 3)', "()", ")(", "", "  ", 'hyrläkar" OR',
    "och det", "och att det som", "2020", '"2020"', "col:x", "-x ^y {section}:", "\x00\u200b🙂",
    "hyrläkarkostnaderna " + "mycket lång fråga med många ord " * 1500,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
@pytest.mark.parametrize("fusion", ["convex", "lexical", "dense", "rrf"])
def test_odd_queries_return_hits_or_nothing(ranker: Ranker, query: str, fusion: str) -> None:
    odd = Ranker(ranker.store, ranker.vectors, ranker.embedder, RankingConfig(fusion=fusion))
    hits = odd.search(query, 3)
    assert isinstance(hits, list) and len(hits) <= 3
    if query.startswith("hyrläkarkostnaderna"):
        assert hits and "Hyrläkarkostnaderna" in hits[0].text


@pytest.mark.parametrize("name", sorted(FUSION_VARIANTS))
def test_every_fusion_variant_ranks(ranker: Ranker, name: str) -> None:
    ranked = Ranker(ranker.store, ranker.vectors, ranker.embedder, FUSION_VARIANTS[name]).rank(
        "hyrläkarkostnaderna", 4
    )
    assert ranked and [score for _, score in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_search_reports_the_time_of_each_stage(ranker: Ranker) -> None:
    timings: dict[str, float] = {}
    assert ranker.search("hyrläkarkostnaderna 2020", 2, timings=timings)
    assert set(timings) == set(STAGES) and all(ms >= 0 for ms in timings.values())


def test_bench_search_prints_percentiles_per_stage(ranker: Ranker, tmp_path: Path) -> None:
    result = bench_search(ranker, ["hyrläkarkostnaderna", "sjuksköterskor 2020"], repeats=2)
    assert (result["queries"], result["searches"], result["chunks"]) == (2, 4, 4)
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    assert set(result["stages"]) == set(STAGES)
    assert all(0 <= stage["p50_ms"] <= stage["p95_ms"] for stage in result["stages"].values())
    plain = tmp_path / "queries.txt"
    plain.write_text("första frågan\n\nandra frågan\n", encoding="utf-8")
    assert load_queries(plain) == ["första frågan", "andra frågan"]
    assert load_queries(QUESTIONS)[0] == "hur mycket fick regionen för psykisk hälsa 2020"
    plain.write_text('{"fråga": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_queries(plain)


def test_document_replace_and_remove_keep_indexes_in_step(ranker: Ranker, tmp_path: Path) -> None:
    store = ranker.store
    store.replace_document(
        Document("/r/plan_2022.txt", "Plan 2022–2024", "2022", 1), [_chunk("Ambulansflyget får nya plan.")]
    )
    ranker = open_ranker(store, tmp_path, ranker.embedder)
    chunk_ids = {row[0] for row in store.conn.execute("SELECT id FROM chunks")}
    assert set(ranker.vectors.ids().tolist()) == chunk_ids
    assert {row[0] for row in store.conn.execute("SELECT rowid FROM chunks_fts")} == chunk_ids
    assert _files(ranker.search("ambulansflyget", 1)) == ["plan_2022.txt"]
    assert all("ska minska" not in hit.text for hit in ranker.search("hyrläkarkostnaderna", 5))
    store.remove_document("/r/plan_2022.txt")
    ranker = open_ranker(store, tmp_path, ranker.embedder)
    assert len(ranker.vectors) == 2 and "plan_2022.txt" not in _files(ranker.search("ambulansflyget", 5))
    assert store.conn.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0] == 2


def test_metrics_from_ranks() -> None:
    metrics = metrics_from_ranks([1, 3, None, 12])
    assert (metrics.hit_at_1, metrics.hit_at_5, metrics.hit_at_10) == (0.25, 0.5, 0.5)
    assert metrics.mrr_at_10 == pytest.approx((1 + 1 / 3) / 4)
    assert metrics.ndcg_at_10 == pytest.approx((1 + 1 / math.log2(4)) / 4)


def test_question_file_formats(tmp_path: Path) -> None:
    assert load_question_file(QUESTIONS)[0] == "questions"
    assert load_question_file(SWEFAQ)[0] == "swefaq"
    other = tmp_path / "x.jsonl"
    other.write_text('{"a": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_question_file(other)


# -- the real embedder and the sample corpus (shared session fixture `corpus_engine`) ------------


@pytest.mark.slow
def test_real_embedder_ranks_paraphrase_first(tmp_path: Path) -> None:
    from rapportsok.index.embedder import load_embedder

    store = Store(tmp_path / "store.sqlite")
    store.replace_document(
        Document("/r/a.txt", "A", "2021", 1),
        [
            _chunk("Antalet inhyrda läkare har minskat kraftigt under året."),
            _chunk("Budgeten för kollektivtrafiken ökar med fem procent."),
            _chunk("Väntetiderna till barn- och ungdomspsykiatrin är fortfarande långa."),
        ],
    )
    ranker = open_ranker(store, tmp_path, load_embedder(), RankingConfig(fusion="dense"))
    assert ranker.search("hur länge får barn vänta på BUP", 1)[0].text.startswith("Väntetiderna")
    assert ranker.search("färre hyrläkare", 1)[0].text.startswith("Antalet inhyrda")
    vector = ranker.vectors.reconstruct([1])[0]
    assert vector.shape == (ranker.embedder.dimension,) and np.isclose(np.linalg.norm(vector), 1, atol=1e-3)


@pytest.mark.slow
def test_search_targets_on_our_question_set(corpus_engine) -> None:
    _, rows = load_question_file(QUESTIONS)
    metrics = metrics_from_ranks(rank_questions(corpus_engine.ranker(), rows))
    assert metrics.count >= 60
    assert metrics.hit_at_5 >= TARGETS["questions"]["hit_at_5"], metrics
    assert metrics.mrr_at_10 >= TARGETS["questions"]["mrr_at_10"], metrics


@pytest.mark.slow
def test_cli_search_json_and_stdin(corpus_engine, capsys, monkeypatch) -> None:
    data = ["--data-dir", str(corpus_engine.data_dir)]
    assert main([*data, "search", "--json", "-k", "3", "psykisk hälsa 2020"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert len(hits) == 3
    assert set(hits[0]) == {
        "chunk_id",
        "organisation",
        "file",
        "title",
        "date",
        "page",
        "section",
        "text",
        "score",
        "entities",
        "page_label",
        "boxes",
    }
    assert hits[0]["organisation"]  # detected from the report's title page
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("hyrläkare\n\nAND (\n"))
    assert main([*data, "search", "-k", "2", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(len(json.loads(line)["hits"]) <= 2 for line in lines)
    assert main([*data, "search", "--year", "2020", "--from", "2019", "x"]) == 2
    assert main([*data, "search", "--section", "ekonomi", "budget"]) == 0
    assert "Avsnitt:" in capsys.readouterr().out


@pytest.mark.slow
def test_cli_eval_search_exit_code(corpus_engine, capsys) -> None:
    data = ["--data-dir", str(corpus_engine.data_dir)]
    assert dev_main([*data, "eval-search", str(QUESTIONS)]) == 0
    assert "MRR@10" in capsys.readouterr().out
    assert dev_main([*data, "eval-search", "--json", "--min-hit1", "1.01", str(QUESTIONS)]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["missed_targets"] and result["format"] == "questions"
    # all three modes; hybrid must reach the targets and beat dense and lexical alone
    assert dev_main([*data, "eval-search", "--json", "--mode", "all", str(QUESTIONS)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["modes"]) == ["hybrid", "dense", "lexical"] and not result["missed_targets"]
    assert result["metrics"] == result["modes"]["hybrid"]


@pytest.mark.slow
def test_cli_bench_search(corpus_engine, capsys, tmp_path: Path) -> None:
    data = ["--data-dir", str(corpus_engine.data_dir)]
    queries = tmp_path / "queries.txt"
    queries.write_text("hyrläkare 2020\nsjukfrånvaro\n", encoding="utf-8")
    assert dev_main([*data, "bench-search", "--json", "--repeat", "1", "--queries", str(queries)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["searches"] == 2 and 0 < result["p50_ms"] <= result["p95_ms"]
    assert result["stages"]["embed"]["p50_ms"] > 0 and result["chunks"] == len(corpus_engine.ranker().vectors)
    assert dev_main([*data, "bench-search", "--repeat", "1", "--queries", str(queries)]) == 0
    assert "p95" in capsys.readouterr().out
    assert dev_main([*data, "bench-search", "--queries", str(tmp_path / "saknas.jsonl")]) == 2


def test_fusion_shortfalls_name_the_better_single_method() -> None:
    modes = {"hybrid": {"mrr_at_10": 0.90}, "dense": {"mrr_at_10": 0.80}, "lexical": {"mrr_at_10": 0.91}}
    expected = ["hybrid mrr_at_10 0.900 < lexical 0.910"]
    assert fusion_shortfalls({"format": "questions", "modes": modes}) == expected
    assert fusion_shortfalls({"format": "questions", "modes": {"hybrid": modes["hybrid"]}}) == []


def test_missed_targets() -> None:
    result = {"format": "swefaq", "metrics": {"ndcg_at_10": 0.7}}
    assert missed_targets(result) == ["ndcg_at_10 0.700 < 0.780"]
    assert missed_targets(result, {"ndcg_at_10": 0.5}) == []
