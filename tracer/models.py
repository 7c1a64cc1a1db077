"""The model catalogue: symbols, prediction and per-sample loss, as SymPy objects.

Each model is a score ``z_i`` (linear in the parameters), a link turning the score
into the prediction ``ŷ_i``, and a per-sample loss ``L_i(ŷ_i, y_i)``. The mean loss
is ``J = (1/n) Σ L_i`` over ``i = 1..n``.

The one-feature model has scalar parameters ``w`` and ``b``. The multivariate and
logistic models have a weight vector ``w = (w_1..w_d)``; they are written for a
generic component ``w_j`` so that deriving them costs the same for every ``d``.
"""

from dataclasses import dataclass
from functools import cache

import sympy as sp

from tracer.errors import UsageError

MODEL_NAMES = ("linear", "multivariate", "logistic")

n = sp.Symbol("n", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)
i = sp.Idx("i", (1, n))
j = sp.Idx("j", (1, d))
k = sp.Idx("k", (1, d))

x = sp.IndexedBase("x", real=True)
y = sp.IndexedBase("y", real=True)
w_vec = sp.IndexedBase("w", real=True)
w = sp.Symbol("w", real=True)
b = sp.Symbol("b", real=True)

# The prediction and the score of one sample, as symbols, for the chain rule.
yhat_i = sp.Symbol("ŷ_i", real=True)
z_i = sp.Symbol("z_i", real=True)


class sigmoid(sp.Function):  # noqa: N801 - SymPy names functions in lower case
    """The logistic function σ(z) = 1 / (1 + e^(−z)).

    SymPy knows its derivative as σ(1 − σ), so gradients through it simplify
    to the form a learner writes by hand.

    Examples:
        >>> zz = sp.Symbol("z")
        >>> sp.diff(sigmoid(zz), zz)
        (1 - sigmoid(z))*sigmoid(z)
    """

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))


@dataclass(frozen=True)
class Model:
    """One model of the catalogue.

    Attributes:
        name: ``linear``, ``multivariate`` or ``logistic``.
        loss_name: ``MSE`` or ``binary cross-entropy``.
        score: ``z_i`` in terms of the parameters and ``x_i``.
        link: The prediction as a function of the score symbol ``z_i``.
        sample_loss: ``L_i`` as a function of ``ŷ_i`` and ``y_i``.
        weight: The weight symbol a gradient is taken for: ``w``, or ``w_j``.
        vector: Whether the weights form a vector ``w_1..w_d``.
    """

    name: str
    loss_name: str
    score: sp.Expr
    link: sp.Expr
    sample_loss: sp.Expr
    weight: sp.Expr
    vector: bool

    @property
    def params(self) -> tuple[sp.Expr, ...]:
        """The symbols a gradient is taken for: the weight, then ``b``."""
        return (self.weight, b)

    @property
    def prediction(self) -> sp.Expr:
        """``ŷ_i`` in terms of the parameters and ``x_i``."""
        return self.link.subs(z_i, self.score)

    @property
    def loss(self) -> sp.Expr:
        """``L_i`` in terms of the parameters, ``x_i`` and ``y_i``."""
        return self.sample_loss.subs(yhat_i, self.prediction)

    @property
    def mean_loss(self) -> sp.Expr:
        """``J = (1/n) Σ L_i``, the sum unevaluated."""
        return sp.Sum(self.loss, (i, 1, n)) / n

    @property
    def has_link(self) -> bool:
        """Whether ``ŷ_i`` differs from ``z_i`` (the sigmoid of logistic)."""
        return self.link != z_i

    def param_names(self, features: int) -> list[str]:
        """Names of the numeric parameters for ``features`` features.

        Examples:
            >>> get_model("multivariate").param_names(2)
            ['w_1', 'w_2', 'b']
        """
        if not self.vector:
            return ["w", "b"]
        return [f"w_{index}" for index in range(1, features + 1)] + ["b"]


def _dot_w_x() -> sp.Expr:
    """``w·x_i`` written as the sum over features it stands for."""
    return sp.Sum(w_vec[k] * x[i, k], (k, 1, d))


SQUARED_ERROR = (yhat_i - y[i]) ** 2
CROSS_ENTROPY = -(y[i] * sp.log(yhat_i) + (1 - y[i]) * sp.log(1 - yhat_i))


@cache
def get_model(name: str) -> Model:
    """The model called ``name``.

    Raises:
        UsageError: ``name`` is not in the catalogue.

    Examples:
        >>> get_model("linear").prediction
        b + w*x[i]
    """
    if name == "linear":
        return Model("linear", "MSE", w * x[i] + b, z_i, SQUARED_ERROR, w, vector=False)
    if name == "multivariate":
        return Model(
            "multivariate",
            "MSE",
            _dot_w_x() + b,
            z_i,
            SQUARED_ERROR,
            w_vec[j],
            vector=True,
        )
    if name == "logistic":
        return Model(
            "logistic",
            "binary cross-entropy",
            _dot_w_x() + b,
            sigmoid(z_i),
            CROSS_ENTROPY,
            w_vec[j],
            vector=True,
        )
    raise UsageError(
        f"unknown model {name!r}: expected one of {', '.join(MODEL_NAMES)}",
        "Name a model from that list, e.g. `tracer trace linear`.",
    )
