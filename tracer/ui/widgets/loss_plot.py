"""The loss curve: J at every iteration so far, the one shown marked."""

import math

import numpy as np

from tracer.notation import SUPERSCRIPTS, format_number
from tracer.ui.widgets.plot import Plot

CURVE = (90, 190, 230)
MARK = (240, 60, 90)
MARK_LINE = (120, 50, 70)
# A loss spanning more than this ratio is drawn on a log scale, so the slow
# end of a converging run (or a divergence) is not flattened into the axis.
LOG_RATIO = 20.0


def use_log(series: list[np.ndarray]) -> bool:
    """Whether the finite, positive losses span enough to need a log scale."""
    values = np.concatenate([s[np.isfinite(s)] for s in series] or [np.ones(1)])
    return bool(
        values.size and values.min() > 0 and values.max() / values.min() > LOG_RATIO
    )


def power_label(step: int, power: int) -> str:
    """``step × 10^power`` as a tick label: ``0.5``, ``200`` or ``10⁸``.

    Examples:
        >>> power_label(5, -1), power_label(2, 2), power_label(1, 8)
        ('0.5', '200', '10⁸')
    """
    if -2 <= power <= 3:
        return format_number(step * 10.0**power)
    exponent = str(power).translate(SUPERSCRIPTS)
    return f"10{exponent}" if step == 1 else f"{step}×10{exponent}"


def log_ticks(low: float, high: float, most: int = 6) -> tuple[list, list]:
    """Tick positions (``log₁₀ J``) and labels (J itself), at most ``most``.

    Ticks go at powers of ten (every second or third one when the loss spans
    many decades); within three decades, at 2 and 5 times each power too.
    """
    first, last = math.floor(low), math.ceil(high)
    steps = (1, 2, 5) if high - low < 3 else (1,)
    every = max(1, math.ceil((last - first + 1) * len(steps) / most))
    ticks = [
        (math.log10(step) + power, power_label(step, power))
        for power in range(first, last + 1, every if len(steps) == 1 else 1)
        for step in steps
        if low <= math.log10(step) + power <= high
    ]
    return [position for position, _ in ticks], [label for _, label in ticks]


def points(values: np.ndarray, log: bool) -> tuple[list[int], list[float]]:
    """Iterations and loss values that can be drawn (finite ones only)."""
    steps = np.arange(len(values))
    keep = np.isfinite(values) & ((values > 0) if log else True)
    ys = np.log10(values[keep]) if log else values[keep]
    return steps[keep].tolist(), ys.tolist()


class LossPlot(Plot):
    """J by iteration: one run with its current step, or several overlaid."""

    def start(self, title: str, steps: int, series: list[np.ndarray]) -> bool:
        """Clear the plot and set its title and axes; return whether log scale."""
        plt = self.plt
        plt.clear_figure()
        log = use_log(series)
        plt.title(title + (", log scale" if log else ""))
        plt.xlim(0, max(steps, 10))
        if log:
            finite = np.concatenate([s[np.isfinite(s) & (s > 0)] for s in series])
            low, high = np.log10(finite.min()), np.log10(finite.max())
            plt.yticks(*log_ticks(low, high))
        return log

    def show_losses(self, losses: np.ndarray, k: int) -> None:
        """Draw ``J(θ_0) .. J(θ_K)`` and mark ``J(θ_k)``."""
        log = self.start(f"loss J, k = {k}", len(losses) - 1, [losses])
        steps, ys = points(losses, log)
        if len(steps) > 1:
            self.plt.plot(steps, ys, color=CURVE, marker="braille")
        self.plt.vline(k, MARK_LINE)
        if k < len(losses) and np.isfinite(losses[k]) and (losses[k] > 0 or not log):
            y = math.log10(losses[k]) if log else float(losses[k])
            self.plt.scatter([k], [y], color=MARK, marker="●")
        self.refresh()

    def show_runs(self, runs: list[tuple[str, np.ndarray, tuple]]) -> None:
        """Overlay several runs: ``(label, losses, colour)`` each."""
        longest = max((len(losses) for _, losses, _ in runs), default=1)
        series = [losses for _, losses, _ in runs]
        log = self.start("loss J by iteration, one curve per α", longest - 1, series)
        for name, losses, color in runs:
            steps, ys = points(losses, log)
            if steps:
                self.plt.plot(steps, ys, color=color, marker="braille", label=name)
        self.refresh()
