"""The stepper: gradient descent one iteration at a time, every step kept.

A :class:`Trace` makes step records on demand (the UI asks for one at a time) and
keeps them in growing arrays, so going back is a lookup and memory grows with
steps × parameters only. It never prints: it returns records and a status.
"""

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tracer.errors import UsageError
from tracer.models import get_model
from tracer.notation import format_number
from tracer.numeric import compile_model

RUNNING = "running"
CONVERGED = "converged"
DIVERGED = "diverged"
MAX_STEPS = "max_steps"

TOLERANCE = 1e-6
MAX_STEP_COUNT = 10_000
# A loss this many times its starting value (or above 1) counts as exploding.
EXPLOSION_FACTOR = 1e8
BLOCK_ROWS = 4096


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One gradient-descent iteration: ``θ_{k+1} = θ_k − α ∇J(θ_k)``.

    Attributes:
        iteration: ``k``, counting from 0.
        params: ``θ_k``, weights then bias.
        loss: ``J(θ_k)``.
        gradient: ``∇J(θ_k)``.
        lr: ``α`` used for this step.
        update: ``−α ∇J(θ_k)``.
        next_params: ``θ_{k+1}``.
        next_loss: ``J(θ_{k+1})``; may be ``inf`` on the step that diverged.
    """

    iteration: int
    params: np.ndarray
    loss: float
    gradient: np.ndarray
    lr: float
    update: np.ndarray
    next_params: np.ndarray
    next_loss: float


class _Rows:
    """Rows of floats appended one at a time, stored in fixed-size blocks.

    Blocks never over-allocate by more than one block, so a long trace does not
    hold twice the memory it uses, as a doubling array would.
    """

    def __init__(self, width: int) -> None:
        self.width = width
        self.blocks: list[np.ndarray] = []
        self.count = 0

    def append(self, row) -> None:
        if self.count == len(self.blocks) * BLOCK_ROWS:
            self.blocks.append(np.empty((BLOCK_ROWS, self.width)))
        block, offset = divmod(self.count, BLOCK_ROWS)
        self.blocks[block][offset] = row
        self.count += 1

    def __getitem__(self, index: int) -> np.ndarray:
        if not 0 <= index < self.count:
            raise IndexError(index)
        block, offset = divmod(index, BLOCK_ROWS)
        return self.blocks[block][offset]

    def array(self) -> np.ndarray:
        """All rows as one (count, width) array (a copy)."""
        if not self.blocks:
            return np.empty((0, self.width))
        return np.concatenate(self.blocks)[: self.count]

    @property
    def nbytes(self) -> int:
        return sum(block.nbytes for block in self.blocks)


def mse_hessian_eigenvalue(X: np.ndarray) -> float:
    """λ_max of the MSE loss Hessian ``(2/n) [X 1]ᵀ[X 1]`` for these features.

    The Hessian does not depend on θ, so ``α < 2/λ_max`` is exactly the range of
    learning rates for which gradient descent on MSE converges.
    """
    n_rows = X.shape[0]
    augmented = np.hstack([X, np.ones((n_rows, 1))])
    gram = augmented.T @ augmented * (2.0 / n_rows)
    return float(np.linalg.eigvalsh(gram)[-1])


def largest_stable_lr(model_name: str, X: np.ndarray) -> float | None:
    """``2/λ_max`` for the squared-error models; None for logistic regression.

    Examples:
        >>> largest_stable_lr("linear", np.array([[1.0], [-1.0]]))
        1.0
    """
    if model_name == "logistic":
        return None
    return 2.0 / mse_hessian_eigenvalue(X)


def suggested_lr(model_name: str, X: np.ndarray) -> float:
    """A learning rate that converges on ``X``: a round number below the bound.

    For MSE the bound is ``2/λ_max``; for the log-loss the Hessian is at most
    ``¼`` of the MSE Hessian's half, so ``8/λ_max`` bounds it.
    """
    bound = 2.0 / mse_hessian_eigenvalue(X)
    if model_name == "logistic":
        bound *= 4.0
    target = bound * 0.5
    scale = 10.0 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * scale <= target:
            return step * scale
    return scale


def check_lr(lr) -> float:
    """``lr`` as a positive finite float, or a UsageError saying what to give."""
    try:
        value = float(lr)
    except (TypeError, ValueError):
        raise UsageError(
            f"learning rate {lr!r} is not a number",
            "Give α as a positive number, e.g. --lr 0.01.",
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise UsageError(
            f"learning rate must be a positive finite number, got {lr!r}",
            "Give α as a positive number, e.g. --lr 0.01.",
        )
    return value


class Trace:
    """Gradient descent on one model and data set, stepped on demand.

    Args:
        model_name: ``linear``, ``multivariate`` or ``logistic``.
        X: Features, shape (n, d); d is 1 for ``linear``.
        y: Targets, shape (n,).
        lr: The learning rate α.
        init: Starting θ (weights then bias); zeros when None.
        tolerance: Converged once ``‖∇J‖`` falls below this.
        max_steps: Stop with status ``max_steps`` after this many records.

    Examples:
        >>> X = np.array([[0.0], [1.0], [2.0]]); y = 2 * X[:, 0] + 1
        >>> trace = Trace("linear", X, y, lr=0.1)
        >>> trace.record(0).gradient
        array([-8.66666667, -6.        ])
        >>> trace.run(5000).status, np.round(trace.params, 4)
        ('converged', array([2., 1.]))
    """

    def __init__(
        self,
        model_name,
        X,
        y,
        lr,
        init=None,
        tolerance=TOLERANCE,
        max_steps=MAX_STEP_COUNT,
    ):
        self.model_name = model_name
        self.compiled = compile_model(model_name)
        self.X = np.ascontiguousarray(X, dtype=float)
        self.y = np.ascontiguousarray(y, dtype=float)
        self.lr = check_lr(lr)
        width = self.X.shape[1] + 1
        start = np.zeros(width) if init is None else np.asarray(init, dtype=float)
        if start.shape != (width,):
            raise UsageError(
                f"starting parameters need {width} values (weights, then b), "
                f"got {start.size}",
                "Give one value per weight and one for b.",
            )
        self.tolerance = tolerance
        self.max_steps = max_steps
        self._start(start)

    def _start(self, start: np.ndarray) -> None:
        """Forget every step and stand at ``start``: θ_0, with J(θ_0) known."""
        self._params = _Rows(start.size)
        self._gradients = _Rows(start.size)
        self._losses: list[float] = []
        self._lrs: list[float] = []
        self.status = RUNNING
        self.reason = ""
        self._params.append(start)
        self._losses.append(self._loss(start))
        if not math.isfinite(self._losses[0]):
            self._diverge(0, self._losses[0])

    def _loss(self, theta) -> float:
        with np.errstate(all="ignore"):
            return self.compiled.loss(theta, self.X, self.y)

    def __len__(self) -> int:
        """How many step records have been made."""
        return self._gradients.count

    @property
    def params(self) -> np.ndarray:
        """The latest θ: where the next step would start."""
        return self._params[self._params.count - 1].copy()

    @property
    def param_names(self) -> list[str]:
        """``w, b`` or ``w_1 .. w_d, b``, in θ's order."""
        return self.names_for(self.model_name, self.X.shape[1])

    @staticmethod
    def names_for(model_name: str, features: int) -> list[str]:
        """Parameter names of ``model_name`` with ``features`` features."""
        return get_model(model_name).param_names(features)

    @cached_property
    def stable_lr(self) -> float | None:
        """Largest stable α for MSE (``2/λ_max``); None for logistic."""
        return largest_stable_lr(self.model_name, self.X)

    def losses(self) -> np.ndarray:
        """``J(θ_0) .. J(θ_K)``: the loss at every point visited."""
        return np.array(self._losses)

    def path(self) -> np.ndarray:
        """Every θ visited, shape (records + 1, parameters)."""
        return self._params.array()

    def step(self) -> StepRecord | None:
        """Make the next record, or return None once the trace has stopped."""
        if self.status != RUNNING:
            return None
        k = len(self)
        theta = self._params[k]
        with np.errstate(all="ignore"):
            gradient = self.compiled.gradient(theta, self.X, self.y)
            update = -self.lr * gradient
            next_theta = theta + update
        if not (np.all(np.isfinite(gradient)) and np.all(np.isfinite(next_theta))):
            self._diverge(k, math.inf)
            return None
        next_loss = self._loss(next_theta)
        self._gradients.append(gradient)
        self._params.append(next_theta)
        self._losses.append(next_loss)
        self._lrs.append(self.lr)
        self._settle(k + 1, next_loss, gradient)
        return self.record(k)

    def _settle(self, count: int, next_loss: float, gradient: np.ndarray) -> None:
        """Set the status after ``count`` records."""
        first = self._losses[0]
        if not math.isfinite(next_loss) or next_loss > EXPLOSION_FACTOR * max(
            first, 1.0
        ):
            self._diverge(count, next_loss)
        elif float(np.linalg.norm(gradient)) < self.tolerance:
            self.status = CONVERGED
            self.reason = (
                f"‖∇J‖ = {np.linalg.norm(gradient):.3g} fell below "
                f"{self.tolerance:g} after {count} steps"
            )
        elif count >= self.max_steps:
            self.status = MAX_STEPS
            self.reason = f"stopped after {count} steps without converging"

    def _diverge(self, count: int, loss: float) -> None:
        self.status = DIVERGED
        grew = (
            "stopped being a finite number"
            if not math.isfinite(loss)
            else (
                f"grew from {format_number(self._losses[0])} to {format_number(loss)}"
            )
        )
        reason = f"the loss {grew} after {count} steps: α = {self.lr:g} is too large"
        stable = self.stable_lr
        if stable is not None:
            largest = format_number(stable)
            reason += f"; the largest stable α for this data is 2/λ_max = {largest}"
        self.reason = reason

    def record(self, k: int) -> StepRecord:
        """Record ``k``, stepping forward to make it if needed.

        Raises:
            IndexError: The trace stopped before iteration ``k``.
        """
        while len(self) <= k and self.step() is not None:
            pass
        if not 0 <= k < len(self):
            raise IndexError(f"iteration {k} is beyond the trace's {len(self)} steps")
        gradient = self._gradients[k].copy()
        lr = self._lrs[k]
        return StepRecord(
            k,
            self._params[k].copy(),
            self._losses[k],
            gradient,
            lr,
            -lr * gradient,
            self._params[k + 1].copy(),
            self._losses[k + 1],
        )

    def run(self, steps: int) -> "Trace":
        """Make up to ``steps`` more records, stopping early if the trace stops."""
        for _ in range(steps):
            if self.step() is None:
                break
        return self

    def __iter__(self):
        return (self.record(k) for k in range(len(self)))

    def restart(self, lr: float | None = None, from_current: bool = False) -> None:
        """Start again, from θ_0 or from the latest θ, optionally with a new α."""
        start = self.params if from_current else self._params[0].copy()
        if lr is not None:
            self.lr = check_lr(lr)
        self._start(start)

    @property
    def nbytes(self) -> int:
        """Bytes held by the stored steps."""
        floats = 8 * (len(self._losses) + len(self._lrs))
        return self._params.nbytes + self._gradients.nbytes + floats
