"""Confirm by algebra, when it is cheap, that an answer equals the gradient.

The numeric check decides every verdict; this only adds, for an answer already
found correct, that SymPy could show the difference is zero. General
simplification of sums can take seconds, so the confirmation is narrower and
bounded: both sides are expanded, constants are taken out of the sums, and
each sum's feature index gets a name fixed by its depth. The cost of expanding
is estimated first (a power of a sum of ``t`` terms gives ``t`` to that power
terms) and nothing is attempted past ``MAX_TERMS``. An answer written another
way, such as ``Xᵀ(Xw)`` against ``Σ_i x_ij Σ_k w_k x_ik``, simply stays
unconfirmed.
"""

import sympy as sp

from tracer.models import d, sigmoid

MAX_TERMS = 400


def expansion_size(expr: sp.Expr) -> int:
    """An upper estimate of the work of expanding ``expr``, in terms.

    Examples:
        >>> a, b = sp.symbols("a b")
        >>> expansion_size((a + b) ** 3)
        8
    """
    if expr.is_Atom or isinstance(expr, sp.Indexed):
        return 1
    inner = [expansion_size(arg) for arg in expr.args]
    if isinstance(expr, sp.Add):
        return sum(inner)
    if isinstance(expr, sp.Mul):
        size = 1
        for part in inner:
            size = min(size * part, MAX_TERMS + 1)
        return size
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        return min(inner[0] ** min(abs(int(expr.exp)), 64), MAX_TERMS + 1)
    return sum(inner) + 1


def _pull_constants(total: sp.Sum) -> sp.Expr:
    """``Σ c·f = c·Σ f`` for the factors ``c`` free of the summation index."""
    indices = [limit[0] for limit in total.limits]
    constant, rest = total.function.as_independent(*indices, as_Add=False)
    if constant == 1:
        return total
    return constant * sp.Sum(rest, *total.limits)


def _rename_indices(expr: sp.Expr, depth: int = 0) -> sp.Expr:
    """Give each sum over features the index name its nesting depth fixes."""
    if isinstance(expr, sp.Sum):
        renamed, limits = {}, []
        for index, lower, upper in reversed(expr.limits):  # outermost first
            if getattr(index, "upper", None) == d:
                renamed[index] = sp.Idx(f"κ{depth + len(renamed)}", (1, d))
            limits.insert(0, (renamed.get(index, index), lower, upper))
        body = expr.function.xreplace(renamed)
        return sp.Sum(_rename_indices(body, depth + len(renamed)), *limits)
    if not expr.args or isinstance(expr, sp.Indexed):
        return expr
    return expr.func(*[_rename_indices(arg, depth) for arg in expr.args])


def _canonical(expr: sp.Expr) -> sp.Expr:
    def pull(e):
        return e.replace(lambda part: isinstance(part, sp.Sum), _pull_constants)

    expr = expr.replace(lambda e: isinstance(e, sigmoid), lambda e: e.rewrite(sp.exp))
    expr = pull(sp.expand(pull(expr)))
    return sp.expand(_rename_indices(expr))


def confirm(answer: sp.Expr, gradient: sp.Expr) -> bool:
    """Whether algebra shows ``answer − gradient = 0`` within the size bound.

    False means only "not shown": the numeric check stands either way.

    Examples:
        >>> from tracer.models import b, i, n, w, x, y
        >>> by_hand = 2 * sp.Sum((w * x[i] + b - y[i]) * x[i], (i, 1, n)) / n
        >>> confirm(by_hand, sp.Sum(2 * (b + w * x[i] - y[i]) * x[i], (i, 1, n)) / n)
        True
    """
    if expansion_size(answer) + expansion_size(gradient) > MAX_TERMS:
        return False
    return _canonical(answer) - _canonical(gradient) == 0
