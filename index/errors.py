"""Errors a user can fix (a missing path, a bad option): the CLI shows the Swedish message and exits 2."""


class UserError(Exception):
    """A problem in what the user asked for; `str(e)` is a Swedish message."""
