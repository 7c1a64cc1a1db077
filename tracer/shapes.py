"""Scalars, vectors and matrices of a typed answer, as SymPy index expressions.

Matrix notation is read into the same index form as the sum notation, so one
evaluator judges both. A value keeps one SymPy expression for a generic entry
and, per dimension, the size (``n`` samples or ``d`` features) and the index
that runs along it: ``X`` is ``x[i, j]`` with rows ``(n, i)`` and columns
``(d, j)``, ``Xᵀ`` is the same entry with the two swapped, and ``Xᵀv`` is the
entry ``Σ_i x[i, j] v_i``. Samples always run along ``i``, so no n × n matrix
is ever needed and none is accepted.

A product of two values sums over a fresh index that occurs in neither, so no
sum ever captures an index it should not.
"""

from dataclasses import dataclass, replace

import sympy as sp

from tracer.errors import AnswerError
from tracer.models import d, i, n

INDEX_NAMES = ("k", "l", "m", "p", "q", "r", "s", "t", "u", "v")


@dataclass(frozen=True)
class Axis:
    """One dimension of a value: its size symbol and the index running along it."""

    size: sp.Symbol
    index: sp.Idx


@dataclass(frozen=True)
class Value:
    """A scalar, vector or matrix, as the expression for its generic entry.

    Attributes:
        expr: The entry, in the indices of ``rows`` and ``cols``.
        rows: The row dimension, or None for a single row.
        cols: The column dimension, or None for a single column.
    """

    expr: sp.Expr
    rows: Axis | None = None
    cols: Axis | None = None

    @property
    def is_scalar(self) -> bool:
        """Whether the value is 1 × 1."""
        return self.rows is None and self.cols is None

    @property
    def is_vector(self) -> bool:
        """Whether exactly one of the dimensions is longer than 1."""
        return (self.rows is None) != (self.cols is None)

    @property
    def axis(self) -> Axis | None:
        """The one long dimension of a vector."""
        return self.rows or self.cols

    def describe(self) -> str:
        """``a scalar``, ``an n×1 vector``, ``a 1×d row`` or ``an n×d matrix``."""
        if self.is_scalar:
            return "a scalar"
        rows = self.rows.size if self.rows else 1
        cols = self.cols.size if self.cols else 1
        kind = "matrix" if self.rows and self.cols else "vector" if self.rows else "row"
        article = "an" if str(rows) == "n" else "a"
        return f"{article} {rows}×{cols} {kind}"


def sample_axis() -> Axis:
    """The dimension of the samples, run along by ``i``."""
    return Axis(n, i)


def feature_axis(index: sp.Idx) -> Axis:
    """A dimension of the features, run along by ``index``."""
    return Axis(d, index)


def fresh_index(*exprs: sp.Expr) -> sp.Idx:
    """A feature index that occurs in none of ``exprs``, ``k`` when it can be."""
    names = [*INDEX_NAMES, *(f"k{count}" for count in range(1, 100))]
    for name in names:
        index = sp.Idx(name, (1, d))
        if not any(expr.has(index) for expr in exprs):
            return index
    raise AnswerError("the answer has too many matrix products to read")


def _rename(expr: sp.Expr, old: sp.Idx, new: sp.Idx) -> sp.Expr:
    return expr.subs(old, new) if old != new else expr


def _align(a_expr: sp.Expr, b_expr: sp.Expr, axis_a: Axis, axis_b: Axis):
    """Both entries written with one shared index for two matching dimensions."""
    target = axis_a.index
    if axis_b.index != target and b_expr.has(target):
        target = fresh_index(a_expr, b_expr)
    a_expr = _rename(a_expr, axis_a.index, target)
    return Axis(axis_a.size, target), a_expr, _rename(b_expr, axis_b.index, target)


def _size(axis: Axis | None) -> sp.Symbol | None:
    return axis.size if axis else None


def add(a: Value, b: Value, position: int) -> Value:
    """``a + b``, a scalar added to every entry of a vector or matrix."""
    if a.is_scalar or b.is_scalar:
        shaped = b if a.is_scalar else a
        return replace(shaped, expr=a.expr + b.expr)
    if _size(a.rows) != _size(b.rows) or _size(a.cols) != _size(b.cols):
        raise AnswerError(
            f"cannot add {a.describe()} and {b.describe()}",
            position,
            "Both sides of + or - must have the same shape.",
        )
    a_expr, b_expr, rows, cols = a.expr, b.expr, None, None
    if a.rows:
        rows, a_expr, b_expr = _align(a_expr, b_expr, a.rows, b.rows)
    if a.cols:
        cols, a_expr, b_expr = _align(a_expr, b_expr, a.cols, b.cols)
    return Value(a_expr + b_expr, rows, cols)


def negate(a: Value) -> Value:
    """``−a``."""
    return replace(a, expr=-a.expr)


def _contract(a: Value, b: Value, axis_a: Axis, axis_b: Axis) -> sp.Expr:
    """``Σ_t a_t b_t`` over the two matching dimensions ``axis_a`` and ``axis_b``."""
    if axis_a.size == n:
        return sp.Sum(a.expr * b.expr, (i, 1, n))
    index = fresh_index(a.expr, b.expr)
    body = _rename(a.expr, axis_a.index, index) * _rename(b.expr, axis_b.index, index)
    return sp.Sum(body, (index, 1, d))


def multiply(a: Value, b: Value, position: int, dot: bool = False) -> Value:
    """``a b``: scaling, a matrix product, or with ``dot`` the inner product.

    Raises:
        AnswerError: The shapes do not multiply.
    """
    if a.is_scalar or b.is_scalar:
        shaped = b if a.is_scalar else a
        return replace(shaped, expr=a.expr * b.expr)
    if dot and a.is_vector and b.is_vector:
        return inner(a, b, position)
    inner_sizes_match = a.cols and b.rows and a.cols.size == b.rows.size
    if not inner_sizes_match and (a.cols or b.rows):
        hint = "For the dot product of two vectors write u·v or dot(u, v)."
        raise AnswerError(
            f"cannot multiply {a.describe()} by {b.describe()}", position, hint
        )
    if a.rows and b.cols and a.rows.size == n and b.cols.size == n:
        raise AnswerError(
            "this product is an n×n matrix, which the gradient never needs",
            position,
            "Multiply Xᵀ by a vector, as in Xᵀ(Xw + b − y).",
        )
    if a.rows and b.cols and a.rows.index == b.cols.index:
        index = fresh_index(a.expr, b.expr)
        renamed = _rename(b.expr, b.cols.index, index)
        b = Value(renamed, b.rows, Axis(b.cols.size, index))
    if inner_sizes_match:
        return Value(_contract(a, b, a.cols, b.rows), a.rows, b.cols)
    return Value(a.expr * b.expr, a.rows, b.cols)


def inner(a: Value, b: Value, position: int) -> Value:
    """``a·b`` or ``dot(a, b)``: the product of scalars, or of two vectors."""
    if a.is_scalar and b.is_scalar:
        return Value(a.expr * b.expr)
    if not (a.is_vector and b.is_vector and a.axis.size == b.axis.size):
        raise AnswerError(
            f"cannot take the dot product of {a.describe()} and {b.describe()}",
            position,
            "A dot product needs two vectors of the same length.",
        )
    return Value(_contract(a, b, a.axis, b.axis))


def divide(a: Value, b: Value, position: int) -> Value:
    """``a / b`` for a scalar ``b``."""
    if not b.is_scalar:
        raise AnswerError(
            f"cannot divide by {b.describe()}",
            position,
            "Divide only by scalars such as n.",
        )
    return replace(a, expr=a.expr / b.expr)


def transpose(a: Value) -> Value:
    """``aᵀ``: rows and columns swapped; a scalar is its own transpose."""
    return Value(a.expr, a.cols, a.rows)


def apply(function, a: Value) -> Value:
    """A function applied to every entry of ``a``."""
    return replace(a, expr=function(a.expr))


def total(a: Value, position: int) -> Value:
    """``Σ_{i=1}^{n}``: over the samples ``i``.

    A vector over the samples sums to a number; anything else is summed entry
    by entry, so ``Σ_i x_i`` of the feature vectors ``x_i`` is a vector again.
    """
    sizes = {axis.size for axis in (a.rows, a.cols) if axis}
    if n not in sizes:
        return replace(a, expr=sp.Sum(a.expr, (i, 1, n)))
    if a.is_vector:
        return Value(sp.Sum(a.expr, (i, 1, n)))
    raise AnswerError(
        f"a sum adds over the samples i, and this is {a.describe()}",
        position,
        "Sum a per-sample term, or a vector over the samples such as Xw + b − y.",
    )
