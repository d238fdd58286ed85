"""The Streamlit app's logic (streamlit.testing AppTest) and the index helpers it stands on:
uploads that cannot escape the corpus folder, figures by topic, title/date corrections, and
index changes from another process picked up without a restart."""

from __future__ import annotations

import html
import json
import re
import tomllib
from pathlib import Path

import pytest
from embedding_double import WordHashEmbedder
from rapportsok.app.uploads import UPLOAD_LIMIT_MB, UploadError, safe_filename, save_upload
from rapportsok.index.browse import divisions, figure_year, figures_about
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.store import Store
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.records import AMOUNT, DIVISION, Chunk, Document, Entity, Figure
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app" / "streamlit_app.py")
PSYKISK_HALSA = "hur mycket fick regionen för psykisk hälsa 2020"
UNANSWERABLE = "Hur många ambulanshelikoptrar har Region Norrbotten?"


# -- uploads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Årsrapport 2020.PDF", "Årsrapport 2020.pdf"),
        ("../../etc/cron.d/rapport.txt", "rapport.txt"),
        ("..\\..\\Windows\\rapport.docx", "rapport.docx"),
        (".dold.md", "dold.md"),
        ("rapport<script>$(rm).md", "rapport_script___rm_.md"),
        ("~$lås.docx", "__lås.docx"),
    ],
)
def test_safe_filename_keeps_names_inside_the_folder(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


@pytest.mark.parametrize("name", ["program.exe", "rapport", "rapport.pdf.sh", "../.pdf", "bild.png"])
def test_safe_filename_refuses_other_types(name: str) -> None:
    with pytest.raises(UploadError):
        safe_filename(name)


def test_save_upload_writes_inside_the_folder_and_checks_size(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    saved = save_upload(folder, "../../utanför.txt", b"Regionen fick 5 mnkr.", max_bytes=100)
    assert saved == folder / "utanför.txt" and saved.read_bytes() == b"Regionen fick 5 mnkr."
    assert not (tmp_path / "utanför.txt").exists()
    with pytest.raises(UploadError, match="för stor"):
        save_upload(folder, "stor.txt", b"x" * 101, max_bytes=100)
    with pytest.raises(UploadError, match="tom"):
        save_upload(folder, "tom.txt", b"", max_bytes=100)
    assert sorted(p.name for p in folder.iterdir()) == ["utanför.txt"]  # no temporary files left


# -- browsing and corrections ------------------------------------------------------------------------


def _figure(text: str, sentence: str, value: float, period: str, cue: str) -> Figure:
    start = sentence.index(text)
    return Figure(AMOUNT, value, "kr", text, sentence, start, start + len(text), period, None, cue)


@pytest.fixture()
def figure_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store.sqlite")
    first = "Regionen fick 27 mnkr för psykiska hälsan 2020."
    second = "Tandvården kostade 12 mnkr 2019."
    store.replace_document(
        Document(str(tmp_path / "a.txt"), "Rapport 2021", "2021-05-05", 1),
        [
            Chunk(
                f"{first} {second}",
                "Ekonomi",
                1,
                1,
                0,
                80,
                entities=[Entity(DIVISION, "Division Närsjukvård", 0, 5, "Närsjukvård")],
                figures=[
                    _figure("27 mnkr", first, 27e6, "2020", "received"),
                    _figure("12 mnkr", second, 12e6, "2019", "cost"),
                ],
            )
        ],
    )
    return store


def test_figures_about_matches_topic_in_any_inflection(figure_store: Store) -> None:
    rows = figures_about(figure_store, "psykisk hälsa")
    assert [row["text"] for row in rows] == ["27 mnkr"]
    assert rows[0]["title"] == "Rapport 2021" and figure_year(rows[0]) == 2020
    assert len(figures_about(figure_store, "")) == 2
    assert figures_about(figure_store, "ambulanshelikopter") == []
    assert divisions(figure_store) == ["Närsjukvård"]


def test_correct_metadata_saves_to_the_data_dir_and_store_never_beside_the_report(tmp_path: Path) -> None:
    report = tmp_path / "corpus" / "rapport.md"
    report.parent.mkdir()
    report.write_text("# Rapport\n\nRegionen fick 27 mnkr för psykisk hälsa under 2020.\n", encoding="utf-8")
    engine = Engine(tmp_path / "data")
    engine.refreshers.clear()  # no search indexes needed here
    engine.sync([report.parent])
    document_id = engine.store.documents()[0]["id"]

    engine.correct_metadata(document_id, "Rättad titel", "2021-03")
    doc = engine.store.documents()[0]
    assert (doc["title"], doc["date"]) == ("Rättad titel", "2021-03")
    assert not (report.parent / "metadata.toml").exists()  # the corpus folder is read-only input
    with (tmp_path / "data" / "corrections.toml").open("rb") as handle:
        assert tomllib.load(handle)[str(report.resolve())] == {"title": "Rättad titel", "date": "2021-03"}
    assert engine.sync([report.parent]).unchanged == [str(report.resolve())]  # the next sync keeps it

    with pytest.raises(IngestError, match="ÅÅÅÅ"):
        engine.correct_metadata(document_id, "Titel", "mars 2021")
    with pytest.raises(UserError, match="tom"):
        engine.correct_metadata(document_id, "  ", None)
    assert engine.store.documents()[0]["title"] == "Rättad titel"


def test_engine_picks_up_index_changes_made_by_another_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's engine sees a report that a CLI run (another Engine) added, without a restart."""
    monkeypatch.setattr("rapportsok.index.embedder.load_embedder", lambda *a, **k: WordHashEmbedder())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Tandvård\n\nTandvården för unga utökas.\n", encoding="utf-8")
    app_engine, cli_engine = Engine(tmp_path / "data"), Engine(tmp_path / "data")
    cli_engine.sync([corpus])
    assert {Path(hit.file).name for hit in app_engine.search("kollektivtrafik")} == {"a.md"}
    assert app_engine.refresh_if_changed() is False

    (corpus / "b.md").write_text("# Trafik\n\nKollektivtrafiken byggs ut i länet.\n", encoding="utf-8")
    cli_engine.sync([corpus])
    assert app_engine.refresh_if_changed() is True
    assert Path(app_engine.search("kollektivtrafiken byggs", k=1)[0].file).name == "b.md"


def test_long_passage_folds_without_splitting_a_mark() -> None:
    """Past the preview a passage folds under "Visa hela avsnittet", cut outside any entity, with
    every character of the report text still there (escaped)."""
    from rapportsok.app.passage_cards import PASSAGE_PREVIEW, passage_text_html

    prefix = ("ord <b> " * PASSAGE_PREVIEW)[: PASSAGE_PREVIEW - 2] + " "
    text = prefix + "27 mnkr fick regionen. " + "Mer text. " * 60  # the amount stands across the preview
    amount = Entity(AMOUNT, "27 mnkr", len(prefix), len(prefix) + 7, 27e6)
    for entities in ([amount], []):
        page = passage_text_html(text, entities)
        assert page.count("<details><summary>Visa hela avsnittet</summary>") == 1
        assert "<b>" not in page and page.count("&lt;b&gt;") == text.count("<b>")
        visible = re.sub(r"<[^>]+>", "", page.replace("Visa hela avsnittet", "")).replace(" …", "", 1)
        assert html.unescape(visible) == text
    assert ">27 mnkr</mark> …<details>" in passage_text_html(text, [amount])  # cut after the mark
    assert "27 …<details>" in page  # no entity: cut at the first space past the preview
    assert "<details>" not in passage_text_html("kort text", [])


# -- the app (AppTest) ------------------------------------------------------------------------------


def _app(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("RAPPORTSOK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RAPPORTSOK_CORPUS_DIR", str(data_dir.parent / "corpus"))
    # Served on this machine only (scripts/run.sh's default); tests of network serving set another.
    monkeypatch.setattr("rapportsok.app.access.served_address", lambda: "127.0.0.1")
    return AppTest.from_file(APP, default_timeout=120)


def _ask(app: AppTest, question: str) -> AppTest:
    app.text_input(key="question").set_value(question)
    next(button for button in app.button if button.label == "Fråga").click()
    return app.run()


def _html(app: AppTest) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def _open_tab(app: AppTest, label: str) -> AppTest:
    app.session_state["tab"] = label  # what a click on the tab does (st.tabs with a key)
    return app.run()


def _click(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click()
    return app.run()


@pytest.fixture()
def small_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two dated Markdown reports about psykisk hälsa (2019 and 2021), indexed with the word-hash
    embedder; returns (data dir, corpus folder). The app saves uploads into that folder."""
    monkeypatch.setattr("rapportsok.index.embedder.load_embedder", lambda *a, **k: WordHashEmbedder())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "# Rapport mars 2019\n\n## Psykisk hälsa\n\nFör 2018 erhöll regionen 11,6 mnkr för psykisk hälsa.\n",
        encoding="utf-8",
    )
    (corpus / "b.md").write_text(
        "# Rapport maj 2021\n\n## Psykisk hälsa\n\n"
        "I överenskommelsen för 2020 fick regionen 27 mnkr för psykisk hälsa.\n",
        encoding="utf-8",
    )
    (corpus / "metadata.toml").write_text(
        '["a.md"]\ndate = "2019-03-01"\n\n["b.md"]\ndate = "2021-05-05"\n', encoding="utf-8"
    )
    Engine(tmp_path / "data").sync([corpus], workers=1)
    return tmp_path / "data", corpus


def test_app_admin_needs_password_and_reports_each_upload(small_app, monkeypatch) -> None:
    """Upload and re-index stay hidden until the password is given; each refused or broken
    file gets its own Swedish line, a name cannot leave the corpus folder, and the new report
    is counted and searchable at once (an undated report is not dropped by the year filter)."""
    data_dir, corpus = small_app
    monkeypatch.setenv("RAPPORTSOK_ADMIN_PASSWORD", "hemligt")
    app = _open_tab(_app(data_dir, monkeypatch).run(), "Administration")
    assert not app.exception and not app.get("file_uploader")
    assert "Indexera om rapportmappen" not in [button.label for button in app.button]
    app.text_input(key="admin_password").set_value("fel").run()
    assert [error.value for error in app.error] == ["Fel lösenord."] and not app.get("file_uploader")
    app.text_input(key="admin_password").set_value("hemligt").run()

    # The browser refuses a file over the app's limit before sending it (app/upload_field.py).
    assert app.get("file_uploader")[0].proto.max_upload_size_mb == UPLOAD_LIMIT_MB
    app.get("file_uploader")[0].set_value(
        [
            (
                "../../Broar 2023.md",
                "# Broar i Luleå\n\nBroarna i Luleå fick 4 mnkr.\n".encode(),
                "text/markdown",
            ),
            ("tom.txt", b"", "text/plain"),
            ("program.exe", b"MZ", "application/octet-stream"),
            ("trasig.pdf", b"inte en pdf", "application/pdf"),
        ]
    )
    app = _click(app, "Ladda upp och indexera")
    assert not app.exception
    assert app.success[0].value.startswith("1 rapport indexerad")
    errors = [error.value for error in app.error]
    assert errors[0] == "`tom.txt`: Filen är tom\\."
    assert errors[1].startswith("`program.exe`: Filtypen stöds inte")
    assert errors[2].startswith("`trasig.pdf`:") and len(errors) == 3
    assert (corpus / "Broar 2023.md").exists() and not (data_dir.parent.parent / "Broar 2023.md").exists()
    assert not (corpus / "program.exe").exists() and not (corpus / "tom.txt").exists()
    assert app.caption[0].value.startswith("Sök och frågesvar i 3 rapporter")

    app = _open_tab(app, "Sök i rapporterna")
    app.text_input(key="search_query").set_value("broarna luleå").run()
    assert not app.exception
    passage = _html(app).split('class="rs-passage"')[1]
    assert re.sub(r"<[^>]+>", "", passage).count("Broarna i Luleå fick") == 1
    assert ">Broarna</mark> i <mark" in passage and ">Luleå</mark>" in passage  # why it matched


def test_app_reindex_picks_up_new_and_removed_files(small_app, monkeypatch) -> None:
    data_dir, corpus = small_app
    (corpus / "a.md").unlink()
    (corpus / "c.md").write_text("# Tandvård\n\nTandvården för unga utökas 2022.\n", encoding="utf-8")
    app = _open_tab(_app(data_dir, monkeypatch).run(), "Administration")
    app = _click(app, "Indexera om rapportmappen")
    assert not app.exception
    assert app.success[0].value.startswith("1 rapport indexerad")
    assert app.info[0].value == "1 rapport togs bort ur indexet eftersom filerna saknas."
    assert {Path(doc["path"]).name for doc in Engine(data_dir).store.documents()} == {"b.md", "c.md"}


def test_app_figures_tab_charts_topic_with_sources(small_app, monkeypatch) -> None:
    """The figures tab's chart has one point per year with a short label, every point's source
    is written out under it, and the table (the CSV's content) holds value, year and report."""
    app = _open_tab(_app(small_app[0], monkeypatch).run(), "Siffror")
    # No report here states a "resultat", so the tab opens on all figures, not on an empty topic.
    assert not app.exception and app.text_input(key="figures_topic").value == ""
    app.text_input(key="figures_topic").set_value("psykisk hälsa").run()
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [2018, 2019, 2020]
    sources = _html(app)
    # Each point says what it is: the kind, and the measure the sentence names ("· regionen").
    point = r"<b>{}</b>: {} \(erhållet( · [^)]+)?\) – {}"
    assert re.search(point.format(2018, "11,6 mnkr", "Rapport mars 2019, 2019-03-01"), sources)
    assert re.search(point.format(2020, "27 mnkr", "Rapport maj 2021, 2021-05-05"), sources)
    table = app.dataframe[0].value
    assert table[["Uppgift", "Värde", "År", "Rapport"]].values.tolist() == [
        ["27 mnkr", 27e6, 2020, "Rapport maj 2021"],
        ["11,6 mnkr", 11.6e6, 2018, "Rapport mars 2019"],
    ]
    assert [button.label for button in app.get("download_button")] == ["Ladda ner som CSV"]


def test_app_keeps_filters_across_tabs_and_forgets_a_removed_report(small_app, monkeypatch) -> None:
    """The search and figures filters survive a visit to another tab; after a report is removed,
    no selector offers it and a filter that chose it falls back to all reports."""
    data_dir, corpus = small_app
    app = _open_tab(_app(data_dir, monkeypatch).run(), "Sök i rapporterna")
    app.text_input(key="search_query").set_value("psykisk hälsa").run()
    removed = "Rapport maj 2021 (2021-05-05)"
    app.selectbox(key="search_document").select(removed).run()
    app = _open_tab(app, "Siffror")
    app.text_input(key="figures_topic").set_value("hälsa").run()
    app = _open_tab(app, "Dokument")
    app = _open_tab(app, "Sök i rapporterna")
    assert app.text_input(key="search_query").value == "psykisk hälsa"
    assert app.selectbox(key="search_document").value == removed

    app = _open_tab(app, "Administration")
    document_id = next(d["id"] for d in Engine(data_dir).store.documents() if d["path"].endswith("b.md"))
    assert any("b.md" in option for option in app.selectbox(key="remove_document").options)
    app.selectbox(key="remove_document").select(document_id).run()
    app = _click(app, "Ta bort ur indexet")
    assert not app.exception and app.success[0].value.startswith("Borttagen: Rapport maj 2021")
    assert (corpus / ".borttagna" / "b.md").exists()
    assert not any("b.md" in option for option in app.selectbox(key="remove_document").options)
    app = _open_tab(app, "Sök i rapporterna")
    assert not app.exception
    assert app.selectbox(key="search_document").value == "Alla dokument"
    assert removed not in app.selectbox(key="search_document").options
    assert "Rapport maj 2021" not in _html(app)
    app = _open_tab(app, "Siffror")
    assert app.text_input(key="figures_topic").value == "hälsa"
    assert app.dataframe[0].value["Rapport"].tolist() == ["Rapport mars 2019"]
    app = _open_tab(app, "Dokument")
    assert app.dataframe[0].value["Titel"].tolist() == ["Rapport mars 2019"]
    assert [button.label for button in app.get("download_button")] == ["Ladda ner som CSV"]


def test_app_documents_tab_saves_a_correction(small_app, monkeypatch) -> None:
    data_dir, corpus = small_app
    app = _open_tab(_app(data_dir, monkeypatch).run(), "Dokument")
    app.selectbox(key="correct_document").select("Rapport maj 2021 (2021-05-05) – b.md").run()
    document_id = next(d["id"] for d in Engine(data_dir).store.documents() if d["path"].endswith("b.md"))
    app.text_input(key=f"title-{document_id}").set_value("Regiondirektörens rapport maj 2021")
    app.text_input(key=f"date-{document_id}").set_value("2021-05")
    app.text_input(key=f"organisation-{document_id}").set_value("Region Testland")
    app = _click(app, "Spara rättelsen")
    assert not app.exception
    assert app.success[0].value.startswith("Sparat.")
    assert "Regiondirektörens rapport maj 2021" in app.dataframe[0].value["Titel"].tolist()
    assert "Region Testland" in app.dataframe[0].value["Organisation"].tolist()
    with (Path(data_dir) / "corrections.toml").open("rb") as handle:
        assert tomllib.load(handle)[str((corpus / "b.md").resolve())] == {
            "title": "Regiondirektörens rapport maj 2021",
            "date": "2021-05",
            "organisation": "Region Testland",
        }


@pytest.mark.slow
def test_app_offers_an_example_only_where_one_is_configured(small_app, monkeypatch) -> None:
    """Only whoever indexes the reports knows a question they answer (scripts/run.sh sets one for
    the sample corpus): without one, no example is offered, only a greyed-out hint."""
    app = _app(small_app[0], monkeypatch).run()
    assert not app.exception and "example_question" not in [button.key for button in app.button]
    monkeypatch.setenv("RAPPORTSOK_EXAMPLE_QUESTION", "Hur mycket fick regionen för psykisk hälsa 2020?")
    app = _app(small_app[0], monkeypatch).run()
    app = _click(app, "Exempel: ”Hur mycket fick regionen för psykisk hälsa 2020?”")
    assert not app.exception and '<div class="rs-figure">27 mnkr</div>' in _html(app)


def test_app_answers_with_figure_source_and_alternative(corpus_engine, monkeypatch) -> None:
    app = _app(corpus_engine.data_dir, monkeypatch).run()
    assert not app.exception
    assert [tab.label for tab in app.tabs][:2] == ["Fråga", "Sök i rapporterna"]
    app = _ask(app, PSYKISK_HALSA)
    assert not app.exception
    page = _html(app)
    assert '<div class="rs-figure">27 mnkr</div>' in page
    assert "Regiondirektörens rapport 5 maj 2021" in page
    assert "27,4 miljoner kronor" in page  # the January 2020 report's planned figure, as an alternative
    assert any("Källa:" in code.value and "27 mnkr" in code.value for code in app.code)  # the citation
    assert "ämnet i meningen eller rubriken" in app.dataframe[0].value["Signal"].tolist()  # why, in Swedish


@pytest.mark.slow
def test_app_says_not_found_and_still_shows_passages(corpus_engine, monkeypatch) -> None:
    app = _ask(_app(corpus_engine.data_dir, monkeypatch).run(), UNANSWERABLE)
    assert not app.exception
    assert app.warning[0].value.startswith("Jag hittar ingen uppgift om ambulanshelikoptrar")
    assert 'class="rs-figure"' not in _html(app)  # no answer card (the page's CSS names the class)
    assert _html(app).count('class="rs-passage"') >= 3


def test_app_escapes_report_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report containing markup is shown as text: its <script> never reaches the page as a tag."""
    monkeypatch.setattr("rapportsok.index.embedder.load_embedder", lambda *a, **k: WordHashEmbedder())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "elak.txt").write_text(
        'Tandvård\n\nTandvården <script>alert("x")</script> och <img src=x onerror=alert(1)> om karies.\n',
        encoding="utf-8",
    )
    Engine(tmp_path / "data").sync([corpus])
    app = _ask(_app(tmp_path / "data", monkeypatch).run(), "karies tandvården")
    assert not app.exception
    page = _html(app)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page and "<img" not in page
