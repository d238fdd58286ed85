"""Uploaded reports: safe file names and saving into the corpus folder (the app's admin tab).

Kept apart from the Streamlit script so the checks that guard the file system are unit-tested.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

from rapportsok.ingest.formats import SUPPORTED_SUFFIXES

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


def save_upload(folder: Path, name: str, data: bytes, max_bytes: int) -> Path:
    """Write an uploaded file into `folder` under its safe name (replacing an earlier upload of
    the same name) and return its path. The write goes through a temporary file in the same
    folder and a rename, so a sync never sees half a file."""
    if len(data) > max_bytes:
        raise UploadError(
            f"Filen är för stor ({len(data) / 2**20:.1f} MB). Största tillåtna storlek är "
            f"{max_bytes / 2**20:.0f} MB."
        )
    if not data:
        raise UploadError("Filen är tom.")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_filename(name)
    if target.resolve().parent != folder.resolve():
        raise UploadError("Ogiltigt filnamn.")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
