"""Checking a learner's derivation: what it reads, what it accepts, what it names.

Expected verdicts come from the mathematics, not from running the code: each
correct form below is the gradient rewritten by hand, and each wrong form is a
known mistake. Counterexamples and the evaluator are checked against plain
NumPy written here.
"""

import argparse
import io
import json

import numpy as np
import pytest
import sympy as sp

from tracer.answers import judge, parse_verify_args, run_verify
from tracer.derivation import derive
from tracer.errors import AnswerError, UsageError
from tracer.evaluator import entries, evaluate, make_trials
from tracer.models import b, i, j, n, sigmoid, w, w_vec, x, y
from tracer.reader import mark, read_answer
from tracer.verdict import verify_text

LINEAR_W = [
    "2/n sum((w x_i + b - y_i) x_i)",
    "2/n * sum(w*x_i^2 + b*x_i - x_i*y_i)",
    "2 w/n sum(x_i^2) + 2b/n sum(x_i) - 2/n sum(x_i y_i)",
    "(2/n) Σ (ŷ_i − y_i) x_i",
    "2/n sum((yhat_i - y_i) * x_i)",
    "2/n sum((y_hat_i - y_i) x_i)",
    "2/n sum((z_i - y_i) x_i)",
    "-2/n sum((y_i - w x_i - b) x_i)",
    "-2/n * sum((y_i - ŷ_i) x_i)",
    "sum(2 (w x_i + b - y_i) x_i / n)",
    "2/n sum([w x_i + b - y_i] x_i)",
    "(2/n)Σᵢ(wxᵢ+b−yᵢ)xᵢ",
    "2*n**-1*sum((w*x_i + b - y_i)*x_i)",
    "2/n Σ_{i=1}^{n} (w x_i + b − y_i) x_i",
    "∂J/∂w = 2/n sum((w x_i + b - y_i) x_i)",
    "2/n xᵀ(wx + b − y)",
    "2/n x·(w x + b − y)",
]
LINEAR_W_LATEX = [
    r"\frac{2}{n}\sum_{i=1}^{n}(\hat{y}_i - y_i)x_i",
    r"\frac{2}{n} \sum_i \left(w x_i + b - y_i\right) x_i",
    r"-\frac{2}{n}\sum_{i=1}^{n} x_i (y_i - \hat{y}_i)",
    r"\frac 2 n \sum (w x_{i} + b - y_{i}) \cdot x_{i}",
    r"\frac{\partial J}{\partial w} = \frac{2}{n}\sum_{i=1}^{n}(wx_i+b-y_i)x_i",
]
LINEAR_B = [
    "2/n sum(w x_i + b - y_i)",
    "2b + 2w/n sum(x_i) - 2/n sum(y_i)",
    "-2/n sum(y_i - ŷ_i)",
    "2/n 1ᵀ(wx + b − y)",
]
MULTIVARIATE_W = [
    "2/n sum((dot(w, x_i) + b - y_i) x_ij)",
    "2/n Σ (w·x_i + b − y_i) x_ij",
    "2/n sum((w^T x_i + b - y_i) x_ij)",
    "2/n sum((ŷ_i - y_i) x_ij)",
    "-2/n sum((y_i - ŷ_i) x_{ij})",
    "2/n sum((ŷ_i - y_i) x_{i,j})",
    "2/n sum((ŷ_i - y_i) x_j^(i))",
    "2/n Σ (w·x_i + b − y_i) x_i",
    "2/n Xᵀ(Xw + b − y)",
    "2/n X^T (X w + b - y)",
    "(2/n) (XᵀXw − Xᵀy + b Xᵀ𝟏)",
    "2/n ((Xw + b - y)^T X)^T",
    "2/n (wᵀXᵀ + b𝟏ᵀ − yᵀ)X",
]
MULTIVARIATE_W_LATEX = [
    r"\frac{2}{n} \mathbf{X}^\top (\mathbf{X}\mathbf{w} + b - \mathbf{y})",
    r"\frac{2}{n}\sum_{i=1}^{n}(\hat{y}_i - y_i)x_{ij}",
    r"\frac{2}{n}\sum_{i=1}^{n}(\mathbf{w}\cdot\mathbf{x}_i + b - y_i)x_{i,j}",
    r"\frac{2}{n} X^{T}\left(X w + b - y\right)",
]
MULTIVARIATE_B = [
    "2/n sum(ŷ_i - y_i)",
    "2/n 𝟏ᵀ(Xw + b − y)",
    "2/n sum(Xw + b - y)",
]
LOGISTIC_W = [
    "1/n sum((σ(z_i) - y_i) x_ij)",
    "1/n Σ (ŷ_i − y_i) x_ij",
    "1/n sum((sigmoid(dot(w, x_i) + b) - y_i) x_ij)",
    "1/n sum((1/(1 + exp(-z_i)) - y_i) x_ij)",
    "1/n sum((1/(1+e^(-(w·x_i + b))) - y_i) x_ij)",
    "-1/n sum((y_i - ŷ_i) x_ij)",
    "-1/n sum(y_i (1 - ŷ_i) x_ij - (1 - y_i) ŷ_i x_ij)",
    "(1/n) Xᵀ(σ(Xw + b) − y)",
    "1/n X^T (sigmoid(X w + b) - y)",
    "1/n Σ (σ(w·x_i + b) − y_i) x_i",
]
LOGISTIC_W_LATEX = [
    r"\frac{1}{n}\sum_{i=1}^{n}\left(\sigma(z_i) - y_i\right)x_{ij}",
    r"\frac{1}{n} \mathbf{X}^\top(\sigma(\mathbf{X}\mathbf{w} + b) - \mathbf{y})",
    r"\frac{1}{n}\sum_i \left(\frac{1}{1 + e^{-z_i}} - y_i\right) x_{ij}",
]
LOGISTIC_B = [
    "1/n sum(σ(z_i) - y_i)",
    "1/n 𝟏ᵀ(σ(Xw + b) − y)",
]

CORRECT = (
    [("linear", "w", text, False) for text in LINEAR_W]
    + [("linear", "w", text, True) for text in LINEAR_W_LATEX]
    + [("linear", "b", text, False) for text in LINEAR_B]
    + [("linear", "b", r"\frac{2}{n}\sum_{i=1}^{n}(\hat{y}_i - y_i)", True)]
    + [("multivariate", "w", text, False) for text in MULTIVARIATE_W]
    + [("multivariate", "w_j", MULTIVARIATE_W[0], False)]
    + [("multivariate", "w", text, True) for text in MULTIVARIATE_W_LATEX]
    + [("multivariate", "b", text, False) for text in MULTIVARIATE_B]
    + [("logistic", "w", text, False) for text in LOGISTIC_W]
    + [("logistic", "w", text, True) for text in LOGISTIC_W_LATEX]
    + [("logistic", "b", text, False) for text in LOGISTIC_B]
    + [("logistic", "b", r"\frac{1}{n}\sum_i (\hat{y}_i - y_i)", True)]
)


@pytest.mark.parametrize(("model", "param", "text", "latex"), CORRECT)
def test_correct_forms_are_judged_correct(model, param, text, latex):
    verdict = judge(model, param, text, latex=latex)

    assert verdict.status == "correct", verdict.message
    assert verdict.exit_code == 0
    assert verdict.diagnosis is None and verdict.counterexample is None


WRONG = [
    ("linear", "w", "1/n sum((w x_i + b - y_i) x_i)", "constant factor", "½"),
    ("linear", "w", "4/n sum((w x_i + b - y_i) x_i)", "constant factor", "2 times"),
    ("linear", "w", "-2/n sum((w x_i + b - y_i) x_i)", "opposite sign", "ascent"),
    ("linear", "w", "2/n sum((y_i - w x_i - b) x_i)", "opposite sign", "opposite"),
    ("linear", "w", "2 sum((w x_i + b - y_i) x_i)", "factor of n", "mean"),
    ("linear", "w", "2/n^2 sum((w x_i + b - y_i) x_i)", "factor of n", "divided"),
    ("linear", "w", "2/n sum(w x_i + b - y_i)", "missing x_i", "x_i"),
    ("linear", "w", "1/n sum((w x_i + b - y_i)^2)", "loss instead of gradient", "loss"),
    ("linear", "w", "sum((ŷ_i - y_i)^2)", "loss instead of gradient", "n times"),
    ("linear", "w", "2(w x_i + b - y_i) x_i", "missing sum", "Averaged"),
    ("linear", "w", "(w x_i + b - y_i)^2", "loss instead of gradient", "sample"),
    ("linear", "b", "2/n sum((w x_i + b - y_i) x_i)", "extra x", "no x"),
    ("linear", "b", "1/n sum(w x_i + b - y_i)", "constant factor", "½"),
    ("multivariate", "w", "2/n sum(ŷ_i - y_i)", "missing x_ij", "x_ij"),
    ("multivariate", "w", "1/n Xᵀ(Xw + b − y)", "constant factor", "½"),
    ("multivariate", "w", "2 Xᵀ(Xw + b − y)", "factor of n", "mean"),
    ("multivariate", "w", "2/n Xᵀ(y − Xw − b)", "opposite sign", "opposite"),
    ("multivariate", "w", "2/n (Xw + b − y)", "wrong shape", "n×1"),
    ("multivariate", "b", "1/n sum((ŷ_i - y_i)^2)", "loss instead of gradient", "loss"),
    (
        "logistic",
        "w",
        "2/n sum((σ(z_i)-y_i) σ(z_i)(1-σ(z_i)) x_ij)",
        "squared error through sigmoid",
        "cross-entropy",
    ),
    (
        "logistic",
        "w",
        "1/n sum((ŷ_i - y_i) ŷ_i (1 - ŷ_i) x_ij)",
        "squared error through sigmoid",
        "½",
    ),
    (
        "logistic",
        "w",
        "1/n sum((y_i - σ(z_i)) x_ij)",
        "opposite sign",
        "log-likelihood",
    ),
    ("logistic", "w", "sum((σ(z_i) - y_i) x_ij)", "factor of n", "mean"),
    ("logistic", "w", "1/n sum(σ(z_i) - y_i)", "missing x_ij", "x_ij"),
    (
        "logistic",
        "w",
        "-1/n sum(y_i log(ŷ_i) + (1 - y_i) log(1 - ŷ_i))",
        "loss instead of gradient",
        "loss",
    ),
    (
        "logistic",
        "b",
        "2/n sum((σ(z_i)-y_i) σ(z_i)(1-σ(z_i)))",
        "squared error through sigmoid",
        "sigmoid",
    ),
]


@pytest.mark.parametrize(("model", "param", "text", "diagnosis", "phrase"), WRONG)
def test_wrong_forms_get_their_diagnosis(model, param, text, diagnosis, phrase):
    verdict = judge(model, param, text)

    assert verdict.status == "incorrect"
    assert verdict.exit_code == 1
    assert verdict.diagnosis == diagnosis
    assert phrase in verdict.message


@pytest.mark.parametrize(
    "text",
    [
        "2/n sum((w x_i + b - y_i) x_i) + w",  # equal only where w = 0
        "2/n sum((w x_i - y_i) x_i)",  # equal only where b = 0
        "2/n sum((w x_i + b - y_i) x_i) + w b",  # equal only on the axes
    ],
)
def test_agreement_only_at_special_points_is_incorrect(text):
    verdict = judge("linear", "w", text)

    assert verdict.status == "incorrect"
    assert verdict.diagnosis is None


def test_factor_of_n_is_incorrect_although_equal_for_one_sample():
    verdict = judge("linear", "w", "2/n^2 sum((w x_i + b - y_i) x_i)")

    assert verdict.status == "incorrect"


def _linear_counterexample_values(example):
    xs, ys = np.array(example["x"]), np.array(example["y"])
    wv, bv, count = example["params"]["w"], example["params"]["b"], example["n"]
    pairs = list(zip(xs, ys, strict=True))
    yours = 2 / count * sum((wv * xi - yi) * xi for xi, yi in pairs)
    correct = 2 / count * sum((wv * xi + bv - yi) * xi for xi, yi in pairs)
    return yours, correct


def test_counterexample_values_differ_when_recomputed_by_hand():
    verdict = judge("linear", "w", "2/n sum((w x_i - y_i) x_i)")
    example = verdict.counterexample

    yours, correct = _linear_counterexample_values(example)

    assert example["n"] == 2
    assert example["yours"] == pytest.approx(yours)
    assert example["correct"] == pytest.approx(correct)
    assert abs(yours - correct) > 1e-6


def test_vector_counterexample_names_the_entry_and_recomputes():
    verdict = judge("multivariate", "w", "2/n sum((dot(w, x_i) - y_i) x_ij)")
    example = verdict.counterexample
    X, yv = np.array(example["x"]), np.array(example["y"])
    params = example["params"]
    weights = np.array([params[f"w_{k + 1}"] for k in range(example["d"])])
    column = int(example["entry"].split("_")[1]) - 1

    yours = (
        2
        / len(yv)
        * sum((X[r] @ weights - yv[r]) * X[r, column] for r in range(len(yv)))
    )
    correct = (
        2
        / len(yv)
        * sum(
            (X[r] @ weights + params["b"] - yv[r]) * X[r, column]
            for r in range(len(yv))
        )
    )

    assert verdict.diagnosis is None
    assert example["yours"] == pytest.approx(yours)
    assert example["correct"] == pytest.approx(correct)
    assert abs(yours - correct) > 1e-6


def test_explicit_feature_numbers_are_checked_for_that_many_features():
    text = "2/n sum((w_1 x_i1 + w_2 x_i2 + b - y_i) x_ij)"

    loose = judge("multivariate", "w", text)
    exact = judge("multivariate", "w", text, features=2)

    assert loose.status == "incorrect" and "--features 2" in loose.message
    assert exact.status == "correct"


@pytest.mark.parametrize(
    "text",
    [
        "1/n sum((σ(z_i) - y_i) x_i2)",
        "1/n sum((σ(z_i) - y_i) x_ij)",
    ],
)
def test_one_weight_component_can_be_asked_for(text):
    assert judge("logistic", "w_2", text, features=3).status == "correct"


def test_the_wrong_component_is_incorrect():
    verdict = judge("logistic", "w_2", "1/n sum((σ(z_i) - y_i) x_i1)", features=3)

    assert verdict.status == "incorrect"


def test_a_prefix_for_another_parameter_is_unreadable_where_it_names_it():
    verdict = judge("linear", "w", "∂J/∂b = 2/n sum(w x_i + b - y_i)")

    assert verdict.status == "unreadable"
    assert verdict.position == 4


@pytest.mark.parametrize(
    ("model", "param", "features"),
    [
        ("quadratic", "w", None),
        ("linear", "w_j", None),
        ("linear", "w", 3),
        ("multivariate", "v", None),
        ("multivariate", "w", 0),
        ("multivariate", "w", 11),
        ("multivariate", "w_4", 3),
    ],
)
def test_bad_model_parameter_or_features_raise_usage_errors(model, param, features):
    with pytest.raises(UsageError):
        judge(model, param, "2/n sum(x_i)", features=features)


# Reading -------------------------------------------------------------------


def _read(text, model="linear", latex=False):
    return read_answer(text, model, latex=latex).expr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 x_i", 2 * x[i]),
        ("2(w x_i + b)", 2 * (w * x[i] + b)),
        ("(w)(x_i)", w * x[i]),
        ("wx_i", w * x[i]),
        ("2/n x_i", 2 * x[i] / n),
        ("1/2n", n / 2),  # juxtaposition binds like *, as in 2/n X^T(...)
        ("-x_i^2", -(x[i] ** 2)),
        ("2^3^2", sp.Integer(512)),
        ("x_i² y_i⁻¹", x[i] ** 2 / y[i]),
        ("Σ (ŷ_i − y_i) x_i", sp.Sum((w * x[i] + b - y[i]) * x[i], (i, 1, n))),
        ("sum(x_i) y_i + b", sp.Sum(x[i] * y[i], (i, 1, n)) + b),
        ("½ x_i × y_i", x[i] * y[i] / 2),
        ("0.25 e^(x_i)", sp.exp(x[i]) / 4),
        ("ln(y_i) + log(b)", sp.log(y[i]) + sp.log(b)),
    ],
)
def test_plain_text_reads_as_written_on_paper(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "x_ij",
        "x_{ij}",
        "x_{i,j}",
        "x_{i j}",
        "x_j^(i)",
        "xᵢⱼ",
        "X_ij",
    ],
)
def test_every_spelling_of_one_feature_reads_alike(text):
    assert _read(text, "multivariate") == x[i, j]


@pytest.mark.parametrize("text", ["dot(w, x_i)", "w·x_i", "w^T x_i", "wᵀx_i"])
def test_every_spelling_of_the_dot_product_is_the_models(text):
    assert _read(text, "multivariate") == get_score_without_bias()


def get_score_without_bias():
    from tracer.models import get_model

    return get_model("multivariate").score - b


def test_yhat_and_z_are_the_models_own():
    assert _read("ŷ_i", "logistic") == sigmoid(get_score_without_bias() + b)
    assert _read("z_i", "logistic") == get_score_without_bias() + b
    assert _read(r"\hat{y}_i", "linear", latex=True) == w * x[i] + b


def test_matrix_notation_reads_into_the_sum_over_samples():
    reading = read_answer("Xᵀ y", "multivariate")

    assert reading.value.rows.size == sp.Symbol("d", integer=True, positive=True)
    assert reading.expr == sp.Sum(x[i, j] * y[i], (i, 1, n))


def test_explicit_weights_read_as_components():
    assert _read("w_1 x_i2", "multivariate") == w_vec[1] * x[i, 2]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("2/n sum(x_i", 7),
        ("x_i +", 4),
        ("x_i)", 3),
        ("(x_i]", 4),
        ("2 ** ", 2),
        ("foo(x_i)", 0),
        ("x_i $ y_i", 4),
    ],
)
def test_unreadable_answers_point_at_the_problem(text, position):
    with pytest.raises(AnswerError) as caught:
        read_answer(text, "linear")

    assert caught.value.position == position


def test_mark_puts_a_caret_under_the_position():
    assert mark("2/n sum(x_i", 7) == "2/n sum(x_i\n       ^"


def test_mark_keeps_long_text_around_the_position():
    text = "x_i + " * 40 + "?"
    lines = mark(text, len(text) - 1).splitlines()

    assert lines[0].startswith("…") and lines[0].endswith("?")
    assert lines[1].index("^") == lines[0].index("?")


# Evaluation against plain NumPy ---------------------------------------------


def _numpy_gradient(model, trial):
    X, yv, wv, bv = trial.X, trial.y, trial.w, trial.b
    if model == "linear":
        residual = wv[0] * X[:, 0] + bv - yv
        return 2 * np.mean(residual * X[:, 0]), 2 * np.mean(residual)
    score = X @ wv + bv
    error = (1 / (1 + np.exp(-score)) - yv) if model == "logistic" else score - yv
    factor = 1 if model == "logistic" else 2
    return factor * X.T @ error / len(yv), factor * np.mean(error)


@pytest.mark.parametrize("model", ["linear", "multivariate", "logistic"])
def test_the_evaluator_agrees_with_a_plain_numpy_gradient(model):
    partials = derive(model).partials
    vector = model != "linear"
    for trial in make_trials(vector, model == "logistic"):
        grad_w, grad_b = _numpy_gradient(model, trial)
        for partial, expected in zip(partials, (grad_w, grad_b), strict=True):
            labeled = evaluate(partial.derivative, trial, deadline=float("inf"))
            values = entries(labeled, trial, None, per_sample=False)
            expected = np.broadcast_to(expected, values.shape)
            np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-12)


# Text, JSON and the command line ---------------------------------------------


def test_text_shows_the_verdict_the_reading_and_the_counterexample():
    text = verify_text(judge("linear", "w", "2/n sum((w x_i - y_i) x_i)"))
    lines = text.splitlines()

    assert lines[0] == "incorrect: ∂J/∂w"
    assert lines[1].startswith("  read as") and "x_i" in lines[1]
    assert lines[2].startswith("  SymPy")
    assert "counterexample: n = 2" in text and "yours" in text


def test_text_of_an_unreadable_answer_marks_the_position():
    text = verify_text(judge("linear", "w", "2/n sum(x_i"))

    assert text.splitlines()[0].startswith("unreadable: ")
    assert "  2/n sum(x_i\n         ^" in text


def test_json_holds_every_field():
    verdict = judge("linear", "w", "1/n sum((w x_i + b - y_i) x_i)")
    data = json.loads(verdict.to_json())

    assert data["status"] == "incorrect"
    assert data["diagnosis"] == "constant factor"
    assert set(data) >= {"read_as", "expected", "message", "counterexample", "position"}


def _namespace(answer, **options):
    return argparse.Namespace(
        model=options.get("model", "linear"),
        param=options.get("param", "w"),
        answer=answer,
        latex=False,
        features=None,
        json=False,
    )


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("2/n sum((w x_i + b - y_i) x_i)", 0),
        ("1/n sum((w x_i + b - y_i) x_i)", 1),
        ("2/n sum((w x_i + b - y_i) x_i", 2),
    ],
)
def test_run_verify_returns_the_exit_status(answer, status):
    out, err = io.StringIO(), io.StringIO()

    assert run_verify(_namespace(answer), out, err) == status
    assert (err.getvalue() != "") == (status == 2)


def test_run_verify_takes_options_typed_after_a_split_answer():
    out = io.StringIO()
    words = ["-2/n", "sum((y_i", "-", "w", "x_i", "-", "b)", "x_i)", "--json"]

    status = run_verify(_namespace(words), out, io.StringIO())

    assert status == 0
    assert json.loads(out.getvalue())["status"] == "correct"


def test_run_verify_reports_a_bad_parameter_with_status_two():
    err = io.StringIO()

    assert run_verify(_namespace("x_i", param="q"), io.StringIO(), err) == 2
    assert "unknown parameter 'q'" in err.getvalue()


def test_a_leading_minus_survives_argument_parsing():
    args = parse_verify_args(["linear", "w", "-2/n * sum((y_i - ŷ_i) x_i)", "--json"])

    assert args.answer == "-2/n * sum((y_i - ŷ_i) x_i)" and args.json


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["verify", "linear", "w", "-2/n * sum((y_i - ŷ_i) x_i)"], 0),
        (["verify", "logistic", "w", "2/n sum((σ(z_i)-y_i) σ(z_i)(1-σ(z_i)) x_ij)"], 1),
        (
            [
                "verify",
                "multivariate",
                "b",
                "--latex",
                r"\frac{2}{n}\sum_i(\hat{y}_i-y_i)",
            ],
            0,
        ),
        (["verify", "linear", "w", "__import__('os')"], 2),
    ],
)
def test_rows_hold_through_the_command_line(argv, status, capsys):
    cli = pytest.importorskip("tracer.cli")

    assert cli.main(argv) == status
