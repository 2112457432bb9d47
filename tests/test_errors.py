"""One-line messages made from exceptions."""

from storybrief.errors import first_line, internal_error


class Wrapped(Exception):
    """A database library's error: the driver's own is in `orig`."""

    def __init__(self, message: str, orig: Exception):
        super().__init__(message)
        self.orig = orig


def test_first_line_is_the_first_line_of_the_message_or_the_driver_error_or_the_type():
    assert first_line(ValueError("  bad value\nTraceback details")) == "bad value"
    assert first_line(Wrapped("(wrapper) SELECT ...\nmore", KeyError("the driver said"))) == "'the driver said'"
    assert first_line(RuntimeError()) == "RuntimeError"


def test_internal_error_names_the_type_and_the_first_line_only():
    assert internal_error(ZeroDivisionError("division by zero\n  at line 3")) == (
        "internal error: ZeroDivisionError: division by zero"
    )
    assert internal_error(AssertionError()) == "internal error: AssertionError"
