"""Safe HTML for passages: report text is escaped, only our own <mark> tags are added."""

from __future__ import annotations

import html

from rapportsok.ingest.records import AMOUNT, DATE, DIVISION, PERCENT, Entity

# Label -> (Swedish name shown in the legend, background colour).
LABEL_STYLES: dict[str, tuple[str, str]] = {
    DIVISION: ("Division", "#d6e4ff"),
    AMOUNT: ("Belopp", "#ffe7ba"),
    DATE: ("Datum/period", "#d9f7be"),
    PERCENT: ("Procent", "#ffd6e7"),
}


def _mark(text: str, colour: str, title: str) -> str:
    return (
        f'<mark style="background:{colour};padding:0 2px;border-radius:3px" '
        f'title="{html.escape(title)}">{html.escape(text)}</mark>'
    )


def highlight_entities(text: str, entities: list[Entity], labels: set[str] | None = None) -> str:
    """Escape `text` and wrap each entity span in a coloured <mark>.

    Overlapping spans are skipped (first one wins) so the markup stays well formed.
    """
    parts: list[str] = []
    cursor = 0
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if entity.start < cursor or entity.end > len(text) or entity.label not in LABEL_STYLES:
            continue
        if labels is not None and entity.label not in labels:
            continue
        name, colour = LABEL_STYLES[entity.label]
        parts.append(html.escape(text[cursor : entity.start]))
        parts.append(_mark(text[entity.start : entity.end], colour, name))
        cursor = entity.end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts).replace("\n", "<br>")


def highlight_span(text: str, start: int, end: int) -> str:
    """Escape a sentence and mark the answer figure inside it."""
    if not 0 <= start < end <= len(text):
        return html.escape(text)
    style = f"background:{LABEL_STYLES[AMOUNT][1]};font-weight:600"
    mark = f'<mark style="{style}">{html.escape(text[start:end])}</mark>'
    return html.escape(text[:start]) + mark + html.escape(text[end:])


def legend_html() -> str:
    return " ".join(
        f'<span style="background:{colour};padding:2px 6px;border-radius:3px;margin-right:6px">'
        f"{html.escape(name)}</span>"
        for name, colour in LABEL_STYLES.values()
    )
