"""The "Administration" tab: upload and index reports, remove one, re-index the folder, and the
change log."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from rapportsok.app.access import changes_allowed, log_change
from rapportsok.app.engine_cache import engine_for, ready_engine
from rapportsok.app.replies import markdown_literal
from rapportsok.app.upload_field import upload_field
from rapportsok.app.uploads import UPLOAD_LIMIT_MB, UploadError, save_upload
from rapportsok.app.widgets import count_label, csv_download, document_label
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.settings import Settings
from rapportsok.index.sync import SyncReport, unreadable_note
from rapportsok.lang.numbers import format_number


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


def show_sync_report(report: SyncReport, refused: list[tuple[str, str]]) -> None:
    """What a sync did, in Swedish, with one error line per file that failed or was refused."""
    done = len(report.added) + len(report.updated)
    if done:
        seconds = format_number(report.seconds)
        st.success(
            f"{count_label(done, 'rapport indexerad', 'rapporter indexerade')} på {seconds} s "
            f"({count_label(len(report.added), 'ny', 'nya')}, "
            f"{count_label(len(report.updated), 'uppdaterad', 'uppdaterade')}, {report.chunks} avsnitt)."
        )
    if report.removed:
        removed = count_label(len(report.removed), "rapport", "rapporter")
        st.info(f"{removed} togs bort ur indexet eftersom filerna saknas.")
    if report.unchanged and not done:
        unchanged = count_label(len(report.unchanged), "rapport var oförändrad", "rapporter var oförändrade")
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


def show(data_dir: str) -> None:
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
