"""Printed formulas: subscripts, LaTeX, and formulas with a step's numbers in them."""

import math

import numpy as np
import pytest

from tracer.derivation import derive
from tracer.notation import format_number, gradient_numbers, latex, unicode
from tracer.numeric import compile_model

MODELS = ("linear", "multivariate", "logistic")


@pytest.mark.parametrize("model", MODELS)
def test_forms_print_with_subscripts_not_brackets(model):
    derivation = derive(model)
    texts = [unicode(derivation.model.mean_loss)]
    for partial in derivation.partials:
        texts += [unicode(partial.sum_form), unicode(partial.vector)]
        texts += [unicode(step.factor) for step in partial.chain]
    for text in texts:
        assert "[" not in text and "*" not in text and "Sum" not in text
    assert "x_i" in texts[1]


def test_latex_forms():
    assert latex(derive("logistic").partial("w_j").sum_form) == (
        r"\frac{\sum_{i=1}^{n} \left(\sigma\left(b + \mathbf{w} \cdot "
        r"\mathbf{x}_{i}\right) - y_{i}\right) x_{ij}}{n}"
    )
    assert latex(derive("multivariate").partial("w_j").vector) == (
        r"\frac{2}{n} X^{T} \left(b \mathbf{1} + X w - y\right)"
    )


def _evaluate_printed(text):
    """Read a printed term with numbers back as arithmetic (our own output)."""
    python = (
        text.replace("·", "*")
        .replace("−", "-")
        .replace("σ", "sigmoid")
        .replace("²", "**2")
    )
    if "×10" in python:
        raise AssertionError(f"unexpected exponent notation in {text!r}")
    return eval(python, {"sigmoid": lambda z: 1 / (1 + math.exp(-z))})


@pytest.mark.parametrize("model", MODELS)
def test_numbers_panel_agrees_with_the_compiled_gradient(model):
    rng = np.random.default_rng(7)
    d = 1 if model == "linear" else 3
    X = rng.normal(size=(9, d))
    y = (
        (rng.random(9) < 0.5).astype(float)
        if model == "logistic"
        else rng.normal(size=9)
    )
    theta = rng.normal(size=d + 1)
    gradient = compile_model(model).gradient(theta, X, y)
    for index in range(d + 1):
        numbers = gradient_numbers(model, index, theta, X, y, count=4)
        assert numbers.result == pytest.approx(gradient[index], rel=1e-12)
        assert numbers.n == 9 and len(numbers.terms) == 4
        for _, text, value in numbers.terms:
            # Each shown term, read back from its printed numbers (four
            # significant figures), gives the value computed for it.
            assert _evaluate_printed(text) == pytest.approx(value, rel=2e-2, abs=2e-3)


def test_format_number():
    assert format_number(-2.5) == "−2.5"
    assert format_number(123456789.0) == "1.235×10⁸"
    assert format_number(1e-7) == "1×10⁻⁷"


def test_constants_holding_n_or_e_print_without_recursing():
    import sympy as sp

    from tracer.models import i, n, x

    assert unicode(2 * n * x[i]) == "2 n x_i"
    assert unicode(x[i] / (3 * n)) == "(1/(3 n)) x_i"
    assert unicode(2 * sp.E * x[i]) == "2 e x_i"


def test_coefficient_reads_like_the_formula_with_n_filled_in():
    X = np.arange(50.0)[:, None]
    numbers = gradient_numbers("linear", 0, np.zeros(2), X, np.ones(50))
    assert numbers.coefficient_text == "2/50"
    assert numbers.coefficient == pytest.approx(2 / 50)
