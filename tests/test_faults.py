"""Faults never lose good data and never stop a batch (issue: nothing lost, nobody unauthorised)."""

from __future__ import annotations

import codecs
import io
import json
import os
import socket
import sys
from pathlib import Path

import pytest
from conftest import write_report
from embedding_double import WordHashEmbedder
from rapportsok.app import cli
from rapportsok.app.cli import common
from rapportsok.app.replies import markdown_literal
from rapportsok.app.security import (
    FREE_ATTEMPTS,
    NETWORK_WITHOUT_PASSWORD,
    ChangePolicy,
    Throttle,
    change_policy,
    check_password,
    hash_password,
)
from rapportsok.app.uploads import UploadError, save_upload
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.faiss_store import sync_vectors
from rapportsok.index.locking import LockBusyError, write_lock
from rapportsok.index.settings import Settings
from rapportsok.index.store import Store
from rapportsok.index.sync import sync
from rapportsok.ingest.plaintext import decode_text

APP = Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "data" / "store.sqlite")
    yield opened
    opened.close()


def test_a_typo_in_metadata_toml_keeps_every_report_of_its_folder(tmp_path: Path, store: Store) -> None:
    # Repro: echo 'title = "oops' >> corpus/metadata.toml; rapportsok ingest corpus/
    folder = tmp_path / "corpus"
    a = write_report(folder, "a.md", "psykisk hälsa")
    write_report(folder, "b.md", "kollektivtrafik")
    (folder / "metadata.toml").write_text('["a.md"]\ntitle = "Rättad titel"\n', encoding="utf-8")
    sync([folder], store)
    before = store.counts()
    with (folder / "metadata.toml").open("a", encoding="utf-8") as handle:
        handle.write('title = "oops\n')
    new = write_report(folder, "c.md", "tandvård")

    report = sync([folder], store)

    assert [path for path, _ in report.failed] == [str((folder / "metadata.toml").resolve())]
    assert "metadata.toml" in report.failed[0][1]
    assert report.added == [str(new.resolve())]
    assert store.counts()["documents"] == before["documents"] + 1
    assert store.counts()["chunks"] > before["chunks"]
    titles = {Path(d["path"]).name: d["title"] for d in store.documents()}
    assert titles["a.md"] == "Rättad titel"
    # A changed file under a broken sidecar keeps its corrected title too.
    write_report(folder, "a.md", "psykisk hälsa och tandvård")
    sync([folder], store)
    assert {Path(d["path"]).name: d["title"] for d in store.documents()}["a.md"] == "Rättad titel"
    assert str(a.resolve()) in {d["path"] for d in store.documents(status="ok")}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_unreadable_for_a_moment_keeps_its_previous_version(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "corpus"
    a = write_report(folder, "a.md", "psykisk hälsa")
    sync([folder], store)
    chunks = store.counts()["chunks"]
    a.chmod(0)
    try:
        report = sync([folder], store)
    finally:
        a.chmod(0o644)
    assert [path for path, _ in report.failed] == [str(a.resolve())]
    [doc] = store.documents()
    assert (doc["status"], doc["chunks"]) == ("ok", chunks) and doc["error"]
    again = sync([folder], store)
    assert again.ok and store.documents()[0]["error"] is None


def test_a_failed_read_of_a_stored_report_keeps_its_chunks(tmp_path: Path, store: Store) -> None:
    # Same as the unreadable file, without needing a non-root user: the new version is broken.
    folder = tmp_path / "corpus"
    a = write_report(folder, "a.md", "psykisk hälsa")
    sync([folder], store)
    chunks = store.counts()["chunks"]
    a.write_bytes(b"")  # e.g. a new version being copied over it
    report = sync([folder], store)
    assert [path for path, _ in report.failed] == [str(a.resolve())]
    [doc] = store.documents()
    assert (doc["status"], doc["chunks"], doc["error"]) == ("ok", chunks, "Filen är tom")
    assert store.counts()["chunks"] == chunks


def test_symlink_loop_dangling_link_and_fifo_are_skipped_and_the_batch_goes_on(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "corpus"
    good = write_report(folder, "good.md", "psykisk hälsa")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    (folder / "self").symlink_to(folder)  # a folder loop
    (folder / "link.md").symlink_to(good)
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.md"))
    try:
        report = sync([folder], store)
    finally:
        sock.close()
    assert report.added == [str(good.resolve())]
    reasons = {Path(path).name: reason for path, reason in report.skipped}
    assert set(reasons) == {"loop.txt", "dangling.txt", "pipe.txt", "sock.md"}
    assert "slinga" in reasons["loop.txt"] and "inte finns" in reasons["dangling.txt"]
    assert "FIFO" in reasons["pipe.txt"] and "socket" in reasons["sock.md"]


# -- 2: nobody unauthorised -------------------------------------------------------------------


def test_an_app_on_the_network_without_a_password_refuses_changes_and_says_why() -> None:
    def policy(address: str | None, environ: dict[str, str]) -> ChangePolicy:
        return change_policy(address, Settings.from_env(environ))

    assert policy("0.0.0.0", {}).refusal == NETWORK_WITHOUT_PASSWORD
    assert policy(None, {}).refusal == NETWORK_WITHOUT_PASSWORD  # unset: all interfaces
    assert policy("0.0.0.0", {"RAPPORTSOK_ADMIN_PASSWORD": ""}).refusal  # empty counts as none
    assert policy("127.0.0.1", {}) == ChangePolicy(needs_password=False)
    assert policy("localhost", {"RAPPORTSOK_ADMIN_PASSWORD": "x"}) == ChangePolicy(needs_password=True)
    hashed = {"RAPPORTSOK_ADMIN_PASSWORD_HASH": hash_password("hemligt")}
    assert policy("0.0.0.0", hashed) == ChangePolicy(needs_password=True)


def test_a_salted_password_hash_is_checked_and_plain_passwords_still_work() -> None:
    hashed = hash_password("hemligt")
    assert hashed.startswith("scrypt$") and hashed != hash_password("hemligt")  # salted
    assert check_password("hemligt", None, hashed) and not check_password("fel", None, hashed)
    assert not check_password("hemligt", None, "scrypt$trasig")
    assert check_password("hemligt", "hemligt", None) and not check_password("", "", None)


def test_wrong_passwords_are_rate_limited() -> None:
    throttle = Throttle()
    for _ in range(FREE_ATTEMPTS - 1):
        throttle.record(False, now=100.0)
    assert throttle.wait_s(now=100.0) == 0
    throttle.record(False, now=100.0)
    assert throttle.wait_s(now=100.0) == 2.0
    throttle.record(False, now=100.0)
    assert throttle.wait_s(now=100.0) == 4.0
    throttle.record(True, now=100.0)
    assert throttle.wait_s(now=100.0) == 0


def test_an_upload_with_an_existing_name_never_silently_replaces_the_report(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    first = save_upload(folder, "rapport.txt", b"Version ett.", max_bytes=1000)
    assert save_upload(folder, "rapport.txt", b"Version ett.", max_bytes=1000) == first  # same content
    with pytest.raises(UploadError, match="finns redan"):
        save_upload(folder, "rapport.txt", b"Version tv\xc3\xa5.", max_bytes=1000)
    assert first.read_bytes() == b"Version ett."
    save_upload(folder, "rapport.txt", b"Version tv\xc3\xa5.", max_bytes=1000, replace=True)
    assert first.read_bytes() == "Version två.".encode()
    [kept] = (folder / ".tidigare").iterdir()
    assert kept.read_bytes() == b"Version ett." and kept.name.startswith("rapport.")


def test_uploads_go_to_the_data_dir_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAPPORTSOK_CORPUS_DIR", raising=False)
    settings = Settings.from_env({"RAPPORTSOK_DATA_DIR": str(tmp_path / "data")})
    assert settings.corpus_dir == (tmp_path / "data" / "corpus").resolve()


def test_a_too_large_upload_is_named_with_a_swedish_decimal_comma(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"\(1,5 MB\)"):
        save_upload(tmp_path, "stor.txt", b"x" * (3 * 2**19), max_bytes=2**20)


def test_the_app_on_the_network_refuses_changes_and_logs_those_it_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr("rapportsok.index.embedder.load_embedder", lambda *a, **k: WordHashEmbedder())
    corpus = write_report(tmp_path / "corpus", "a.md", "psykisk hälsa").parent
    data_dir = tmp_path / "data"
    Engine(data_dir).sync([corpus], workers=1)
    monkeypatch.setenv("RAPPORTSOK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RAPPORTSOK_CORPUS_DIR", str(corpus))
    monkeypatch.delenv("RAPPORTSOK_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("RAPPORTSOK_ADMIN_PASSWORD_HASH", raising=False)
    monkeypatch.setattr("rapportsok.app.access.served_address", lambda: "0.0.0.0")
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.session_state["tab"] = "Administration"
    app = app.run()
    assert not app.exception and not app.get("file_uploader")
    assert app.warning[0].value == NETWORK_WITHOUT_PASSWORD

    monkeypatch.setenv("RAPPORTSOK_ADMIN_PASSWORD_HASH", hash_password("hemligt"))
    app = app.run()
    app.text_input(key="admin_password").set_value("hemligt").run()
    next(button for button in app.button if button.label == "Indexera om rapportmappen").click()
    app = app.run()
    assert not app.exception
    [entry] = Engine(data_dir).store.audit_log()
    assert entry["action"] == "omindexering" and entry["session"] and entry["at"]
    assert app.dataframe[-1].value["Ändring"].tolist() == ["omindexering"]


# -- 3: readers and one writer ----------------------------------------------------------------


def test_a_reader_finds_chunks_an_ingest_in_another_process_has_not_embedded_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rapportsok.index.embedder.load_embedder", lambda *a, **k: WordHashEmbedder())
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.md", "psykisk hälsa")
    reader, writer = Engine(tmp_path / "data"), Engine(tmp_path / "data")
    writer.sync([corpus])
    assert reader.search("psykisk hälsa")
    # Another process's ingest writes the store but is killed before it embeds.
    write_report(corpus, "b.md", "kollektivtrafik")
    writer.refreshers.clear()
    writer.sync([corpus])
    assert writer.status()["without_vectors"] > 0
    hits = reader.search("kollektivtrafik psykisk")  # used to raise: faiss key N not found
    assert "b.md" in {Path(hit.file).name for hit in hits}
    assert reader.status()["without_vectors"] > 0  # a query never embeds
    Engine(tmp_path / "data").sync([corpus])  # the next ingest does
    assert reader.status()["without_vectors"] == 0


def test_a_second_writer_is_refused_with_a_swedish_message(tmp_path: Path) -> None:
    corpus = write_report(tmp_path / "corpus", "a.md", "psykisk hälsa").parent
    engine = Engine(tmp_path / "data")
    engine.refreshers.clear()
    with write_lock(tmp_path / "data"):
        with pytest.raises(LockBusyError, match="En annan process ändrar indexet"):
            engine.sync([corpus])
        waited: list[bool] = []
        engine.lock_wait_s, engine.on_lock_wait = 0.3, lambda: waited.append(True)
        with pytest.raises(LockBusyError):
            engine.sync([corpus])
        assert waited == [True]
    assert engine.sync([corpus]).added  # free again


def test_a_killed_write_leaves_no_temporary_file_and_vectors_have_the_store_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir / "rapportsok.sqlite")
    write_report(tmp_path / "corpus", "a.md", "psykisk hälsa")
    sync([tmp_path / "corpus"], store)
    stale = data_dir / ".vectors.faiss.abc123.tmp"
    stale.write_bytes(b"half")
    sync_vectors(store.conn, data_dir, WordHashEmbedder())
    assert not stale.exists()
    mode = (data_dir / "rapportsok.sqlite").stat().st_mode & 0o777
    assert (data_dir / "vectors.faiss").stat().st_mode & 0o777 == mode
    assert (data_dir / "vectors.json").stat().st_mode & 0o777 == mode
    store.close()


# -- 5, 6, 7: odd input and output ------------------------------------------------------------


def test_invalid_utf8_in_a_query_gets_a_swedish_message_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"f\xf6rsta\ntv\xc3\xa5\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code = common.run_queries("-", lambda q: {"query": q}, as_json=True, show=print)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and lines[1] == {"query": "två"}
    assert lines[0]["query"] == "f\ufffdrsta" and "UTF-8" in lines[0]["error"]
    with pytest.raises(UserError, match="UTF-8"):
        common.run_queries(b"f\xf6r".decode("utf-8", "surrogateescape"), lambda q: q, True, print)


def test_a_generated_summary_is_plain_text_never_markdown() -> None:
    text = "Se ![bild](http://example.org/x.png) och [länk](http://example.org) <b>fet</b>"
    escaped = markdown_literal(text)
    assert "![" not in escaped and "](" not in escaped and "<b>" not in escaped
    assert escaped.replace("\\", "") == text


def test_utf16_text_files_are_read_with_and_without_bom(tmp_path: Path) -> None:
    text = "Rapport om tandvård\n\nRegionen fick 5 mnkr för äldrevård.\n"
    for name, data in (
        ("le.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        ("be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
        ("nobom.txt", text.encode("utf-16-le")),
    ):
        assert decode_text(data, tmp_path / name) == text, name


def test_a_newline_in_a_file_name_keeps_the_status_listing_one_line_per_report(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    corpus = tmp_path / "corpus"
    write_report(corpus, "rad\nbrytning.md", "psykisk hälsa")
    engine = Engine(tmp_path / "data")
    engine.refreshers.clear()
    engine.sync([corpus])
    assert cli.main(["--data-dir", str(tmp_path / "data"), "status"]) == 0
    listing = [line for line in capsys.readouterr().out.splitlines() if " avsnitt, " in line]
    assert len(listing) == 1 and "rad\\nbrytning.md" in listing[0]


def test_not_found_does_not_echo_a_huge_question_in_full() -> None:
    from rapportsok.app.replies import not_found_message
    from rapportsok.index.question import analyze
    from rapportsok.index.results import Reply

    question = analyze("hur mycket kostade " + "ambulanshelikoptrar " * 5000)
    message = not_found_message(Reply(question.text, None, [], [], question.subject()))
    assert len(message) < 300 and message.endswith("i rapporterna.")


def test_the_app_asks_before_an_upload_replaces_a_report_and_keeps_the_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr("rapportsok.index.embedder.load_embedder", lambda *a, **k: WordHashEmbedder())
    corpus = write_report(tmp_path / "corpus", "a.md", "psykisk hälsa").parent
    data_dir = tmp_path / "data"
    Engine(data_dir).sync([corpus], workers=1)
    monkeypatch.setenv("RAPPORTSOK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RAPPORTSOK_CORPUS_DIR", str(corpus))
    monkeypatch.delenv("RAPPORTSOK_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("RAPPORTSOK_ADMIN_PASSWORD_HASH", raising=False)
    monkeypatch.setattr("rapportsok.app.access.served_address", lambda: "127.0.0.1")
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.session_state["tab"] = "Administration"
    app = app.run()
    new_version = ("a.md", "# Tandvård\n\nTandvården fick 3 mnkr.\n".encode(), "text/markdown")

    app.get("file_uploader")[0].set_value([new_version])
    app = next(b for b in app.button if b.label == "Ladda upp och indexera").click().run()
    assert not app.exception and "finns redan" in app.error[0].value
    assert "psykisk" in (corpus / "a.md").read_text(encoding="utf-8")

    app.get("file_uploader")[0].set_value([new_version])
    app.checkbox(key="replace_uploads").check()
    app = next(b for b in app.button if b.label == "Ladda upp och indexera").click().run()
    assert not app.exception and "1 uppdaterad" in app.success[0].value
    assert "Tandvården" in (corpus / "a.md").read_text(encoding="utf-8")
    [kept] = (corpus / ".tidigare").iterdir()
    assert "psykisk" in kept.read_text(encoding="utf-8")
    assert [row["action"] for row in Engine(data_dir).store.audit_log()] == ["uppladdning"]
