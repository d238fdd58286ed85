"""`rapportsok status`: what the index holds and where the data lives (opens no model)."""

from __future__ import annotations

import argparse
import os

from rapportsok.app.cli import common
from rapportsok.app.cli.common import EXIT_OK, print_json
from rapportsok.index.sync import unreadable_note


def status(args: argparse.Namespace) -> int:
    status = common.engine_for(args).status()
    if args.json:
        print_json(status)
        return EXIT_OK
    counts = status["counts"]
    print(f"Datakatalog: {status['data_dir']}")
    if status["database"] is None:
        print("Här finns inget index ännu. Läs in rapporter med: rapportsok ingest MAPP")
        return EXIT_OK
    print(f"Databas:     {status['database']} (schemaversion {status['schema_version']})")
    print(
        f"Dokument:    {counts['documents']} inlästa ({counts['pages']} sidor), "
        f"misslyckade: {counts['failed']}"
    )
    print(
        f"Innehåll:    {counts['chunks']} textavsnitt, {counts['entities']} entiteter, "
        f"{counts['figures']} belopp/andelar"
    )
    if status["without_vectors"]:
        print(
            f"Vektorer:    {status['without_vectors']} textavsnitt saknar sökvektor (en inläsning avbröts "
            "eller pågår); de hittas på sina ord tills nästa `rapportsok ingest` beräknar dem."
        )
    for doc in status["documents"]:
        print(
            f"  {doc['date'] or '–':10}  {common.one_line(doc['title'])}  "
            f"({common.one_line(doc['organisation'] or 'organisation okänd')}, {doc['chunks']} avsnitt, "
            f"{common.one_line(os.path.basename(doc['path']))})"
        )
        if doc["unreadable"]:
            print(f"              {unreadable_note(doc['unreadable'])}")
    if status["stale"]:
        print("Kunde inte läsas senast (den tidigare versionen finns kvar):")
        for stale in status["stale"]:
            print(f"  {common.one_line(stale['path'])}: {stale['error']}")
    if status["failed"]:
        print("Misslyckade filer:")
        for failed in status["failed"]:
            print(f"  {common.one_line(failed['path'])}: {failed['error']}")
    return EXIT_OK
