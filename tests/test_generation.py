"""The optional language-model summary (index/generation.py) against a local stub of an
OpenAI-compatible server: off by default, shown only when it quotes the figure, and never in the
way of the extractive answer when the server fails."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rapportsok.app.cli import main
from rapportsok.app.replies import SUMMARY_LABEL, markdown_literal
from rapportsok.index import generation, settings
from rapportsok.index.generation import LLMConfig, add_summary
from rapportsok.index.results import Answer, Hit, Reply
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")
PSYKISK_HALSA = "Hur mycket fick regionen för psykisk hälsa 2020?"
GOOD = "Regionen fick 27 mnkr för psykisk hälsa 2020, enligt Regiondirektörens rapport 5 maj 2021."


class StubLLM:
    """What the stub server answers next, and the request bodies it has received."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.reply(GOOD)

    def reply(self, content: str) -> None:
        self.body = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})


@pytest.fixture(scope="module")
def _server() -> Iterator[tuple[ThreadingHTTPServer, list[StubLLM]]]:
    current: list[StubLLM] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server hook's name)
            stub = current[0]
            length = int(self.headers["Content-Length"])
            stub.requests.append({"path": self.path, "body": json.loads(self.rfile.read(length))})
            if stub.delay:
                threading.Event().wait(stub.delay)
            body = stub.body.encode("utf-8")
            try:
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the timeout test's client has given up
                pass

        def log_message(self, *args: object) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, current
    server.shutdown()
    server.server_close()


@pytest.fixture
def stub(_server, monkeypatch: pytest.MonkeyPatch) -> StubLLM:
    """A fresh stub for each test; the environment variables stay unset until a test sets them."""
    server, current = _server
    current[:] = [StubLLM(f"http://127.0.0.1:{server.server_address[1]}/v1")]
    for name in (settings.LLM_URL_ENV, settings.LLM_MODEL_ENV, settings.LLM_API_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return current[0]


def _reply() -> Reply:
    answer = Answer(
        text="27 mnkr", value=27_000_000.0, unit="kr", kind="amount",
        sentence="Under 2020 fick regionen 27 mnkr för psykisk hälsa.", file="corpus/000_a.txt",
        title="Regiondirektörens rapport 5 maj 2021", date="2021-05-05", page=3, section="Ekonomi",
        cue="received", confidence=0.8,
    )
    hit = Hit(
        chunk_id=1, file=answer.file, title=answer.title, date=answer.date, page=3, section="Ekonomi",
        text="Under 2020 fick regionen 27 mnkr för psykisk hälsa. Arbetet fortsätter.", score=1.0,
    )
    return Reply(question=PSYKISK_HALSA, answer=answer, passages=[hit])


@pytest.mark.slow
def test_off_by_default_asks_nothing(stub: StubLLM, corpus_engine) -> None:
    reply = corpus_engine.ask(PSYKISK_HALSA)
    assert reply.answer is not None and reply.answer.text == "27 mnkr"
    data = reply.to_json()
    assert data["generated"] is None and data["generation_note"] == ""
    assert stub.requests == []


def test_not_found_asks_nothing(stub: StubLLM) -> None:
    reply = Reply(question="Hur många ambulanshelikoptrar finns?", answer=None, subject="ambulanshelikoptrar")
    add_summary(reply, LLMConfig(stub.url))
    assert stub.requests == [] and reply.generated is None and reply.generation_note == ""


@pytest.mark.slow
def test_configured_summary_in_json_and_cli_text(
    stub: StubLLM, corpus_engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(settings.LLM_URL_ENV, stub.url + "/")
    monkeypatch.setenv(settings.LLM_MODEL_ENV, "qwen2.5-3b-instruct")
    monkeypatch.setenv(settings.LLM_API_KEY_ENV, "hemlig")
    data_dir = str(corpus_engine.data_dir)
    assert main(["--data-dir", data_dir, "ask", "--json", PSYKISK_HALSA]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answer"]["text"] == "27 mnkr"  # the extractive answer stays the answer
    assert out["generated"] == GOOD and out["generation_note"] == ""
    request = stub.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "qwen2.5-3b-instruct"
    system, user = request["body"]["messages"]
    assert "Citera uppgiften exakt" in system["content"]
    assert "Svar: 27 mnkr" in user["content"] and "fick regionen och länets kommuner" in user["content"]
    assert "Regiondirektörens rapport" in user["content"] and "Avsnitt 1" in user["content"]

    assert main(["--data-dir", data_dir, "ask", PSYKISK_HALSA]) == 0
    text = capsys.readouterr().out
    assert text.index("\n27 mnkr\n") < text.index(SUMMARY_LABEL) < text.index(GOOD)
    assert main(["--data-dir", data_dir, "ask", "--format", "markdown", PSYKISK_HALSA]) == 0
    assert f"*{SUMMARY_LABEL}* {markdown_literal(GOOD)}" in capsys.readouterr().out  # never Markdown


def test_summary_must_quote_the_figure_with_whitespace_normalized(stub: StubLLM) -> None:
    stub.reply("Regionen fick 27\u00a0 mnkr\nunder 2020.")
    reply = _reply()
    add_summary(reply, LLMConfig(stub.url))
    assert reply.generated == "Regionen fick 27\u00a0 mnkr\nunder 2020."

    stub.reply("Regionen fick 27,4 miljoner kronor för psykisk hälsa.")
    reply = _reply()
    add_summary(reply, LLMConfig(stub.url))
    assert reply.generated is None
    assert "citerade inte uppgiften ”27 mnkr”" in reply.generation_note
    assert reply.answer is not None and reply.answer.text == "27 mnkr"


def test_summary_with_a_number_not_in_the_source_is_dropped(stub: StubLLM) -> None:
    stub.reply("Regionen fick 27 mnkr 2020, 12 procent mer än 2019.")
    reply = _reply()
    add_summary(reply, LLMConfig(stub.url))
    assert reply.generated is None
    assert "(12, 2019)" in reply.generation_note


@pytest.mark.parametrize("failure", ["server error", "bad json", "wrong shape", "timeout", "refused"])
def test_server_failure_leaves_the_answer_intact(
    failure: str, stub: StubLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = stub.url
    if failure == "server error":
        stub.status = 500
    elif failure == "bad json":
        stub.body = "<html>inte json</html>"
    elif failure == "wrong shape":
        stub.body = json.dumps({"error": "model not found"})
    elif failure == "timeout":
        monkeypatch.setattr(generation, "TIMEOUT_S", 0.2)
        stub.delay = 1.0
    else:
        url = "http://127.0.0.1:9/v1"  # the discard port: nothing listens there
    reply = _reply()
    add_summary(reply, LLMConfig(url))
    assert reply.generated is None
    assert reply.generation_note.startswith("Ingen sammanfattning: språkmodellen på")
    assert reply.answer is not None and reply.answer.text == "27 mnkr"


@pytest.mark.slow
def test_cli_failure_is_a_note_on_stderr(
    stub: StubLLM, corpus_engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.status = 503
    monkeypatch.setenv(settings.LLM_URL_ENV, stub.url)
    assert main(["--data-dir", str(corpus_engine.data_dir), "ask", PSYKISK_HALSA]) == 0
    captured = capsys.readouterr()
    assert "\n27 mnkr\n" in captured.out and SUMMARY_LABEL not in captured.out
    assert "Ingen sammanfattning" in captured.err and "Traceback" not in captured.err
    assert "model" not in stub.requests[0]["body"]  # no model name configured: none sent


@pytest.mark.slow
def test_app_shows_summary_under_the_answer_card(
    stub: StubLLM, corpus_engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.LLM_URL_ENV, stub.url)
    monkeypatch.setenv("RAPPORTSOK_DATA_DIR", str(corpus_engine.data_dir))
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.text_input(key="question").set_value(PSYKISK_HALSA)
    next(button for button in app.button if button.label == "Fråga").click()
    app = app.run()
    assert not app.exception
    assert SUMMARY_LABEL in [caption.value for caption in app.caption]
    assert GOOD in [text.value for text in app.text]  # plain text, never Markdown
    assert GOOD not in [markdown.value for markdown in app.markdown]


def test_evaluations_never_call_the_model(monkeypatch: pytest.MonkeyPatch, corpus_engine) -> None:
    """eval-qa and bench-ask measure the extractive answer: summarize=False sends nothing."""
    monkeypatch.setenv("RAPPORTSOK_LLM_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    reply = corpus_engine.ask("hur mycket fick regionen för psykisk hälsa 2020", summarize=False)
    assert reply.answer is not None and reply.generated is None and not reply.generation_note
