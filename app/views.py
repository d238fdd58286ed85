"""The page under the shell: the index summary and the open tab, each tab in its own module
("Fråga": app/ask_tab.py, "Sök i rapporterna": search_tab.py, "Siffror": figures_tab.py,
"Dokument": documents_tab.py, "Administration": admin_tab.py).

app/streamlit_app.py draws the page shell and calls `render`. Report text is always escaped
(app/highlight.py) before it becomes HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from rapportsok.app import admin_tab, ask_tab, documents_tab, figures_tab, search_tab
from rapportsok.app.engine_cache import engine_for, models_ready, warmup
from rapportsok.app.widgets import count_label
from rapportsok.index.errors import UserError
from rapportsok.index.settings import Settings
from streamlit.delta_generator import DeltaGenerator

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
            ask_tab.show(data_dir, question, asked)
    if search.open:
        with search:
            search_tab.show(data_dir, engine, [d for d in documents if d["status"] == "ok"])
    if figures.open:
        with figures:
            figures_tab.show(engine)
    if docs.open:
        with docs:
            documents_tab.show(engine, documents)
    if admin.open:
        with admin:
            admin_tab.show(data_dir)
    # Filled last, though it stands above the tabs, so it counts what an upload just added.
    counts = engine.store.counts()
    summary.caption(
        f"Sök och frågesvar i {count_label(counts['documents'], 'rapport', 'rapporter')} "
        f"({count_label(counts['pages'], 'sida', 'sidor')}, "
        f"{count_label(counts['figures'], 'uppgift', 'uppgifter')})."
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
