"""Compare learning rates: up to three α on the same data, loss curves overlaid."""

from dataclasses import dataclass

import numpy as np
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from tracer.descent import CONVERGED, DIVERGED, Trace, check_lr
from tracer.errors import TracerError, UsageError
from tracer.notation import format_number
from tracer.ui.session import Session
from tracer.ui.widgets.loss_plot import LossPlot

# One colour per run, the same in the plot and on the run's card.
COLORS = ((90, 190, 230), (250, 210, 80), (220, 110, 220))
COLOR_NAMES = ("blue", "yellow", "pink")
STEPS = 1000
"""Each run stops after this many steps if it has not converged or diverged."""


# A diverging curve is cut where it passes this multiple of the highest
# starting loss, so the curves that converge keep most of the plot's height.
CEILING = 100.0
# The plot runs to this multiple of the step where the last converging curve
# has made all but SETTLED of its whole drop in loss.
MARGIN = 2
SETTLED = 0.01


def framed(series: list[np.ndarray]) -> list[np.ndarray]:
    """The part of each loss curve worth drawing side by side.

    Each curve is cut above ``CEILING`` times the highest starting loss, and
    all are cut at ``MARGIN`` times the step where the slowest curve that stays
    below the ceiling has settled.
    """
    ceiling = CEILING * max(losses[0] for losses in series if len(losses))
    cut = []
    for losses in series:
        above = np.flatnonzero(~(losses <= ceiling))
        cut.append(losses[: above[0]] if len(above) else losses)
    settled = [
        _settled_at(losses)
        for losses, whole in zip(cut, series, strict=True)
        if len(losses) == len(whole) and len(losses)
    ]
    horizon = max(20, MARGIN * max(settled, default=0))
    return [losses[: horizon + 1] for losses in cut]


def _settled_at(losses: np.ndarray) -> int:
    """The last step still more than ``SETTLED`` of the drop from the end."""
    drop = abs(losses[0] - losses[-1])
    away = np.flatnonzero(np.abs(losses - losses[-1]) > SETTLED * drop)
    return int(away.max(initial=0))


@dataclass(frozen=True)
class Run:
    """One learning rate's trace and how it ended."""

    lr: float
    trace: Trace

    def summary(self) -> str:
        """The run's state in a sentence."""
        trace = self.trace
        steps = len(trace)
        losses = trace.losses()
        last = format_number(losses[-1]) if len(losses) else "?"
        if trace.status == CONVERGED:
            return f"converged after {steps} steps, J = {last}"
        if trace.status == DIVERGED:
            return f"diverged: {trace.reason}"
        return f"still converging after {steps} steps, J = {last}"


def parse_rates(text: str) -> list[float]:
    """Up to three learning rates, separated by commas or spaces.

    Examples:
        >>> parse_rates("0.01, 0.02 0.04")
        [0.01, 0.02, 0.04]

    Raises:
        UsageError: A value is not a positive number, or there are more than three.
    """
    parts = [part for part in text.replace(",", " ").split() if part]
    if not parts:
        raise UsageError("no learning rate given", "Give one to three, e.g. 0.01 0.02.")
    if len(parts) > 3:
        raise UsageError(
            f"{len(parts)} learning rates given, at most 3 can be compared",
            "Keep three, e.g. 0.01 0.02 0.04.",
        )
    return [check_lr(part) for part in parts]


class CompareScreen(Screen):
    """Three runs from the same start; what each α does, side by side."""

    BINDINGS = [
        Binding("escape,a", "close", "back", tooltip="Back to the trace"),
        Binding("q", "app.quit", "quit", tooltip="Quit tracer"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        lr = session.trace.lr
        self.rates = [lr, 2 * lr, 4 * lr]

    def compose(self) -> ComposeResult:
        session = self.session
        with Horizontal(id="compare-head"):
            yield Label("α values:")
            yield Input(" ".join(f"{r:g}" for r in self.rates), id="rates")
            yield Button("Run", variant="primary", id="run")
        stable = session.trace.stable_lr
        bound = f" · largest stable α = {stable:.4g}" if stable is not None else ""
        yield Static(
            f"{session.model} regression on {session.data.name}, each run from θ₀, "
            f"up to {STEPS} steps{bound}",
            id="compare-note",
            markup=False,
        )
        yield Static("", id="error", classes="error", markup=False)
        yield LossPlot(id="compare-plot")
        with Horizontal(id="runs"):
            for index in range(3):
                yield Static("", classes="run", id=f"run-{index}", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.start(self.rates)

    def on_input_submitted(self) -> None:
        self.read_rates()

    def on_button_pressed(self) -> None:
        self.read_rates()

    def read_rates(self) -> None:
        """Run the learning rates typed in, or say what is wrong with them."""
        try:
            rates = parse_rates(self.query_one("#rates", Input).value)
        except TracerError as error:
            self.query_one("#error", Static).update(str(error))
            return
        self.query_one("#error", Static).update("")
        self.start(rates)

    def start(self, rates: list[float]) -> None:
        """Run ``rates`` in a worker; the cards say so meanwhile."""
        self.rates = rates
        for index in range(3):
            card = self.query_one(f"#run-{index}", Static)
            card.display = index < len(rates)
            if index < len(rates):
                card.update(f"α = {rates[index]:g}: running…")
        self.run_all(rates)

    @work(thread=True, exclusive=True)
    def run_all(self, rates: list[float]) -> None:
        """Run every learning rate to its end, off the UI thread."""
        session = self.session
        start = session.trace.path()[0]
        runs = []
        for lr in rates:
            trace = Trace(
                session.model,
                session.data.X,
                session.data.y,
                lr,
                init=start,
                max_steps=STEPS,
            )
            runs.append(Run(lr, trace.run(STEPS)))
        self.app.call_from_thread(self.show_runs, runs)

    def show_runs(self, runs: list[Run]) -> None:
        """Overlay the loss curves and name each run's state."""
        curves = [
            (f"α = {run.lr:g}", losses, color)
            for run, losses, color in zip(
                runs,
                framed([run.trace.losses() for run in runs]),
                COLORS,
                strict=False,
            )
        ]
        self.query_one(LossPlot).show_runs(curves)
        for index, run in enumerate(runs):
            hex_color = "#{:02x}{:02x}{:02x}".format(*COLORS[index])
            self.query_one(f"#run-{index}", Static).update(
                Content.assemble(
                    (f"α = {run.lr:g} ", f"bold {hex_color}"),
                    (f"({COLOR_NAMES[index]})\n", "dim"),
                    run.summary(),
                )
            )

    def action_close(self) -> None:
        """Back to the trace."""
        self.dismiss()
