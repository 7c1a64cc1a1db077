"""The Numbers panel: each partial derivative with this step's values in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.events import Resize

from tracer.notation import GradientNumbers, format_number
from tracer.ui.session import TERM_DIGITS
from tracer.ui.widgets.panel import Panel, lines

if TYPE_CHECKING:
    from tracer.ui.session import Session

LABEL = "bold $accent"
RESULT = "bold"
NOTE = "dim"


def block(label: str, numbers: GradientNumbers, values: bool) -> list:
    """One parameter's rows: its terms, ``…``, ``Σ`` and ``× factor = result``.

    With ``values``, each term's value stands in a column left of the term,
    and ``Σ`` in the same column; without, only the terms are shown.
    """
    rows: list = [[(label, LABEL)]]
    total = format_number(numbers.total)
    result = [
        "  × ",
        numbers.coefficient_text,
        " = ",
        (format_number(numbers.result), RESULT),
    ]
    hidden = numbers.n - len(numbers.terms)
    more = [(f" …  {hidden} more terms", NOTE)] if hidden > 0 else None
    if not values:
        rows += [[text] for _, text, _ in numbers.terms]
        if more:
            rows.append([(f"… {hidden} more terms", NOTE)])
        return rows + [[("Σ ", "bold"), "= ", total, *result]]
    shown = [format_number(value, TERM_DIGITS) for _, _, value in numbers.terms]
    width = max(len(text) for text in [*shown, total])
    for (i, text, _), value in zip(numbers.terms, shown, strict=True):
        rows.append([f" {i}  ", value.rjust(width), " = ", text])
    if more:
        rows.append(more)
    return rows + [[(" Σ  ", "bold"), total.rjust(width), *result]]


def widest(rows: list) -> int:
    """The width of the widest row of parts."""
    return max(
        sum(len(part if isinstance(part, str) else part[0]) for part in row)
        for row in rows
    )


class NumbersPanel(Panel):
    """For each parameter: the first terms of the sum, its total, n and the result.

    The rows follow ``∂J/∂θ = (c/n) Σ term_i``: the first terms with this
    step's numbers substituted, ``Σ`` over all n of them, then the factor in
    front with n filled in. When the panel is wide enough each term's value
    is shown too.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Numbers", id=id)
        self.session: Session | None = None

    def show_session(self, session: Session) -> None:
        """Show the numbers of the step ``session`` is on."""
        self.session = session
        record = session.record
        if record is None:
            self.border_title = "Numbers"
            self.show(Content("No step was made: the start is already not finite."))
            return
        self.border_title = f"Numbers · iteration {record.iteration}"
        blocks = [
            (session.param_label(index), numbers)
            for index, numbers in enumerate(session.numbers())
        ]
        rows = [row for args in blocks for row in block(*args, values=True)]
        if widest(rows) > self.scrollable_content_region.width:
            rows = [row for args in blocks for row in block(*args, values=False)]
        self.show(lines(*rows))

    def on_resize(self, event: Resize) -> None:
        if self.session is not None:
            self.show_session(self.session)

    def show_waiting(self, text: str) -> None:
        """Say what is being worked out."""
        self.border_title = "Numbers"
        self.show(Content(text))
