"""Browsing what the store holds, beside search: figures about a topic over time, the divisions named.

The app's figures tab and chart read through here, so a face never filters store rows itself.
"""

from __future__ import annotations

from rapportsok.index.question import topic_words
from rapportsok.index.store import Store
from rapportsok.lang.stems import stems, stems_match


def figures_about(store: Store, topic: str = "", kind: str | None = None) -> list[dict]:
    """Figure rows (`Store.figures`, with document path, title and date; table cells too) whose
    sentence, section heading or table row names every content word of `topic`, in any inflection
    ("psykisk hälsa" matches "psykiska hälsan"); all figures when `topic` names no word. Newest
    report first."""
    terms = tuple(dict.fromkeys(stems(" ".join(topic_words(topic)))))
    rows = store.figures(kind=kind, with_tables=True)
    if not terms:
        return rows
    return [
        row for row in rows
        if _mentions_all(terms, f"{row['section']} {row['sentence']} {row.get('measure') or ''}")
    ]


def _mentions_all(terms: tuple[str, ...], text: str) -> bool:
    found = stems(text)
    return all(any(stems_match(term, word) for word in found) for term in terms)


def divisions(store: Store) -> list[str]:
    """The canonical division names found in the reports (DIVISION entities), sorted."""
    rows = store.conn.execute(
        "SELECT DISTINCT COALESCE(value_text, text) FROM entities WHERE label = 'DIVISION' ORDER BY 1"
    )
    return [name for (name,) in rows if name]


def figure_year(row: dict) -> int | None:
    """The year a figure is about: its period's first year, else its report's year (for charts)."""
    for value in (row.get("period"), row.get("date")):
        if value and value[:4].isdigit():
            return int(value[:4])
    return None
