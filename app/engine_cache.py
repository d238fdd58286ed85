"""One Engine per data directory and server process, its models loaded in a background thread
after the first page is drawn, so pages render at once and a question rarely waits for torch."""

from __future__ import annotations

import threading

import streamlit as st
from rapportsok.index.engine import Engine

WARMUP_QUESTION = "hur mycket var resultatet 2020"  # loads every part a question needs


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
