"""The Formula panel: the loss and each partial derivative, as SymPy printed them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.events import Resize

from tracer.derivation import symbol_name
from tracer.notation import chain_equation, chain_labels, partial_label, unicode
from tracer.ui.widgets.panel import Panel, lines

if TYPE_CHECKING:
    from tracer.ui.session import Session

LABEL = "bold $accent"
NOTE = "dim"


def equations(rows: list[tuple[str, str]], width: int) -> list[list]:
    """``label = formula`` rows, the ``=`` signs in one column.

    A formula is never broken: a row too wide for ``width`` columns gets its
    label on a line of its own, above the formula.
    """
    label_width = max(len(label) for label, _ in rows)
    built = []
    for label, text in rows:
        if label_width + 3 + len(text) <= width:
            built.append([(label.ljust(label_width), LABEL), " = ", text])
        else:
            built += [[(f"{label} =", LABEL)], [text]]
    return built


def chain_rows(partial) -> list[list]:
    """``∂J/∂w = Σ ∂J/∂L_i · ∂L_i/∂ŷ_i · ∂ŷ_i/∂w``, then each factor SymPy found."""
    labels = chain_labels(partial)
    name, equation = chain_equation(partial).split(" = ", 1)
    rows = [[(name, LABEL), " = ", equation]]
    width = max(len(label) for label in labels)
    for label, step in zip(labels, partial.chain, strict=True):
        rows.append(["  ", (label.ljust(width), LABEL), " = ", unicode(step.factor)])
    return rows


class FormulaPanel(Panel):
    """Loss and gradient formulas, in sum or vector form, optionally the chain rule."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Formula", id=id)
        self.shown: tuple[Session, bool, bool] | None = None

    def show_session(self, session: Session, vector: bool, chain: bool) -> None:
        """Show ``session``'s formulas in the chosen form."""
        self.shown = (session, vector, chain)
        derivation = session.derivation
        model = derivation.model
        self.border_title = "Formula · " + ("vector form" if vector else "sum form")
        if vector:
            forms = []
            for partial in derivation.partials:
                name = symbol_name(partial.param)
                label = partial_label("w" if name == "w_j" else name)
                forms.append((label, unicode(partial.vector)))
        else:
            forms = session.sum_forms
        head = [("ŷ_i", unicode(model.prediction)), ("J", unicode(model.mean_loss))]
        width = self.scrollable_content_region.width
        rows = equations(head, width) + equations(forms, width)
        if chain:
            rows.append([("chain rule, for each sample i:", NOTE)])
            for partial in derivation.partials:
                rows += chain_rows(partial)
        self.show(lines(*rows))

    def on_resize(self, event: Resize) -> None:
        if self.shown is not None:
            self.show_session(*self.shown)

    def show_waiting(self, text: str) -> None:
        """Say what is being worked out."""
        self.border_title = "Formula"
        self.show(Content(text))
