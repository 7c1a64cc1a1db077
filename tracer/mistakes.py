"""Name a wrong gradient's mistake by comparing it with what learners often give.

A wrong answer ``A`` is compared, over all the random data sets, with SymPy's
gradient ``G`` and with the expressions common mistakes produce: the other
parameter's gradient, the loss itself and, for logistic regression, the
squared error's gradient through the sigmoid. When ``A = c · nᵖ · R`` for one
of them ``R``, a constant ``c`` and ``p`` in {−1, 0, 1} across every data set,
that relation names the mistake: ``c`` is a constant factor or a sign, ``p`` a
sum where a mean belongs or the reverse.
"""

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from tracer.derivation import Partial, derive
from tracer.models import Model, i, j, n, x, y

RELATIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Mistake:
    """A named mistake.

    Attributes:
        name: A short name, e.g. ``constant factor`` or ``missing x``.
        message: One or two sentences for the learner.
    """

    name: str
    message: str


@dataclass(frozen=True)
class Relation:
    """``answer = factor · n^power · reference`` on every data set."""

    reference: str
    factor: float
    power: int


def references(model: Model, weight: bool) -> dict[str, sp.Expr]:
    """The expressions a wrong answer is compared with, by name.

    ``gradient`` is SymPy's ``∂J/∂param``; ``other`` the derivative for the
    other parameter; ``loss`` the mean loss ``J``; for logistic regression,
    ``squared`` the gradient of the mean squared error of ``σ(z_i)``.
    """
    derivation = derive(model.name)
    gradient, other = derivation.partials if weight else derivation.partials[::-1]
    found = {
        "gradient": gradient.derivative,
        "other": other.derivative,
        "loss": model.mean_loss,
    }
    if model.has_link:
        prediction = model.prediction
        inner = x[i, j] if weight else 1
        term = 2 * (prediction - y[i]) * prediction * (1 - prediction) * inner
        found["squared"] = sp.Sum(term, (i, 1, n)) / n
    return found


def find_relation(
    answer: np.ndarray, reference: np.ndarray, sizes: np.ndarray
) -> tuple[float, int] | None:
    """``(c, p)`` with ``answer = c · sizes^p · reference`` everywhere, if any.

    Examples:
        >>> sizes = np.array([2, 3, 5])
        >>> find_relation(np.array([4.0, 9.0, 25.0]), sizes * 1.0, sizes)
        (1.0, 1)
    """
    for power in (0, 1, -1):
        scaled = reference * sizes.astype(float) ** power
        factor = _constant_ratio(answer, scaled)
        if factor is not None:
            return factor, power
    return None


def _constant_ratio(answer: np.ndarray, reference: np.ndarray) -> float | None:
    finite = np.isfinite(answer) & np.isfinite(reference)
    if not finite.all():
        return None
    scale = np.max(np.abs(reference)) if reference.size else 0.0
    usable = np.abs(reference) > 1e-9 * max(scale, 1.0)
    if usable.sum() < 3:
        return None
    factor = float(np.median(answer[usable] / reference[usable]))
    if factor == 0 or not np.isfinite(factor):
        return None
    close = np.isclose(
        answer,
        factor * reference,
        rtol=RELATIVE_TOLERANCE,
        atol=1e-9 * max(scale * abs(factor), 1.0),
    )
    return factor if close.all() else None


def name_factor(factor: float) -> str:
    """A constant as a learner would write it: ``½``, ``−1``, ``2/3``, ``1.37``."""
    fraction = Fraction(factor).limit_denominator(16)
    if abs(float(fraction) - factor) > RELATIVE_TOLERANCE * abs(factor):
        return f"{factor:.4g}".replace("-", "−")
    if fraction == Fraction(1, 2):
        return "½"
    return str(fraction).replace("-", "−")


def relate(
    answers: np.ndarray, values: dict[str, np.ndarray], sizes: np.ndarray
) -> Relation | None:
    """The first reference the answer is a multiple of, in order of likelihood."""
    for name in ("gradient", "other", "loss", "squared"):
        if name not in values:
            continue
        found = find_relation(answers, values[name], sizes)
        if found is not None:
            return Relation(name, *found)
    return None


def explain(relation: Relation, model: Model, partial: Partial) -> Mistake:
    """The mistake a relation stands for, in words for the learner."""
    param = _param_name(partial)
    factor = relation.factor
    rest = _leftover(relation)
    if relation.reference == "gradient" and relation.power == 0:
        if np.isclose(factor, -1, rtol=RELATIVE_TOLERANCE):
            return Mistake("opposite sign", _opposite_sign(model))
        return Mistake("constant factor", _constant_factor(model, factor))
    if relation.reference == "gradient":
        if relation.power == 1:
            text = (
                "Your answer is n times the gradient: a sum where the mean "
                "belongs. J averages the samples' losses, so its gradient "
                "keeps the 1/n."
            )
        else:
            text = (
                "Your answer is the gradient divided by n: a mean where a "
                "sum belongs, or 1/n taken twice."
            )
        return Mistake("factor of n", text + _also(factor))
    if relation.reference == "other" and param == "b":
        return Mistake(
            "extra x",
            "Your answer is the gradient for the weight: "
            "the derivative for b has no x factor, because the "
            "score changes one for one with b." + rest,
        )
    if relation.reference == "other":
        feature = "x_ij" if model.vector else "x_i"
        return Mistake(
            f"missing {feature}",
            "Your answer is the gradient for b: "
            f"the derivative for {param} multiplies each sample's "
            f"term by {feature}, the rate at which the score changes "
            f"with {param}." + rest,
        )
    if relation.reference == "loss":
        return Mistake(
            "loss instead of gradient",
            "Your answer is the loss J "
            "itself, not its derivative: differentiate each sample's "
            f"loss with respect to {param}, by the chain rule." + rest,
        )
    return Mistake(
        "squared error through sigmoid",
        "Your answer is the gradient "
        "of the squared error of σ(z_i), not of the cross-entropy "
        "loss: with cross-entropy the sigmoid's derivative σ(1 − σ) "
        "cancels, leaving the error times the input." + rest,
    )


def _param_name(partial: Partial) -> str:
    symbol = partial.param
    if isinstance(symbol, sp.Indexed):
        return f"{symbol.base}_{symbol.indices[0]}"
    return str(symbol)


def _leftover(relation: Relation) -> str:
    """What else separates the answer from the reference it matched."""
    scale = {
        1: " It is also n times too large.",
        -1: " It is also divided by n.",
        0: "",
    }[relation.power]
    return scale + _also(relation.factor)


def _also(factor: float) -> str:
    if np.isclose(factor, 1, rtol=RELATIVE_TOLERANCE):
        return ""
    if np.isclose(factor, -1, rtol=RELATIVE_TOLERANCE):
        return " Its sign is also the opposite."
    return f" It is also off by a factor of {name_factor(factor)}."


def _opposite_sign(model: Model) -> str:
    if model.has_link:
        return (
            "Your answer is the gradient with the opposite sign: the "
            "gradient of the log-likelihood, which ascent climbs. J is the "
            "negative mean log-likelihood, so descent steps against yours."
        )
    return (
        "Your answer is the gradient with the opposite sign, the direction "
        "of steepest ascent. Check the order of prediction and target in "
        "the error term."
    )


def _constant_factor(model: Model, factor: float) -> str:
    name = name_factor(factor)
    text = f"Your answer is {name} times the gradient."
    if name == "½":
        text = "Your answer is ½ of the gradient."
        if not model.has_link:
            text += (
                " Did you use the ½-convention loss ½(ŷ − y)²? tracer's "
                "loss has no ½, so the 2 from the square stays."
            )
    elif name == "2" and not model.has_link:
        text += " Was the 2 from differentiating the square counted twice?"
    elif name == "2":
        text += (
            " The cross-entropy's derivative has no 2: did you treat it "
            "like a squared error?"
        )
    return text + " Check the constant in front."
