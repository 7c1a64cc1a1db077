"""The Update panel: ``θ_k``, ``−α·∂J/∂θ``, ``θ_{k+1}``, the loss before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tracer.notation import MINUS, format_number
from tracer.ui.widgets.panel import Panel, lines

if TYPE_CHECKING:
    from tracer.ui.session import Session

HEAD = "bold $accent"
RESULT = "bold"
NOTE = "dim"


def number(value: float) -> str:
    """``format_number``, with ``−0`` written as ``0``."""
    return format_number(value + 0.0)


def signed(value: float) -> str:
    """A number with its sign written out, ``+1.359`` or ``−0.2``; 0 as ``0``.

    Examples:
        >>> signed(1.3594), signed(-0.2), signed(-0.0)
        ('+1.359', '−0.2', '0')
    """
    text = number(value)
    return text if text.startswith(MINUS) or value == 0 else "+" + text


def _table(rows: list[list[str]]) -> list[list[str]]:
    """Right-align every column of ``rows`` but the first."""
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    return [
        [row[0].ljust(widths[0])]
        + [
            cell.rjust(width + 1)
            for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        for row in rows
    ]


class UpdatePanel(Panel):
    """One gradient step: each parameter before, its change, and after."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Update", id=id)

    def show_session(self, session: Session) -> None:
        """Show the update made at the step ``session`` is on."""
        record = session.record
        self.border_title = "Update"
        if record is None:
            self.show(Content(session.trace.reason))
            return
        names = session.param_names
        table = [["", "θₖ", "−α·∂J/∂θ", "θₖ₊₁"]]
        for name, before, change, after in zip(
            names, record.params, record.update, record.next_params, strict=True
        ):
            table.append([name, number(before), signed(change), number(after)])
        aligned = _table(table)
        rows: list = [[(f"α = {record.lr:g}", NOTE)], [("".join(aligned[0]), HEAD)]]
        for cells in aligned[1:]:
            rows.append([(cells[0], HEAD), *cells[1:-1], (cells[-1], RESULT)])

        change = record.next_loss - record.loss
        percent = 100 * change / record.loss if record.loss else 0.0
        loss_rows = [
            ["J(θₖ)", number(record.loss)],
            ["J(θₖ₊₁)", number(record.next_loss)],
            ["change", f"{signed(change)} ({signed(percent)}%)"],
        ]
        rows.append("")
        for label, value in loss_rows:
            rows.append([(label.ljust(8), HEAD), value])
        self.show(lines(*rows))
