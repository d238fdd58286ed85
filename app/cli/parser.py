"""The `rapportsok` parser: what a user does (ingest, search, ask, status, reindex, app).

Pure argparse: each subcommand names its handler module, imported only when it runs
(app/cli/runner.py). Developer tools are a separate command, `rapportsok-dev` (tools/cli/).
"""

from __future__ import annotations

import argparse

from rapportsok.app.cli.common import positive_int, year
from rapportsok.app.cli.runner import new_parser

_HANDLERS = "rapportsok.app.cli"


def _ingest(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ingest",
        parents=[common],
        help="läs in rapporter (filer och mappar) i indexet",
        description="Läser in PDF, DOCX, TXT, Markdown och HTML. Nya filer läggs till, ändrade ersätts, "
        "oförändrade hoppas över och dokument vars filer försvunnit ur en angiven mapp tas bort.",
    )
    parser.add_argument("paths", nargs="+", metavar="SÖKVÄG", help="fil eller mapp att läsa in")
    parser.add_argument("--no-prune", action="store_true", help="behåll dokument vars filer har försvunnit")
    parser.add_argument("--workers", type=positive_int, metavar="N", help="antal parallella processer")
    parser.add_argument("--force", action="store_true", help="läs om även oförändrade filer")
    parser.set_defaults(handler=f"{_HANDLERS}.ingest:ingest")


def _status(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "status", parents=[common], help="visa vad indexet innehåller och var data finns"
    )
    parser.set_defaults(handler=f"{_HANDLERS}.status:status")


def _search(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "search",
        parents=[common],
        help="sök avsnitt i rapporterna (ord och betydelse)",
        description="Hybridsökning: BM25 över svenska ordstammar och semantisk sökning med e5, "
        "sammanvägda. Ett årtal i frågan lyfter avsnitt om det året.",
    )
    parser.add_argument("query", metavar="FRÅGA", help="sökfrågan, eller - för en fråga per rad från stdin")
    parser.add_argument("-k", type=positive_int, default=10, metavar="N", help="antal träffar (10)")
    parser.add_argument("--document", metavar="FIL", help="sök bara i den här rapporten (filnamn)")
    parser.add_argument("--year", type=year, metavar="ÅR", help="bara avsnitt om det här året")
    parser.add_argument("--from", dest="year_from", type=year, metavar="ÅR", help="från och med år")
    parser.add_argument("--to", dest="year_to", type=year, metavar="ÅR", help="till och med år")
    parser.add_argument("--division", metavar="NAMN", help="bara avsnitt som nämner divisionen")
    parser.add_argument("--section", metavar="TEXT", help="bara avsnitt vars rubrik innehåller TEXT")
    parser.set_defaults(handler=f"{_HANDLERS}.search:search")


def _ask(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ask",
        parents=[common],
        help="ställ en fråga och få den exakta siffran med mening och källa",
        description="Svarar med siffran (eller datum, namn, division, mening) ur rapporterna, meningen den "
        "står i och källan, eller ”hittar ingen uppgift”. Andra uppgifter om samma sak visas bredvid.",
    )
    parser.add_argument("question", metavar="FRÅGA", help="frågan, eller - för en fråga per rad från stdin")
    parser.add_argument(
        "--format", choices=("text", "markdown"), default="text",
        help="text (standard): citat att klistra in i ett e-brev (siffran, meningen, källan i ord) "
        "följt av andra uppgifter och avsnitt; markdown: samma citat som Markdown",
    )
    parser.add_argument("-k", type=positive_int, default=5, metavar="N", help="antal avsnitt som visas (5)")
    parser.set_defaults(handler=f"{_HANDLERS}.ask:ask")


def _reindex(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "reindex",
        parents=[common],
        help="bygg om sökindexen (och med --embeddings alla vektorer)",
        description="Bygger om ordindexet (FTS5). Med --embeddings räknas alla vektorer om med den modell "
        "som används nu, t.ex. efter byte av inbäddningsmodell.",
    )
    parser.add_argument("--embeddings", action="store_true", help="räkna om alla vektorer")
    parser.set_defaults(handler=f"{_HANDLERS}.ingest:reindex")


def _app(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "app",
        parents=[common],
        help="starta webbappen (Streamlit) i webbläsaren",
        description="Startar Rapportsöks webbapp med de inställningar den levereras med. Argument efter "
        "-- går vidare till `streamlit run`, t.ex. rapportsok app -- --server.port 8502.",
    )
    parser.add_argument("streamlit_args", nargs=argparse.REMAINDER, metavar="…",
                        help="flaggor till streamlit run (efter --)")
    parser.set_defaults(handler=f"{_HANDLERS}.streamlit:app")


SUBCOMMANDS = [_ingest, _status, _search, _ask, _reindex, _app]


def build_parser() -> argparse.ArgumentParser:
    """The full `rapportsok` parser."""
    parser, subparsers, common = new_parser(
        "rapportsok", "Rapportsök: sök och få svar med källa i svenska offentliga rapporter."
    )
    for add in SUBCOMMANDS:
        add(subparsers, common)
    return parser
