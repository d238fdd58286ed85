"""The one error type the ingest layer raises for files it cannot use.

The batch sync records `str(error)` as the reason a file failed and shows it to
the user, so the message is always Swedish and says what is wrong with the file.
"""


class IngestError(Exception):
    """A file cannot be ingested; `str(e)` is a Swedish message for users."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message
