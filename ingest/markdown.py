"""Markdown reader: `#` headings with levels, `**bold**` and `<b>` markup stripped, bullets."""

from __future__ import annotations

import re

from rapportsok.ingest.structure import SourceLine

_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS_RE = re.compile(r"\*\*|__")
_BOLD_LINE_RE = re.compile(r"^\s*(?:\*\*|__|<b>)(?P<body>.*?)(?:\*\*|__|</b>)\s*$", re.IGNORECASE)
_MD_BULLET_RE = re.compile(r"^\s*[-*+]\s+")
_PIPE_ROW_RE = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
_PIPE_RULE_RE = re.compile(r"^[\s|:-]*-[\s|:-]*$")


def pipe_row(line: str) -> str | None:
    """A Markdown pipe-table row ("| Intäkter | 10 135 |") as tab-separated cells, "" for the
    rule under the header ("|---|---:|"), None for any other line."""
    match = _PIPE_ROW_RE.match(line)
    if not match:
        return None
    if _PIPE_RULE_RE.match(line):
        return ""
    return "\t".join(cell.strip() for cell in match["cells"].split("|"))


def strip_markup(text: str) -> str:
    """Text without HTML tags and bold markers; tabs (table cells) are kept."""
    return _EMPHASIS_RE.sub("", _TAG_RE.sub("", text))


def markdown_lines(text: str) -> list[SourceLine]:
    """Source lines of a Markdown document (one page)."""
    lines: list[SourceLine] = []
    gap = True
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            gap = True
            continue
        row = pipe_row(raw)
        if row is not None:
            if row:
                lines.append(SourceLine(strip_markup(row), 1, gap))
                gap = False
            continue
        heading = _HEADING_RE.match(raw)
        bold_match = _BOLD_LINE_RE.match(raw)
        bold = bool(bold_match) and not any(m in bold_match.group("body") for m in ("**", "<b>", "</b>"))
        if heading:
            lines.append(
                SourceLine(strip_markup(heading.group(2)).strip(), 1, gap, heading=len(heading.group(1)))
            )
        else:
            body = _MD_BULLET_RE.sub("• ", raw, count=1)
            bold = bold or (raw.lstrip().startswith("<b>") and "\t" in raw)
            lines.append(SourceLine(strip_markup(body), 1, gap, bold=bold))
        gap = False
    return lines
