"""The trace side of the lesson screen: the live trace a lesson step set up.

`TraceSide` is mixed into the lesson screen. It builds the step's trace in a
worker thread (SymPy derives the model the first time), shows the numbers, the
picture of the data or the loss curve above the update, and moves the trace
one iteration at a time or to its end.
"""

from textual import work

from tracer.errors import TracerError
from tracer.lesson_trace import TraceSetup
from tracer.ui.session import Session
from tracer.ui.widgets.data_plot import DataPlot
from tracer.ui.widgets.loss_plot import LossPlot
from tracer.ui.widgets.numbers import NumbersPanel
from tracer.ui.widgets.status import StatusLine
from tracer.ui.widgets.update import UpdatePanel


def open_session(setup: TraceSetup) -> Session:
    """The trace a step shows, at iteration ``setup.run``.

    Slow the first time a model is used: SymPy derives and compiles it.
    """
    from tracer.derivation import derive

    session = Session(setup.model, setup.dataset(), setup.trace(), derive(setup.model))
    session.go_to(setup.run)
    session.warm()
    return session


class TraceSide:
    """Building, drawing and stepping the trace beside the lesson text.

    The screen it is mixed into provides ``session``, ``shown_setup`` and
    ``view``.
    """

    def load_trace(self, setup: TraceSetup) -> None:
        self.shown_setup = setup
        self.query_one(StatusLine).show_text("setting up the trace…", "italic")
        self.build(setup)

    @work(thread=True, exclusive=True, group="trace")
    def build(self, setup: TraceSetup) -> None:
        """Derive, compile and run the step's trace off the UI thread."""
        try:
            session = open_session(setup)
        except TracerError as error:
            self.app.call_from_thread(self.failed, str(error))
            return
        self.app.call_from_thread(self.built, setup, session)

    def built(self, setup: TraceSetup, session: Session) -> None:
        if setup != self.shown_setup:
            return
        self.session = session
        self.show_trace()

    def failed(self, message: str) -> None:
        self.query_one(StatusLine).show_text(message, "$error")

    @property
    def views(self) -> dict:
        """The widgets the trace side can show above the update, by view name."""
        return {
            "numbers": self.query_one(NumbersPanel),
            "picture": self.query_one(DataPlot),
            "loss": self.query_one(LossPlot),
        }

    def show_view(self, view: str) -> None:
        """Show the numbers, the picture of the data, or the loss curve."""
        self.view = view
        for name, widget in self.views.items():
            widget.display = name == view

    def action_view(self) -> None:
        """Switch between the numbers, the picture and the loss curve."""
        names = list(self.views)
        self.show_view(names[(names.index(self.view) + 1) % len(names)])
        self.show_trace()

    def show_trace(self, note: str = "") -> None:
        if self.session is None:
            return
        if self.view == "numbers":
            self.query_one(NumbersPanel).show_session(self.session)
        elif self.view == "picture":
            self.query_one(DataPlot).show_session(self.session)
        else:
            losses = self.session.trace.losses()
            self.query_one(LossPlot).show_losses(losses, self.session.k)
        self.query_one(UpdatePanel).show_session(self.session)
        self.query_one(StatusLine).show_session(self.session, note)

    def action_iteration(self, change: int) -> None:
        """Move the trace one iteration forward or back."""
        if self.session is None:
            return
        moved = self.session.forward() if change > 0 else self.session.back()
        note = "" if moved else "the trace has stopped" if change > 0 else ""
        self.show_trace(note)

    def action_run_to_end(self) -> None:
        """Run the trace until it converges, diverges or reaches the step limit."""
        if self.session is not None:
            self.session.go_to(self.session.trace.max_steps)
            self.show_trace()

    def action_iteration_zero(self) -> None:
        if self.session is not None:
            self.session.go_to(0)
            self.show_trace()
