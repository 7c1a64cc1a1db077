"""SymPy's derived expressions compiled by ``lambdify`` into vectorized NumPy.

The gradient is compiled from the vector form ``Xᵀ(...)``, so one call is two
matrix-vector products and a few elementwise passes: no per-sample Python loop and
no n × n intermediate. The sigmoid and the log-loss are evaluated in forms that
cannot overflow or take ``log(0)``.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from tracer import models
from tracer.derivation import (
    X,
    b,
    derive,
    lift,
    loss_of_score,
    n,
    ones,
    w_col,
    x_col,
    y_col,
)
from tracer.models import i, j, sigmoid, y


class softplus(sp.Function):  # noqa: N801 - SymPy names functions in lower case
    """``log(1 + e^z)``; ``log σ(z) = −softplus(−z)`` without computing ``σ``."""


def stable_sigmoid(z):
    """σ(z) without overflow, as ``(1 + tanh(z/2)) / 2``.

    The identity is exact; ``tanh`` never overflows, and one transcendental
    pass keeps the logistic gradient as fast as the squared-error one.

    Examples:
        >>> stable_sigmoid(np.array([-1e4, 0.0, 1e4]))
        array([0. , 0.5, 1. ])
    """
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def stable_softplus(z):
    """``log(1 + e^z)`` without overflow."""
    return np.logaddexp(0.0, z)


USER_FUNCTIONS = {"sigmoid": "sigmoid", "softplus": "softplus"}
NUMPY_FUNCTIONS = {"sigmoid": stable_sigmoid, "softplus": stable_softplus}


def stable_log_loss(expr: sp.Expr) -> sp.Expr:
    """Rewrite ``log σ(u)`` and ``log(1 − σ(u))`` through softplus.

    Both identities are exact: ``log σ(u) = −softplus(−u)`` and
    ``log(1 − σ(u)) = −softplus(u)``. They keep the log-loss finite where
    ``σ(u)`` rounds to 0 or 1.
    """

    def rewrite(log_term):
        inner = log_term.args[0]
        if isinstance(inner, sigmoid):
            return -softplus(-inner.args[0])
        rest = inner - 1
        if isinstance(-rest, sigmoid):
            return -softplus((-rest).args[0])
        return log_term

    return expr.replace(lambda e: isinstance(e, sp.log), rewrite)


def _is_ones_row(matrix) -> bool:
    """Whether ``matrix`` is ``𝟏ᵀ``, the row of ones that sums a vector."""
    if isinstance(matrix, sp.Transpose):
        matrix = matrix.arg.T
    return isinstance(matrix, sp.OneMatrix) and matrix.shape[0] == 1


def _is_broadcast_scalar(term) -> bool:
    """Whether ``term`` is ``b·𝟏``: a scalar that NumPy broadcasts."""
    return isinstance(term, sp.MatMul) and all(
        isinstance(m, sp.OneMatrix) for m in term.as_coeff_matrices()[1]
    )


class MatrixNumPyPrinter(NumPyPrinter):
    """Prints matrix expressions as NumPy on 1-D arrays.

    ``b·𝟏`` is printed as the scalar ``b`` (NumPy broadcasts it), ``𝟏ᵀv`` as
    ``sum(v)``, matrix products with ``@`` and elementwise products with ``*``.
    """

    def _print_MatMul(self, expr):
        coefficient, matrices = expr.as_coeff_matrices()
        if _is_ones_row(matrices[0]):
            rest = sp.MatMul(*matrices[1:]).doit()
            body = f"{self.parenthesize(rest, 100)}.sum()"
        elif len(matrices) == 1 and isinstance(matrices[0], sp.OneMatrix):
            return self._print(coefficient)
        else:
            body = " @ ".join(self.parenthesize(m, 100) for m in matrices)
        if coefficient == 1:
            return f"({body})"
        if coefficient == -1:
            return f"(-{body})"
        return f"({self._print(coefficient)}) * ({body})"

    def _print_OneMatrix(self, expr):
        if expr.shape[1] != 1:
            raise NotImplementedError(f"no NumPy form for the matrix of ones {expr}")
        return "1"

    def _print_Transpose(self, expr):
        return f"{self.parenthesize(expr.arg, 100)}.T"

    def _print_MatAdd(self, expr):
        # Arrays first, scalars after, subtractions as ``-``: ``X @ w + b - y``.
        # A NumPy scalar on the left of an array is several times slower.
        terms = sorted(
            expr.args,
            key=lambda t: (t.could_extract_minus_sign(), _is_broadcast_scalar(t)),
        )
        text = ""
        for term in terms:
            if term.could_extract_minus_sign():
                text += f" - {self._print(-term)}"
            else:
                text += f" + {self._print(term)}" if text else self._print(term)
        return f"({text})"

    def _print_HadamardProduct(self, expr):
        return "(" + " * ".join(self._print(f) for f in expr.args) + ")"

    def _print_HadamardPower(self, expr):
        return f"({self._print(expr.base)})**{self._print(expr.exp)}"

    def _print_ElementwiseApplyFunction(self, expr):
        variable = expr.function.variables[0]
        placeholder = sp.Symbol("ELEMENTWISE_ARGUMENT")
        body = self._print(expr.function.expr.subs(variable, placeholder))
        return body.replace(str(placeholder), f"({self._print(expr.expr)})")


@dataclass(frozen=True)
class CompiledFunction:
    """A NumPy function together with the SymPy expressions it computes.

    Attributes:
        expressions: What the function returns, as SymPy expressions.
        source: The Python source ``lambdify`` generated for them.
        function: The generated function itself.
    """

    expressions: tuple[sp.Expr, ...]
    source: str
    function: Callable


def _share(common: sp.Expr | None):
    """A ``cse`` for lambdify that computes ``common`` once, as ``error``.

    SymPy's own ``cse`` cannot rebuild elementwise functions of matrices, and
    the one subexpression worth sharing is known: the error vector that every
    partial multiplies.
    """

    def eliminate(expressions):
        if common is None:
            return [], expressions
        name = sp.MatrixSymbol("error", *common.shape)
        return [(name, common)], [e.xreplace({common: name}) for e in expressions]

    return eliminate


def _compile(arguments, expressions, common=None) -> CompiledFunction:
    function = sp.lambdify(
        arguments,
        list(expressions),
        modules=[NUMPY_FUNCTIONS, "numpy"],
        printer=MatrixNumPyPrinter({"user_functions": USER_FUNCTIONS}),
        cse=_share(common),
        docstring_limit=0,
    )
    return CompiledFunction(tuple(expressions), inspect.getsource(function), function)


def _sample_symbols():
    """Plain symbols standing for one sample's values in a per-sample term."""
    return {
        "dot": sp.Symbol("dot_w_x"),
        "x": sp.Symbol("x_i"),
        "y": sp.Symbol("y_i"),
    }


def sample_term_expression(model_name: str, param: str) -> sp.Expr:
    """The summand of ``∂J/∂param`` with one sample's values as plain symbols.

    ``w·x_i`` becomes ``dot_w_x``, ``x_i`` or ``x_ij`` becomes ``x_i`` and
    ``y_i`` becomes ``y_i``, so the term evaluates elementwise on arrays.
    """
    derivation = derive(model_name)
    summand = derivation.partial(param).summand
    symbols = _sample_symbols()
    model = derivation.model
    if model.vector:
        summand = summand.subs(model.score - b, symbols["dot"])
        summand = summand.subs(models.x[i, j], symbols["x"])
    else:
        summand = summand.subs(models.x[i], symbols["x"])
    return summand.subs(y[i], symbols["y"])


@dataclass(frozen=True)
class CompiledModel:
    """A model's loss and gradient as NumPy functions of ``θ = (w..., b)``.

    ``θ`` is a 1-D array: the weights, then the bias. ``X`` has shape (n, d)
    and ``y`` shape (n,).
    """

    name: str
    loss_function: CompiledFunction
    gradient_function: CompiledFunction
    term_functions: tuple[CompiledFunction, ...]
    prediction_function: CompiledFunction

    def _arguments(self, theta, X_data, y_data):
        if self.name == "linear":
            return theta[0], theta[1], X_data[:, 0], y_data, len(y_data)
        return theta[:-1], theta[-1], X_data, y_data, len(y_data)

    def loss(self, theta: np.ndarray, X_data: np.ndarray, y_data: np.ndarray):
        """``J(θ)`` on the data, as a float."""
        return float(
            self.loss_function.function(*self._arguments(theta, X_data, y_data))[0]
        )

    def predict(self, theta: np.ndarray, X_data: np.ndarray) -> np.ndarray:
        """``ŷ`` for every row of ``X_data``: ``Xw + b``, or ``σ(Xw + b)``."""
        weights = theta[0] if self.name == "linear" else theta[:-1]
        data = X_data[:, 0] if self.name == "linear" else X_data
        (predicted,) = self.prediction_function.function(weights, theta[-1], data)
        return np.broadcast_to(predicted, X_data.shape[:1])

    def gradient(self, theta: np.ndarray, X_data: np.ndarray, y_data: np.ndarray):
        """``∇J(θ)`` on the data, laid out like ``θ``."""
        grad_w, grad_b = self.gradient_function.function(
            *self._arguments(theta, X_data, y_data)
        )
        gradient = np.empty(theta.shape)
        gradient[:-1] = grad_w
        gradient[-1] = grad_b
        return gradient

    def sample_terms(self, param_index: int, theta, X_data, y_data):
        """The per-sample terms summed in ``∂J/∂θ_param_index``, one per row.

        ``param_index`` counts like ``θ``: weights first, the bias last.
        """
        weights, bias = theta[:-1], theta[-1]
        is_bias = param_index == len(theta) - 1
        column = 0 if is_bias else param_index
        function = self.term_functions[1 if is_bias else 0].function
        (terms,) = function(
            weights[0] if self.name == "linear" else weights,
            bias,
            X_data @ weights,
            X_data[:, column],
            y_data,
        )
        return np.broadcast_to(terms, y_data.shape)


@cache
def compile_model(model_name: str) -> CompiledModel:
    """Compile ``model_name``'s derived loss and gradient to NumPy (cached).

    Examples:
        >>> compiled = compile_model("linear")
        >>> X_data = np.array([[1.0], [2.0]]); y_data = np.array([3.0, 5.0])
        >>> compiled.gradient(np.array([0.0, 0.0]), X_data, y_data)
        array([-13.,  -8.])
    """
    derivation = derive(model_name)
    model = derivation.model
    weights = w_col if model.vector else models.w
    data = X if model.vector else x_col
    arguments = (weights, b, data, y_col, n)

    stable_loss = stable_log_loss(loss_of_score(model))
    loss = _compile(
        arguments, [ones.T * lift(stable_loss, derivation.vector_score) / n]
    )
    gradient = _compile(
        arguments, [p.vector for p in derivation.partials], derivation.vector_error
    )

    symbols = _sample_symbols()
    term_arguments = (
        models.w if not model.vector else sp.Symbol("w"),
        b,
        symbols["dot"],
        symbols["x"],
        symbols["y"],
    )
    terms = tuple(
        _compile(term_arguments, [sample_term_expression(model_name, name)])
        for name in ("w_j" if model.vector else "w", "b")
    )
    prediction = _compile(
        (weights, b, data), [lift(model.link, derivation.vector_score)]
    )
    return CompiledModel(model_name, loss, gradient, terms, prediction)
