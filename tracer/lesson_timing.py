"""A loop over samples against a matrix product, timed while the learner watches."""

import time
from dataclasses import dataclass

import numpy as np

from tracer.lesson_trace import LessonTextError
from tracer.notation import format_number


@dataclass(frozen=True)
class Timing:
    """The multivariate gradient computed two ways, timed when shown.

    Attributes:
        n: Samples.
        d: Features.
    """

    n: int = 20_000
    d: int = 20

    @classmethod
    def from_values(cls, values: dict) -> "Timing":
        """A timing from a ```timing block's keys, each checked."""
        for key, value in values.items():
            if key not in ("n", "d"):
                raise LessonTextError(f"unknown key {key!r}: expected n, d", key)
            top = 200_000 if key == "n" else 500
            if not isinstance(value, int) or not 1 <= value <= top:
                raise LessonTextError(f"{key} must be a whole number 1..{top}", key)
        return cls(**values)


@dataclass(frozen=True)
class TimingResult:
    """Seconds for each way, and the largest difference between their answers."""

    timing: Timing
    loop_seconds: float
    matrix_seconds: float
    gap: float

    def markdown(self) -> str:
        """The result as a table and a sentence, for the lesson text."""
        speedup = self.loop_seconds / max(self.matrix_seconds, 1e-9)
        return (
            f"Timed just now, n = {self.timing.n:,} samples, "
            f"d = {self.timing.d} features:\n\n"
            "| way | time |\n|---|---:|\n"
            f"| Python loop, one sample at a time | {self.loop_seconds * 1e3:.1f} ms"
            " |\n"
            f"| matrix product (tracer's step) | {self.matrix_seconds * 1e3:.2f} ms |"
            f"\n\nThe matrix product was **{speedup:.0f}× faster**, and the two "
            f"gradients differ by at most {format_number(self.gap, 2)}: the same "
            "numbers."
        )


def time_gradients(timing: Timing) -> TimingResult:
    """Time one gradient by a Python loop over samples and by the engine.

    The engine's compiled gradient is the matrix product; the loop adds one
    sample's term at a time, as the sum form reads.
    """
    from tracer.numeric import compile_model

    rng = np.random.default_rng(0)
    X = rng.normal(size=(timing.n, timing.d))
    y = rng.normal(size=timing.n)
    theta = rng.normal(size=timing.d + 1)
    w, b = theta[:-1], theta[-1]

    start = time.perf_counter()
    total = np.zeros(timing.d + 1)
    for x_i, y_i in zip(X, y, strict=True):
        residual = x_i @ w + b - y_i
        total[:-1] += residual * x_i
        total[-1] += residual
    loop = total * 2 / timing.n
    loop_seconds = time.perf_counter() - start

    gradient = compile_model("multivariate").gradient
    start = time.perf_counter()
    matrix = gradient(theta, X, y)
    matrix_seconds = time.perf_counter() - start

    gap = float(np.max(np.abs(loop - matrix)))
    return TimingResult(timing, loop_seconds, matrix_seconds, gap)


def run_timing(timing: Timing) -> str:
    """Time the two ways now and describe the result in Markdown."""
    return time_gradients(timing).markdown()
