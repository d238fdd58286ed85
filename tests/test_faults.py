"""Faults never lose good data and never stop a batch (issue: nothing lost, nobody unauthorised)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from conftest import write_report
from rapportsok.index.store import Store
from rapportsok.index.sync import sync


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
