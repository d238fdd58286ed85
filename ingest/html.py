"""HTML reader (Beautiful Soup with lxml): headings, paragraphs, list items and table rows in
document order. Scripts, styles, inline SVG, images (their `data:` URIs) and embedded media are
dropped first: reports exported from Quarto or R Markdown carry megabytes of them beside the prose."""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction
from rapportsok.ingest.structure import SourceLine

# Elements whose content is never report text.
_DROPPED = ("script", "style", "noscript", "template", "svg", "math", "img", "picture", "video", "audio",
            "canvas", "iframe", "object", "embed", "head", "button", "input", "select", "textarea", "form")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Elements that hold one line of text each (their inner markup is inline).
_LINES = ("p", "dt", "dd", "figcaption", "caption", "pre", "blockquote", "address", "summary", "label")
_NOT_TEXT = (Comment, Doctype, ProcessingInstruction)


def _text(element: Tag | NavigableString) -> str:
    return " ".join(element.get_text(" ").split())


def _row(row: Tag) -> str:
    return "\t".join(_text(cell) for cell in row.find_all(("td", "th"), recursive=False))


def _walk(element: Tag, out: list[SourceLine]) -> None:
    """Append the lines of `element`'s children; list items keep their own text and recurse into
    nested lists, so no text is emitted twice."""
    for child in element.children:
        if isinstance(child, NavigableString):
            text = " ".join(child.split())
            if text and not isinstance(child, _NOT_TEXT):
                out.append(SourceLine(text, 1, gap_before=True))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in _HEADINGS:
            if text := _text(child):
                out.append(SourceLine(text, 1, gap_before=True, heading=_HEADINGS[name]))
        elif name in _LINES:
            if text := _text(child):
                out.append(SourceLine(text, 1, gap_before=True))
        elif name == "tr":
            if (text := _row(child)).strip():
                out.append(SourceLine(text, 1, gap_before=False))
        elif name == "li":
            nested = child.find_all(("ul", "ol"), recursive=False)
            for sub in nested:
                sub.extract()
            if text := _text(child):
                out.append(SourceLine("• " + text, 1, gap_before=True))
            for sub in nested:
                _walk(sub, out)
        else:
            _walk(child, out)


def html_lines(data: bytes) -> list[SourceLine]:
    """Source lines of an HTML file: one per heading (with its level), paragraph, list item and
    table row (cells tab-separated). The encoding comes from the file (BOM, meta charset)."""
    soup = BeautifulSoup(data, "lxml")
    for element in soup.find_all(_DROPPED):
        element.decompose()
    lines: list[SourceLine] = []
    _walk(soup.body or soup, lines)
    return lines
