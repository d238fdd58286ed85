"""The file formats Rapportsök reads, by suffix. Apart from the readers so that finding files
(a sync that has nothing to do, the app's upload check) does not import pypdf and python-docx."""

from __future__ import annotations

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
WORD_SUFFIXES = frozenset({".docx"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | MARKDOWN_SUFFIXES | WORD_SUFFIXES | HTML_SUFFIXES
