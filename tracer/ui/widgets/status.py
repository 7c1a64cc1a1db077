"""The status line: where the run is, and how it is going, in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from tracer.descent import CONVERGED, DIVERGED
from tracer.notation import format_number

if TYPE_CHECKING:
    from tracer.ui.session import Session

STATE_STYLES = {CONVERGED: "bold $success", DIVERGED: "bold $error"}


class StatusLine(Static):
    """Iteration, α, loss, ‖∇J‖ and the state; below it, the last thing done."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.text = ""
        """The status as last shown, without styles."""

    def show_session(self, session: Session, note: str = "") -> None:
        """Describe ``session`` and add ``note`` (what the last key did)."""
        trace = session.trace
        record = session.record
        parts: list = [("iteration ", "dim"), (str(session.k), "bold")]
        parts += [("  α ", "dim"), f"= {trace.lr:g}"]
        if record is not None:
            parts += [("  J ", "dim"), f"= {format_number(record.loss)}"]
            parts += [("  ‖∇J‖ ", "dim"), f"= {format_number(session.gradient_norm)}"]
        state = session.state()
        style = STATE_STYLES.get(trace.status, "bold $success")
        if state.startswith("the loss went up"):
            style = "bold $warning"
        parts += ["  ", (state, style)]
        if trace.stable_lr is not None and trace.status != DIVERGED:
            parts += [("  largest stable α ", "dim"), f"= {trace.stable_lr:.4g}"]
        text = Content.assemble(*parts)
        if note:
            text = Content("\n").join([text, Content.styled(note, "italic")])
        self.show(text)

    def show_text(self, text: str, style: str = "") -> None:
        """Show a sentence instead: loading, or an error."""
        self.show(Content.styled(text, style) if style else Content(text))

    def show(self, content: Content) -> None:
        """Show ``content``; lay the screen out again only if it can need it."""
        if content.plain == self.text:
            return
        before = self.rows(self.text)
        self.text = content.plain
        self.update(content, layout=self.rows(self.text) != before)

    def rows(self, text: str) -> int:
        """About how many rows ``text`` takes once wrapped to this width."""
        width = max(self.size.width - 2, 1)
        return sum(-(-max(cell_len(line), 1) // width) for line in text.split("\n"))
