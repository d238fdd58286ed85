"""Optional: a short Swedish summary of an answer from a local language model, off by default.

The extractive answer (index/answer.py) stays the answer. When `RAPPORTSOK_LLM_URL` names an
OpenAI-compatible server (llama-cpp's server, Ollama, vLLM), `add_summary` asks it to phrase the
found figure with its source in one to three sentences, and keeps the text only when it quotes
the figure exactly and brings in no number of its own. Any failure leaves a Swedish note instead.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass

from rapportsok.index.results import Answer, Hit, Reply
from rapportsok.index.settings import Settings

TIMEOUT_S = 30.0
# Passages given to the model beside the answer's own sentence: enough context, a short prompt.
PROMPT_PASSAGES = 3
PASSAGE_CHARS = 800

SYSTEM_PROMPT = (
    "Du sammanfattar svar ur svenska regionrapporter. Svara på svenska med 1–3 meningar. "
    "Citera uppgiften exakt som den står i ”Svar”, tecken för tecken. Ange källan (rapportens "
    "titel och datum). Använd inga andra siffror än de som står i underlaget och hitta aldrig "
    "på uppgifter. Om underlaget inte räcker, upprepa bara svaret med källan."
)


@dataclass(frozen=True)
class LLMConfig:
    """Where the chat-completions server is; `model` and `api_key` only where the server needs them."""

    url: str
    model: str | None = None
    api_key: str | None = None


def config_from_env() -> LLMConfig | None:
    """The configured server, or None (the default) when `RAPPORTSOK_LLM_URL` is unset or empty."""
    settings = Settings.from_env()
    if settings.llm_url is None:
        return None
    return LLMConfig(url=settings.llm_url, model=settings.llm_model, api_key=settings.llm_api_key)


def build_messages(reply: Reply) -> list[dict[str, str]]:
    """The chat messages: the rules as system prompt, the question, answer, sentence, source and
    the top passages as the user's message. `reply.answer` must be set."""
    answer = reply.answer
    assert answer is not None
    lines = [
        f"Fråga: {reply.question}",
        f"Svar: {answer.text}",
        f"Meningen svaret står i: ”{answer.sentence}”",
        f"Källa: {_source(answer)}",
    ]
    for number, hit in enumerate(reply.passages[:PROMPT_PASSAGES], start=1):
        text = " ".join(hit.text.split())[:PASSAGE_CHARS]
        lines.append(f"Avsnitt {number} ({_source(hit)}): {text}")
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def _source(item: Answer | Hit) -> str:
    """Report title, date, section and page, for the model to name as the source. Written here,
    not taken from the faces' citation (app/replies.py): the index does not import the app, and
    the model needs no file name."""
    parts = [item.title or "(utan titel)", item.date or "odaterad"]
    if item.section:
        parts.append(f"avsnitt ”{item.section}”")
    if item.page:
        parts.append(f"sidan {item.page}")
    return ", ".join(parts)


def complete(config: LLMConfig, messages: list[dict[str, str]]) -> str:
    """One POST to `{url}/chat/completions`; the first choice's text.

    Hand-written with urllib rather than the `openai` client (not installed): one request, and an
    optional feature should not add a dependency. Raises OSError (connection, timeout, HTTP error),
    ValueError (not JSON) or KeyError/IndexError/TypeError (not a chat-completions reply).
    """
    body: dict = {"messages": messages, "temperature": 0}
    if config.model:
        body["model"] = config.model
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    payload = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(f"{config.url}/chat/completions", payload, headers, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        result = json.load(response)
    return str(result["choices"][0]["message"]["content"]).strip()


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def _numbers(text: str) -> set[str]:
    """The digit runs of `text` without leading zeros, so "5 maj" matches a date "2021-05-05"."""
    return {run.lstrip("0") or "0" for run in re.findall(r"\d+", text)}


def check_summary(summary: str, reply: Reply, messages: list[dict[str, str]]) -> str | None:
    """Why `summary` cannot be shown (Swedish), or None when it may: it must quote the answer's
    figure exactly (whitespace aside) and every number in it must appear in what the model was given."""
    answer = reply.answer
    assert answer is not None
    if not summary:
        return "Språkmodellen gav ett tomt svar."
    if _normalized(answer.text) not in _normalized(summary):
        return f"Språkmodellens sammanfattning citerade inte uppgiften ”{answer.text}” och visas inte."
    given = _numbers(" ".join(message["content"] for message in messages))
    unknown = sorted(_numbers(summary) - given)
    if unknown:
        return (
            f"Språkmodellens sammanfattning innehöll siffror som inte finns i källan ({', '.join(unknown)}) "
            "och visas inte."
        )
    return None


def add_summary(reply: Reply, config: LLMConfig | None = None) -> None:
    """Set `reply.generated` (or `reply.generation_note` saying why not) when a model is configured
    and there is an extractive answer; otherwise leave the reply as it is, asking nothing."""
    config = config or config_from_env()
    if config is None or reply.answer is None:
        return
    messages = build_messages(reply)
    try:
        summary = complete(config, messages)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        reply.generation_note = (
            f"Ingen sammanfattning: språkmodellen på {config.url} gav inget svar ({error}). "
            "Svaret ovan gäller."
        )
        return
    problem = check_summary(summary, reply, messages)
    if problem:
        reply.generation_note = problem
    else:
        reply.generated = summary
