"""The "Dokument" tab: the indexed reports with their status and errors, and corrections of a
report's title, date and organisation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from rapportsok.app.access import changes_allowed, log_change
from rapportsok.app.replies import markdown_literal
from rapportsok.app.widgets import csv_download, document_label
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.sync import unreadable_note
from rapportsok.ingest.errors import IngestError

STATUS_LABELS = {"ok": "Indexerad", "failed": "Misslyckades"}


def show(engine: Engine, documents: list[dict]) -> None:
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
