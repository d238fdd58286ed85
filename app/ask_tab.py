"""The "Fråga" tab: the answer card with its source, copy buttons and why, other figures the
reports give, and the passages; or an honest "not found" with the nearest passages."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from rapportsok.app import replies
from rapportsok.app.engine_cache import engine_for, ready_engine, warmup
from rapportsok.app.highlight import highlight_span
from rapportsok.app.page_view import source_button
from rapportsok.app.passage_cards import show_passages, source_line
from rapportsok.app.table_view import table_row_html
from rapportsok.app.widgets import copy_button
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.results import Answer, Reply
from rapportsok.lang.numbers import format_number

PASSAGES_SHOWN = 5


def kind_line(answer: Answer) -> str:
    parts = replies.label_parts(answer)
    confidence = f"säkerhet {format_number(answer.confidence, 2)}"
    return html.escape(" · ".join(parts) + " · " + confidence)


def sentence_html(answer: Answer) -> str:
    """The answer's sentence, escaped, with the figure marked where it stands."""
    start = answer.sentence.find(answer.text) if answer.text else -1
    if start >= 0:
        return highlight_span(answer.sentence, start, start + len(answer.text))
    if 0 <= answer.start < answer.end <= len(answer.sentence):
        # The answer's words are not the sentence's ("Per Björkman" for "statsrådet Björkman"):
        # the span it was read from is marked.
        return highlight_span(answer.sentence, answer.start, answer.end)
    return html.escape(answer.sentence)


def show(data_dir: str, question: str, asked: bool) -> None:
    """Answer the question from the shell's form (or the link's `?fraga=`) and show the reply;
    the last reply stays on screen while the user works in other tabs."""
    if asked or (question and "reply" not in st.session_state):
        if not question.strip():
            st.warning("Skriv en fråga först.")
            return
        waiting = "Söker i rapporterna …"
        if warmup(data_dir).is_alive():  # a fresh server: say why the first answer takes longer
            waiting = "Laddar sökmodellen (bara första gången, upp till en halv minut) och söker …"
        try:
            with st.spinner(waiting):
                st.session_state["reply"] = ready_engine(data_dir).ask(question, k=PASSAGES_SHOWN)
        except UserError as error:
            st.error(str(error))
            return
        st.query_params["fraga"] = question
    reply: Reply | None = st.session_state.get("reply")
    if reply is not None:
        show_reply(engine_for(data_dir), reply)


def why_frame(answer: Answer) -> pd.DataFrame:
    """The scoring terms behind an answer, one row each, in Swedish."""
    return pd.DataFrame(
        {
            "Signal": [replies.WHY_LABELS.get(name, name) for name in answer.why],
            "Bidrag": [format_number(value, 2) for value in answer.why.values()],
        }
    )


def show_reply(engine: Engine, reply: Reply) -> None:
    """The answer card with its source and copy buttons right under it, then other figures the
    reports give for the same measure, then the passages; or an honest "not found" with the
    nearest passages."""
    answer = reply.answer
    if answer is None:
        st.warning(replies.not_found_message(reply))
    else:
        figure = answer.text if answer.kind != "sentence" else "Svar i meningen nedan"
        uncertain = (
            f'<div class="rs-uncertain">{html.escape(replies.UNCERTAIN_NOTE)}</div>'
            if reply.uncertain
            else ""
        )
        st.html(
            '<div class="rs-card">'
            f'<div class="rs-figure">{html.escape(figure)}</div>'
            f'<div class="rs-kind">{kind_line(answer)}</div>{uncertain}'
            f'<div class="rs-sentence">”{sentence_html(answer)}”</div>'
            f"{table_row_html(answer)}"
            f'<div class="rs-source"><b>Källa:</b> {source_line(answer)}</div>'
            + "".join(f'<div class="rs-source">Står också i: {source_line(o)}</div>' for o in answer.also_in)
            + "</div>"
        )
        if reply.generated:  # the optional language-model summary (index/generation.py)
            st.caption(replies.SUMMARY_LABEL)
            st.text(reply.generated)  # plain text: generated text is never Markdown or HTML
        elif reply.generation_note:
            st.caption(reply.generation_note)
        markdown = replies.reply_markdown(reply)
        buttons = st.columns([1, 1.2, 1.6, 1.2])
        with buttons[0]:
            source_button(engine, answer, "answer")
        with buttons[1]:
            copy_button(replies.reply_plain(reply), "Kopiera citat", "copy-plain")
        with buttons[2]:
            copy_button(markdown, "Kopiera som Markdown", "copy-markdown")
        left, right = st.columns(2)
        with left.expander("Citat att klistra in (Markdown)"):
            st.code(markdown, language="markdown", wrap_lines=True)
        with right.expander("Varför det här svaret?"):
            st.dataframe(why_frame(answer), hide_index=True)
    if reply.alternatives:
        st.subheader("Andra uppgifter i rapporterna")
        st.caption(
            "Andra rapporter eller avsnitt anger en annan siffra för samma sak. "
            "Kontrollera vilken som passar din fråga."
        )
        for number, alternative in enumerate(reply.alternatives, start=1):
            st.html(
                '<div class="rs-alt">'
                f"<b>{html.escape(alternative.text)}</b> · "
                f"{html.escape(replies.basis_label(alternative))}<br>"
                f"”{sentence_html(alternative)}”<br>"
                f'<span class="rs-source">Källa: {source_line(alternative)}</span>'
                "</div>"
            )
            source_button(engine, alternative, f"alternative-{number}")
    if reply.passages:
        st.subheader("Avsnitt som svaret bygger på" if answer else "Närmaste avsnitt")
        show_passages(engine, reply.passages, key="reply")
