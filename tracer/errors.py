"""The one exception family every user-caused problem belongs to."""


class TracerError(Exception):
    """A problem the user can fix: what was wrong, what was expected, what to do.

    The command line prints ``str(error)`` without a traceback and exits 2; the
    UI shows the same text and keeps running.

    Args:
        message: What was wrong and what was expected instead.
        hint: One line on what to do about it, or an empty string.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n{self.hint}"
        return self.message


class DataError(TracerError):
    """A data set or CSV file that cannot be used as it is."""


class UsageError(TracerError):
    """A model, parameter, option or value outside what tracer accepts."""


class AnswerError(TracerError):
    """A learner's typed derivation that cannot be read.

    Args:
        message: What could not be read.
        position: Zero-based index into the typed text where reading failed,
            or None when the problem is the text as a whole.
        hint: One line on what to do about it.
    """

    def __init__(self, message: str, position: int | None = None, hint: str = ""):
        super().__init__(message, hint)
        self.position = position
