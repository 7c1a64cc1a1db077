"""The row of pictures under the panels: loss curve, data, and loss surface."""

from textual.app import ComposeResult
from textual.containers import Horizontal

from tracer.ui.widgets.data_plot import DataPlot
from tracer.ui.widgets.loss_plot import LossPlot
from tracer.ui.widgets.surface_plot import SurfacePlot


class PlotRow(Horizontal):
    """The pictures of one session; the loss surface only for one feature."""

    def __init__(self) -> None:
        super().__init__(id="plots")

    def compose(self) -> ComposeResult:
        yield LossPlot(id="loss-plot")
        yield DataPlot(id="data-plot")
        yield SurfacePlot(id="surface-plot")

    def start(self, session) -> None:
        """Set the row up for a newly opened session."""
        self.query_one(DataPlot).pair = (0, 1)
        self.query_one(SurfacePlot).display = session.model == "linear"

    def show(self, session) -> None:
        """Draw the iteration ``session`` is on."""
        self.query_one(LossPlot).show_losses(session.trace.losses(), session.k)
        self.query_one(DataPlot).show_session(session)
        if session.model == "linear":
            self.query_one(SurfacePlot).show_session(session)

    def next_pair(self, session) -> None:
        """Draw a logistic model's classes against the next pair of features."""
        plot = self.query_one(DataPlot)
        d = session.data.d
        pairs = [(a, b) for a in range(d) for b in range(a + 1, d)]
        plot.pair = pairs[(pairs.index(plot.pair) + 1) % len(pairs)]
        plot.show_session(session)
