"""Everything the app shows from the index: answers, passages, figures, documents, upload and re-index.

app/streamlit_app.py draws the page shell and calls `render`. Report text is always escaped
(app/highlight.py) before it becomes HTML.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from rapportsok.app import replies, search_view
from rapportsok.app.highlight import LABEL_STYLES, highlight_entities, highlight_span, legend_html
from rapportsok.app.page_view import open_source, source_button
from rapportsok.app.replies import markdown_literal
from rapportsok.app.security import Throttle, change_policy, check_password
from rapportsok.app.table_view import table_row_html
from rapportsok.app.upload_field import upload_field
from rapportsok.app.uploads import UPLOAD_LIMIT_MB, UploadError, save_upload
from rapportsok.index.browse import divisions, figure_year, figures_about
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.results import Answer, Hit, Reply
from rapportsok.index.search import SearchFilters
from rapportsok.index.settings import Settings
from rapportsok.index.sync import SyncReport, unreadable_note
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.records import Entity
from rapportsok.lang.numbers import format_number
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

# The figures tab opens on a measure every public financial report has, so a new user sees a series
# over years at once; an index without it opens on all figures.
DEFAULT_TOPIC = "resultat"
PASSAGES_SHOWN = 5
SEARCH_CANDIDATES = 40  # fetched before the entity-type filter, so ten can still be shown
SEARCH_SHOWN = 10
WARMUP_QUESTION = "hur mycket var resultatet 2020"  # loads every part a question needs
PASSAGE_PREVIEW = 700  # characters of a passage shown before "Visa hela avsnittet"


# -- engine, loaded once per server process -----------------------------------------------------


@st.cache_resource(show_spinner=False)
def engine_for(data_dir: str) -> Engine:
    """One Engine per data directory and server process, shared by all sessions."""
    return Engine(data_dir)


@st.cache_resource(show_spinner=False)
def warmup(data_dir: str) -> threading.Thread:
    """Load the embedding model and search indexes in a background thread once per server process
    (after the first page is drawn), so pages render at once and a question rarely waits for torch."""
    engine = engine_for(data_dir)
    thread = threading.Thread(target=_open_search, args=(engine,), name="rapportsok-warmup", daemon=True)
    thread.start()
    return thread


def _open_search(engine: Engine) -> None:
    """Open the search indexes and answer one question once, so spaCy, the embedding model and
    the answer rules are loaded before a user's first question."""
    try:
        engine.ranker()
        engine.ask(WARMUP_QUESTION, k=1, summarize=False)
    except Exception:  # noqa: BLE001 - the first search opens it again and shows the Swedish error
        return


def models_ready(data_dir: str) -> bool:
    """Whether the background loading of the models is done (the page shows "klar")."""
    return not warmup(data_dir).is_alive()


def ready_engine(data_dir: str) -> Engine:
    """The engine with its search indexes loaded (waits for the warm-up thread)."""
    warmup(data_dir).join()
    return engine_for(data_dir)


# -- small formatting helpers ---------------------------------------------------------------------


def source_line(item: Answer | Hit) -> str:
    """The citation (report title, date, section, page, file) as escaped HTML."""
    return html.escape(replies.citation(item))


def kind_line(answer: Answer) -> str:
    parts = replies.label_parts(answer)
    confidence = f"säkerhet {format_number(answer.confidence, 2)}"
    return html.escape(" · ".join(parts) + " · " + confidence)


def sentence_html(answer: Answer) -> str:
    """The answer's sentence, escaped, with the figure marked where it stands."""
    start = answer.sentence.find(answer.text) if answer.text else -1
    if start < 0:
        return html.escape(answer.sentence)
    return highlight_span(answer.sentence, start, start + len(answer.text))


def copy_button(text: str, label: str, name: str) -> None:
    """A button that puts `text` on the clipboard. The text is JSON with <, > and & escaped, so
    no report text can close the script tag."""
    payload = json.dumps(text, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    st.iframe(
        f"""<body style="margin:0"><button id="copy" data-name="{html.escape(name)}"
        style="font:14px sans-serif;padding:6px 14px;
        border-radius:6px;border:1px solid #0b3d91;background:#0b3d91;color:white;cursor:pointer">
        {html.escape(label)}</button>
        <span id="done" style="font:14px sans-serif;margin-left:8px;color:#1a7f37"></span>
        <script>
        const text = {payload};
        document.getElementById("copy").addEventListener("click", async () => {{
          const done = document.getElementById("done");
          try {{ await navigator.clipboard.writeText(text); }}
          catch (error) {{
            const area = document.createElement("textarea");
            area.value = text; document.body.appendChild(area); area.select();
            document.execCommand("copy"); area.remove();
          }}
          done.textContent = "Kopierat!";
        }});
        </script></body>""",
        height=40,
    )


def passage_text_html(text: str, entities: list[Entity], labels: set[str] | None = None) -> str:
    """A passage's escaped text with entities marked. Past PASSAGE_PREVIEW characters the rest
    folds away under "Visa hela avsnittet" (some chunks are whole tables, pages long), cut at a
    space outside any entity so no mark is split."""
    cut = text.find(" ", PASSAGE_PREVIEW) if len(text) > PASSAGE_PREVIEW * 1.3 else -1
    for entity in sorted(entities, key=lambda e: e.start):
        if cut > 0 and entity.start < cut < entity.end:
            cut = text.find(" ", entity.end)
    if cut < 0:
        return highlight_entities(text, entities, labels)
    head = highlight_entities(text[:cut], [e for e in entities if e.end <= cut], labels)
    rest = [replace(e, start=e.start - cut, end=e.end - cut) for e in entities if e.start >= cut]
    return (
        f"{head} …<details><summary>Visa hela avsnittet</summary>"
        f"{highlight_entities(text[cut:], rest, labels)}</details>"
    )


def query_text_html(text: str, wanted: list[str]) -> str:
    """A passage's escaped text with the query's words marked, folded like `passage_text_html`."""
    spans = search_view.match_spans(text, wanted)
    cut = text.find(" ", PASSAGE_PREVIEW) if len(text) > PASSAGE_PREVIEW * 1.3 else -1
    if cut < 0:
        return search_view.mark_words(text, spans)
    head = search_view.mark_words(text[:cut], [s for s in spans if s[1] <= cut])
    rest = [(a - cut, b - cut) for a, b in spans if a >= cut]
    return (
        f"{head} …<details><summary>Visa hela avsnittet</summary>"
        f"{search_view.mark_words(text[cut:], rest)}</details>"
    )


def passage_html(
    number: int, hit: Hit, labels: set[str] | None = None, wanted: list[str] | None = None
) -> str:
    """One ranked passage: where it stands and its escaped text with entities marked (or, in a
    search, the query's words: why it matched)."""
    meta = [hit.date or "odaterad"]
    if hit.section:
        meta.append(f"avsnitt ”{hit.section}”")
    if hit.printed_page and replies.has_pages(hit):
        meta.append(f"sidan {hit.printed_page}")
    body = query_text_html(hit.text, wanted) if wanted else passage_text_html(hit.text, hit.entities, labels)
    return (
        '<div class="rs-passage">'
        f'<div class="rs-passage-head">{number}. {html.escape(hit.title or "(utan titel)")}</div>'
        f'<div class="rs-passage-meta">{html.escape(" · ".join(meta))}</div>'
        f'<div class="rs-passage-text">{body}</div>'
        "</div>"
    )


def show_passages(
    engine: Engine, hits: list[Hit], labels: set[str] | None = None, key: str = "passage",
    wanted: list[str] | None = None,
) -> None:
    if wanted:
        mark = f'<mark style="{search_view.MARK_STYLE}">sökorden</mark>'
        st.html(f"<div>Markerat: {mark}, deras böjningsformer och sammansättningar</div>")
    else:
        st.html(f"<div>Markeringar: {legend_html()}</div>")
    for number, hit in enumerate(hits, start=1):
        with st.container(border=True):
            st.html(passage_html(number, hit, labels, wanted))
            source_button(engine, hit, f"{key}-{number}")


def document_label(doc: dict) -> str:
    return f"{doc['title'] or Path(doc['path']).name} ({doc['date'] or 'odaterad'})"


# -- tabs ---------------------------------------------------------------------------------------------


def answer_question(data_dir: str, question: str, asked: bool) -> None:
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


# The answer's scoring terms (index/answer_config.py, WEIGHTS) in words for the "why" table.


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


def search_tab(data_dir: str, engine: Engine, documents: list[dict]) -> None:
    query = st.text_input("Sök efter avsnitt", key="search_query", placeholder="t.ex. psykisk hälsa")
    years = sorted({int(d["date"][:4]) for d in documents if d["date"] and d["date"][:4].isdigit()})
    columns = st.columns(4)
    year_range = None
    if len(years) > 1:
        year_range = columns[0].slider("År", years[0], years[-1], (years[0], years[-1]), key="search_years")
    by_label = {document_label(d): d["path"] for d in documents}
    document = columns[1].selectbox("Dokument", ["Alla dokument", *by_label], key="search_document")
    division = columns[2].selectbox(
        "Division", ["Alla divisioner", *divisions(engine.store)], key="search_division"
    )
    names = {name: label for label, (name, _colour) in LABEL_STYLES.items()}
    chosen = columns[3].multiselect("Innehåller", list(names), key="search_labels", placeholder="Alla typer")
    if not query.strip():
        st.info("Skriv ett eller flera sökord. Filtren ovan begränsar vilka avsnitt som visas.")
        return
    # The full range means no year filter: it would drop undated reports (a fresh upload).
    narrowed = year_range is not None and year_range != (years[0], years[-1])
    filters = SearchFilters(
        document=by_label.get(document),
        year_from=year_range[0] if narrowed else None,
        year_to=year_range[1] if narrowed else None,
        division=None if division == "Alla divisioner" else division,
    )
    labels = {names[name] for name in chosen} or None
    try:
        hits = ready_engine(data_dir).search(query, k=SEARCH_CANDIDATES, filters=filters)
    except UserError as error:
        st.error(str(error))
        return
    if labels:
        hits = [hit for hit in hits if any(e.label in labels for e in hit.entities)]
    wanted = search_view.query_stems(query)
    top = max((hit.score for hit in hits), default=0.0)
    hits = [
        hit for hit in hits
        if search_view.worth_showing(bool(search_view.match_spans(hit.text, wanted)), hit.score, top)
    ][:SEARCH_SHOWN]
    if not hits:
        st.warning("Inga avsnitt matchar sökningen med de valda filtren.")
        return
    containing = ready_engine(data_dir).count_matching(query, filters)
    if containing:
        shown = f"Visar de {len(hits)} bästa avsnitten." if len(hits) > 1 else "Visar det bästa avsnittet."
        st.caption(f"{shown} {containing} avsnitt i rapporterna innehåller något av sökorden.")
    else:  # only passages near in meaning: say so rather than call them the best matches
        st.caption(
            f"Inget avsnitt innehåller sökorden. Visar {_count(len(hits), 'avsnitt', 'avsnitt')} "
            "som ligger närmast i betydelse."
        )
    show_passages(engine, hits, labels, key="search", wanted=wanted)


NO_CUE = "ej angiven"


def figures_frame(rows: list[dict]) -> pd.DataFrame:
    """The figures table as shown and exported (Swedish column names; the source before the long
    sentence, so it is on screen without scrolling sideways), indexed by figure id: a chart point
    or a table row names its figure by id, which stays right when the rows change."""
    cues = replies.CUE_LABELS
    return pd.DataFrame(
        {
            "Uppgift": [r["text"] for r in rows],
            "Värde": [r["value"] for r in rows],
            "Enhet": [r["unit"] for r in rows],
            "År": [figure_year(r) for r in rows],
            "Typ": [cues.get(r["cue"], r["cue"]) if r["cue"] else r.get("basis") or NO_CUE for r in rows],
            # A table cell's row label; prose measure phrases ("länets kommuner") are too loose to
            # name a series, they only help to rank answers.
            "Mått": [
                (r.get("measure") or r.get("row") or "") if r.get("table") is not None else "" for r in rows
            ],
            "Division": [r["division"] or "" for r in rows],
            "Rapport": [r["title"] for r in rows],
            "Rapportdatum": [r["date"] or "" for r in rows],
            # A text report has no pages: no page number rather than "1".
            "Sida": [
                str(r["page_label"] or r["page"] or "")
                if Path(r["path"]).suffix.casefold() in replies.PAGED_SUFFIXES else ""
                for r in rows
            ],
            "Mening": [r["sentence"] for r in rows],
            "Avsnitt": [r["section"] for r in rows],
            "Period": [r["period"] or "" for r in rows],
            "Fil": [Path(r["path"]).name for r in rows],
        },
        index=pd.Index([r["id"] for r in rows], dtype="int64"),
    )


def point_source(row: dict) -> str:
    """One chart point in words, as an escaped list item: year, figure, cue and its report."""
    where = [row["Rapport"], row["Rapportdatum"] or "odaterad"]
    if row["Sida"]:
        where.append(f"sidan {row['Sida']}")
    return (
        f"<li><b>{row['År']}</b>: {html.escape(row['Uppgift'])} ({html.escape(row['Typ'])}"
        f"{' · ' + html.escape(row['Mått']) if row.get('Mått') else ''}) – "
        f"{html.escape(', '.join(where))}</li>"
    )


# Vega's numbers in Swedish: a space between thousands and a decimal comma ("1 000", "2,5").
SWEDISH_AXIS_LABEL = (
    "replace(replace(replace(format(datum.value, ',.2~f'), regexp(',', 'g'), ' '), '.', ','), ' ', '\u00a0')"
)


def series_of(frame: pd.DataFrame) -> pd.Series:
    """Each figure's chart series: its measure and kind ("Årets resultat, utfall"), so one line
    never mixes improvements, budget deviations and results."""
    return pd.Series(
        [f"{m}, {t}" if m else t for m, t in zip(frame["Mått"], frame["Typ"], strict=True)],
        index=frame.index, dtype=str,
    )


POINT_SELECTION = "punkt"  # the chart's click selection (a Vega-Lite parameter name)


def topic_chart(topic: str, amounts: pd.DataFrame) -> int | None:
    """The chosen series' amounts per year (every year on the axis, one colour per series) and,
    under it, the source of each point in words, so it can be read without hovering. Returns the
    clicked point's figure id, or None."""
    st.subheader(f"Belopp om ”{topic}” över tid")
    first, last = int(amounts["År"].min()), int(amounts["År"].max())
    # Short point labels in one form ("27,4 mnkr", not "27,4 miljoner kronor"), so neighbours in
    # the same year do not overlap; amounts under 0,1 mnkr keep their own words ("40 kr").
    amounts = amounts.assign(
        Etikett=[
            text if mnkr < 0.1 else format_number(mnkr, 1, trim=True) + " mnkr"
            for text, mnkr in zip(amounts["Uppgift"], amounts["Mnkr"], strict=True)
        ],
        Figur=amounts.index,
    )
    # Labels of points in the same year and series take turns above and below, so they do not overlap.
    amounts["Nivå"] = amounts.groupby(["År", "Serie"]).cumcount() % 2
    top = float(amounts["Mnkr"].max()) * 1.2  # room above the highest point for its label
    base = (
        alt.Chart(amounts)
        .mark_circle(size=160, opacity=0.9, cursor="pointer")
        .encode(
            x=alt.X(
                "År:O",
                title="År",
                scale=alt.Scale(domain=list(range(first, last + 1))),
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("Serie:N"),
            y=alt.Y(
                "Mnkr:Q", title="Miljoner kronor", scale=alt.Scale(domain=[0, top], nice=True),
                axis=alt.Axis(labelExpr=SWEDISH_AXIS_LABEL),
            ),
            color=alt.Color("Serie:N", title="Serie", scale=alt.Scale(scheme="category10"),
                            legend=alt.Legend(orient="bottom", labelLimit=400)),
            tooltip=[
                alt.Tooltip("Uppgift:N"),
                alt.Tooltip("Serie:N"),
                alt.Tooltip("Mening:N"),
                alt.Tooltip("Rapport:N", title="Källa"),
                alt.Tooltip("Rapportdatum:N"),
                alt.Tooltip("Sida:N"),
            ],
        )
        .properties(height=340)
    )
    # Only the circles carry the click selection (the labels are drawn from `base`, without it:
    # a parameter may be defined once per chart).
    points = base.add_params(alt.selection_point(name=POINT_SELECTION, fields=["Figur"]))
    above = base.transform_filter("datum.Nivå == 0").mark_text(dy=-14, fontSize=12).encode(text="Etikett:N")
    below = base.transform_filter("datum.Nivå == 1").mark_text(dy=16, fontSize=12).encode(text="Etikett:N")
    event = st.altair_chart(
        points + above + below, width="stretch", on_select="rerun", selection_mode=POINT_SELECTION,
        key="figures_chart",
    )
    st.caption("Klicka på en punkt för att se uppgiften i rapporten.")
    items = "".join(point_source(row) for row in amounts.sort_values(["År", "Mnkr"]).to_dict("records"))
    st.html(f'<div class="rs-points"><b>Källor</b><ul>{items}</ul></div>')
    clicked = event.selection.get(POINT_SELECTION) if event is not None else None
    return int(clicked[0]["Figur"]) if clicked and "Figur" in clicked[0] else None


def figure_answer(row: dict) -> Answer:
    """A stored figure row as an `Answer`, so its source opens in the page view like an answer's."""
    return Answer(
        row["text"], row["value"], row["unit"], row["kind"], row["sentence"], row["path"], row["title"],
        row["date"], row["page"], row["section"], row["cue"], 1.0, chunk_id=row["chunk_id"],
        page_label=row["page_label"], boxes=row["boxes"],
    )


def figures_tab(engine: Engine) -> None:
    found = None
    if "figures_topic" not in st.session_state:  # a default that `keep_tab_filters` keeps
        found = figures_about(engine.store, DEFAULT_TOPIC)
        st.session_state["figures_topic"] = DEFAULT_TOPIC if found else ""
    topic = st.text_input("Ämne (tomt = alla uppgifter)", key="figures_topic")
    rows = found if found and topic == DEFAULT_TOPIC else figures_about(engine.store, topic)
    frame = figures_frame(rows)
    if frame.empty:
        st.info("Inga uppgifter om ämnet." if topic.strip() else "Indexet innehåller inga uppgifter.")
        return
    columns = st.columns(3)
    kinds = columns[0].multiselect(
        "Enhet", sorted(frame["Enhet"].unique()), key="figures_units", placeholder="Alla enheter"
    )
    cues = columns[1].multiselect(
        "Typ", sorted(frame["Typ"].unique()), key="figures_cues", placeholder="Alla typer"
    )
    division_names = sorted(d for d in frame["Division"].unique() if d)
    chosen = columns[2].multiselect(
        "Division", division_names, key="figures_divisions", placeholder="Alla divisioner"
    )
    if kinds:
        frame = frame[frame["Enhet"].isin(kinds)]
    if cues:
        frame = frame[frame["Typ"].isin(cues)]
    if chosen:
        frame = frame[frame["Division"].isin(chosen)]

    amounts = frame[(frame["Enhet"] == "kr") & frame["År"].notna()].assign(
        Mnkr=lambda f: f["Värde"] / 1e6, År=lambda f: f["År"].astype(int)
    )
    by_id = {row["id"]: row for row in rows}
    clicked = None
    if topic.strip() and not amounts.empty:
        amounts = amounts.assign(Serie=series_of(amounts))
        by_size = list(amounts["Serie"].value_counts().index)
        shown = st.multiselect(
            "Serier i diagrammet (mått och typ)", by_size, default=by_size, key="figures_series",
            placeholder="Välj en serie",
        )
        if shown:
            clicked = topic_chart(topic.strip(), amounts[amounts["Serie"].isin(shown)])
    open_clicked_point(engine, by_id.get(clicked) if clicked is not None else None)

    st.subheader(_count(len(frame), "uppgift", "uppgifter"))
    st.caption("Markera en rad för att se uppgiften i rapporten.")
    picked = st.dataframe(
        frame.drop(columns=["Mått"]) if not frame["Mått"].any() else frame,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="figures_table",
        column_config={
            # Wide enough for "23 400 000 000": a narrow column clips a number's leading digits.
            "Uppgift": st.column_config.TextColumn(width="medium"),
            "Värde": st.column_config.NumberColumn(format="localized", width="medium"),
            "År": st.column_config.NumberColumn(format="%d"),
            "Mening": st.column_config.TextColumn(width="large"),
        },
    )
    # A selection kept from before the rows changed (another topic, a removed report) may point
    # past the end: then nothing is selected.
    selected = [i for i in (picked.selection.rows if picked is not None else []) if i < len(frame)]
    if selected:
        figure = figure_answer(by_id[int(frame.index[selected[0]])])
        st.markdown(f"**{markdown_literal(figure.text)}** – {markdown_literal(replies.citation(figure))}")
        source_button(engine, figure, "figure")
    csv_download(frame, "rapportsok-uppgifter.csv")


def csv_download(frame: pd.DataFrame, file_name: str) -> None:
    """"Ladda ner som CSV" for a table, in place of the hidden English table toolbar: semicolons
    and decimal commas, with a byte-order mark so Excel opens it in Swedish settings."""
    st.download_button(
        "Ladda ner som CSV",
        frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
        file_name=file_name,
        mime="text/csv",
        key=f"csv-{file_name}",
    )


OPENED_POINT = "figures_opened_point"


def open_clicked_point(engine: Engine, row: dict | None) -> None:
    """A click on a chart point opens "Visa i rapporten" for its figure once (the selection stays
    through later reruns, which must not open the panel again); the figure stays named under the
    chart with its own button, to open it again after the panel is closed."""
    if row is None:
        st.session_state.pop(OPENED_POINT, None)
        return
    figure = figure_answer(row)
    st.markdown(
        f"Vald punkt: **{markdown_literal(figure.text)}** – {markdown_literal(replies.citation(figure))}"
    )
    source_button(engine, figure, "chart-point")
    if st.session_state.get(OPENED_POINT) != row["id"]:
        st.session_state[OPENED_POINT] = row["id"]
        open_source(engine, figure)


STATUS_LABELS = {"ok": "Indexerad", "failed": "Misslyckades"}


def documents_tab(engine: Engine, documents: list[dict]) -> None:
    if not documents:
        st.info("Inga rapporter är indexerade än. Ladda upp rapporter under Administration.")
        return
    table = pd.DataFrame(
        {
            "Titel": [d["title"] for d in documents],
            "Organisation": [d["organisation"] or "" for d in documents],
            "Datum": [d["date"] or "" for d in documents],
            "Sidor": [d["page_count"] for d in documents],
            "Avsnitt": [d["chunks"] for d in documents],
            "Status": [STATUS_LABELS.get(d["status"], d["status"]) for d in documents],
            "Fel": [d["error"] or unreadable_note(d["unreadable"]) for d in documents],
            "Fil": [Path(d["path"]).name for d in documents],
        }
    )
    st.dataframe(table, hide_index=True)
    csv_download(table, "rapportsok-rapporter.csv")
    for doc in documents:  # in full: the table cuts long text off ("Filen är skada…")
        if doc["status"] != "ok" and doc["error"]:
            st.error(f"`{Path(doc['path']).name.replace('`', '')}`: {markdown_literal(doc['error'])}")
    st.subheader("Rätta titel, datum eller organisation")
    if not changes_allowed("correct_password"):
        return
    by_id = {d["id"]: d for d in documents if d["status"] == "ok"}
    if not by_id:
        return
    # Keyed by id, not by the label: after a title is corrected the selector stays on the report.
    doc = by_id[
        st.selectbox(
            "Rapport", list(by_id), key="correct_document",
            format_func=lambda i: f"{document_label(by_id[i])} – {Path(by_id[i]['path']).name}",
        )
    ]
    with st.form("correct"):
        title = st.text_input("Titel", value=doc["title"], key=f"title-{doc['id']}")
        date = st.text_input(
            "Datum (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)", value=doc["date"] or "", key=f"date-{doc['id']}"
        )
        # The organisation a question's name is matched against ("Åby kommun", "Socialstyrelsen").
        organisation = st.text_input(
            "Organisation", value=doc["organisation"] or "", key=f"organisation-{doc['id']}"
        )
        if st.form_submit_button("Spara rättelsen"):
            try:
                engine.correct_metadata(doc["id"], title, date, organisation)
            except (UserError, IngestError, OSError) as error:
                st.error(f"Rättelsen sparades inte: {markdown_literal(str(error))}")
            else:
                log_change(
                    engine, "rättelse",
                    f"{doc['path']}: titel {title!r}, datum {date!r}, organisation {organisation!r}",
                )
                st.session_state["saved_correction"] = (
                    "Sparat. Rättelsen sparas i datakatalogen och gäller även efter nästa inläsning."
                )
                st.rerun()
    if "saved_correction" in st.session_state:
        st.success(st.session_state.pop("saved_correction"))


# Wrong passwords of all sessions together: guessing from many tabs is slowed down as well.
THROTTLE = Throttle()


def served_address() -> str | None:
    """The address the server listens on (None: all interfaces); a function so tests can set it."""
    return st.get_option("server.address")


def session_id() -> str:
    """This browser session's id, for the audit log."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "okänd"


def changes_allowed(key: str) -> bool:
    """Whether this session may change the index (app/security.py has the rules). Asks for the
    admin password where one is needed (`key`: the password field's widget key), rate-limited."""
    settings = Settings.from_env()
    policy = change_policy(served_address(), settings)
    if policy.refusal:
        st.warning(policy.refusal)
        return False
    if not policy.needs_password or st.session_state.get("admin_ok"):
        return True
    given = st.text_input("Administratörslösenord", type="password", key=key)
    if given:
        wait = THROTTLE.wait_s()
        if wait:
            st.error(f"För många felaktiga lösenord. Försök igen om {format_number(wait, 0)} s.")
            return False
        ok = check_password(given, settings.admin_password, settings.admin_password_hash)
        THROTTLE.record(ok)
        if ok:
            st.session_state["admin_ok"] = True
            return True
        st.error("Fel lösenord.")
    st.info("Ändringar (uppladdning, omindexering, rättelser, borttagning) kräver administratörslösenordet.")
    return False


def log_change(engine: Engine, action: str, detail: str) -> None:
    """Record a change made in the app (who, when, what) in the store's audit log."""
    engine.store.log_change(session_id(), action, detail)


def run_sync(
    data_dir: str, sources: list[Path], force: bool = False, prune: bool = False, embeddings: bool = False
) -> SyncReport | None:
    """Sync with a progress bar (None, with the Swedish error shown, when the index refuses, e.g.
    vectors from another embedding model). `embeddings` first recomputes every vector with the
    current model. One worker: forking the server process with torch loaded is unsafe."""
    bar = st.progress(0.0, text="Läser in …")

    def progress(done: int, total: int, report: SyncReport) -> None:
        # After the last file the new passages are embedded, the slow part for a large report.
        # The bar moves by pages (a scanned report page by page as it is OCR'd), the text by files.
        text = f"Läser in fil {done + 1} av {total} …" if done < total else "Uppdaterar sökindexet …"
        share = report.pages_done / report.pages_todo if report.pages_todo else done / total if total else 1.0
        bar.progress(min(1.0, share), text=text)

    engine = ready_engine(data_dir)
    try:
        if embeddings:
            with st.spinner("Räknar om alla sökvektorer …"):
                vectors = engine.reindex(embeddings=True)["chunks"]
            st.success(f"Alla {vectors} sökvektorer är omräknade med den aktuella modellen.")
        report = engine.sync(sources, prune=prune, workers=1, force=force, on_progress=progress)
    except UserError as error:
        bar.empty()
        st.error(str(error))
        return None
    bar.progress(1.0, text="Klart.")
    return report


def _count(n: int, one: str, many: str) -> str:
    """Swedish singular or plural after a number: "1 rapport", "2 rapporter"."""
    return f"{n} {one if n == 1 else many}"


def show_sync_report(report: SyncReport, refused: list[tuple[str, str]]) -> None:
    """What a sync did, in Swedish, with one error line per file that failed or was refused."""
    done = len(report.added) + len(report.updated)
    if done:
        seconds = format_number(report.seconds)
        st.success(
            f"{_count(done, 'rapport indexerad', 'rapporter indexerade')} på {seconds} s "
            f"({_count(len(report.added), 'ny', 'nya')}, "
            f"{_count(len(report.updated), 'uppdaterad', 'uppdaterade')}, {report.chunks} avsnitt)."
        )
    if report.removed:
        removed = _count(len(report.removed), "rapport", "rapporter")
        st.info(f"{removed} togs bort ur indexet eftersom filerna saknas.")
    if report.unchanged and not done:
        unchanged = _count(len(report.unchanged), "rapport var oförändrad", "rapporter var oförändrade")
        st.info(f"Inget nytt: {unchanged}.")
    for path, pages in report.unreadable:
        st.warning(f"`{Path(path).name.replace('`', '')}`: {unreadable_note(pages)}.")
    for name, reason in refused + [(Path(path).name, reason) for path, reason in report.failed]:
        # The name as a code span and the reason escaped (it may quote the name): an uploaded
        # file's name is shown literally, never as Markdown.
        st.error(f"`{name.replace('`', '')}`: {markdown_literal(reason)}")


def remove_section(engine: Engine) -> None:
    """Take a failed or unwanted report out of the index; its file is moved aside, never deleted."""
    st.subheader("Ta bort en rapport")
    documents = engine.store.documents()
    if not documents:
        st.caption("Inga rapporter att ta bort.")
        return
    by_id = {d["id"]: d for d in documents}
    if "removed_report" in st.session_state:
        # Set, not dropped: only a value set here reaches the browser, which otherwise goes on
        # showing the removed report as chosen.
        st.session_state["remove_document"] = None
    chosen = st.selectbox(
        "Rapport", list(by_id), key="remove_document", index=None, placeholder="Välj en rapport",
        format_func=lambda i: (
            f"{document_label(by_id[i])} – {Path(by_id[i]['path']).name}"
            + (" (misslyckades)" if by_id[i]["status"] != "ok" else "")
        ),
    )
    st.caption("Filen flyttas till mappen .borttagna bredvid den och kan läggas tillbaka därifrån.")
    if st.button("Ta bort ur indexet", key="remove_button", disabled=chosen is None) and chosen is not None:
        doc = by_id[chosen]
        try:
            target = engine.remove_report(chosen)
        except (UserError, OSError) as error:
            st.error(f"Rapporten togs inte bort: {markdown_literal(str(error))}")
            return
        log_change(engine, "borttagning", f"{doc['path']} flyttad till {target}")
        st.session_state["removed_report"] = f"Borttagen: {document_label(doc)}. Filen ligger nu i {target}."
        # The last answer may cite the removed report: the Fråga tab asks its question again.
        st.session_state.pop("reply", None)
        st.rerun()
    if "removed_report" in st.session_state:
        st.success(st.session_state.pop("removed_report"))


def admin_tab(data_dir: str) -> None:
    folder = Settings.from_env().corpus_dir
    engine = engine_for(data_dir)
    st.caption(f"Rapporterna sparas i `{folder}` och indexet i `{data_dir}`.")
    if not changes_allowed("admin_password"):
        return
    max_mb = min(UPLOAD_LIMIT_MB, int(st.get_option("server.maxUploadSize")))
    st.subheader("Ladda upp rapporter")
    with st.form("upload", clear_on_submit=True):
        files = upload_field(f"PDF, DOCX, TXT eller MD, högst {max_mb} MB per fil", max_mb, "uploads")
        replace_same = st.checkbox(
            "Ersätt rapporter med samma namn (den gamla versionen sparas)", key="replace_uploads"
        )
        submitted = st.form_submit_button("Ladda upp och indexera", type="primary")
    if submitted and files:
        saved: list[Path] = []
        refused: list[tuple[str, str]] = []
        for upload in files:
            try:
                saved.append(
                    save_upload(folder, upload.name, upload.getvalue(), max_mb * 2**20, replace_same)
                )
            except UploadError as error:
                refused.append((upload.name, str(error)))
        for path in saved:
            log_change(engine, "uppladdning", str(path))
        report = run_sync(data_dir, saved) if saved else SyncReport()
        show_sync_report(report or SyncReport(), refused)
    elif submitted:
        # A file over the limit never reaches the server: its red chip says so, and so does this.
        st.warning(f"Välj minst en fil att ladda upp. Filer större än {max_mb} MB tas inte emot.")

    remove_section(engine)

    st.subheader("Indexera om")
    st.caption("Läser in nya och ändrade filer i rapportmappen och tar bort rapporter vars filer saknas.")
    force = st.checkbox("Läs om alla filer, även oförändrade (efter en programuppdatering)", key="force")
    embeddings = st.checkbox(
        "Räkna om alla sökvektorer (efter byte av inbäddningsmodell, tar längre tid)", key="embeddings"
    )
    if st.button("Indexera om rapportmappen"):
        if not folder.is_dir():
            st.error(f"Rapportmappen finns inte: {folder}")
        elif report := run_sync(data_dir, [folder], force=force, prune=True, embeddings=embeddings):
            log_change(engine, "omindexering", f"{folder} (läs om alla: {force}, vektorer: {embeddings})")
            show_sync_report(report, [])

    st.subheader("Ändringslogg")
    log = engine.store.audit_log()
    if log:
        table = pd.DataFrame(
            {
                "Tid (UTC)": [row["at"] for row in log],
                "Session": [row["session"] for row in log],
                "Ändring": [row["action"] for row in log],
                "Detaljer": [row["detail"] for row in log],
            }
        )
        st.dataframe(table, hide_index=True)
        csv_download(table, "rapportsok-andringslogg.csv")
    else:
        st.caption("Inga ändringar har gjorts i appen ännu.")


# The search and figures tabs' filters, kept while another tab is open. Not the year slider (a kept
# range can fall outside the years left after a removal, which Streamlit refuses) nor the chart's
# series (they follow the topic).
KEPT_FILTERS = (
    "search_query", "search_document", "search_division", "search_labels",
    "figures_topic", "figures_units", "figures_cues", "figures_divisions",
)


def keep_tab_filters() -> None:
    """Only the open tab runs, and Streamlit forgets the value of a widget that a run does not
    draw; setting it again through the session state keeps it (Streamlit's documented way). A
    kept choice that is no longer offered (a removed report) falls back to the default."""
    for key in KEPT_FILTERS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def render(summary: DeltaGenerator, tabs: Sequence[DeltaGenerator], question: str, asked: bool) -> None:
    """Fill the shell: the index summary and the open tab (only the open one runs)."""
    keep_tab_filters()
    data_dir = str(Settings.from_env().data_dir)
    engine = engine_for(data_dir)
    try:
        engine.refresh_if_changed()
    except UserError as error:  # e.g. the CLI re-embedded with another model: say so, keep browsing
        summary.error(str(error))
    documents = engine.store.documents()
    ask, search, figures, docs, admin = tabs
    if ask.open:
        with ask:
            answer_question(data_dir, question, asked)
    if search.open:
        with search:
            search_tab(data_dir, engine, [d for d in documents if d["status"] == "ok"])
    if figures.open:
        with figures:
            figures_tab(engine)
    if docs.open:
        with docs:
            documents_tab(engine, documents)
    if admin.open:
        with admin:
            admin_tab(data_dir)
    # Filled last, though it stands above the tabs, so it counts what an upload just added.
    counts = engine.store.counts()
    summary.caption(
        f"Sök och frågesvar i {_count(counts['documents'], 'rapport', 'rapporter')} "
        f"({_count(counts['pages'], 'sida', 'sidor')}, {_count(counts['figures'], 'uppgift', 'uppgifter')})."
    )
    if not counts["documents"]:
        summary.info("Inga rapporter är indexerade än. Ladda upp rapporter under Administration.")
    # Started after the page is drawn, so loading the model does not slow the first render.
    warmup(data_dir)
    with summary:
        models_status(data_dir)


MODELS_LOADING = "⏳ Laddar modeller …"
MODELS_READY = "✓ klar"


def models_status(data_dir: str) -> None:
    """A small "Laddar modeller …" / "klar" line; while loading, it looks again every second and
    redraws the page once the models are in."""
    if models_ready(data_dir):
        st.caption(MODELS_READY, help="Sökmodellen och svarsreglerna är inlästa: frågor besvaras direkt.")
    else:
        _models_loading(data_dir)


@st.fragment(run_every=1.0)
def _models_loading(data_dir: str) -> None:
    if models_ready(data_dir):
        st.rerun()
    st.caption(MODELS_LOADING)
