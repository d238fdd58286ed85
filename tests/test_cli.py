"""The `rapportsok` CLI: ingest/status output, exit codes, stdin queries, Swedish errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, write_report
from rapportsok.app import cli
from rapportsok.app.cli import common
from rapportsok.app.cli import status as status_command
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.tools.cli import main as dev_main


@pytest.fixture(autouse=True)
def _store_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the CLI, not search: no derived-index refresh (no embedding model)."""

    real_engine_for = common.engine_for

    def engine_for(args, need_index: bool = False) -> Engine:
        engine = real_engine_for(args, need_index)
        engine.refreshers = []
        return engine

    monkeypatch.setattr(common, "engine_for", engine_for)


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_json_shape_and_exit_code_zero(tmp_path: Path, data_dir: Path, capsys) -> None:
    folder = tmp_path / "rapporter"
    a = write_report(folder, "a.md", "psykisk hälsa")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "ingest", str(folder), "--json")
    assert code == 0 and err == ""
    report = json.loads(out)
    assert set(report) == {
        "data_dir",
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "skipped",
        "unreadable",
        "ocr_pages",
        "pages",
        "chunks",
        "workers",
        "seconds",
    }
    assert report["added"] == [str(a.resolve())] and report["failed"] == []
    assert report["data_dir"] == str(data_dir.resolve())


def test_ingest_with_a_failed_file_exits_one_and_names_it(tmp_path: Path, data_dir: Path, capsys) -> None:
    folder = tmp_path / "rapporter"
    write_report(folder, "a.md", "psykisk hälsa")
    (folder / "tom.txt").write_bytes(b"")

    code, out, _ = run(capsys, "ingest", str(folder), "--json", "--data-dir", str(data_dir))
    assert code == 1
    [failed] = json.loads(out)["failed"]
    assert failed["path"].endswith("tom.txt") and "tom" in failed["error"]

    code, out, _ = run(capsys, "ingest", str(folder), "--data-dir", str(data_dir))
    assert code == 1
    assert "Filer som inte kunde läsas in:" in out and "tom.txt: Filen är tom" in out
    assert "oförändrade: 1" in out and "misslyckade: 1" in out


def test_status_json(tmp_path: Path, data_dir: Path, capsys) -> None:
    folder = tmp_path / "rapporter"
    write_report(folder, "a.md", "psykisk hälsa")
    (folder / "tom.txt").write_bytes(b"")
    run(capsys, "--data-dir", str(data_dir), "ingest", str(folder))
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "status", "--json")
    assert code == 0
    status = json.loads(out)
    assert status["data_dir"] == str(data_dir.resolve())
    assert status["database"] == str(data_dir.resolve() / "rapportsok.sqlite")
    assert status["counts"]["documents"] == 1 and status["counts"]["failed"] == 1
    assert status["counts"]["chunks"] >= 1
    assert [d["title"] for d in status["documents"]] == ["Rapport om psykisk hälsa"]
    assert status["failed"][0]["path"].endswith("tom.txt") and status["failed"][0]["error"] == "Filen är tom"


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("RAPPORTSOK_DATA_DIR", str(tmp_path / "env-data"))
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and json.loads(out)["data_dir"] == str((tmp_path / "env-data").resolve())


def test_status_and_search_on_an_empty_data_dir_create_nothing(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "ingen" / "data"
    code, out, _ = run(capsys, "--data-dir", str(empty), "status")
    assert code == 0 and "inget index" in out
    code, out, _ = run(capsys, "--data-dir", str(empty), "status", "--json")
    assert code == 0 and json.loads(out)["database"] is None
    code, _, err = run(capsys, "--data-dir", str(empty), "search", "psykisk hälsa")
    assert code == 2 and "rapportsok ingest" in err, err
    assert not (tmp_path / "ingen").exists()


def test_missing_question_file_is_reported_in_swedish(tmp_path: Path, capsys) -> None:
    code = dev_main(["eval-search", str(tmp_path / "saknas.jsonl")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("rapportsok-dev: ")
    assert "filen finns inte" in err and "No such file" not in err


def test_missing_path_is_a_swedish_error_without_traceback(tmp_path: Path, data_dir: Path, capsys) -> None:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "ingest", str(tmp_path / "saknas"))
    assert code == 2 and out == ""
    assert "Sökvägen finns inte" in err and "Traceback" not in err


def test_usage_errors_are_swedish(capsys) -> None:
    code, _, err = run(capsys, "ingest", "--workers", "0", "x")
    assert code == 2 and "måste vara ett heltal större än noll" in err and "fel:" in err
    code, _, err = run(capsys, "ingest")
    assert code == 2 and "följande argument krävs" in err
    code, _, err = run(capsys, "nosuchcommand")
    assert code == 2 and "ogiltigt val" in err


def test_unexpected_error_has_no_traceback_unless_debug(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys
) -> None:
    def boom(args) -> int:
        raise KeyError("oops")

    monkeypatch.setattr(status_command, "status", boom)
    code, _, err = run(capsys, "status", "--data-dir", str(data_dir))
    assert code == 3 and "ett oväntat fel inträffade" in err and "Traceback" not in err
    monkeypatch.setenv("RAPPORTSOK_DEBUG", "1")
    code, _, err = run(capsys, "status", "--data-dir", str(data_dir))
    assert code == 3 and "Traceback" in err


def test_dash_reads_one_query_per_line_and_prints_json_lines(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("första frågan\n\nandra frågan\nfel\ntredje\n"))

    def handle(query: str) -> dict:
        if query == "fel":
            raise UserError("Ogiltig fråga")
        return {"query": query, "length": len(query)}

    code = common.run_queries("-", handle, as_json=False, show=print)
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [json.loads(line) for line in lines] == [
        {"query": "första frågan", "length": 13},
        {"query": "andra frågan", "length": 12},
        {"query": "fel", "error": "Ogiltig fråga"},
        {"query": "tredje", "length": 6},
    ]


def test_single_query_prints_json_or_text(capsys) -> None:
    common.run_queries("hälsa", lambda q: {"query": q}, as_json=True, show=print)
    assert json.loads(capsys.readouterr().out) == {"query": "hälsa"}
    common.run_queries(
        "hälsa", lambda q: {"query": q}, as_json=False, show=lambda r: print("Svar:", r["query"])
    )
    assert capsys.readouterr().out == "Svar: hälsa\n"


def test_console_entry_point_runs_as_a_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rapportsok.app",
            "--data-dir",
            str(tmp_path / "d"),
            "ingest",
            str(tmp_path / "saknas"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Sökvägen finns inte" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_only_what_a_user_does(capsys) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("ingest", "search", "ask", "status", "reindex", "app"):
        assert f"    {command} " in out
    assert "eval-" not in out and "bench-" not in out and "train-ner" not in out
    assert dev_main(["--help"]) == 0
    assert "bench-start" in capsys.readouterr().out


def test_no_product_module_imports_the_tools() -> None:
    """The product (app, index, ingest) never imports rapportsok.tools: imported in a fresh process,
    every product module leaves the tools out of sys.modules, and no source names them."""
    product = [REPO / name for name in ("app", "index", "ingest")]
    modules = sorted(
        "rapportsok." + ".".join(path.relative_to(REPO).with_suffix("").parts)
        for folder in product
        for path in folder.rglob("*.py")
        if path.name not in ("__main__.py", "streamlit_app.py")
    )
    for folder in product:
        for path in folder.rglob("*.py"):
            assert "rapportsok.tools" not in path.read_text(encoding="utf-8"), path
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.replace('.__init__', ''))\n"
        "print(sorted(m for m in sys.modules if m.startswith('rapportsok.tools')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_app_command_runs_the_installed_app_with_the_shipped_settings() -> None:
    from rapportsok.app.cli.streamlit import command, streamlit_flags

    argv = command(["--server.port", "8502"])
    assert argv[1:4] == ["-m", "streamlit", "run"] and Path(argv[4]).name == "streamlit_app.py"
    assert Path(argv[4]).is_file()
    assert "--server.maxUploadSize=50" in argv and "--client.showErrorDetails=none" in argv
    assert "--server.headless=true" in argv and argv[-2:] == ["--server.port", "8502"]
    assert streamlit_flags({"theme": {"base": "light"}, "server": {"headless": False}}) == [
        "--theme.base=light", "--server.headless=false"
    ]
