"""The data with the current model: a fitted line, ŷ against y, or a boundary.

Predictions here are drawn from ``θ_k`` with NumPy (``X w + b``); they only
place lines on the picture, and every number on screen comes from the
compiled functions instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tracer.ui.widgets.plot import Plot

if TYPE_CHECKING:
    from tracer.ui.session import Session


POINTS = (90, 190, 230)
CLASSES = ((90, 150, 250), (250, 170, 60))
FIT = (240, 60, 90)
DIAGONAL = (120, 120, 120)


def _padded(values: np.ndarray, share: float = 0.1) -> tuple[float, float]:
    """The range of ``values`` with a margin, never empty."""
    low, high = float(values.min()), float(values.max())
    margin = max((high - low) * share, 1e-9)
    return low - margin, high + margin


class DataPlot(Plot):
    """What the model at ``θ_k`` makes of the data, drawn for its kind of model."""

    pair: tuple[int, int] = (0, 1)
    """The two features a logistic model's classes are drawn against."""

    def show_session(self, session: Session) -> None:
        """Draw the data and the model at the iteration shown."""
        plt = self.plt
        plt.clear_figure()
        record = session.record
        theta = record.params if record is not None else session.trace.path()[0]
        w, b = theta[:-1], theta[-1]
        data = session.data
        predict = session.trace.compiled.predict
        if session.model == "linear":
            self.draw_fitted_line(data.X[:, 0], data.y, theta, predict, data)
        elif session.model == "multivariate":
            self.draw_predictions(predict(theta, data.X), data.y, data)
        else:
            self.draw_classes(data.X, data.y, w, b, data)
        self.refresh()

    def draw_fitted_line(self, x, y, theta, predict, data) -> None:
        plt = self.plt
        plt.title("data, ŷ = w x + b at θₖ")
        plt.xlabel(data.feature_names[0])
        ends = np.array([x.min(), x.max()])
        # A cell shows one series. Points first, the line last: the line stays
        # whole, and only points lying on it hide behind it.
        plt.scatter(x.tolist(), y.tolist(), color=POINTS, marker="braille")
        line = predict(theta, ends[:, None])
        plt.plot(ends.tolist(), line.tolist(), color=FIT, marker="braille")
        plt.xlim(*_padded(x, 0.02))
        plt.ylim(*_padded(y))

    def draw_predictions(self, predicted, y, data) -> None:
        plt = self.plt
        plt.title("predicted ŷ against actual y, θₖ")
        plt.xlabel(f"actual {data.target_name}")
        low, high = _padded(y)
        plt.plot([low, high], [low, high], color=DIAGONAL, marker="braille")
        plt.scatter(y.tolist(), predicted.tolist(), color=POINTS, marker="hd")
        plt.xlim(low, high)
        plt.ylim(low, high)

    def draw_classes(self, X, y, w, b, data) -> None:
        plt = self.plt
        first, second = self.pair if X.shape[1] > 1 else (0, 0)
        names = data.feature_names
        if first == second:
            plt.title("classes, boundary σ(z) = ½ at θₖ")
            plt.xlabel(names[first])
            self.draw_one_feature(X[:, 0], y, w[0], b)
            return
        plt.title("classes, boundary σ(z) = ½ at θₖ")
        plt.xlabel(f"{names[first]} across, {names[second]} up")
        for label, color in zip((0, 1), CLASSES, strict=True):
            rows = y == label
            plt.scatter(
                X[rows, first].tolist(),
                X[rows, second].tolist(),
                color=color,
                marker="hd",
                label=f"y = {label}",
            )
        x_range, y_range = _padded(X[:, first]), _padded(X[:, second])
        # Other features held at their mean: z = w_a x_a + w_b x_b + rest = 0.
        others = [c for c in range(X.shape[1]) if c not in (first, second)]
        rest = b + float(X[:, others].mean(axis=0) @ w[others]) if others else b
        wa, wb = w[first], w[second]
        if abs(wb) > 1e-12:
            xs = np.array(x_range)
            plt.plot(
                xs.tolist(),
                (-(wa * xs + rest) / wb).tolist(),
                color=FIT,
                marker="braille",
            )
        elif abs(wa) > 1e-12:
            plt.vline(-rest / wa, FIT)
        plt.xlim(*x_range)
        plt.ylim(*y_range)

    def draw_one_feature(self, x, y, w, b) -> None:
        plt = self.plt
        for label, color in zip((0, 1), CLASSES, strict=True):
            rows = y == label
            plt.scatter(x[rows].tolist(), y[rows].tolist(), color=color, marker="hd")
        if abs(w) > 1e-12:
            plt.vline(-b / w, FIT)
        plt.xlim(*_padded(x))
        plt.ylim(-0.2, 1.2)
