"""Compiled gradients against finite differences, plain NumPy and SymPy itself."""

import numpy as np
import pytest
import sympy as sp

from tracer.derivation import derive
from tracer.models import b, i, n, sigmoid, w, w_vec, x, y
from tracer.numeric import compile_model, stable_sigmoid

MODELS = ("linear", "multivariate", "logistic")


def random_problem(model, seed, rows=40, features=3):
    rng = np.random.default_rng(seed)
    d = 1 if model == "linear" else features
    X = rng.normal(size=(rows, d)) * rng.uniform(0.5, 3.0, size=d)
    if model == "logistic":
        y_data = (rng.random(rows) < 0.5).astype(float)
    else:
        y_data = rng.normal(size=rows) * 4.0
    theta = rng.normal(size=d + 1)
    return theta, X, y_data


def plain_loss(model, theta, X, y_data):
    z = X @ theta[:-1] + theta[-1]
    if model == "logistic":
        p = 1.0 / (1.0 + np.exp(-z))
        return -np.mean(y_data * np.log(p) + (1 - y_data) * np.log(1 - p))
    return np.mean((z - y_data) ** 2)


def plain_gradient(model, theta, X, y_data):
    z = X @ theta[:-1] + theta[-1]
    if model == "logistic":
        error = 1.0 / (1.0 + np.exp(-z)) - y_data
        scale = 1.0 / len(y_data)
    else:
        error = z - y_data
        scale = 2.0 / len(y_data)
    grad = np.empty_like(theta)
    for column in range(X.shape[1]):
        grad[column] = scale * sum(
            e * v for e, v in zip(error, X[:, column], strict=True)
        )
    grad[-1] = scale * sum(error)
    return grad


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("seed", range(5))
def test_gradient_matches_central_differences(model, seed):
    theta, X, y_data = random_problem(model, seed)
    compiled = compile_model(model)
    step = 1e-6
    numeric = np.array(
        [
            (compiled.loss(theta + e, X, y_data) - compiled.loss(theta - e, X, y_data))
            / (2 * step)
            for e in np.eye(theta.size) * step
        ]
    )
    np.testing.assert_allclose(
        compiled.gradient(theta, X, y_data), numeric, rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("seed", range(5))
def test_gradient_and_loss_match_plain_numpy(model, seed):
    theta, X, y_data = random_problem(model, seed, rows=17 + seed)
    compiled = compile_model(model)
    np.testing.assert_allclose(
        compiled.gradient(theta, X, y_data),
        plain_gradient(model, theta, X, y_data),
        rtol=1e-12,
        atol=1e-12,
    )
    assert compiled.loss(theta, X, y_data) == pytest.approx(
        plain_loss(model, theta, X, y_data), rel=1e-12
    )


@pytest.mark.parametrize("model", MODELS)
def test_sum_form_terms_add_up_to_vector_form(model):
    theta, X, y_data = random_problem(model, 11)
    compiled = compile_model(model)
    derivation = derive(model)
    gradient = compiled.gradient(theta, X, y_data)
    for index in range(theta.size):
        partial = derivation.partials[1 if index == theta.size - 1 else 0]
        coefficient = float(partial.coefficient.subs(n, len(y_data)))
        terms = compiled.sample_terms(index, theta, X, y_data)
        assert coefficient * terms.sum() == pytest.approx(gradient[index], rel=1e-12)


def _concrete(expr, model, theta, X, y_data):
    """SymPy evaluates ``expr`` itself on concrete numbers (sums expanded)."""
    rows, features = X.shape
    values = {n: rows, b: theta[-1]}
    expr = expr.subs(values)
    if model == "linear":
        expr = expr.subs(w, theta[0])
    expr = expr.doit()
    substitutions = {y[r + 1]: y_data[r] for r in range(rows)}
    for r in range(rows):
        for c in range(features):
            substitutions[sp.Indexed(x, r + 1, c + 1)] = X[r, c]
        if model == "linear":
            substitutions[x[r + 1]] = X[r, 0]
    for c in range(features):
        substitutions[w_vec[c + 1]] = theta[c]
    result = expr.subs(substitutions).replace(
        sigmoid, lambda arg: 1 / (1 + sp.exp(-arg))
    )
    return float(result.evalf())


@pytest.mark.parametrize("model", MODELS)
def test_sympy_derivative_evaluated_by_sympy_equals_compiled(model):
    theta, X, y_data = random_problem(model, 3, rows=4, features=2)
    derivation = derive(model)
    gradient = compile_model(model).gradient(theta, X, y_data)
    from tracer.models import d, j, k

    for index in range(theta.size):
        is_bias = index == theta.size - 1
        partial = derivation.partials[1 if is_bias else 0]
        # Plain integer symbols for the summation indices, so that ``doit``
        # expands the sums once n and d are numbers.
        expr = partial.derivative.xreplace(
            {index: sp.Symbol(str(index.label), integer=True) for index in (i, k)}
        )
        if derivation.model.vector:
            if not is_bias:
                expr = expr.subs(j, index + 1)
            expr = expr.subs(d, X.shape[1])
        value = _concrete(expr, model, theta, X, y_data)
        assert value == pytest.approx(gradient[index], rel=1e-9)


@pytest.mark.parametrize("model", MODELS)
def test_chain_rule_factors_multiply_to_the_derivative(model):
    derivation = derive(model)
    model_obj = derivation.model
    for partial in derivation.partials:
        product = sp.Mul(*[step.factor for step in partial.chain])
        from tracer.models import yhat_i, z_i

        product = product.subs(yhat_i, model_obj.link).subs(z_i, model_obj.score)
        derivative = partial.derivative
        assert isinstance(derivative, sp.Mul)
        (sum_part,) = [f for f in derivative.args if isinstance(f, sp.Sum)]
        per_sample = sum_part.function / n
        assert sp.simplify(product - per_sample) == 0


def test_logistic_gradient_is_prediction_minus_label():
    partial = derive("logistic").partial("w_j")
    from tracer.models import get_model, j

    model = get_model("logistic")
    expected = (sigmoid(model.score) - y[i]) * x[i, j]
    assert sp.simplify(partial.summand - expected) == 0
    assert partial.coefficient == 1 / n


def test_vector_form_has_no_n_by_n_matrix():
    for model in MODELS:
        for partial in derive(model).partials:
            for node in sp.preorder_traversal(partial.vector):
                shape = getattr(node, "shape", None)
                assert shape is None or not (shape[0] == n and shape[1] == n)


def test_stable_sigmoid_and_log_loss_at_extremes():
    z = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    p = stable_sigmoid(z)
    assert np.all((p >= 0) & (p <= 1))
    assert p[3] == 0.5
    compiled = compile_model("logistic")
    X = np.array([[1e4], [-1e4], [1e4], [-1e4]]).repeat(2, axis=1) / 2
    y_data = np.array([1.0, 0.0, 0.0, 1.0])
    theta = np.array([1.0, 1.0, 0.0])
    loss = compiled.loss(theta, X, y_data)
    # Two samples are right with certainty, two wrong by a margin of 10⁴:
    # each wrong one costs log(1 + e^(10⁴)) ≈ 10⁴.
    assert loss == pytest.approx((1e4 + 1e4) / 4, rel=1e-9)
    assert np.all(np.isfinite(compiled.gradient(theta, X, y_data)))


@pytest.mark.parametrize("model", MODELS)
def test_prediction_matches_plain_numpy(model):
    theta, X, y_data = random_problem(model, 21)
    z = X @ theta[:-1] + theta[-1]
    expected = 1 / (1 + np.exp(-z)) if model == "logistic" else z
    np.testing.assert_allclose(
        compile_model(model).predict(theta, X), expected, rtol=1e-12
    )
