"""A verdict on a learner's answer, and its forms: text for people, JSON for scripts.

Formulas in a verdict are SymPy's printing of the answer as read and of the
derived gradient; the words around them are the only hand-written text.
"""

import json
import textwrap
from dataclasses import asdict, dataclass

import numpy as np
import sympy as sp

from tracer.evaluator import Trial
from tracer.models import i
from tracer.notation import UnicodePrinter, is_dot_product
from tracer.reader import mark

EXIT_CODES = {"correct": 0, "incorrect": 1, "unreadable": 2}
WIDTH = 78


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answer.

    Attributes:
        status: ``correct``, ``incorrect`` or ``unreadable``.
        model: The model the answer was judged for.
        param: The parameter, as asked: ``w``, ``w_j``, ``w_2`` or ``b``.
        answer: The answer as typed.
        read_as: How the answer was read, printed by SymPy (None if unreadable).
        expected: SymPy's gradient for ``param``, printed.
        diagnosis: The mistake's short name, e.g. ``constant factor``, or None.
        message: One to three sentences for the learner.
        counterexample: For an incorrect answer, a small data set, the
            parameters, and both values of the gradient there; else None.
        position: For an unreadable answer, the index of the character where
            reading failed, or None.
        hint: For an unreadable answer, what to do about it.
        confirmed: For a correct answer, whether SymPy's algebra also showed
            the difference to be zero (the numeric check decides regardless).
    """

    status: str
    model: str
    param: str
    answer: str
    read_as: str | None
    expected: str
    diagnosis: str | None
    message: str
    counterexample: dict | None = None
    position: int | None = None
    hint: str = ""
    confirmed: bool = False

    @property
    def exit_code(self) -> int:
        """0 correct, 1 incorrect, 2 unreadable: the exit status of ``verify``."""
        return EXIT_CODES[self.status]

    def to_json(self) -> str:
        """The verdict as one JSON object, for scripts."""
        return json.dumps(asdict(self), ensure_ascii=False)


def counterexample(trial: Trial, entry: str, yours: float, correct: float) -> dict:
    """A data set and parameters where an answer and the gradient differ.

    Args:
        trial: The data set and parameters.
        entry: The gradient entry that differs: ``w``, ``w_2``, ``b``.
        yours: The answer's value there.
        correct: The gradient's value there.
    """
    if trial.vector:
        params = {f"w_{k + 1}": float(v) for k, v in enumerate(trial.w)}
        features = trial.X.tolist()
    else:
        params, features = {"w": float(trial.w[0])}, trial.X[:, 0].tolist()
    return {
        "n": trial.n,
        "d": trial.d,
        "x": features,
        "y": trial.y.tolist(),
        "params": params | {"b": trial.b},
        "entry": entry,
        "yours": _json_number(yours),
        "correct": _json_number(correct),
    }


def _json_number(value: float) -> float | str:
    """A float for JSON; ``nan`` and ``inf`` as strings, which JSON lacks."""
    return float(value) if np.isfinite(value) else str(value)


def verify_text(verdict: Verdict) -> str:
    """The verdict as text for a terminal: verdict, reading, reason, example.

    Examples:
        >>> from tracer.answers import judge
        >>> text = verify_text(judge("linear", "b", "2/n sum(w x_i + b - y_i)"))
        >>> print(text.splitlines()[0])
        correct: ∂J/∂b
    """
    if verdict.status == "unreadable":
        where = "" if verdict.position is None else f" (position {verdict.position})"
        lines = [f"unreadable: {verdict.message}{where}"]
        if verdict.position is not None:
            lines += textwrap.indent(
                mark(verdict.answer, verdict.position), "  "
            ).splitlines()
        if verdict.hint:
            lines.append(_wrap(verdict.hint))
        return "\n".join(lines)
    title = f"{verdict.status}: ∂J/∂{verdict.param}"
    if verdict.diagnosis:
        title += f" ({verdict.diagnosis})"
    lines = [
        title,
        f"  read as  {verdict.read_as}",
        f"  SymPy    {verdict.expected}",
        _wrap(verdict.message),
    ]
    if verdict.counterexample:
        lines += _example_lines(verdict.counterexample)
    return "\n".join(lines)


def _wrap(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="  ")


def _example_lines(example: dict) -> list[str]:
    data, values = describe_counterexample(example)
    return [_wrap(f"counterexample: {data}"), f"    {values}"]


def describe_counterexample(example: dict) -> tuple[str, str]:
    """A counterexample as two phrases: the data and θ, then both gradients.

    Returns:
        ``("n = 2, x = [...], y = [...]; w = 0.5, b = −1", "∂J/∂w there: yours
        1.2, SymPy's 2.4")``.
    """

    def number(value):
        return f"{value:.6g}".replace("-", "−") if isinstance(value, float) else value

    def numbers(values):
        if values and isinstance(values[0], list):
            return "[" + ", ".join(numbers(row) for row in values) + "]"
        return "[" + ", ".join(number(v) for v in values) + "]"

    params = ", ".join(f"{name} = {number(v)}" for name, v in example["params"].items())
    x, y = numbers(example["x"]), numbers(example["y"])
    data = f"n = {example['n']}, x = {x}, y = {y}; {params}"
    values = (
        f"∂J/∂{example['entry']} there: yours {number(example['yours'])}, "
        f"SymPy's {number(example['correct'])}"
    )
    return data, values


class _AnswerPrinter(UnicodePrinter):
    """tracer's Unicode printer, naming the index of any sum but the usual ones.

    ``Σ`` alone is a sum over the samples and ``w·x_i`` the model's dot
    product, as everywhere in tracer; a sum over another index (which matrix
    notation such as ``XᵀXw`` produces) prints as ``Σ_l``, so a misread shows.
    """

    def _print_Sum(self, expr):
        index = expr.limits[0][0]
        if len(expr.limits) > 1 or index == i or is_dot_product(expr):
            return super()._print_Sum(expr)
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add):
            body = f"({body})"
        return f"Σ_{index} {body}"

    def _print_Pow(self, expr, rational=False):
        exponent = expr.exp
        if exponent.is_Integer or not exponent.is_Rational and exponent.is_Atom:
            return super()._print_Pow(expr, rational)
        base = self._print(expr.base)
        if not (expr.base.is_Atom or isinstance(expr.base, sp.Indexed)):
            base = f"({base})"
        return f"{base}^({self._print(exponent)})"


def show(expr: sp.Expr) -> str:
    """``expr`` on one line in Unicode, the way tracer prints formulas.

    Examples:
        >>> from tracer.models import n, x
        >>> show(2 * sp.Sum(x[i] ** 2, (i, 1, n)) / n)
        '(2/n) Σ x_i²'
    """
    return _AnswerPrinter().doprint(expr)
