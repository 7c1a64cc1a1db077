"""The loss surface over ``(w, b)`` as contour lines, with the path taken so far.

Plotext draws scatter plots but not contours, so the contour lines are found
here (where the loss crosses each level between neighbouring grid points) and
drawn as points.
"""

import numpy as np

from tracer.ui.session import Session, Surface
from tracer.ui.widgets.plot import Plot

# Low levels bright, high levels dark: the valley floor stands out.
LEVEL_COLORS = (
    (160, 210, 245),
    (130, 185, 235),
    (105, 160, 220),
    (85, 135, 200),
    (70, 115, 180),
    (55, 90, 150),
    (45, 70, 120),
)
PATH = (250, 210, 80)
MARK = (240, 60, 90)


def levels(surface: Surface, count: int = len(LEVEL_COLORS)) -> np.ndarray:
    """Loss levels evenly spaced in ``√(J − J_min)``.

    Near a minimum the loss grows with the square of the distance, so these
    levels draw contour lines about evenly spaced across the picture.
    """
    low, high = float(surface.loss.min()), float(surface.loss.max())
    return low + (high - low) * np.linspace(0, 1, count + 2)[1:-1] ** 2


def contour_points(surface: Surface, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Where ``J = level`` between neighbouring grid points, interpolated."""
    w, b, loss = surface.w, surface.b, surface.loss
    above = loss > level

    # Crossings along w, between columns c and c + 1 of a row.
    rows, cols = np.nonzero(above[:, :-1] != above[:, 1:])
    left, right = loss[rows, cols], loss[rows, cols + 1]
    share = (level - left) / (right - left)
    xs = w[cols] + share * (w[cols + 1] - w[cols])
    ys = b[rows]

    # Crossings along b, between rows r and r + 1 of a column.
    rows2, cols2 = np.nonzero(above[:-1, :] != above[1:, :])
    low, high = loss[rows2, cols2], loss[rows2 + 1, cols2]
    share2 = (level - low) / (high - low)
    xs2 = w[cols2]
    ys2 = b[rows2] + share2 * (b[rows2 + 1] - b[rows2])
    return np.concatenate([xs, xs2]), np.concatenate([ys, ys2])


class SurfacePlot(Plot):
    """Contours of J(w, b) and the path of θ up to the step shown."""

    def show_session(self, session: Session) -> None:
        """Draw the surface of ``session`` and its path to ``θ_{k+1}``."""
        surface = session.surface
        plt = self.plt
        plt.clear_figure()
        if surface is None:
            return
        plt.title("J(w, b) contours, θ's path")
        plt.xlabel("w")
        for level, color in zip(levels(surface), LEVEL_COLORS, strict=True):
            xs, ys = contour_points(surface, level)
            plt.scatter(xs.tolist(), ys.tolist(), color=color, marker="braille")
        path = session.trace.path()[: session.k + 2]
        path = path[np.isfinite(path).all(axis=1)]
        plt.plot(path[:, 0].tolist(), path[:, 1].tolist(), color=PATH, marker="•")
        current = session.trace.path()[session.k]
        plt.scatter([float(current[0])], [float(current[1])], color=MARK, marker="●")
        plt.xlim(float(surface.w[0]), float(surface.w[-1]))
        plt.ylim(float(surface.b[0]), float(surface.b[-1]))
        self.refresh()
