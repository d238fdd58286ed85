"""Shared fixtures. No test touches the user's data directory or /work/shared."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point $RAPPORTSOK_DATA_DIR at a temporary folder, so a test that forgets `--data-dir`
    never writes into ~/.local/share/rapportsok."""
    monkeypatch.setenv("RAPPORTSOK_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data directory."""
    return tmp_path / "data"


def write_report(folder: Path, name: str, topic: str) -> Path:
    """A small Markdown report about `topic`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"# Rapport om {topic}\n\n## Ekonomi\n\nRegionen fick 27 mnkr för {topic} under 2020. "
        f"Arbetet med {topic} fortsätter enligt plan.\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory):
    """An Engine over corpus/ ingested once per session into a temporary data dir, with its
    search indexes built (FTS rows and vectors from the real default embedder)."""
    from rapportsok.index.engine import Engine

    engine = Engine(tmp_path_factory.mktemp("corpus-data"))
    report = engine.sync([CORPUS], workers=1)
    assert report.ok and len(report.added) == 5, report.failed
    engine.ranker()
    yield engine
    engine.close()
