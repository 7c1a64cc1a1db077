"""Derive it yourself: type a partial derivative and have it checked."""

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Static,
)

from tracer.answers import judge, mark
from tracer.derivation import symbol_name
from tracer.errors import TracerError
from tracer.notation import partial_label, unicode
from tracer.ui.session import Session
from tracer.ui.widgets.formula import chain_rows
from tracer.ui.widgets.panel import lines
from tracer.verdict import describe_counterexample

VERDICT_STYLES = {
    "correct": ("✓ correct", "bold $success"),
    "incorrect": ("✗ incorrect", "bold $error"),
    "unreadable": ("? cannot read it", "bold $warning"),
}


class DeriveScreen(ModalScreen[None]):
    """Type ``∂J/∂θ``; see the verdict inline; reveal SymPy's own derivation."""

    BINDINGS = [Binding("escape", "close", "close", tooltip="Back to the trace")]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session
        self.params = [symbol_name(p.param) for p in session.derivation.partials]

    def compose(self) -> ComposeResult:
        model = self.session.derivation.model
        with Vertical(classes="dialog", id="derive") as dialog:
            dialog.border_title = "Derive it yourself"
            with VerticalScroll():
                yield Static(
                    lines(
                        [("ŷ_i = ", "bold"), unicode(model.prediction)],
                        [("J   = ", "bold"), unicode(model.mean_loss)],
                    ),
                    markup=False,
                    classes="formula-line",
                )
                yield Label("Differentiate J by")
                with RadioSet(id="param"):
                    for index, name in enumerate(self.params):
                        yield RadioButton(partial_label(name), value=index == 0)
                yield Input(placeholder="your ∂J/∂θ, e.g. 1/n sum(...)", id="answer")
                yield Checkbox("LaTeX", id="latex")
                yield Static("", id="verdict", markup=False)
                yield Static("", id="solution", markup=False, classes="formula-line")
            with Horizontal(classes="buttons"):
                yield Button("Check", variant="primary", id="check")
                yield Button("Show SymPy's derivation", id="reveal")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def param(self) -> str:
        return self.params[self.query_one(RadioSet).pressed_index]

    def on_input_submitted(self) -> None:
        self.check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            self.check()
        elif event.button.id == "reveal":
            self.reveal()
        else:
            self.dismiss(None)

    def check(self) -> None:
        """Judge the typed answer in a worker (SymPy can take a moment)."""
        text = self.query_one(Input).value
        if not text.strip():
            return
        latex = self.query_one(Checkbox).value
        self.query_one("#verdict", Static).update("checking…")
        self.run_judge(self.param, text, latex)

    @work(thread=True, exclusive=True)
    def run_judge(self, param: str, text: str, latex: bool) -> None:
        try:
            verdict = judge(self.session.model, param, text, latex=latex)
        except TracerError as error:
            self.app.call_from_thread(self.show_problem, str(error))
            return
        self.app.call_from_thread(self.show_verdict, verdict)

    def show_problem(self, message: str) -> None:
        self.query_one("#verdict", Static).update(Content.styled(message, "$error"))

    def show_verdict(self, verdict) -> None:
        """The verdict, how the answer was read and what is wrong, if anything.

        SymPy's own answer is not shown here: that is what the reveal button
        is for.
        """
        heading, style = VERDICT_STYLES.get(verdict.status, (verdict.status, "bold"))
        if verdict.diagnosis:
            heading += f" ({verdict.diagnosis})"
        rows: list = [[(heading, style)]]
        if verdict.read_as:
            rows.append([("read as  ", "dim"), verdict.read_as])
        if verdict.status == "unreadable" and verdict.position is not None:
            marked = mark(verdict.answer, verdict.position)
            rows += [[(line, "bold $warning")] for line in marked.splitlines()]
        rows.append([verdict.message])
        if verdict.hint:
            rows.append([(verdict.hint, "italic")])
        if verdict.counterexample:
            data, values = describe_counterexample(verdict.counterexample)
            rows.append([("example  ", "dim"), f"{data}: {values}"])
        self.query_one("#verdict", Static).update(lines(*rows))

    def reveal(self) -> None:
        """Show SymPy's chain rule and sum form for the chosen parameter."""
        partial = self.session.derivation.partials[self.params.index(self.param)]
        rows = [[("SymPy's derivation", "bold")]]
        rows += chain_rows(partial)
        rows.append(
            [
                (partial_label(self.param), "bold $accent"),
                " = ",
                unicode(partial.sum_form),
            ]
        )
        self.query_one("#solution", Static).update(lines(*rows))

    def action_close(self) -> None:
        """Back to the trace."""
        self.dismiss(None)
