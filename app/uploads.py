"""Uploaded reports: safe file names and saving into the corpus folder (the app's admin tab).

Kept apart from the Streamlit script so the checks that guard the file system are unit-tested.
Uploads go to `corpus/` inside the data directory by default, never into the git checkout (the
sample corpus there is read-only input). An upload never silently replaces a report: a file of
the same name with other content is refused unless the user confirms, and the replaced version
is kept in the hidden folder `.tidigare/` beside it (hidden folders are never ingested).
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from rapportsok.ingest.formats import SUPPORTED_SUFFIXES
from rapportsok.lang.numbers import format_number

PREVIOUS_VERSIONS = ".tidigare"
# What administrators may upload: the formats the issue names, all of which the readers support.
UPLOAD_SUFFIXES = tuple(s for s in (".pdf", ".docx", ".txt", ".md") if s in SUPPORTED_SUFFIXES)
MAX_NAME_LENGTH = 120
# Letters (å, ä, ö included), digits, space, dot, dash and underscore; anything else becomes "_".
_UNSAFE = re.compile(r"[^\w. -]")


class UploadError(ValueError):
    """An upload is refused; `str(e)` is a Swedish reason for the user."""


def safe_filename(name: str) -> str:
    """A file name that can only land inside the corpus folder: folders dropped (also Windows
    ones), odd characters replaced, no leading dot (hidden files are never synced), a supported
    suffix. Raises UploadError with a Swedish reason."""
    base = PurePosixPath(unicodedata.normalize("NFC", name).replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in UPLOAD_SUFFIXES:
        allowed = ", ".join(s.lstrip(".").upper() for s in UPLOAD_SUFFIXES)
        raise UploadError(f"Filtypen stöds inte ({suffix or 'ingen filändelse'}). Tillåtna: {allowed}.")
    stem = _UNSAFE.sub("_", stem).strip(" .")
    if not stem:
        raise UploadError("Filnamnet saknar namn före filändelsen.")
    return stem[: MAX_NAME_LENGTH - len(suffix)] + suffix


# The largest report the app takes (MB). Streamlit's own transport limit is set higher
# (app/streamlit_config.toml), so a larger file gets this module's Swedish refusal, not
# Streamlit's English one.
UPLOAD_LIMIT_MB = 50


def save_upload(folder: Path, name: str, data: bytes, max_bytes: int, replace: bool = False) -> Path:
    """Write an uploaded file into `folder` under its safe name and return its path.

    A file of that name with other content is only replaced with `replace` (the user's explicit
    confirmation), and its old version is moved to `.tidigare/` first. The write goes through a
    temporary file in the same folder and a rename, so a sync never sees half a file."""
    if len(data) > max_bytes:
        raise UploadError(
            f"Filen är för stor ({format_number(len(data) / 2**20, 1)} MB). Största tillåtna storlek är "
            f"{format_number(max_bytes / 2**20, 0)} MB."
        )
    if not data:
        raise UploadError("Filen är tom.")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_filename(name)
    if target.resolve().parent != folder.resolve():
        raise UploadError("Ogiltigt filnamn.")
    if target.exists():
        if target.read_bytes() == data:
            return target
        if not replace:
            raise UploadError(
                f"Det finns redan en rapport med namnet {target.name} med annat innehåll. Kryssa i "
                "”Ersätt rapporter med samma namn” för att ersätta den; den gamla versionen sparas."
            )
        keep = folder / PREVIOUS_VERSIONS
        keep.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        os.replace(target, keep / f"{target.stem}.{stamp}{target.suffix}")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
