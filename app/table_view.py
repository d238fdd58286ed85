"""The table row an answer was read from, as escaped HTML: the column headers over the row's cells,
the answering cell marked. Pure, so the answer card (app/ask_tab.py) only places it."""

from __future__ import annotations

import html

from rapportsok.index.results import Answer
from rapportsok.ingest.tables import CELL_SEPARATOR


def row_cells(answer: Answer) -> list[str]:
    """The row's label and cells, as quoted in the answer's sentence ("Fritid | 1 234 | 1 300")."""
    return answer.sentence.split(CELL_SEPARATOR.strip()) if answer.row is not None else []


def table_row_html(answer: Answer) -> str:
    """An HTML table of the answer's row under its column headers, the answering cell in <mark>;
    "" for an answer that does not come from a table. Every text is escaped."""
    if answer.row is None:
        return ""
    label, *cells = [cell.strip() for cell in row_cells(answer)]
    columns = list(answer.columns) + [""] * max(0, len(cells) - len(answer.columns))
    header = "".join(f"<th>{html.escape(column)}</th>" for column in columns[: len(cells)])
    shown = []
    marked = False
    for cell, column in zip(cells, columns, strict=False):
        same_text = answer.text == cell or answer.text.startswith(cell + " ")
        answering = not marked and same_text and (column == answer.column or not answer.columns)
        marked = marked or answering
        text = html.escape(cell)
        shown.append(f'<td class="rs-cell"><mark>{text}</mark></td>' if answering else f"<td>{text}</td>")
    caption = f"<caption>{html.escape(answer.table or '')}</caption>" if answer.table else ""
    return (
        f'<table class="rs-table-row">{caption}<thead><tr><th></th>{header}</tr></thead>'
        f"<tbody><tr><th>{html.escape(label)}</th>{''.join(shown)}</tr></tbody></table>"
    )
