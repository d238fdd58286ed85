"""`rapportsok-dev bench-start`: cold start-up time and peak memory of the user commands.

Each command runs in a fresh Python process, as a user runs it; `os.wait4` gives that one
child's peak RSS (RUSAGE_CHILDREN would give the largest of all children so far).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def commands(data_dir: Path, folder: Path, question: str) -> dict[str, list[str]]:
    """The measured command lines: status, a no-op ingest of `folder` and one question."""
    base = [sys.executable, "-m", "rapportsok.app", "--data-dir", str(data_dir)]
    return {
        "status": [*base, "status"],
        "ingest (inget ändrat)": [*base, "ingest", str(folder)],
        "ask": [*base, "ask", question],
    }


def run_once(argv: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one cold run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return wall, usage.ru_maxrss / scale, process.returncode


def bench_start(data_dir: Path, folder: Path, question: str, repeat: int = 3) -> dict:
    """Median and best wall time and the largest peak RSS per command over `repeat` cold runs."""
    rows = []
    for name, argv in commands(data_dir, folder, question).items():
        runs = [run_once(argv) for _ in range(repeat)]
        walls = [wall for wall, _, _ in runs]
        rows.append(
            {
                "command": name,
                "wall_s_median": round(statistics.median(walls), 3),
                "wall_s_best": round(min(walls), 3),
                "peak_rss_mb": round(max(rss for _, rss, _ in runs), 1),
                "exit_codes": sorted({code for _, _, code in runs}),
            }
        )
    return {"repeat": repeat, "cpu_count": os.cpu_count(), "commands": rows}
