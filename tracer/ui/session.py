"""What the trace screen shows: one model on one data set, stepped to iteration k.

A :class:`Session` holds no Textual objects, so its state can be tested and its
heavy first step (SymPy's derivation and compilation) can run in a worker
thread. The screen asks it for the current record, the numbers of each partial
derivative and the loss surface, and tells it to move.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from tracer import datasets
from tracer.derivation import Derivation, derive, symbol_name
from tracer.descent import (
    CONVERGED,
    DIVERGED,
    RUNNING,
    StepRecord,
    Trace,
    check_lr,
    suggested_lr,
)
from tracer.notation import GradientNumbers, gradient_numbers, partial_label, unicode

# Gradient numbers kept for this many parameter vectors, so stepping back and
# forth over recent iterations costs no SymPy printing.
NUMBERS_CACHE = 64
# Significant figures of the numbers inside each shown term: three keep a
# logistic term and its value within the Numbers panel at 100 columns.
TERM_DIGITS = 3


@dataclass(frozen=True)
class Surface:
    """The loss over a grid of ``(w, b)``, for the one-feature model.

    Attributes:
        w: Grid values of ``w``, shape (columns,).
        b: Grid values of ``b``, shape (rows,).
        loss: ``J(w, b)`` at every grid point, shape (rows, columns).
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray


@dataclass
class Session:
    """A live trace and the iteration the learner is looking at.

    Attributes:
        model: ``linear``, ``multivariate`` or ``logistic``.
        data: The data set being fitted.
        trace: The gradient-descent run, stepped on demand.
        derivation: SymPy's derivation of the model's gradient.
        k: The iteration shown: the step from ``θ_k`` to ``θ_{k+1}``.
    """

    model: str
    data: datasets.Dataset
    trace: Trace
    derivation: Derivation
    k: int = 0
    _numbers: dict = field(default_factory=dict, repr=False)

    @classmethod
    def open(
        cls, model: str, data: str | datasets.Dataset | None, lr: float | None
    ) -> "Session":
        """Load the data, derive and compile the model, and make the first step.

        This is the slow part (SymPy); the UI calls it from a worker thread.

        Args:
            model: ``linear``, ``multivariate`` or ``logistic``.
            data: A built-in name, a CSV path, a loaded data set, or None for
                the model's default data set.
            lr: The learning rate α, or None for the suggested one.

        Raises:
            TracerError: The model, data set or learning rate cannot be used.
        """
        if isinstance(data, datasets.Dataset):
            datasets.check_for_model(data, model)
            dataset = data
        else:
            name = data or datasets.default_dataset(model)
            dataset = datasets.load(name, model=model)
        derivation = derive(model)
        alpha = suggested_lr(model, dataset.X) if lr is None else check_lr(lr)
        trace = Trace(model, dataset.X, dataset.y, alpha)
        session = cls(model, dataset, trace, derivation)
        session.warm()
        return session

    def warm(self) -> None:
        """Compute what the first frame needs, so showing it costs no SymPy."""
        # The cached properties are computed here, in the worker thread.
        if self.record is not None:
            self.numbers()
        _ = self.sum_forms
        _ = self.surface

    @property
    def record(self) -> StepRecord | None:
        """The step shown, or None when the trace stopped before its first step."""
        try:
            return self.trace.record(self.k)
        except IndexError:
            return None

    @property
    def last(self) -> int:
        """The last iteration made so far (−1 when there is none)."""
        return len(self.trace) - 1

    @property
    def param_names(self) -> list[str]:
        """``w, b`` or ``w_1 .. w_d, b``."""
        return self.trace.param_names

    def forward(self) -> bool:
        """Show the next iteration, stepping the trace if needed.

        Returns:
            False when the trace has stopped and there is no next iteration.
        """
        try:
            self.trace.record(self.k + 1)
        except IndexError:
            return False
        self.k += 1
        return True

    def back(self) -> bool:
        """Show the previous iteration; False at iteration 0."""
        if self.k == 0:
            return False
        self.k -= 1
        return True

    def go_to(self, k: int) -> int:
        """Show iteration ``k``, or the last one when the trace stops before it."""
        try:
            self.trace.record(max(k, 0))
            self.k = max(k, 0)
        except IndexError:
            self.k = max(self.last, 0)
        return self.k

    def restart(self) -> None:
        """Run again from θ_0 with the same α."""
        self.trace.restart()
        self.k = 0

    def change_lr(self, factor: float) -> str:
        """Multiply α by ``factor`` and run again; say where the run starts.

        The run continues from the θ on screen, so the learner sees what the
        new α does from here; after a divergence, or before the first step, it
        starts again from θ_0.

        Returns:
            A sentence for the learner naming the new α and the starting point.

        Raises:
            UsageError: The new α is not a positive finite number.
        """
        old = self.trace.lr
        lr = check_lr(old * factor)
        record = self.record
        from_start = self.k == 0 or self.trace.status == DIVERGED or record is None
        verb = "doubled" if factor > 1 else "halved"
        if from_start:
            self.trace.restart(lr=lr)
            where = "restarted from the start, θ₀"
        else:
            start = record.params
            self.trace = Trace(self.model, self.data.X, self.data.y, lr, init=start)
            shown = ", ".join(
                f"{name} = {value:.4g}"
                for name, value in zip(self.param_names, start, strict=True)
            )
            where = f"restarted from the current θ ({shown}), counting from 0"
        self.k = 0
        return f"α {verb}: {old:g} → {lr:g}; {where}"

    def numbers(self) -> list[GradientNumbers]:
        """Each partial derivative with the shown step's numbers in it."""
        record = self.record
        return [] if record is None else self.numbers_at(record.params)

    def numbers_at(self, theta: np.ndarray) -> list[GradientNumbers]:
        """Each partial derivative at ``theta``, with its numbers (cached)."""
        key = theta.tobytes()
        if key not in self._numbers:
            if len(self._numbers) >= NUMBERS_CACHE:
                self._numbers.pop(next(iter(self._numbers)))
            self._numbers[key] = [
                gradient_numbers(
                    self.model,
                    index,
                    theta,
                    self.data.X,
                    self.data.y,
                    digits=TERM_DIGITS,
                )
                for index in range(len(theta))
            ]
        return self._numbers[key]

    def prefetch(self) -> None:
        """Work out the next iteration's numbers now, while the learner reads.

        Printing them is SymPy's work, the slowest part of a step; ``θ_{k+1}``
        is already known, so the next key press finds them ready.
        """
        record = self.record
        if record is not None and np.all(np.isfinite(record.next_params)):
            self.numbers_at(record.next_params)

    @cached_property
    def sum_forms(self) -> list[tuple[str, str]]:
        """``(∂J/∂θ label, SymPy's sum form)`` for the weight(s) and ``b``.

        The vector models have one generic weight ``w_j``: its formula holds
        for every ``j``, as SymPy derived it.
        """
        return [
            (partial_label(symbol_name(partial.param)), unicode(partial.sum_form))
            for partial in self.derivation.partials
        ]

    def param_label(self, index: int) -> str:
        """``∂J/∂w_2 (j = 2)``: a parameter's partial, tied to the formula's j."""
        name = self.param_names[index]
        label = partial_label(name)
        if self.derivation.model.vector and name != "b":
            label += f"  (j = {index + 1})"
        return label

    @property
    def gradient_norm(self) -> float | None:
        """``‖∇J(θ_k)‖`` of the step shown."""
        record = self.record
        return None if record is None else float(np.linalg.norm(record.gradient))

    def state(self) -> str:
        """The run's state in words, as seen from the iteration shown."""
        trace = self.trace
        record = self.record
        if trace.status == RUNNING:
            if record is not None and record.next_loss > record.loss:
                return "the loss went up on this step: α may be too large"
            return "converging"
        if trace.status == CONVERGED:
            if self.k < self.last:
                return f"converges at iteration {self.last}"
            return f"converged: {trace.reason}"
        if trace.status == DIVERGED:
            where = "" if self.k >= self.last else f" at iteration {self.last + 1}"
            return f"diverged{where}: {trace.reason}"
        return f"stopped: {trace.reason}"

    @cached_property
    def surface(self) -> Surface | None:
        """The loss over a grid around θ_0 and the least-squares optimum.

        Only the one-feature model has a two-parameter surface to draw. Every
        grid value comes from the compiled loss, as the numbers on screen do.
        """
        if self.model != "linear":
            return None
        X, y = self.data.X, self.data.y

        # The view spans the start and the optimum, with a margin.
        design = np.hstack([X, np.ones((len(y), 1))])
        optimum = np.linalg.lstsq(design, y, rcond=None)[0]
        start = self.trace.path()[0]
        low = np.minimum(start, optimum)
        high = np.maximum(start, optimum)
        margin = np.maximum((high - low) * 0.35, 0.5)
        w = np.linspace(low[0] - margin[0], high[0] + margin[0], 61)
        b = np.linspace(low[1] - margin[1], high[1] + margin[1], 41)

        loss = self.trace.compiled.loss
        grid = np.array([[loss(np.array([wi, bi]), X, y) for wi in w] for bi in b])
        return Surface(w, b, grid)
