"""Batch sync: new, changed, unchanged and removed files, bad files, and a killed batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_report
from pdf_factory import encrypted_pdf, report_pdf, textless_pdf
from rapportsok.index.errors import UserError
from rapportsok.index.store import Store
from rapportsok.index.sync import SyncReport, sync
from rapportsok.ingest import pipeline


def chunk_texts(store: Store, path: Path) -> list[str]:
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path = ?"
            " ORDER BY c.ordinal",
            (str(path.resolve()),),
        )
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "data" / "store.sqlite")
    yield opened
    opened.close()


def test_new_unchanged_changed_and_removed_files(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    a = write_report(folder, "a.md", "psykisk hälsa")
    b = write_report(folder, "b.md", "kollektivtrafik")

    first = sync([folder], store)
    assert sorted(first.added) == [str(a.resolve()), str(b.resolve())] and first.ok
    assert first.chunks >= 2 and first.pages == 2

    second = sync([folder], store)
    assert sorted(second.unchanged) == sorted(first.added)
    assert second.added == second.updated == second.removed == []

    write_report(folder, "a.md", "tandvård")
    b.unlink()
    third = sync([folder], store)
    assert third.updated == [str(a.resolve())]
    assert third.removed == [str(b.resolve())]
    assert any("tandvård" in text for text in chunk_texts(store, a))
    assert not any("psykisk" in text for text in chunk_texts(store, a))
    assert [d["path"] for d in store.documents()] == [str(a.resolve())]


def test_no_prune_keeps_documents_of_missing_files(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    write_report(folder, "a.md", "psykisk hälsa")
    b = write_report(folder, "b.md", "kollektivtrafik")
    sync([folder], store)
    b.unlink()
    kept = sync([folder], store, prune=False)
    assert kept.removed == []
    assert len(store.documents()) == 2


def test_prune_only_touches_the_given_directories(tmp_path: Path, store: Store) -> None:
    write_report(tmp_path / "one", "a.md", "psykisk hälsa")
    other = write_report(tmp_path / "two", "b.md", "kollektivtrafik")
    sync([tmp_path / "one"], store)
    sync([other], store)
    report = sync([tmp_path / "one"], store)
    assert report.removed == []
    assert len(store.documents()) == 2


def test_walk_skips_hidden_lock_and_unsupported_files(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    good = write_report(folder, "a.md", "psykisk hälsa")
    write_report(folder, ".dold.md", "hemligt")
    write_report(folder / ".git", "x.md", "git")
    write_report(folder, "~$a.docx", "låsfil")
    (folder / "bild.png").write_bytes(b"\x89PNG")
    (folder / "metadata.toml").write_text('["a.md"]\ntitle = "Titel"\n', encoding="utf-8")
    report = sync([folder], store)
    assert report.added == [str(good.resolve())]


def test_sidecar_edit_updates_an_unchanged_file(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    a = write_report(folder, "a.md", "psykisk hälsa")
    sync([folder], store)
    (folder / "metadata.toml").write_text(
        '["a.md"]\ntitle = "Rättad titel"\ndate = "2021-05-05"\n', encoding="utf-8"
    )
    report = sync([folder], store)
    assert report.updated == [str(a.resolve())]
    doc = store.documents()[0]
    assert (doc["title"], doc["date"]) == ("Rättad titel", "2021-05-05")
    assert sync([folder], store).unchanged == [str(a.resolve())]


def test_bad_files_are_recorded_and_good_ones_ingested(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "blandat"
    folder.mkdir()
    good_pdf = report_pdf(folder / "bra.pdf")
    good_md = write_report(folder, "bra.md", "psykisk hälsa")
    (folder / "skadad.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref")
    encrypted_pdf(folder / "krypterad.pdf", good_pdf)
    (folder / "tom.txt").write_bytes(b"")
    textless_pdf(folder / "skannad.pdf")

    report = sync([folder], store, workers=2)

    assert sorted(report.added) == sorted([str(good_pdf.resolve()), str(good_md.resolve())])
    reasons = {Path(path).name: error for path, error in report.failed}
    assert set(reasons) == {"skadad.pdf", "krypterad.pdf", "tom.txt", "skannad.pdf"}
    assert "skadad" in reasons["skadad.pdf"]
    assert "krypterad" in reasons["krypterad.pdf"]
    assert "tom" in reasons["tom.txt"]
    assert "ingen läsbar text" in reasons["skannad.pdf"]
    stored = {Path(d["path"]).name: (d["status"], d["error"]) for d in store.documents()}
    assert stored["bra.pdf"] == ("ok", None) and stored["bra.md"] == ("ok", None)
    assert {name: error for name, (status, error) in stored.items() if status == "failed"} == reasons
    assert not report.ok


def test_unexpected_reader_error_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "rapporter"
    write_report(folder, "a.md", "psykisk hälsa")
    b = write_report(folder, "b.md", "kollektivtrafik")
    real = pipeline.process_file

    def buggy(path: str, override: dict | None = None, on_page=None):
        if path.endswith("a.md"):
            raise ZeroDivisionError("division by zero")
        return real(path, override, on_page)

    monkeypatch.setattr(pipeline, "process_file", buggy)
    report = sync([folder], store, workers=1)
    assert report.added == [str(b.resolve())]
    [(path, error)] = report.failed
    assert path.endswith("a.md") and error.startswith("Oväntat fel") and "ZeroDivisionError" in error


def test_failed_file_is_retried_and_replaced_when_fixed(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    broken = folder / "a.md"
    folder.mkdir()
    broken.write_text("", encoding="utf-8")
    assert len(sync([folder], store).failed) == 1
    assert len(sync([folder], store).failed) == 1
    write_report(folder, "a.md", "psykisk hälsa")
    fixed = sync([folder], store)
    assert fixed.updated == [str(broken.resolve())] and fixed.ok
    assert store.counts()["failed"] == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_killed_batch_leaves_a_consistent_store_and_resumes(
    tmp_path: Path, store: Store, workers: int
) -> None:
    folder = tmp_path / "rapporter"
    topics = ["psykisk hälsa", "kollektivtrafik", "tandvård", "ambulans", "cancervård"]
    for i, topic in enumerate(topics):
        write_report(folder, f"{i}.md", topic)

    class Killed(Exception):
        pass

    def kill_after_two(done: int, total: int, report: SyncReport) -> None:
        if done == 2:
            raise Killed

    with pytest.raises(Killed):
        sync([folder], store, workers=workers, on_progress=kill_after_two)

    written = store.documents()
    assert len(written) == 2 and all(d["status"] == "ok" and d["chunks"] >= 1 for d in written)
    orphans = store.conn.execute(
        "SELECT COUNT(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)"
    ).fetchone()[0]
    assert orphans == 0

    resumed = sync([folder], store, workers=workers)
    assert len(resumed.unchanged) == 2 and len(resumed.added) == 3
    assert store.counts()["documents"] == 5


def test_refreshers_run_after_every_sync(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    write_report(folder, "a.md", "psykisk hälsa")
    seen: list[int] = []

    def refresh(s: Store) -> None:
        seen.append(s.counts()["chunks"])

    sync([folder], store, refreshers=[refresh])
    sync([folder], store, refreshers=[refresh])
    assert len(seen) == 2 and seen[0] >= 1 and seen[0] == seen[1]


def test_deleted_single_file_is_removed_when_named_again(tmp_path: Path, store: Store) -> None:
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"inte en pdf")
    assert [path for path, _ in sync([bad], store).failed] == [str(bad)]
    bad.unlink()
    assert sync([bad], store, prune=False).removed == [] and len(store.documents()) == 1
    report = sync([bad], store)
    assert report.removed == [str(bad)] and store.documents() == []


def test_missing_path_is_a_user_error(tmp_path: Path, store: Store) -> None:
    with pytest.raises(UserError, match="Sökvägen finns inte"):
        sync([tmp_path / "finns-inte"], store)


def test_unreadable_pages_are_named_in_agreeing_swedish() -> None:
    from rapportsok.index.sync import unreadable_note

    assert unreadable_note([2]) == "sidan 2 kunde inte läsas (för osäker OCR) och är inte sökbar"
    assert unreadable_note([2, 5]).startswith("sidorna 2, 5") and unreadable_note([2, 5]).endswith("sökbara")
    assert unreadable_note([]) == ""
