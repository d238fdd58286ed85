"""The one error type the ingest layer raises for files it cannot use, and Swedish words for
the operating system's file errors.

The batch sync records `str(error)` as the reason a file failed and shows it to
the user, so the message is always Swedish and says what is wrong with the file.
"""

import errno

# The OS gives `strerror` in English; users read Swedish. The common cases, else a general line.
_OS_ERRORS = {
    errno.ENOENT: "filen finns inte",
    errno.EACCES: "åtkomst nekas",
    errno.EPERM: "åtkomst nekas",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "filsystemet är skrivskyddat",
}


def describe_os_error(error: OSError) -> str:
    """A Swedish reason for a failed file operation ("filen finns inte")."""
    return _OS_ERRORS.get(error.errno, "filen kan inte läsas eller skrivas")


class IngestError(Exception):
    """A file cannot be ingested; `str(e)` is a Swedish message for users."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message
