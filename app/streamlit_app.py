"""Rapportsök in the browser: ask, search passages, figures over time, documents, upload and re-index.

Start with `rapportsok app` (README, "Appen"). This script draws the page
shell and the question box, then imports `app.views`, which shows everything that comes from the
index. The import is deliberately late: the index layer pulls in spaCy (and with it torch), which
takes seconds on a server's first run, and the page should not stay blank meanwhile.
"""

from __future__ import annotations

import streamlit as st
from rapportsok.index.settings import Settings

# What the question box shows greyed out; no example the reports may not answer is offered to click.
PLACEHOLDER = "t.ex. Hur mycket kostade verksamheten förra året?"
TABS = ["Fråga", "Sök i rapporterna", "Siffror", "Dokument", "Administration"]

CSS = """
<style>
[data-testid="stMainBlockContainer"]{padding-top:2.5rem}
.rs-card{border:1px solid #d0d7de;border-radius:10px;padding:1.1rem 1.3rem;margin:.4rem 0 1rem;
  background:#f8fafc}
.rs-figure{font-size:2.6rem;font-weight:700;line-height:1.1;color:#0b3d91}
.rs-kind{color:#57606a;margin:.2rem 0 .7rem;font-size:.95rem}
.rs-sentence{font-size:1.1rem;border-left:4px solid #0b3d91;padding:.2rem 0 .2rem .8rem;margin:.5rem 0}
.rs-source{color:#24292f;font-size:.95rem;margin-top:.6rem}
.rs-uncertain{background:#fff4e5;border:1px solid #f0b45a;border-radius:6px;padding:.3rem .6rem;
  margin:.3rem 0 .5rem;font-size:.95rem}
.rs-alt{border-left:3px solid #d0d7de;padding:.1rem 0 .1rem .7rem;margin:.5rem 0}
.rs-passage-head{font-weight:600;margin-bottom:.3rem}
.rs-passage-meta{color:#57606a;font-size:.85rem;margin-bottom:.4rem}
.rs-passage-text{line-height:1.55}
.rs-passage-text summary{color:#0b3d91;cursor:pointer;margin-top:.3rem}
.rs-points{font-size:.9rem;color:#24292f}
.rs-points ul{margin:.2rem 0 0;padding-left:1.2rem}
/* Streamlit has no Swedish locale: hide its English input hints ("Press Enter to submit form");
   the file uploader's texts are put in Swedish where it is drawn (app/upload_field.py). */
[data-testid="InputInstructions"]{display:none}
/* The tables' toolbar (columns, download, search, full screen: icons with English tooltips) and
   column menu ("Sort ascending", "Pin column", ...) have no option to translate them: hidden.
   A click on a column's heading still sorts, and the tables worth keeping have a Swedish
   "Ladda ner som CSV" (app/widgets.py, `csv_download`). */
[data-testid="stElementToolbar"],[data-testid="stDataFrameColumnMenu"]{display:none}
</style>
"""


def question_form() -> tuple[str, bool]:
    """The question box, with a one-click example where one is configured
    (`RAPPORTSOK_EXAMPLE_QUESTION`); returns the question and whether it was just asked."""
    example = Settings.from_env().example_question
    st.session_state.setdefault("question", st.query_params.get("fraga", ""))
    with st.form("ask", border=False):
        question = st.text_input(
            "Ställ en fråga om rapporterna", key="question",
            placeholder=f"t.ex. {example}" if example else PLACEHOLDER,
        )
        asked = st.form_submit_button("Fråga", type="primary")
    if example:
        st.button(
            f"Exempel: ”{example}”",
            type="secondary",
            icon=":material/play_arrow:",
            key="example_question",
            on_click=lambda: st.session_state.update(question=example, ask_now=True),
        )
    if st.session_state.pop("ask_now", False):
        return example or question, True
    return question, asked


def main() -> None:
    st.set_page_config(page_title="Rapportsök", page_icon="🔎", layout="wide")
    st.html(CSS)
    st.title("Rapportsök")
    summary = st.container()
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    question, asked = "", False
    if tabs[0].open:
        with tabs[0]:
            question, asked = question_form()
    from rapportsok.app import views  # late on purpose, see the module docstring

    views.render(summary, tabs, question, asked)


main()
