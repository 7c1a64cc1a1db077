"""Evaluate index expressions on small random data sets, fast and bounded.

An answer and SymPy's gradient are both SymPy expressions in ``x[i, j]``,
``y[i]``, ``w`` or ``w[j]``, ``b`` and ``n``, with sums over ``i`` and over
feature indices. Rather than expanding sums term by term, the evaluator walks
the tree once and gives every subexpression a NumPy array with one axis per
free index: a sum over an index is a sum along its axis. The work is the number
of tree nodes times the size of the largest array, and both are bounded: the
tree by the reader's limits, an array by ``n`` and ``d`` to the power of the
few indices free at once. A deadline stops a walk that runs over anyway.
"""

import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from tracer import models
from tracer.errors import AnswerError
from tracer.numeric import stable_sigmoid

SAMPLE_SIZES = (2, 3, 5, 7)
FEATURE_COUNTS = (1, 2, 3)
REPEATS = 2
SEED = 20240604
GRID = np.concatenate([np.arange(-20, 0), np.arange(1, 21)]) / 10

FUNCTIONS = {sp.exp: np.exp, sp.log: np.log, models.sigmoid: stable_sigmoid}


@dataclass(frozen=True)
class Trial:
    """One small data set and parameter value to evaluate expressions at.

    Attributes:
        n: The number of samples.
        d: The number of features (1 for the one-feature model).
        X: The features, shape (n, d).
        y: The targets, shape (n,).
        w: The weights, shape (d,).
        b: The bias.
        vector: Whether ``w`` is a vector ``w[j]`` rather than the scalar ``w``.
    """

    n: int
    d: int
    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    b: float
    vector: bool


def make_trials(
    vector: bool, labels: bool, feature_counts=FEATURE_COUNTS, seed: int = SEED
) -> list[Trial]:
    """Random data sets of several sizes, smallest first, from a fixed seed.

    Values lie on a grid of tenths in [−2, 2] without 0, so that a
    counterexample is easy to read and no term vanishes by accident.

    Args:
        vector: Whether the weights form a vector (multivariate, logistic).
        labels: Whether targets are 0/1 labels (logistic) rather than numbers.
        feature_counts: The values of ``d`` to try (only ``1`` when not vector).
        seed: Seed of the random generator, fixed so verdicts are repeatable.
    """
    rng = np.random.default_rng(seed)
    trials = []
    for n in SAMPLE_SIZES:
        for d in feature_counts if vector else (1,):
            for _ in range(REPEATS if vector else REPEATS + 1):
                X = rng.choice(GRID, size=(n, d))
                y = (
                    rng.integers(0, 2, n).astype(float)
                    if labels
                    else rng.choice(GRID, size=n)
                )
                w = rng.choice(GRID, size=d)
                trials.append(Trial(n, d, X, y, w, float(rng.choice(GRID)), vector))
    return trials


@dataclass(frozen=True)
class Labeled:
    """An array with one axis per free index, named in ``axes``."""

    array: np.ndarray
    axes: tuple[sp.Idx, ...]


def evaluate(expr: sp.Expr, trial: Trial, deadline: float) -> Labeled:
    """The value of ``expr`` at ``trial``, with an axis per free index.

    Raises:
        AnswerError: ``expr`` holds something the evaluator does not know, or
            the deadline (a ``time.monotonic`` value) passed.
    """
    with np.errstate(all="ignore"):
        return _Walk(trial, deadline).value(expr)


def _broadcast(parts: list[Labeled]) -> tuple[list[np.ndarray], tuple]:
    """The parts' arrays, transposed and reshaped to broadcast over all axes."""
    axes = tuple(dict.fromkeys(axis for part in parts for axis in part.axes))
    arrays = []
    for part in parts:
        present = [axis for axis in axes if axis in part.axes]
        array = part.array
        if len(present) > 1:
            array = np.transpose(array, [part.axes.index(axis) for axis in present])
        shape = [
            part.array.shape[part.axes.index(axis)] if axis in part.axes else 1
            for axis in axes
        ]
        arrays.append(np.reshape(array, shape))
    return arrays, axes


class _Walk:
    """One walk over an expression tree at one trial, memoised per node."""

    def __init__(self, trial: Trial, deadline: float) -> None:
        self.trial = trial
        self.deadline = deadline
        self.memo: dict[sp.Expr, Labeled] = {}
        self.sizes = {models.n: trial.n, models.d: trial.d}
        self.scalars = {
            models.b: trial.b,
            models.n: float(trial.n),
            models.d: float(trial.d),
        }
        if not trial.vector:
            self.scalars[models.w] = float(trial.w[0])

    def value(self, expr: sp.Expr) -> Labeled:
        if time.monotonic() > self.deadline:
            raise AnswerError(
                "the answer takes too long to evaluate",
                None,
                "Write the gradient in a simpler form.",
            )
        if expr not in self.memo:
            self.memo[expr] = self._value(expr)
        return self.memo[expr]

    def _value(self, expr: sp.Expr) -> Labeled:
        if expr.is_Number or expr.is_NumberSymbol:
            return Labeled(np.array(_to_float(expr)), ())
        if expr in self.scalars:
            return Labeled(np.array(self.scalars[expr]), ())
        if isinstance(expr, sp.Indexed):
            return self._indexed(expr)
        if isinstance(expr, (sp.Add, sp.Mul)):
            arrays, axes = _broadcast([self.value(arg) for arg in expr.args])
            combine = np.add if isinstance(expr, sp.Add) else np.multiply
            result = arrays[0]
            for array in arrays[1:]:
                result = combine(result, array)
            return Labeled(np.asarray(result), axes)
        if isinstance(expr, sp.Pow):
            (base, exponent), axes = _broadcast(
                [self.value(expr.base), self.value(expr.exp)]
            )
            return Labeled(np.power(base, exponent), axes)
        if isinstance(expr, sp.Sum):
            return self._sum(expr)
        if expr.func in FUNCTIONS and len(expr.args) == 1:
            inner = self.value(expr.args[0])
            return Labeled(FUNCTIONS[expr.func](inner.array), inner.axes)
        raise AnswerError(
            f"tracer cannot evaluate {expr.func.__name__} here",
            None,
            "Use only the names and functions of the grammar.",
        )

    def _size(self, index: sp.Idx) -> int:
        return self.sizes[index.upper]

    def _indexed(self, expr: sp.Indexed) -> Labeled:
        trial = self.trial
        name = str(expr.base.label)
        data = {
            "x": trial.X if trial.vector else trial.X[:, 0],
            "y": trial.y,
            "w": trial.w,
        }[name]
        picks, axes = [], []
        for index in expr.indices:
            if isinstance(index, sp.Idx):
                picks.append(slice(None))
                axes.append(index)
            elif index.is_Integer and 1 <= int(index) <= trial.d:
                picks.append(int(index) - 1)
            else:
                return Labeled(np.array(np.nan), ())
        if len(set(axes)) < len(axes):
            raise AnswerError(f"an index repeats in {expr}")
        return Labeled(np.asarray(data[tuple(picks)]), tuple(axes))

    def _sum(self, expr: sp.Sum) -> Labeled:
        inner = self.value(expr.function)
        array, axes = inner.array, list(inner.axes)
        for index, lower, upper in reversed(expr.limits):
            if lower != 1 or upper != index.upper:
                raise AnswerError(f"a sum over {index} runs from {lower} to {upper}")
            if index in axes:
                array = np.sum(array, axis=axes.index(index))
                axes.remove(index)
            else:
                array = array * self._size(index)
        return Labeled(np.asarray(array), tuple(axes))


def _to_float(number: sp.Expr) -> float:
    """``float(number)``, or ±inf for a number too large for a float."""
    try:
        return float(number)
    except OverflowError:
        return float(np.inf) if number > 0 else float(-np.inf)
    except TypeError:
        return float(np.nan)


def entries(
    labeled: Labeled, trial: Trial, component: int | None, per_sample: bool
) -> np.ndarray:
    """A value's entries as a flat array, ordered by sample (if kept) then j.

    Args:
        labeled: The value, with an axis per free index.
        trial: The data set it was evaluated at.
        component: A feature number to pick ``j`` at, or None to keep every
            ``j`` (for the vector models; a value free of ``j`` is repeated).
        per_sample: Keep the sample axis ``i`` rather than expecting none.

    Raises:
        AnswerError: An index other than ``i`` and ``j`` is left free.
    """
    array, axes = labeled.array, list(labeled.axes)
    if component is not None and models.j in axes:
        array = np.take(array, component - 1, axis=axes.index(models.j))
        axes.remove(models.j)
    wanted, sizes = ([models.i], [trial.n]) if per_sample else ([], [])
    if trial.vector and component is None:
        wanted.append(models.j)
        sizes.append(trial.d)
    if set(axes) - set(wanted):
        raise AnswerError(
            "the answer has an index left free: " + ", ".join(map(str, axes)),
            None,
            "Sum over every index but j.",
        )
    order = [axes.index(axis) for axis in wanted if axis in axes]
    array = np.transpose(array, order) if len(order) > 1 else array
    shape = [
        size if axis in axes else 1 for axis, size in zip(wanted, sizes, strict=True)
    ]
    return np.broadcast_to(np.reshape(array, shape), sizes).ravel()
