"""Lesson text: placeholders filled in with SymPy's formulas and the engine's numbers.

Lesson text never holds a typed formula. A placeholder such as
``{{formula linear w sum}}`` is replaced by SymPy's result, printed, when the
lesson is read. Placeholders, one per ``{{ }}``, words separated by spaces:

- ``formula MODEL PARAM FORM``: ``∂J/∂PARAM`` in FORM ``sum``, ``vector``,
  ``steps`` (the chain rule) or ``summand`` (one sample's term).
- ``factor MODEL PARAM K``: the K-th chain-rule factor, e.g. ``∂ŷ_i/∂z_i``.
- ``loss MODEL``, ``sample-loss MODEL``, ``prediction MODEL``, ``score MODEL``,
  ``update MODEL PARAM``, ``sigmoid``, ``sigmoid derivative``.
- ``value FACT [PARAM] [ITERATION]``: a number from the step's trace.
- ``residuals [ROWS]``: a table of the first samples' predictions and errors
  at the step's starting θ.

A trailing ``latex`` prints a formula as LaTeX instead of Unicode.
"""

import re

import sympy as sp

from tracer.lesson_trace import FACTS, LessonTextError, TraceSetup, compute_fact
from tracer.models import MODEL_NAMES, sigmoid
from tracer.notation import (
    chain_equation,
    chain_labels,
    format_number,
    latex,
    partial_label,
    unicode,
)

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
FORMS = ("sum", "vector", "steps", "summand")
KINDS = (
    "formula",
    "factor",
    "loss",
    "sample-loss",
    "prediction",
    "score",
    "update",
    "sigmoid",
    "value",
    "residuals",
)
ALPHA = sp.Symbol("α")


# Placeholders.


def render(text: str, setup: TraceSetup | None = None) -> str:
    """``text`` with every placeholder replaced by its formula or value.

    Each result is a Markdown code span, so ``x_i`` is never read as emphasis.

    Raises:
        LessonTextError: A placeholder is unknown or malformed; ``line`` says
            where in ``text``.

    Examples:
        >>> render("The loss is {{loss linear}}.")
        'The loss is `J = (1/n) Σ (w x_i + b − y_i)²`.'
    """

    def replace_one(found: re.Match) -> str:
        try:
            return placeholder(found.group(1).split(), setup or TraceSetup())
        except LessonTextError as error:
            error.line = text.count("\n", 0, found.start()) + 1
            raise

    return PLACEHOLDER.sub(replace_one, text)


def placeholder(words: list[str], setup: TraceSetup) -> str:
    """One placeholder's words, e.g. ``["formula", "linear", "w", "sum"]``."""
    if not words or words[0] not in KINDS:
        name = words[0] if words else ""
        raise LessonTextError(
            f"unknown placeholder {{{{{' '.join(words)}}}}} ({name!r}): "
            f"expected one of {', '.join(KINDS)}"
        )
    kind, *rest = words
    if kind == "residuals":
        if len(rest) > 1 or (rest and not rest[0].isdigit()):
            raise LessonTextError("{{residuals ROWS}} takes one whole number, or none")
        return residual_table(setup, int(rest[0]) if rest else 5)
    if kind == "value":
        fact, param, at = _value_words(rest)
        return f"`{compute_fact(setup, fact, param, at)}`"
    as_latex = bool(rest) and rest[-1] == "latex"
    if as_latex:
        rest = rest[:-1]
    label, exprs = _formula(kind, rest)
    if as_latex:
        alpha = {ALPHA: sp.Symbol("alpha")}
        return "`" + r" \cdot ".join(latex(e.subs(alpha)) for e in exprs) + "`"
    text = " · ".join(unicode(expr) for expr in exprs)
    if not label:
        return f"`{text}`"
    joiner = " " if label.endswith("←") else " = "
    return f"`{label}{joiner}{text}`"


def _value_words(rest: list[str]) -> tuple[str, str, int]:
    if not rest:
        raise LessonTextError("{{value FACT}} needs a fact: " + ", ".join(FACTS))
    fact, param, at = rest[0], "", 0
    for word in rest[1:]:
        if word.isdigit():
            at = int(word)
        else:
            param = word
    return fact, param, at


def _need(kind: str, rest: list[str], shape: str) -> None:
    count = len(shape.split())
    if len(rest) != count:
        raise LessonTextError(
            f"{{{{{kind} {shape}}}}} takes {count} words after {kind}"
        )
    if count and rest[0] not in MODEL_NAMES:
        raise LessonTextError(
            f"unknown model {rest[0]!r} in {{{{{kind}}}}}: expected "
            + ", ".join(MODEL_NAMES)
        )


def _partial(model: str, param: str):
    from tracer.derivation import derive

    name = "w_j" if param == "w" and model != "linear" else param
    try:
        return derive(model).partial(name)
    except KeyError:
        names = "w, b" if model == "linear" else "w_j (or w), b"
        raise LessonTextError(
            f"{model} has no parameter {param!r}: expected {names}"
        ) from None


def _formula(kind: str, rest: list[str]) -> tuple[str, list[sp.Expr]]:
    """``(label, expressions)`` for a formula placeholder.

    More than one expression means factors, printed joined by ``·``.
    """
    label, expr = _formula_parts(kind, rest)
    return label, expr if isinstance(expr, list) else [expr]


def _formula_parts(kind: str, rest: list[str]):
    if kind == "sigmoid":
        z = sp.Symbol("z")
        if rest == ["derivative"]:
            return "σ′(z)", sp.diff(sigmoid(z), z)
        if rest:
            raise LessonTextError("{{sigmoid}} takes nothing, or the word derivative")
        return "σ(z)", sigmoid(z).rewrite(sp.exp)
    shapes = {
        "formula": "MODEL PARAM FORM",
        "factor": "MODEL PARAM K",
        "loss": "MODEL",
        "sample-loss": "MODEL",
        "prediction": "MODEL",
        "score": "MODEL",
        "update": "MODEL PARAM",
    }
    _need(kind, rest, shapes[kind])
    from tracer.derivation import derive

    model = derive(rest[0]).model
    if kind == "loss":
        return "J", model.mean_loss
    if kind == "sample-loss":
        return "L_i", model.sample_loss
    if kind == "prediction":
        return "ŷ_i", model.prediction
    if kind == "score":
        return "z_i", model.score
    from tracer.derivation import symbol_name

    partial = _partial(rest[0], rest[1])
    name = symbol_name(partial.param)
    label = partial_label(name)
    if kind == "update":
        return f"{name} ←", partial.param - ALPHA * partial.sum_form
    if kind == "factor":
        if not rest[2].isdigit() or not 1 <= int(rest[2]) <= len(partial.chain):
            raise LessonTextError(
                f"factor {rest[2]!r} does not exist: the chain has "
                f"{len(partial.chain)} factors, numbered from 1"
            )
        index = int(rest[2]) - 1
        return chain_labels(partial)[index], partial.chain[index].factor
    form = rest[2]
    if form not in FORMS:
        raise LessonTextError(f"unknown form {form!r}: expected {', '.join(FORMS)}")
    if form == "sum":
        return label, partial.sum_form
    if form == "vector":
        return label.replace("w_j", "w"), partial.vector
    if form == "summand":
        return "", partial.summand
    return chain_equation(partial), [s.factor for s in partial.chain]


def residual_table(setup: TraceSetup, rows: int) -> str:
    """A Markdown table of the first ``rows`` samples at the set-up's θ.

    The error column is the engine's own per-sample term of ``∂J/∂b``, the sum's
    summand ``ŷ_i − y_i`` (``σ(z_i) − y_i`` for logistic).
    """
    from tracer.numeric import compile_model

    trace = setup.trace()
    theta, X, y = trace.params, trace.X, trace.y
    compiled = compile_model(setup.model)
    error = compiled.sample_terms(len(theta) - 1, theta, X, y)
    names = ", ".join(
        f"{name} = {format_number(value)}"
        for name, value in zip(trace.param_names, theta, strict=True)
    )
    lines = [
        f"At {names}:",
        "",
        "| i | x_i | y_i | ŷ_i | residual | squared |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for i in range(min(rows, len(y))):
        x = ", ".join(format_number(v, 3) for v in X[i])
        cells = [y[i], y[i] + error[i], error[i], error[i] ** 2]
        shown = " | ".join(format_number(float(v), 4) for v in cells)
        lines.append(f"| {i + 1} | {x} | {shown} |")
    lines.append("")
    lines.append(
        f"and {len(y) - rows} more samples; J = {format_number(trace.losses()[-1])}"
    )
    return "\n".join(lines)
