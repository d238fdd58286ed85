"""Small Streamlit pieces the tabs share: a copy button, a CSV download, a report's label,
Swedish counts."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import streamlit as st


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


def document_label(doc: dict) -> str:
    return f"{doc['title'] or Path(doc['path']).name} ({doc['date'] or 'odaterad'})"


def count_label(n: int, one: str, many: str) -> str:
    """Swedish singular or plural after a number: "1 rapport", "2 rapporter"."""
    return f"{n} {one if n == 1 else many}"
