"""Ranked passages as cards: where each stands and its escaped text, with entities (an answer's
passages) or the query's words (a search) marked; long passages fold."""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st
from rapportsok.app import replies, search_view
from rapportsok.app.highlight import highlight_entities, legend_html
from rapportsok.app.page_view import source_button
from rapportsok.index.engine import Engine
from rapportsok.index.results import Answer, Hit
from rapportsok.ingest.records import Entity

PASSAGE_PREVIEW = 700  # characters of a passage shown before "Visa hela avsnittet"


def source_line(item: Answer | Hit) -> str:
    """The citation (report title, date, section, page, file) as escaped HTML."""
    return html.escape(replies.citation(item))


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
