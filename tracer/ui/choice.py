"""What the trace screen is asked to open: a model, its data and α."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """A model, its data (a built-in name or a CSV path) and α.

    ``data`` None means the model's default data set; ``lr`` None the
    suggested learning rate.
    """

    model: str
    data: str | None
    lr: float | None
