"""The command line as scripts and learners meet it: output, contract, exit codes."""

import json
import subprocess
import sys

import numpy as np
import pytest

from tracer.cli import main
from tracer.datasets import load
from tracer.descent import Trace


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tracer", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_engine_imports_without_textual():
    code = (
        "import sys, tracer, tracer.cli, tracer.commands, tracer.datasets;"
        "tracer.trace('linear', [[0.0], [1.0]], [1.0, 2.0], steps=2);"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "False", result.stderr


def test_trace_json_follows_the_contract(capsys):
    assert (
        main(["trace", "linear", "--steps", "4", "--lr", "0.01", "--format", "json"])
        == 0
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    header, steps, status = lines[0], lines[1:-1], lines[-1]
    assert header["model"] == "linear" and header["lr"] == 0.01
    data = load("line")
    assert header["n"] == len(data.y)
    expected = Trace("linear", data.X, data.y, lr=0.01).run(4)
    assert len(steps) == 4
    for step, record in zip(steps, expected, strict=True):
        assert set(step) == {
            "iteration",
            "params",
            "loss",
            "gradient",
            "update",
            "next_params",
        }
        assert step["iteration"] == record.iteration
        assert list(step["params"]) == ["w", "b"]
        assert step["loss"] == record.loss
        np.testing.assert_array_equal(list(step["gradient"].values()), record.gradient)
        np.testing.assert_array_equal(
            list(step["next_params"].values()), record.next_params
        )
    assert status == {"status": "max_steps", "steps": 4, "reason": status["reason"]}


def test_trace_json_reports_divergence(capsys):
    assert (
        main(["trace", "linear", "--lr", "1", "--steps", "100", "--format", "json"])
        == 0
    )
    status = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert status["status"] == "diverged"
    assert "α = 1" in status["reason"] and "largest stable" in status["reason"]


def test_trace_table_names_every_column(capsys):
    assert main(["trace", "linear", "--steps", "5"]) == 0
    out = capsys.readouterr().out
    for heading in ("w", "b", "J", "∂J/∂w", "∂J/∂b", "Δw", "Δb"):
        assert heading in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_trace_init_and_csv(capsys):
    assert (
        main(
            [
                "trace",
                "multivariate",
                "--steps",
                "2",
                "--init",
                "w_2=1.5",
                "b=-1",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    header, first, _ = capsys.readouterr().out.splitlines()
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    assert float(cells["w_2"]) == 1.5 and float(cells["b"]) == -1.0
    assert float(cells["w_1"]) == 0.0


def test_derive_all_forms_are_readable_at_100_columns(capsys):
    assert main(["derive", "logistic", "--form", "all"]) == 0
    out = capsys.readouterr().out
    assert "∂J/∂w_j = (1/n) Σ (σ(w·x_i + b) − y_i) x_ij" in out
    assert "∂J/∂w = (1/n) Xᵀ(σ(Xw + b) − y)" in out
    assert "∂ŷ_i/∂z_i = (1 − σ(z_i)) σ(z_i)" in out
    assert "x[" not in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_derive_latex_and_features(capsys):
    assert main(["derive", "multivariate", "--features", "2", "--latex"]) == 0
    out = capsys.readouterr().out
    assert "x_{i1}" in out and "x_{i2}" in out and r"\sum_{i=1}^{n}" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["trace", "linear", "--lr", "abc"], "not a number"),
        (["trace", "linear", "--init", "q=1"], "PARAM one of w, b"),
        (["trace", "linear", "--data", "no-such-set"], "no-such-set"),
        (["trace", "linear", "--steps", "0"], "at least 1"),
        (["derive", "linear", "--features", "0"], "at least 1"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(args, words):
    result = run_cli(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_model_is_a_usage_error():
    result = run_cli("trace", "quadratic")
    assert result.returncode == 2 and "linear" in result.stderr
