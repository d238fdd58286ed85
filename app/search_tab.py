"""The "Sök i rapporterna" tab: passages for a query, filtered by year, report, division and entity type, with
the words that made them match marked."""

from __future__ import annotations

import streamlit as st
from rapportsok.app import search_view
from rapportsok.app.engine_cache import ready_engine
from rapportsok.app.highlight import LABEL_STYLES
from rapportsok.app.passage_cards import show_passages
from rapportsok.app.widgets import count_label, document_label
from rapportsok.index.browse import divisions
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.search import SearchFilters

SEARCH_CANDIDATES = 40  # fetched before the entity-type filter, so ten can still be shown


SEARCH_SHOWN = 10


def show(data_dir: str, engine: Engine, documents: list[dict]) -> None:
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
            f"Inget avsnitt innehåller sökorden. Visar {count_label(len(hits), 'avsnitt', 'avsnitt')} "
            "som ligger närmast i betydelse."
        )
    show_passages(engine, hits, labels, key="search", wanted=wanted)
