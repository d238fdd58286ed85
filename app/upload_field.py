"""The upload field in Swedish: Streamlit's file uploader, its English texts replaced by CSS.

Streamlit has no Swedish locale and no option for the uploader's words, so the texts it draws
("Upload", "50MB per file", "Drag and drop files here", "File must be 50.0MB or smaller.") are
hidden and Swedish ones shown in their place with CSS `content`. The size limit is the widget's
own (`max_upload_size`): the browser refuses a larger file at once, before any of it is sent,
and the only refusal the uploader itself can then give is "too large" (it is not given `type=`,
see `upload_field`), which is what the Swedish texts say.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

DROPZONE = '[data-testid="stFileUploaderDropzone"]'


def too_large_note(max_mb: int) -> str:
    """The Swedish refusal of a file over the limit, as the uploader's error tooltip shows it."""
    return f"Filen är större än {max_mb} MB och laddas inte upp. Ta bort den med krysset."


def upload_field_css(max_mb: int) -> str:
    """CSS that puts Swedish words on the uploader (one per English text it can show)."""
    note = too_large_note(max_mb)
    return f"""<style>
{DROPZONE} button [data-testid="stMarkdownContainer"] p{{font-size:0}}
{DROPZONE} button [data-testid="stMarkdownContainer"] p::after{{content:"Välj filer";font-size:14px}}
[data-testid="stFileUploaderDropzoneInstructions"] span{{font-size:0}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after{{
  content:"eller dra filerna hit · högst {max_mb} MB per fil";font-size:14px}}
/* Shown while files are dragged over the field (Streamlit's class for it; no test id). */
{DROPZONE} > .euud7oh1 span{{font-size:0}}
{DROPZONE} > .euud7oh1 span::after{{content:"Släpp filerna här";font-size:14px}}
/* A refused file: its chip says why instead of its size, and the hover text says it in full. */
[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div{{font-size:0}}
[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div::after{{
  content:"för stor, högst {max_mb} MB";font-size:12px;color:#b42318}}
[data-testid="stTooltipErrorContent"]{{font-size:0}}
[data-testid="stTooltipErrorContent"]::after{{content:"{note}";font-size:14px}}
/* The refusal read out by screen readers: the English text hidden, the Swedish one read. */
[data-testid="stFileChip"] span[role="alert"]{{visibility:hidden}}
[data-testid="stFileChip"] span[role="alert"]::after{{visibility:visible;content:"Fel: {note}"}}
</style>"""


def upload_field(label: str, max_mb: int, key: str) -> list[UploadedFile]:
    """Streamlit's multi-file uploader with Swedish texts, refusing files over `max_mb` MB in the
    browser. No `type=`: Streamlit's own check of it refuses in English; `save_upload` refuses
    another type per file, in Swedish."""
    st.html(upload_field_css(max_mb))
    return st.file_uploader(label, accept_multiple_files=True, key=key, max_upload_size=max_mb) or []
