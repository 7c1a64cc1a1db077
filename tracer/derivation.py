"""SymPy derives each model's gradient: sum form, vector form and chain-rule steps.

Everything here is computed, never typed: ``sp.diff`` of the mean loss gives the
sum form; the chain rule is taken factor by factor and its product checked against
that derivative; the vector form comes from SymPy's matrix calculus for the score
``z = Xw + b`` and the per-sample derivative lifted onto vectors.
"""

from dataclasses import dataclass
from functools import cache

import sympy as sp
from sympy.core.mul import _keep_coeff
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from tracer import models
from tracer.models import Model, b, d, get_model, i, n, y, yhat_i, z_i

# Vectors and matrices of the vector form: X is n × d (x is n × 1 for one feature).
X = sp.MatrixSymbol("X", n, d)
x_col = sp.MatrixSymbol("x", n, 1)
w_col = sp.MatrixSymbol("w", d, 1)
y_col = sp.MatrixSymbol("y", n, 1)
ones = sp.OneMatrix(n, 1)

# Per-sample symbols the chain rule passes through.
L_i = sp.Symbol("L_i", real=True)


@dataclass(frozen=True)
class ChainStep:
    """One factor of the chain rule: ``∂numerator/∂denominator = factor``."""

    numerator: sp.Expr
    denominator: sp.Expr
    factor: sp.Expr


@dataclass(frozen=True)
class Partial:
    """Everything derived for one parameter.

    Attributes:
        param: The symbol differentiated by (``w``, ``w_j`` or ``b``).
        derivative: SymPy's own ``∂J/∂param``, with the sum unevaluated.
        coefficient: The constant in front of the sum, e.g. ``2/n``.
        summand: The per-sample term: ``∂J/∂param = coefficient · Σ summand``.
        chain: The chain-rule factors ``J → L_i → ŷ_i (→ z_i) → param``.
        vector: The vector form: a matrix expression in ``X``, ``w``, ``b``, ``y``.
    """

    param: sp.Expr
    derivative: sp.Expr
    coefficient: sp.Expr
    summand: sp.Expr
    chain: tuple[ChainStep, ...]
    vector: sp.MatrixExpr

    @property
    def sum_form(self) -> sp.Expr:
        """``coefficient · Σ_{i=1..n} summand`` as one SymPy expression."""
        return sp.Mul(self.coefficient, sp.Sum(self.summand, (i, 1, n)))


@dataclass(frozen=True)
class Derivation:
    """A model's loss and the partial derivative for each of its parameters.

    Attributes:
        model: The model derived.
        partials: One per parameter: the weight (``w`` or ``w_j``), then ``b``.
        vector_score: ``z = Xw + b𝟏`` (``wx + b𝟏`` for one feature).
        vector_error: The vector every vector-form partial is a multiple of,
            ``Xw + b𝟏 − y`` or ``σ(Xw + b𝟏) − y``.
    """

    model: Model
    partials: tuple[Partial, ...]
    vector_score: sp.MatrixExpr
    vector_error: sp.MatrixExpr

    def partial(self, param: str) -> Partial:
        """The partial for parameter ``param`` (``w``, ``w_j`` or ``b``)."""
        for partial in self.partials:
            if symbol_name(partial.param) == param:
                return partial
        names = ", ".join(symbol_name(p.param) for p in self.partials)
        raise KeyError(f"no parameter {param!r}; expected one of {names}")


def symbol_name(symbol: sp.Expr) -> str:
    """``w``, ``b`` or ``w_j``: a parameter's name as a learner types it."""
    if isinstance(symbol, sp.Indexed):
        return f"{symbol.base}_{symbol.indices[0]}"
    return str(symbol)


def _pick_component(expr: sp.Expr) -> sp.Expr:
    """Evaluate the ``Σ_k δ_jk x_ik`` sums that differentiating ``w·x_i`` leaves.

    Only those inner sums are evaluated: the sum over samples stays a sum. The
    generic weight ``w_j`` always has ``1 ≤ j ≤ d``, so of the Piecewise SymPy
    returns only the first branch can apply.
    """
    picked = expr.replace(
        lambda e: isinstance(e, sp.Sum) and e.has(sp.KroneckerDelta),
        lambda e: e.doit(),
    )
    return picked.replace(
        lambda e: isinstance(e, sp.Piecewise) and e.args[-1].expr == 0,
        lambda e: e.args[0].expr,
    )


def tidy(expr: sp.Expr) -> sp.Expr:
    """Factor, and turn each sum so ``y_i`` is subtracted and constants lead.

    ``2ŷ_i − 2y_i`` becomes ``2(ŷ_i − y_i)`` and the log-loss derivative
    ``(ŷ_i − y_i)/(ŷ_i(1 − ŷ_i))``: the forms a learner writes by hand.
    """
    factored = sp.factor(sp.together(sp.expand(expr)))
    coefficient, rest = factored.as_coeff_Mul()
    parts = []
    for factor in sp.Mul.make_args(rest):
        base, exponent = factor.as_base_exp()
        if base.is_Add and _reads_backwards(base):
            base = -base
            coefficient *= (-1) ** exponent
        parts.append(sp.Pow(base, exponent))
    return _keep_coeff(coefficient, sp.Mul(*parts))


def _reads_backwards(total: sp.Add) -> bool:
    """Whether ``total`` adds ``y_i`` (or, without ``y_i``, leads with −1)."""
    if total.has(y[i]):
        return total.coeff(y[i]).could_extract_minus_sign() is False
    return total.as_coeff_Add()[0] < 0


def _sample_derivative(model: Model, param: sp.Expr) -> sp.Expr:
    """``∂L_i/∂param``, simplified to the form a learner writes by hand."""
    raw = _pick_component(sp.diff(model.loss, param))
    in_z = raw.subs(model.score, z_i)
    return tidy(in_z).subs(z_i, model.score)


def _chain(model: Model, param: sp.Expr) -> tuple[ChainStep, ...]:
    """The chain-rule factors from ``J`` down to ``param``, each by ``sp.diff``."""
    mean = sp.Symbol("J")
    # J = (1/n) Σ L_i, and of its terms only sample i's depends on L_i.
    steps = [ChainStep(mean, L_i, sp.diff(L_i / n, L_i))]
    steps.append(ChainStep(L_i, yhat_i, tidy(sp.diff(model.sample_loss, yhat_i))))
    if model.has_link:
        steps.append(ChainStep(yhat_i, z_i, sp.diff(model.link, z_i)))
        inner = z_i
    else:
        inner = yhat_i
    dscore = _pick_component(sp.diff(model.score, param))
    steps.append(ChainStep(inner, param, dscore))
    return tuple(steps)


def _chain_product(model: Model, steps: tuple[ChainStep, ...]) -> sp.Expr:
    """The product of the chain's factors with ``ŷ_i`` and ``z_i`` put back."""
    product = sp.Mul(*[step.factor for step in steps])
    return product.subs(yhat_i, model.link).subs(z_i, model.score)


def loss_of_score(model: Model) -> sp.Expr:
    """``L_i`` as a function of the score symbol ``z_i`` and ``y_i``."""
    return model.sample_loss.subs(yhat_i, model.link)


def lift(expr: sp.Expr, score: sp.MatrixExpr) -> sp.MatrixExpr:
    """Turn an expression in ``z_i`` and ``y_i`` into the n × 1 vector of its values.

    ``z_i`` becomes the score vector ``score`` and ``y_i`` the vector ``y``.
    """
    return _lift(expr, {z_i: score, y[i]: y_col})


def _lift(expr: sp.Expr, vectors: dict[sp.Expr, sp.MatrixExpr]) -> sp.MatrixExpr:
    """Lift with ``vectors`` mapping each per-sample symbol to its n × 1 vector.

    Sums and constant multiples carry over; a function of a sample applies
    elementwise; a product of two per-sample factors is elementwise.
    """
    if expr in vectors:
        return vectors[expr]
    if not expr.free_symbols & set().union(*[e.free_symbols for e in vectors]):
        return expr * ones
    if isinstance(expr, sp.Add):
        return sp.MatAdd(*[_lift(term, vectors) for term in expr.args]).doit()
    if isinstance(expr, sp.Mul):
        constant, varying = expr.as_independent(*vectors)
        factors = [_lift(f, vectors) for f in sp.Mul.make_args(varying)]
        lifted = factors[0]
        for factor in factors[1:]:
            lifted = sp.hadamard_product(lifted, factor)
        return constant * lifted if constant != 1 else lifted
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer and expr.exp > 0:
        return sp.HadamardPower(_lift(expr.base, vectors), expr.exp)
    if isinstance(expr, sp.Function) and len(expr.args) == 1:
        function = sp.Lambda(z_i, expr.func(z_i))
        return ElementwiseApplyFunction(function, _lift(expr.args[0], vectors))
    raise NotImplementedError(f"cannot lift {expr} onto vectors")


def _vector_setup(model: Model):
    """The score vector and the column each parameter is differentiated by."""
    if model.vector:
        score = X * w_col + b * ones
        return score, {model.weight: w_col, b: b}
    score = models.w * x_col + b * ones
    return score, {model.weight: models.w, b: b}


def _vector_form(model: Model, score: sp.MatrixExpr, column):
    """``∂J/∂param = (∂z/∂param)ᵀ ∂J/∂z``: matrix calculus for ``z``, lifted rest.

    ``∂J/∂z_i = (1/n) ∂L_i/∂z_i`` is a per-sample derivative; lifting it gives
    an n × 1 vector, so no n × n matrix ever appears.
    """
    dJ_dz = tidy(sp.diff(loss_of_score(model), z_i)) / n
    dJ_dz_vector = lift(dJ_dz, score)
    dz = score.diff(column)
    if dz.shape == (n, 1):
        dz = dz.T
    return sp.MatMul(dz, dJ_dz_vector).doit()


@cache
def derive(model_name: str) -> Derivation:
    """Derive every partial derivative of ``model_name``'s mean loss.

    Cached: each model is derived once per process.

    Raises:
        UsageError: ``model_name`` is not in the catalogue.

    Examples:
        >>> partial = derive("linear").partial("w")
        >>> partial.coefficient, partial.summand
        (2/n, (b + w*x[i] - y[i])*x[i])
        >>> derive("logistic").partial("b").summand
        sigmoid(b + Sum(w[k]*x[i, k], (k, 1, d))) - y[i]
    """
    model = get_model(model_name)
    score, columns = _vector_setup(model)
    partials = []
    for param in model.params:
        derivative = _pick_component(sp.diff(model.mean_loss, param))
        summand = _sample_derivative(model, param)
        coefficient, summand = summand.as_coeff_Mul()
        chain = _chain(model, param)
        product = _chain_product(model, chain)
        if sp.cancel(product * n - coefficient * summand) != 0:
            raise AssertionError(f"chain rule disagrees for {model_name} {param}")
        partials.append(
            Partial(
                param,
                derivative,
                coefficient / n,
                summand,
                chain,
                _vector_form(model, score, columns[param]),
            )
        )
    # ∂J/∂b = c·𝟏ᵀ(error): the vector every partial's vector form multiplies.
    *_, error = partials[-1].vector.as_coeff_matrices()[1]
    return Derivation(model, tuple(partials), score, error)
