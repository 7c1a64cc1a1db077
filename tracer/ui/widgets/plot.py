"""A textual-plotext plot drawn straight from plotext's grid of characters.

``PlotextPlot`` renders by asking plotext for ANSI text and having it parsed
back into styled text, which costs more than drawing the plot. This widget
reads the grid plotext builds (a character and colours for every cell) and
turns each row into one strip of segments, one segment per run of equal
colours, with the style for each colour triple made once.
"""

from functools import cache

from plotext._utility import colors_to_ansi
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual_plotext import PlotextPlot


@cache
def _style(foreground, style, background) -> Style:
    """The Rich style plotext means by a (foreground, style, background) triple."""
    sample = Text.from_ansi(colors_to_ansi(foreground, style, background) + "x")
    return sample.spans[0].style if sample.spans else Style.null()


def _key(color):
    # plotext gives RGB colours as lists, which cannot be cache keys.
    return tuple(color) if isinstance(color, list) else color


class Plot(PlotextPlot):
    """A plotext plot that renders its rows directly (Textual's line API)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] | None = None

    def refresh(self, *regions, **kwargs):
        """Redraw: the plot is built again on the next paint."""
        self._strips = None
        return super().refresh(*regions, **kwargs)

    def _build_strips(self) -> list[Strip]:
        plot = self.plt
        width, height = self.size
        plot.plotsize(width, height)
        plot._set_size(width, height)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        plot._set_sizes()
        plot._build_matrix()
        grid = plot.monitor.matrix

        strips = []
        for row in reversed(grid.Rows):
            markers = grid.marker[row]
            colors = [
                (_key(f), _key(s), _key(b))
                for f, s, b in zip(
                    grid.fullground[row],
                    grid.style[row],
                    grid.background[row],
                    strict=True,
                )
            ]
            segments, start = [], 0
            for col in range(1, grid.cols + 1):
                if col == grid.cols or colors[col] != colors[start]:
                    text = "".join(markers[start:col])
                    segments.append(Segment(text, _style(*colors[start])))
                    start = col
            strips.append(Strip(segments).adjust_cell_length(width))
        return strips

    def render_line(self, y: int) -> Strip:
        if self._strips is None or len(self._strips) != self.size.height:
            self._strips = self._build_strips()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width)
