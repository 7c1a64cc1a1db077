"""The trace screen: formula, numbers and update side by side, pictures below.

The first frame must not wait for anything but Textual: the dialogs are
imported when first opened, and the plots (plotext) are imported by the worker
that derives the model and mounted when it is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tracer.errors import TracerError
from tracer.ui.choice import Choice
from tracer.ui.screens.keys import TRACE_KEYS
from tracer.ui.widgets.formula import FormulaPanel
from tracer.ui.widgets.numbers import NumbersPanel
from tracer.ui.widgets.status import StatusLine
from tracer.ui.widgets.update import UpdatePanel

if TYPE_CHECKING:
    from tracer.ui.session import Session

TITLES = {
    "linear": "Linear regression",
    "multivariate": "Multivariate linear regression",
    "logistic": "Logistic regression",
}
SPEEDS = (1, 2, 5, 10, 20, 50)
"""Steps per second while playing."""

# Actions that need a loaded session; they are greyed out while SymPy works.
NEEDS_SESSION = {
    "next",
    "previous",
    "play",
    "faster",
    "slower",
    "go_to",
    "restart",
    "lr",
    "form",
    "chain",
    "compare",
    "derive",
    "export",
    "pair",
}


class TraceScreen(Screen):
    """Gradient descent on one model and data set, one iteration at a time."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = TRACE_KEYS

    def __init__(self, model: str, data: str | None, lr: float | None):
        super().__init__()
        self.request = Choice(model, data, lr)
        self.session: Session | None = None
        self.plots = None
        self.vector = False
        self.chain = False
        self.note = ""
        self.speed = SPEEDS.index(5)
        self.timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="context", markup=False)
        with VerticalScroll(id="body"):
            with Horizontal(id="panels"):
                yield FormulaPanel(id="formula")
                yield NumbersPanel(id="numbers")
                yield UpdatePanel(id="update")
            yield Static(id="plots-waiting")
        yield StatusLine(id="status")
        # The command palette (^p) is listed in the help screen instead: at 80
        # columns the footer has room for the trace's own keys only.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show_waiting(self.request)
        # SymPy's thread would compete with the first frame for the GIL, so it
        # starts once that frame is on screen.
        self.call_after_refresh(self.open, self.request)

    # Opening a model: SymPy works in a thread while the screen stays live.

    def show_waiting(self, choice: Choice) -> None:
        """Say that SymPy is at work on ``choice``."""
        waiting = f"deriving ∂J/∂θ for {choice.model} regression with SymPy…"
        if self.session is None:
            for panel in self.query("#formula, #numbers").results():
                panel.show_waiting("SymPy is deriving ∂J/∂θ…")
            title = Content.assemble((TITLES.get(choice.model, choice.model), "bold"))
            self.query_one("#context", Static).update(title + " · starting…")
        self.query_one(StatusLine).show_text(waiting, "italic")

    def open(self, choice: Choice) -> None:
        """Derive and compile ``choice`` in a worker; show it when ready."""
        self.pause()
        self.show_waiting(choice)
        self.open_session(choice)

    @work(thread=True, exclusive=True, group="open")
    def open_session(self, choice: Choice) -> None:
        """Build the session off the UI thread (the slow, symbolic part)."""
        from tracer.ui.session import Session
        from tracer.ui.widgets.plot_row import PlotRow

        try:
            session = Session.open(choice.model, choice.data, choice.lr)
        except TracerError as error:
            self.app.call_from_thread(self.failed, error)
            return
        self.app.call_from_thread(self.opened, session, PlotRow)

    async def opened(self, session: Session, row: type) -> None:
        """Show a freshly opened session, with its pictures."""
        self.session = session
        self.note = ""
        for model in TITLES:
            self.set_class(model == session.model, f"-{model}")
        if self.plots is None:
            self.plots = row()
            await self.query_one("#plots-waiting").remove()
            await self.query_one("#body").mount(self.plots)
        self.plots.start(session)
        self.show_formula()
        self.show_step()
        self.refresh_bindings()

    def failed(self, error: TracerError) -> None:
        """Say what went wrong and keep the screen running."""
        message = str(error)
        self.notify(message, title="Cannot open", severity="error", timeout=8)
        if self.session is None:
            self.query_one(StatusLine).show_text(
                f"{message}\nPress m to choose a model and data set.", "$error"
            )
            for panel in self.query("#formula, #numbers").results():
                panel.show_waiting("nothing to show yet")
        else:
            self.show_step()

    # Drawing.

    def show_formula(self) -> None:
        """Redraw the Formula panel in the current form."""
        if self.session is not None:
            self.query_one(FormulaPanel).show_session(
                self.session, self.vector, self.chain
            )

    def show_step(self) -> None:
        """Redraw everything that changes from one iteration to the next."""
        session = self.session
        if session is None:
            return
        self.query_one(NumbersPanel).show_session(session)
        self.query_one(UpdatePanel).show_session(session)
        self.query_one(StatusLine).show_session(session, self.note)
        self.plots.show(session)
        self.show_context()
        self.call_after_refresh(self.prefetch, session)

    def prefetch(self, session: Session) -> None:
        """Prepare the next step's numbers once this one is on screen."""
        if session is self.session:
            session.prefetch()

    def show_context(self) -> None:
        """The top line: what is being fitted, and whether it is playing."""
        session = self.session
        if session is None:
            return
        data = session.data
        playing = self.timer is not None
        state = "▶ playing" if playing else "paused"
        context = Content.assemble(
            (TITLES[session.model], "bold"),
            f" on {data.name} · n = {data.n}, d = {data.d} · ",
            f"{session.derivation.model.loss_name} · ",
            (state, "bold $success" if playing else "dim"),
            f" ({SPEEDS[self.speed]} steps/s)",
        )
        # One line, always: its size never changes.
        self.query_one("#context", Static).update(context, layout=False)

    def say(self, note: str) -> None:
        """Show ``note`` under the status line until the next one."""
        self.note = note
        self.show_step()

    # Actions.

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "pair":
            session = self.session
            return bool(session and session.model == "logistic" and session.data.d > 2)
        if action in NEEDS_SESSION and self.session is None:
            return None
        return True

    def action_next(self) -> None:
        """Take the next step."""
        if self.session.forward():
            self.note = ""
        else:
            self.note = f"No further step: {self.stopped()}"
        self.show_step()

    def stopped(self) -> str:
        """Why there is no next step, in a few words (the status line has more)."""
        trace = self.session.trace
        words = {"converged": "converged", "diverged": "diverged"}
        how = words.get(trace.status, "reached its step limit")
        return f"the run {how}; its last iteration is {self.session.last}."

    def action_previous(self) -> None:
        """Go back one step."""
        self.note = "" if self.session.back() else "This is the first step."
        self.show_step()

    def action_play(self) -> None:
        """Start or stop stepping on a timer."""
        if self.timer is not None:
            self.pause()
        else:
            self.timer = self.set_interval(1 / SPEEDS[self.speed], self.tick)
        self.show_context()

    def pause(self) -> None:
        """Stop playing."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def tick(self) -> None:
        """One step while playing; stop when the run has stopped."""
        if not self.session.forward():
            self.pause()
            self.note = f"Stopped playing: {self.stopped()}"
        self.show_step()

    def action_faster(self) -> None:
        """Play more steps per second."""
        self.change_speed(+1)

    def action_slower(self) -> None:
        """Play fewer steps per second."""
        self.change_speed(-1)

    def change_speed(self, change: int) -> None:
        self.speed = min(max(self.speed + change, 0), len(SPEEDS) - 1)
        if self.timer is not None:
            self.pause()
            self.timer = self.set_interval(1 / SPEEDS[self.speed], self.tick)
        self.show_context()

    def action_go_to(self) -> None:
        """Ask for an iteration and go there."""
        from tracer.ui.screens.go_to import GoToScreen

        self.app.push_screen(GoToScreen(self.session.k), self.went_to)

    def went_to(self, k: int | None) -> None:
        if k is None:
            return
        reached = self.session.go_to(k)
        if reached == k:
            self.say(f"Went to iteration {k}.")
        else:
            self.say(f"No iteration {k}: {self.stopped()}")

    def action_restart(self) -> None:
        """Start again from θ₀."""
        self.pause()
        self.session.restart()
        self.say(f"Restarted from θ₀ with α = {self.session.trace.lr:g}.")

    def action_lr(self, factor: float) -> None:
        """Multiply α by ``factor`` and run again."""
        self.pause()
        try:
            self.say(self.session.change_lr(factor))
        except TracerError as error:
            self.notify(str(error), severity="error")

    def action_form(self) -> None:
        """Switch between the sum form and the vector form."""
        self.vector = not self.vector
        self.show_formula()

    def action_chain(self) -> None:
        """Show or hide the chain-rule steps."""
        self.chain = not self.chain
        self.show_formula()

    def action_compare(self) -> None:
        """Compare learning rates on the same data."""
        from tracer.ui.screens.compare import CompareScreen

        self.pause()
        self.app.push_screen(CompareScreen(self.session))

    def action_derive(self) -> None:
        """Type a derivation and have it checked."""
        from tracer.ui.screens.derive import DeriveScreen

        self.app.push_screen(DeriveScreen(self.session))

    def action_pick(self) -> None:
        """Choose the model and the data."""
        from tracer.ui.screens.picker import PickerScreen

        self.pause()
        current = None
        if self.session is not None:
            current = Choice(self.request.model, self.request.data, None)
        self.app.push_screen(PickerScreen(current or self.request), self.picked)

    def picked(self, choice: Choice | None) -> None:
        if choice is not None:
            self.request = choice
            self.open(choice)

    def action_lessons(self) -> None:
        """Open the lessons where the learner left off."""
        from tracer.ui.screens.lesson import LessonScreen

        self.pause()
        self.app.push_screen(LessonScreen())

    def action_export(self) -> None:
        """Write the trace to a file."""
        from tracer.ui.screens.export import ExportScreen

        self.pause()
        self.app.push_screen(ExportScreen(self.session), self.exported)

    def exported(self, message: str | None) -> None:
        if message:
            self.say(message)

    def action_pair(self) -> None:
        """Draw the classes against the next pair of features."""
        self.plots.next_pair(self.session)

    def action_help(self) -> None:
        """List every key."""
        from tracer.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))
