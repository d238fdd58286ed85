""""Visa i rapporten": the cited page beside the answer, with the sentence and figure marked.

A PDF report shows its page as a picture (app/page_render.py) with the printed page number,
previous/next page and a download of the original file; a text, Markdown or DOCX report shows
the passage in its surrounding text. Every citation in the app (answer card, alternatives,
passages, figures) opens this panel through `source_button`.
"""

from __future__ import annotations

import html
from pathlib import Path

import streamlit as st
from rapportsok.app import page_render
from rapportsok.app.replies import citation, has_pages
from rapportsok.index.engine import Engine
from rapportsok.index.results import Answer, Hit
from rapportsok.ingest.positions import span_boxes
from rapportsok.ingest.records import Box

BUTTON_LABEL = "Visa i rapporten"
PAGE_KEY = "page_view_page"


def source_button(engine: Engine, item: Answer | Hit, key: str) -> None:
    """The "Visa i rapporten" button; a click opens the side panel for `item`."""
    if st.button(BUTTON_LABEL, key=f"source-{key}", icon=":material/description:"):
        open_source(engine, item)


def open_source(engine: Engine, item: Answer | Hit) -> None:
    """Open the side panel for `item` at its cited page (a button or a chart point calls this)."""
    st.session_state[PAGE_KEY] = None
    show_source(engine, item)


@st.dialog("Källan i rapporten", width="medium", position="right")
def show_source(engine: Engine, item: Answer | Hit) -> None:
    """The panel: where the item stands, the page (or text) with it marked, and the file."""
    rows = engine.store.chunks([item.chunk_id]) if item.chunk_id is not None else []
    chunk = rows[0] if rows else None
    st.caption(citation(item))
    path = Path(item.file)
    if not path.is_file():
        st.error(f"Originalfilen finns inte längre: {path.name}")
        return
    if has_pages(item) and page_render.page_count(path):
        _pdf_page(engine, item, chunk, path)
    else:
        _text_context(engine, item, chunk)
    st.download_button(
        "Ladda ner originalfilen", path.read_bytes(), file_name=path.name, key=f"download-{item.chunk_id}"
    )


def marked_boxes(item: Answer | Hit, chunk: dict | None) -> tuple[list[Box], list[Box]]:
    """(sentence boxes, figure boxes): an answer marks its sentence pale and its figure strong;
    a passage marks all its lines pale."""
    if isinstance(item, Hit):
        return list(item.boxes), []
    if chunk is None:
        return list(item.boxes), list(item.boxes)
    offset = chunk["text"].find(item.sentence)
    sentence = span_boxes(chunk["boxes"], offset, offset + len(item.sentence)) if offset >= 0 else []
    return sentence or list(item.boxes), list(item.boxes)


def _pdf_page(engine: Engine, item: Answer | Hit, chunk: dict | None, path: Path) -> None:
    sentence, figure = marked_boxes(item, chunk)
    cited = item.page or (chunk["page_start"] if chunk else None) or 1
    total = page_render.page_count(path)
    page = st.session_state.get(PAGE_KEY) or cited
    page = min(max(page, 1), total)
    labels = {}
    if chunk is not None:
        labels = {row["page"]: row["label"] for row in engine.store.pages(chunk["document_id"])}
    printed = labels.get(page) or str(page)
    previous, where, following = st.columns([1, 2, 1])
    if previous.button("← Föregående sida", disabled=page <= 1, key="page-previous"):
        st.session_state[PAGE_KEY] = page - 1
        st.rerun(scope="fragment")
    note = " (den citerade sidan)" if page == cited else ""
    where.markdown(f"**Sidan {html.escape(printed)}**{note} · sida {page} av {total} i filen")
    if following.button("Nästa sida →", disabled=page >= total, key="page-next"):
        st.session_state[PAGE_KEY] = page + 1
        st.rerun(scope="fragment")
    image = page_render.mark_boxes(page_render.page_image(path, page), page, sentence, figure)
    caption = "Markerat: meningen och siffran" if figure else "Markerat: avsnittet"
    if page == cited and not any(box.page == page for box in [*sentence, *figure]):
        caption = "Läget på sidan är okänt (ingen markering)"
    st.image(page_render.png_bytes(image), caption=caption, width="stretch")


def _text_context(engine: Engine, item: Answer | Hit, chunk: dict | None) -> None:
    """A report without pages: the passage (an answer: its sentence) marked in its surroundings."""
    if chunk is None:
        st.info("Avsnittet finns inte längre i indexet.")
        return
    text = engine.store.document_text(chunk["document_id"])
    start, end = chunk["char_start"], chunk["char_end"]
    if isinstance(item, Answer):
        found = text.find(item.sentence, start, max(end, start + len(item.sentence)) + 1)
        if found >= 0:
            start, end = found, found + len(item.sentence)
    before, passage, after = page_render.in_context(text, start, end)
    st.html(
        '<div class="rs-context" style="line-height:1.6;max-height:70vh;overflow:auto">'
        + ("… " if before and start - len(before) > 0 else "")
        + html.escape(before).replace("\n", "<br>")
        + '<mark style="background:#ffd666">'
        + html.escape(passage).replace("\n", "<br>")
        + "</mark>"
        + html.escape(after).replace("\n", "<br>")
        + (" …" if after and end + len(after) < len(text) else "")
        + "</div>"
    )
