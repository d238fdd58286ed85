"""The HTML reader (ingest/html.py) through `read_document`: headings with their levels, paragraphs,
list items and table rows in order; scripts, styles, inline SVG and `data:` images never become text."""

from __future__ import annotations

from pathlib import Path

from rapportsok.ingest.formats import SUPPORTED_SUFFIXES
from rapportsok.ingest.readers import read_document

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Läget i länet</title>
<style>p { color: red; }</style><script>var tabell = "<table><tr><td>42</td></tr></table>";</script></head>
<body>
<h1>Det ekonomiska läget</h1>
<p>Rapporten är skapad av Samhällsanalys. Senast uppdaterad: 2026-04-21</p>
<h2>Arbetsmarknad</h2>
<p>Arbetslösheten var <b>6,4 procent</b> i mars 2026, lägre än året innan.</p>
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk">
<svg><text>diagramtext 999</text></svg>
<ul><li>Konkurserna minskade.<ul><li>Mest i handeln.</li></ul></li></ul>
<table><tr><th>Kommun</th><th>Bygglov</th></tr><tr><td>Falun</td><td>55</td></tr></table>
</body></html>
"""


def test_html_report_reads_as_blocks(tmp_path: Path) -> None:
    assert {".html", ".htm"} <= SUPPORTED_SUFFIXES
    path = tmp_path / "laget.html"
    path.write_text(PAGE, encoding="utf-8")
    document = read_document(path)
    headings = [(b.text, b.level) for b in document.blocks if b.kind == "heading"]
    assert headings == [("Det ekonomiska läget", 1), ("Arbetsmarknad", 2)]
    text = "\n".join(b.text for b in document.blocks)
    assert "Arbetslösheten var 6,4 procent i mars 2026" in text
    assert "Konkurserna minskade." in text and "Mest i handeln." in text
    assert text.count("Mest i handeln.") == 1
    assert "Falun\t55" in text
    for noise in ("color: red", "var tabell", "base64", "diagramtext", "42"):
        assert noise not in text
    assert document.page_count == 1 and document.tables and document.tables[0].rows
