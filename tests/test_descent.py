"""The stepper against a plain loop, closed-form optima and Newton's method."""

import numpy as np
import pytest

from tracer.descent import (
    CONVERGED,
    DIVERGED,
    MAX_STEPS,
    Trace,
    largest_stable_lr,
    suggested_lr,
)
from tracer.errors import UsageError


def regression_data(features, seed=0, rows=60):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features))
    y = X @ rng.normal(size=features) + 0.7 + 0.1 * rng.normal(size=rows)
    return X, y


def overlapping_classes(seed=0, rows=80):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 2))
    logits = X @ np.array([1.5, -1.0]) + 0.3
    y = (rng.random(rows) < 1 / (1 + np.exp(-logits))).astype(float)
    return X, y


def plain_descent(model, X, y, lr, steps):
    """Gradient descent written out with NumPy, independent of tracer."""
    w = np.zeros(X.shape[1])
    b = 0.0
    history = []
    for _ in range(steps):
        z = X @ w + b
        if model == "logistic":
            error = 1 / (1 + np.exp(-z)) - y
            grad_w, grad_b = X.T @ error / len(y), error.mean()
        else:
            residual = z - y
            grad_w, grad_b = 2 * X.T @ residual / len(y), 2 * residual.mean()
        w = w - lr * grad_w
        b = b - lr * grad_b
        history.append(np.append(w, b))
    return np.array(history)


@pytest.mark.parametrize(
    ("model", "features"), [("linear", 1), ("multivariate", 4), ("logistic", 2)]
)
def test_hundred_steps_equal_a_plain_loop(model, features):
    X, y = overlapping_classes() if model == "logistic" else regression_data(features)
    trace = Trace(model, X, y, lr=0.05).run(100)
    expected = plain_descent(model, X, y, 0.05, 100)
    assert len(trace) == 100
    actual = np.array([record.next_params for record in trace])
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize(("model", "features"), [("linear", 1), ("multivariate", 3)])
def test_regression_reaches_least_squares(model, features):
    X, y = regression_data(features, seed=2)
    trace = Trace(
        model, X, y, lr=suggested_lr(model, X), tolerance=1e-10, max_steps=100_000
    ).run(100_000)
    augmented = np.hstack([X, np.ones((len(y), 1))])
    solution, *_ = np.linalg.lstsq(augmented, y, rcond=None)
    assert trace.status == CONVERGED
    np.testing.assert_allclose(trace.params, solution, atol=1e-8)


def test_logistic_reaches_newtons_optimum():
    X, y = overlapping_classes(seed=3)
    trace = Trace(
        "logistic",
        X,
        y,
        lr=suggested_lr("logistic", X),
        tolerance=1e-9,
        max_steps=200_000,
    ).run(200_000)
    augmented = np.hstack([X, np.ones((len(y), 1))])
    theta = np.zeros(3)
    for _ in range(50):
        p = 1 / (1 + np.exp(-augmented @ theta))
        gradient = augmented.T @ (p - y) / len(y)
        hessian = augmented.T @ (augmented * (p * (1 - p))[:, None]) / len(y)
        theta -= np.linalg.solve(hessian, gradient)
    assert trace.status == CONVERGED
    np.testing.assert_allclose(trace.params, theta, atol=1e-6)


def test_stable_lr_is_the_boundary_of_convergence():
    X, y = regression_data(1, seed=4)
    stable = largest_stable_lr("linear", X)
    hessian = (
        2
        / len(y)
        * np.hstack([X, np.ones((len(y), 1))]).T
        @ np.hstack([X, np.ones((len(y), 1))])
    )
    assert stable == pytest.approx(2 / np.linalg.eigvalsh(hessian).max())
    below = Trace("linear", X, y, lr=0.95 * stable, max_steps=20_000).run(20_000)
    above = Trace("linear", X, y, lr=1.2 * stable, max_steps=20_000).run(20_000)
    assert below.status == CONVERGED
    assert above.status == DIVERGED


def test_divergence_names_the_learning_rate_and_the_stable_one():
    X, y = regression_data(1, seed=5)
    trace = Trace("linear", X, y, lr=50.0).run(1000)
    assert trace.status == DIVERGED
    assert "α = 50" in trace.reason
    assert f"{largest_stable_lr('linear', X):.4g}" in trace.reason
    assert len(trace) < 1000
    assert all(np.isfinite(record.loss) for record in trace)


def test_overflowing_run_diverges_without_warnings():
    # filterwarnings=error in pytest's settings turns any NumPy warning into a
    # failure here.
    X = np.array([[1e150], [2e150]])
    trace = Trace("linear", X, np.array([1.0, 2.0]), lr=1.0).run(50)
    assert trace.status == DIVERGED


def test_records_are_kept_and_going_back_is_a_lookup():
    X, y = regression_data(2)
    trace = Trace("multivariate", X, y, lr=0.1)
    third = trace.record(3)
    assert len(trace) == 4
    again = trace.record(3)
    np.testing.assert_array_equal(third.params, again.params)
    first = trace.record(0)
    assert first.next_loss == trace.record(1).loss
    np.testing.assert_array_equal(first.next_params, trace.record(1).params)
    np.testing.assert_allclose(first.update, -0.1 * first.gradient)


def test_max_steps_and_restart():
    X, y = regression_data(1)
    trace = Trace("linear", X, y, lr=1e-4, max_steps=5).run(100)
    assert trace.status == MAX_STEPS and len(trace) == 5
    latest = trace.params
    trace.restart(lr=2e-4, from_current=True)
    assert len(trace) == 0 and trace.lr == 2e-4
    np.testing.assert_array_equal(trace.record(0).params, latest)
    trace.restart()
    np.testing.assert_array_equal(trace.record(0).params, latest)


def test_bad_learning_rate_and_start_are_usage_errors():
    X, y = regression_data(1)
    for lr in ("abc", -1, 0, float("nan")):
        with pytest.raises(UsageError, match="learning rate"):
            Trace("linear", X, y, lr=lr)
    with pytest.raises(UsageError, match="need 2 values"):
        Trace("linear", X, y, lr=0.1, init=[1.0, 2.0, 3.0])


def test_storage_grows_with_steps_times_parameters():
    X, y = regression_data(3)
    trace = Trace("multivariate", X, y, lr=1e-6, max_steps=20_000).run(20_000)
    per_step = trace.nbytes / len(trace)
    # θ and ∇J of four parameters, the loss and α, plus at most one spare block.
    assert per_step < (2 * 4 + 2) * 8 * 1.3
