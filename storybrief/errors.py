"""Errors a user can act on.

Every failure that comes from the input (a missing file, a binary blob, a budget too small)
is a `StoryBriefError`; front ends print its message on one line and exit non-zero.
Anything else is a bug and is allowed to surface as one.
"""


class StoryBriefError(Exception):
    """An input problem, explained in one line a user can act on."""


class InputError(StoryBriefError):
    """The input could not be read as articles."""


class BudgetError(StoryBriefError):
    """The word budget is too small for any sentence."""


def first_line(exc: BaseException) -> str:
    """An exception's message on one line: its first (of the driver's error, for a database
    library's wrapper that keeps it in `orig`), or the exception's type name when it has none."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


def internal_error(exc: BaseException) -> str:
    """A bug hit by one item of many (a cluster, a story), reported on one line while the others go
    on: "internal error: " and the exception's type, then its first line when it has a message."""
    line = first_line(exc)
    return f"internal error: {type(exc).__name__}" + ("" if line == type(exc).__name__ else f": {line}")
