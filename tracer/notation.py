"""Printing SymPy's results for people: one-line Unicode, LaTeX, and with numbers.

Formulas keep SymPy's structure; only the notation changes: ``x[i]`` prints as
``x_i``, the sum over features ``Σ_k w_k x_ik`` as ``w·x_i``, and the sum over
samples as ``Σ``. The same printer, given numbers for the symbols, prints the
formula with one step's values in it.
"""

from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from tracer.models import b as b_sym
from tracer.models import d as d_sym
from tracer.models import i, k, n, sigmoid, w_vec, x
from tracer.models import j as j_sym
from tracer.models import w as w_sym
from tracer.models import y as y_sym

SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
MINUS = "−"


def is_dot_product(expr) -> bool:
    """Whether ``expr`` is ``Σ_k w_k x_ik``, the model's ``w·x_i``."""
    return isinstance(expr, sp.Sum) and expr.function == w_vec[k] * x[i, k]


def format_number(value: float, digits: int = 4) -> str:
    """A number as a learner reads it: ``digits`` significant figures, ``−``.

    Examples:
        >>> format_number(-0.000123456)
        '−0.0001235'
        >>> format_number(2.0)
        '2'
    """
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPTS)}"
    return text.replace("-", MINUS)


def _label(index):
    """An index as written: ``i`` for the summation index, ``2`` for a number."""
    return getattr(index, "label", index)


def _term_key(term) -> tuple[bool, int]:
    """Order of terms in a sum: added before subtracted; weights, then ``b``.

    So ``w x_i + b − y_i``, ``1 − y_i`` and ``σ(z_i) − y_i`` read as written
    by hand.
    """
    negative = term.could_extract_minus_sign()
    names = {symbol.name for symbol in term.free_symbols if hasattr(symbol, "name")}
    if term.has(w_vec) or names & {"w", "X"}:
        return negative, 0
    if "b" in names:
        return negative, 1
    return negative, 2


def _is_constant(factor) -> bool:
    """Fractions and powers of ``n``: what prints in front, as in ``(2/n)``."""
    return factor.is_Rational or factor.free_symbols == {n}


class UnicodePrinter(StrPrinter):
    """One-line Unicode: ``(2/n) Σ (w x_i + b − y_i) x_i``.

    With ``values`` (a mapping from symbols, indexed symbols or ``w·x_i`` to
    floats), each of those prints as its number instead.
    """

    printmethod = "_tracer_unicode"

    def __init__(self, values=None, digits: int = 4):
        super().__init__({"order": "none"})
        self.values = values or {}
        self.digits = digits

    def _number(self, expr):
        text = format_number(float(self.values[expr]), self.digits)
        return f"({text})" if text.startswith(MINUS) else text

    def _print_Symbol(self, expr):
        if expr in self.values:
            return self._number(expr)
        return expr.name

    def _print_Indexed(self, expr):
        if expr in self.values:
            return self._number(expr)
        indices = "".join(str(_label(index)) for index in expr.indices)
        return f"{expr.base}_{indices}"

    def _print_Exp1(self, expr):
        return "e"

    def _print_Sum(self, expr):
        if is_dot_product(expr):
            return self._number(expr) if expr in self.values else "w·x_i"
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add):
            body = f"({body})"
        return f"Σ {body}"

    def _print_Function(self, expr):
        name = "σ" if isinstance(expr, sigmoid) else expr.func.__name__
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Add(self, expr, order=None):
        text = ""
        for term in sorted(expr.args, key=_term_key):
            if term.could_extract_minus_sign():
                printed = self._print(-term)
                text += f" {MINUS} {printed}" if text else f"{MINUS}{printed}"
            else:
                printed = self._print(term)
                text += f" + {printed}" if text else printed
        return text

    def _factor(self, factor) -> str:
        printed = self._print(factor)
        return f"({printed})" if isinstance(factor, sp.Add) else printed

    def _product(self, factors) -> str:
        joiner = "·" if self.values else " "
        return joiner.join(self._factor(f) for f in factors) if factors else "1"

    def _print_Mul(self, expr):
        if expr.could_extract_minus_sign():
            return MINUS + self._factor(-expr)
        constant, top, bottom = sp.Integer(1), [], []
        for factor in expr.args:
            base, exponent = factor.as_base_exp()
            if _is_constant(factor):
                constant *= factor
            elif exponent.is_number and exponent < 0:
                bottom.append(sp.Pow(base, -exponent))
            else:
                top.append(factor)
        text = self._product(top)
        if bottom:
            under = self._product(bottom)
            under = f"({under})" if len(bottom) > 1 else under
            text = f"{text}/{under}"
        if constant == 1:
            return text
        front = self._print_constant(constant)
        return front if text == "1" else f"{front} {text}"

    def _print_constant(self, constant):
        numerator, denominator = sp.fraction(constant)
        top = self._plain_product(numerator)
        if denominator == 1:
            return top
        bottom = self._plain_product(denominator)
        bottom = f"({bottom})" if isinstance(denominator, sp.Mul) else bottom
        return f"({top}/{bottom})"

    def _plain_product(self, product) -> str:
        """A product of constants, factor by factor: ``2 n``, ``3``."""
        coefficient, rest = product.as_coeff_Mul()
        factors = [f for f in sp.Mul.make_args(rest) if f != 1]
        parts = [self._print(coefficient)] if coefficient != 1 or not factors else []
        return " ".join(parts + [self._factor(f) for f in factors])

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.as_base_exp()
        printed = self._print(base)
        if not (base.is_Atom or isinstance(base, sp.Indexed)):
            printed = f"({printed})"
        if exponent == -1:
            return f"1/{printed}"
        if exponent.is_Integer and exponent > 0:
            return printed + str(exponent).translate(SUPERSCRIPTS)
        return f"{printed}^{self._print(exponent)}"

    def _print_Rational(self, expr):
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)

    def _print_MatrixSymbol(self, expr):
        return expr.name

    def _print_Transpose(self, expr):
        return self._print(expr.arg) + "ᵀ"

    def _print_OneMatrix(self, expr):
        return "𝟏ᵀ" if expr.shape[0] == 1 else "𝟏"

    def _print_MatMul(self, expr):
        coefficient, matrices = expr.as_coeff_matrices()
        if len(matrices) == 1 and isinstance(matrices[0], sp.OneMatrix):
            # b·𝟏 is the scalar b added to every sample: written b.
            return self._print(coefficient)
        parts = []
        if coefficient != 1:
            parts.append(self._print_constant(coefficient))
        for matrix in matrices:
            printed = self._print(matrix)
            parts.append(f"({printed})" if isinstance(matrix, sp.MatAdd) else printed)
        text = parts[0]
        for part in parts[1:]:
            glued = part.startswith("(") and not text.endswith(")")
            text += part if glued or text[-1].isupper() else " " + part
        return text

    def _print_MatAdd(self, expr):
        text = ""
        for term in sorted(expr.args, key=_term_key):
            coefficient, _ = (
                term.as_coeff_mmul() if isinstance(term, sp.MatMul) else (1, term)
            )
            if coefficient == -1:
                printed = self._print(-term)
                text += f" {MINUS} {printed}" if text else f"{MINUS}{printed}"
            else:
                text += f" + {self._print(term)}" if text else self._print(term)
        return text

    def _print_ElementwiseApplyFunction(self, expr):
        function = expr.function.expr.func
        name = "σ" if function is sigmoid else function.__name__
        return f"{name}({self._print(expr.expr)})"


class TracerLatexPrinter(LatexPrinter):
    """LaTeX with ``x_{i}``, ``x_{ij}``, ``σ`` as ``\\sigma`` and ``w·x_i`` in bold."""

    printmethod = "_tracer_latex"

    def _print_Idx(self, expr):
        return self._print(expr.label)

    def _print_Indexed(self, expr):
        indices = "".join(self._print(_label(index)) for index in expr.indices)
        return f"{self._print(expr.base.label)}_{{{indices}}}"

    def _print_Sum(self, expr):
        if is_dot_product(expr):
            return r"\mathbf{w} \cdot \mathbf{x}_{i}"
        return super()._print_Sum(expr)

    def _print_sigmoid(self, expr, exp=None):
        text = rf"\sigma\left({self._print(expr.args[0])}\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}^{T}" if expr.shape[0] == 1 else r"\mathbf{1}"

    def _print_ElementwiseApplyFunction(self, expr):
        inner = self._print(expr.expr)
        if expr.function.expr.func is sigmoid:
            return rf"\sigma\left({inner}\right)"
        return (
            rf"\operatorname{{{expr.function.expr.func.__name__}}}\left({inner}\right)"
        )


def unicode(expr, values=None, digits: int = 4) -> str:
    """``expr`` on one line in Unicode; with ``values``, numbers substituted.

    Substituted numbers keep ``digits`` significant figures.

    Examples:
        >>> from tracer.derivation import derive
        >>> unicode(derive("linear").partial("w").sum_form)
        '(2/n) Σ (w x_i + b − y_i) x_i'
        >>> unicode(derive("logistic").partial("w_j").vector)
        '(1/n) Xᵀ(σ(Xw + b) − y)'
    """
    return UnicodePrinter(values, digits).doprint(expr)


def latex(expr) -> str:
    """``expr`` as LaTeX.

    Examples:
        >>> from tracer.derivation import derive
        >>> latex(derive("linear").partial("b").sum_form)
        '\\\\frac{2 \\\\sum_{i=1}^{n} \\\\left(b + w x_{i} - y_{i}\\\\right)}{n}'
    """
    return TracerLatexPrinter().doprint(expr)


def chain_labels(partial, show=None) -> list[str]:
    """``∂J/∂L_i``, ``∂L_i/∂ŷ_i``, …: the name of each chain-rule factor.

    Examples:
        >>> from tracer.derivation import derive
        >>> chain_labels(derive("linear").partial("b"))
        ['∂J/∂L_i', '∂L_i/∂ŷ_i', '∂ŷ_i/∂b']
    """
    show = show or unicode
    return [f"∂{show(s.numerator)}/∂{show(s.denominator)}" for s in partial.chain]


def chain_equation(partial, show=None) -> str:
    """``∂J/∂w = Σ ∂J/∂L_i · ∂L_i/∂ŷ_i · ∂ŷ_i/∂w``: the chain rule, by name.

    Examples:
        >>> from tracer.derivation import derive
        >>> chain_equation(derive("logistic").partial("b"))
        '∂J/∂b = Σ ∂J/∂L_i · ∂L_i/∂ŷ_i · ∂ŷ_i/∂z_i · ∂z_i/∂b'
    """
    from tracer.derivation import symbol_name

    label = partial_label(symbol_name(partial.param))
    return f"{label} = Σ " + " · ".join(chain_labels(partial, show))


def partial_label(param: str) -> str:
    """``∂J/∂w``: the name of a partial derivative.

    Examples:
        >>> partial_label("w_j")
        '∂J/∂w_j'
    """
    return f"∂J/∂{param}"


@dataclass(frozen=True)
class GradientNumbers:
    """One partial derivative with a step's numbers in it.

    ``result = coefficient · Σ terms``; ``terms`` holds the first few samples,
    ``total`` the sum over all ``n`` of them.

    Attributes:
        label: ``∂J/∂w_1``.
        formula: SymPy's sum form, printed.
        terms: ``(i, the summand with numbers in it, its value)``, 1-based ``i``.
        total: The sum of the summand over every sample.
        n: The number of samples.
        coefficient: The factor in front of the sum, with ``n`` filled in.
        coefficient_text: That factor as printed, e.g. ``2/50``.
        result: ``coefficient × total``.
    """

    label: str
    formula: str
    terms: tuple[tuple[int, str, float], ...]
    total: float
    n: int
    coefficient: float
    coefficient_text: str
    result: float


def _sample_values(model, param_index, theta, X, y, row):
    """What each symbol of a summand stands for in sample ``row``."""
    values = {y_sym[i]: y[row], b_sym: theta[-1]}
    if model.vector:
        values[sp.Sum(w_vec[k] * x[i, k], (k, 1, d_sym))] = X[row] @ theta[:-1]
        column = 0 if param_index == len(theta) - 1 else param_index
        values[x[i, j_sym]] = X[row, column]
    else:
        values[x[i]] = X[row, 0]
        values[w_sym] = theta[0]
    return values


def gradient_numbers(model_name, param_index, theta, X, y, count=3, digits=4):
    """``∂J/∂θ_param_index`` at ``theta`` with the first ``count`` samples shown.

    The shown terms print their numbers with ``digits`` significant figures.

    Every value comes from the compiled per-sample term; the result equals the
    compiled gradient up to rounding.

    Examples:
        >>> X = np.array([[1.0], [2.0]]); y = np.array([3.0, 5.0])
        >>> numbers = gradient_numbers("linear", 0, np.array([0.0, 0.0]), X, y)
        >>> numbers.terms[1][1], numbers.terms[1][2], numbers.result
        ('(0·2 + 0 − 5)·2', -10.0, -13.0)
    """
    from tracer.derivation import derive
    from tracer.numeric import compile_model

    derivation = derive(model_name)
    model = derivation.model
    is_bias = param_index == len(theta) - 1
    partial = derivation.partials[1 if is_bias else 0]
    names = model.param_names(X.shape[1])
    all_terms = compile_model(model_name).sample_terms(param_index, theta, X, y)
    shown = []
    for row in range(min(count, len(y))):
        values = _sample_values(model, param_index, theta, X, y, row)
        text = unicode(partial.summand, values, digits)
        shown.append((row + 1, text, float(all_terms[row])))
    coefficient = float(partial.coefficient.subs(n, len(y)))
    # n is filled in without cancelling, so 2/n reads 2/50, not 1/25.
    numerator, denominator = sp.fraction(partial.coefficient)
    denominator = denominator.subs(n, len(y))
    coefficient_text = (
        str(numerator) if denominator == 1 else f"{numerator}/{denominator}"
    )
    total = float(np.sum(all_terms))
    return GradientNumbers(
        partial_label(names[param_index]),
        unicode(partial.sum_form),
        tuple(shown),
        total,
        len(y),
        coefficient,
        coefficient_text,
        coefficient * total,
    )
