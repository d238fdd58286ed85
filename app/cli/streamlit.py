"""`rapportsok app`: start the Streamlit app installed with the package, with its settings.

Streamlit reads `.streamlit/config.toml` only from the working directory or the home folder,
which an installed package cannot count on, so the settings shipped in
`app/streamlit_config.toml` are given to `streamlit run` as flags instead (later flags, e.g. a
user's `--server.port`, win).
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from importlib import resources
from pathlib import Path

from rapportsok.index.settings import DATA_DIR_ENV

CONFIG = "streamlit_config.toml"


def streamlit_flags(config: dict) -> list[str]:
    """`{"server": {"headless": True}}` -> `["--server.headless=true"]`."""
    flags = []
    for section, options in config.items():
        for name, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{name}={text}")
    return flags


def command(extra: list[str]) -> list[str]:
    """The `streamlit run` command line for the installed app."""
    package = resources.files("rapportsok.app")
    config = tomllib.loads((package / CONFIG).read_text(encoding="utf-8"))
    script = str(package / "streamlit_app.py")
    return [sys.executable, "-m", "streamlit", "run", script, *streamlit_flags(config), *extra]


def app(args: argparse.Namespace) -> int:
    extra = [arg for arg in args.streamlit_args if arg != "--"]
    if args.data_dir:
        os.environ[DATA_DIR_ENV] = str(Path(args.data_dir).expanduser().resolve())  # for the app's process
    print("Startar Rapportsök: öppna adressen under \"Local URL\" nedan i webbläsaren. Avsluta med Ctrl+C.",
          flush=True)
    argv = command(extra)
    # Replaces this process, so Ctrl+C and the exit code are Streamlit's own.
    os.execv(argv[0], argv)
    return 0  # not reached
