"""Compare an answer with SymPy's gradient on random data sets, and decide.

Both the answer and the gradient, with the expressions common mistakes give,
are evaluated on every data set of :func:`tracer.evaluator.make_trials`. The
answer is correct when it equals the gradient on all of them; otherwise the
mistake is named when one fits, and the smallest data set where the two differ
is kept as a counterexample.
"""

import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from tracer.derivation import Partial
from tracer.evaluator import FEATURE_COUNTS, entries, evaluate, make_trials
from tracer.mistakes import Mistake, Relation, explain, references, relate
from tracer.models import Model, i, j
from tracer.shapes import Value
from tracer.symbolic import confirm
from tracer.verdict import Verdict, counterexample, show

RELATIVE_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Target:
    """The parameter an answer is for.

    Attributes:
        name: As asked: ``w``, ``w_j``, ``w_2`` or ``b``.
        partial: The name of SymPy's partial: ``w``, ``w_j`` or ``b``.
        component: For ``w_2`` and the like, the feature number; else None.
    """

    name: str
    partial: str
    component: int | None = None

    @property
    def weight(self) -> bool:
        """Whether the parameter is a weight rather than the bias."""
        return self.partial != "b"


def _entry(value: Value, model: Model, target: Target) -> sp.Expr | None:
    """The answer's entry for the target, or None if its shape cannot be one."""
    if value.is_scalar:
        return value.expr
    axis = value.axis
    if value.is_vector and model.vector and target.weight and axis.size != i.upper:
        return value.expr.subs(axis.index, j) if axis.index != j else value.expr
    return None


def _feature_counts(
    expr: sp.Expr, model: Model, target: Target, features: int | None
) -> tuple[int, ...]:
    """The numbers of features to check with: several, unless fixed."""
    if not model.vector:
        return (1,)
    if features:
        return (features,)
    named = [
        int(index)
        for indexed in expr.atoms(sp.Indexed)
        for index in indexed.indices[-1:]
        if index.is_Integer
    ]
    largest = max([*named, target.component or 0])
    counts = {largest, largest + 1} | {c for c in FEATURE_COUNTS if c >= largest}
    return tuple(sorted(counts - {0}))


@dataclass(frozen=True)
class _Evaluations:
    """Every expression's entries over all data sets, flattened side by side.

    ``values`` maps ``answer``, ``gradient`` and the references of
    :func:`tracer.mistakes.references` to arrays; ``sizes`` holds the ``n`` and
    ``owners`` the trial number of each entry.
    """

    values: dict[str, np.ndarray]
    sizes: np.ndarray
    owners: np.ndarray


def _evaluate_all(expressions, trials, target, per_sample, deadline) -> _Evaluations:
    columns = {name: [] for name in expressions}
    sizes, owners = [], []
    for number, trial in enumerate(trials):
        for name, expr in expressions.items():
            keep_i = per_sample and name == "answer"
            flat = entries(
                evaluate(expr, trial, deadline), trial, target.component, keep_i
            )
            if keep_i:
                flat = flat.reshape(trial.n, -1).sum(axis=0)
            columns[name].append(flat)
        count = columns["answer"][-1].size
        sizes.append(np.full(count, trial.n))
        owners.append(np.full(count, number))
    values = {name: np.concatenate(parts) for name, parts in columns.items()}
    return _Evaluations(values, np.concatenate(sizes), np.concatenate(owners))


def compare(
    value: Value,
    model: Model,
    target: Target,
    partial: Partial,
    features: int | None,
    deadline: float,
    common: dict,
) -> Verdict:
    """Compare a read answer with the gradient on every data set.

    Args:
        value: The answer as read.
        model: The model it is for.
        target: The parameter it is for.
        partial: SymPy's derivation for that parameter.
        features: A fixed number of features to check with, or None for several.
        deadline: A ``time.monotonic`` value after which evaluation stops.
        common: The verdict's fields known before comparing (model, param,
            answer, expected).

    Raises:
        AnswerError: Evaluation ran past the deadline.
    """
    common = common | {"read_as": show(value.expr)}
    entry = _entry(value, model, target)
    if entry is None:
        shape = (
            "one number per feature j"
            if model.vector and target.weight
            else "a single number"
        )
        return Verdict(
            "incorrect",
            diagnosis="wrong shape",
            message=(
                f"Your answer is {value.describe()}, but ∂J/∂{target.name} is {shape}."
            ),
            **common,
        )

    per_sample = i in entry.free_symbols
    counts = _feature_counts(entry, model, target, features)
    trials = make_trials(model.vector, model.has_link, counts)
    expressions = {"answer": entry, **references(model, target.weight)}
    found = _evaluate_all(expressions, trials, target, per_sample, deadline)

    answer, gradient = found.values["answer"], found.values["gradient"]
    scale = max(1.0, float(np.max(np.abs(gradient))))
    close = np.isclose(answer, gradient, rtol=RELATIVE_TOLERANCE, atol=1e-10 * scale)
    if close.all() and not per_sample:
        sizes = ", ".join(str(size) for size in sorted({t.n for t in trials}))
        message = (
            f"Your answer equals SymPy's ∂J/∂{target.name} on all "
            f"{len(trials)} random data sets (n = {sizes}) it was checked on."
        )
        confirmed = time.monotonic() < deadline and confirm(entry, partial.derivative)
        if confirmed:
            message += " SymPy's algebra confirms it."
        return Verdict(
            "correct", diagnosis=None, message=message, confirmed=confirmed, **common
        )

    relation = relate(answer, found.values, found.sizes)
    if per_sample:
        mistake = _per_sample_mistake(relation, target)
    else:
        mistake = explain(relation, model, partial) if relation else None
    message = (
        mistake.message
        if mistake
        else (
            "Your answer is not SymPy's gradient, and no common mistake explains the "
            "difference: the counterexample shows a data set where they differ."
        )
    )
    if len(counts) > 1 and counts[0] > 1:
        message += (
            f" It names feature {counts[0]} explicitly, so it was checked "
            f"with {counts[0]} features and more; pass --features "
            f"{counts[0]} to check exactly {counts[0]}."
        )
    example = None if per_sample else _first_difference(found, close, trials, target)
    return Verdict(
        "incorrect",
        diagnosis=mistake.name if mistake else None,
        message=message,
        counterexample=example,
        **common,
    )


def _first_difference(
    found: _Evaluations, close: np.ndarray, trials, target: Target
) -> dict:
    """The counterexample: the first entry, smallest data set first, that differs."""
    first = int(np.flatnonzero(~close)[0])
    owner = found.owners[first]
    trial = trials[int(owner)]
    column = first - int(np.flatnonzero(found.owners == owner)[0])
    name = target.name
    if trial.vector and target.weight and target.component is None:
        name = f"w_{column + 1}"
    values = found.values
    return counterexample(
        trial, name, values["answer"][first], values["gradient"][first]
    )


def _per_sample_mistake(summed: Relation | None, target: Target) -> Mistake:
    """The mistake of an answer still in ``i``, told by how its sum over ``i`` relates.

    ``summed`` relates the answer summed over the samples to the references.
    """
    if summed and summed.reference == "loss":
        return Mistake(
            "loss instead of gradient",
            "Your answer is one sample's "
            "loss, not the derivative of J: differentiate it by the "
            "chain rule and average over the samples.",
        )
    text = (
        "Your answer still depends on the sample i outside any sum: it is one "
        f"sample's term, and ∂J/∂{target.name} averages such terms over all "
        "samples."
    )
    averaged = (
        summed
        and summed.reference == "gradient"
        and summed.power == 1
        and np.isclose(summed.factor, 1)
    )
    if averaged:
        text += " Averaged with (1/n) Σ_i, your term gives the gradient."
    return Mistake("missing sum", text)
