"""`rapportsok-dev bench-start`: cold wall time and peak memory of status, ask and no-op ingest."""

from __future__ import annotations

import argparse
from pathlib import Path

from rapportsok.app.cli.common import EXIT_OK, engine_for, print_json
from rapportsok.lang.numbers import format_number
from rapportsok.tools.start_benchmark import bench_start as measure


def bench_start(args: argparse.Namespace) -> int:
    engine = engine_for(args, need_index=True)
    result = measure(engine.data_dir, Path(args.folder).resolve(), args.question, repeat=args.repeat)
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"Kallstart, {args.repeat} körningar per kommando, {result['cpu_count']} kärnor:")
    for row in result["commands"]:
        codes = "" if row["exit_codes"] == [0] else f"  (slutkoder {row['exit_codes']})"
        print(f"  {row['command']:22} median {format_number(row['wall_s_median'])} s  "
              f"bästa {format_number(row['wall_s_best'])} s  "
              f"minne {format_number(row['peak_rss_mb'])} MB{codes}")
    return EXIT_OK
