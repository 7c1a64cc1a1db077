"""Built-in data sets, CSV loading and its error messages, standardization."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.csvfile import MIN_ROWS
from tracer.datasets import (
    Dataset,
    builtin_names,
    builtin_summaries,
    check_for_model,
    default_dataset,
    load,
    standardize,
)
from tracer.errors import DataError, UsageError

SHAPES = {
    "line": (50, 1),
    "plane": (100, 3),
    "blobs": (100, 2),
    "penguins-mass": (342, 1),
    "penguins-multi": (342, 3),
    "penguins-species": (219, 2),
}

SUITS = {
    "line": ("linear", "multivariate"),
    "plane": ("multivariate",),
    "blobs": ("logistic",),
    "penguins-mass": ("linear", "multivariate"),
    "penguins-multi": ("multivariate",),
    "penguins-species": ("logistic",),
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def newton_logistic(X: np.ndarray, y: np.ndarray, steps: int = 60):
    """Fit logistic regression by Newton's method; return θ = (w, b) and |∇J|.

    When the classes can be split by a line the maximum-likelihood weights do
    not exist, and the iterates grow without bound instead of settling.
    """
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.zeros(A.shape[1])
    for _ in range(steps):
        p = np.exp(-np.logaddexp(0.0, -(A @ theta)))  # σ(z) without overflow
        gradient = A.T @ (p - y) / len(y)
        hessian = (A * (p * (1 - p))[:, None]).T @ A / len(y)
        theta = theta - np.linalg.lstsq(hessian, gradient, rcond=None)[0]

    p = np.exp(-np.logaddexp(0.0, -(A @ theta)))
    return theta, np.linalg.norm(A.T @ (p - y) / len(y))


# --- the built-in data sets ------------------------------------------------


def test_builtin_names_are_the_documented_six():
    assert builtin_names() == tuple(SHAPES)


@pytest.mark.parametrize("name", list(SHAPES))
def test_builtin_loads_with_shapes_dtypes_and_finite_values(name):
    data = load(name)

    assert data.name == name
    assert (data.n, data.d) == SHAPES[name]
    assert data.X.shape == SHAPES[name] and data.y.shape == (data.n,)
    assert data.X.dtype == np.float64 and data.y.dtype == np.float64
    assert data.X.flags.c_contiguous
    assert len(data.feature_names) == data.d
    assert data.target_name not in data.feature_names
    assert np.isfinite(data.X).all() and np.isfinite(data.y).all()
    assert data.description and "\n" not in data.description
    assert data.source and "\n" not in data.source
    assert not data.standardized and data.feature_means is None


@pytest.mark.parametrize("name", list(SHAPES))
def test_builtin_is_the_same_on_every_load(name):
    first, second = load(name), load(name)

    assert np.array_equal(first.X, second.X)
    assert np.array_equal(first.y, second.y)
    assert first.feature_names == second.feature_names


@pytest.mark.parametrize("name", list(SHAPES))
def test_builtin_suits_its_models_and_only_those(name):
    data = load(name)

    for model in ("linear", "multivariate", "logistic"):
        if model in SUITS[name]:
            check_for_model(data, model)
            load(name, model=model)
        elif model != "multivariate":
            with pytest.raises(DataError, match=re.escape(name)):
                check_for_model(data, model)


def test_defaults_are_the_synthetic_sets():
    assert default_dataset("linear") == "line"
    assert default_dataset("multivariate") == "plane"
    assert default_dataset("logistic") == "blobs"
    for model in ("linear", "multivariate", "logistic"):
        assert model in SUITS[default_dataset(model)]


@pytest.mark.parametrize("call", [default_dataset, lambda m: load("line", model=m)])
def test_unknown_model_is_a_usage_error_listing_the_models(call):
    with pytest.raises(UsageError, match="'svm'.*linear, multivariate, logistic"):
        call("svm")


def test_check_for_model_rejects_an_unknown_model():
    with pytest.raises(UsageError, match="'ridge'"):
        check_for_model(load("line"), "ridge")


def test_line_has_a_strong_trend_near_the_generating_one():
    data = load("line")
    x, y = data.X[:, 0], data.y

    assert np.corrcoef(x, y)[0, 1] > 0.9
    assert 0 <= x.min() and x.max() <= 10
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    assert w == pytest.approx(2, abs=0.15)
    assert b == pytest.approx(1, abs=0.6)


def test_line_converges_under_plain_gradient_descent_at_lr_0_01():
    data = load("line")
    x, y = data.X[:, 0], data.y
    A = np.column_stack([x, np.ones_like(x)])
    best = np.linalg.lstsq(A, y, rcond=None)[0]

    w = b = 0.0
    for _ in range(4000):
        residual = w * x + b - y
        grad_w, grad_b = 2 * np.mean(residual * x), 2 * np.mean(residual)
        w, b = w - 0.01 * grad_w, b - 0.01 * grad_b

    assert (w, b) == pytest.approx(tuple(best), abs=1e-3)


def test_plane_is_well_conditioned_near_its_generating_plane():
    data = load("plane")
    A = np.column_stack([data.X, np.ones(data.n)])

    coefficients = np.linalg.lstsq(A, data.y, rcond=None)[0]
    assert coefficients == pytest.approx([1.5, -2.0, 0.5, 3.0], abs=0.2)
    assert np.linalg.cond(A.T @ A) < 3


def test_penguin_values_are_in_centimetres_and_kilograms():
    mass = load("penguins-mass")
    multi = load("penguins-multi")

    assert 17 < mass.X.min() and mass.X.max() < 24  # flipper, cm
    assert 2.5 < mass.y.min() and mass.y.max() < 6.5  # body mass, kg
    assert np.array_equal(mass.X[:, 0], multi.X[:, 2])
    assert np.array_equal(mass.y, multi.y)
    assert np.corrcoef(mass.X[:, 0], mass.y)[0, 1] > 0.8


@pytest.mark.parametrize("name", ["blobs", "penguins-species"])
def test_classification_sets_have_both_labels_and_are_not_separable(name):
    data = load(name)

    assert set(np.unique(data.y)) == {0.0, 1.0}
    theta, gradient_norm = newton_logistic(data.X, data.y)
    # Newton settles on finite weights only when no line splits the classes.
    assert gradient_norm < 1e-9
    assert np.abs(theta).max() < 100
    accuracy = np.mean(((data.X @ theta[:-1] + theta[-1]) > 0) == data.y)
    assert 0.8 < accuracy < 1.0


def test_the_separability_check_can_fail():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])

    theta, _ = newton_logistic(X, y, steps=60)
    assert np.abs(theta).max() > 100


def test_summaries_are_aligned_one_line_per_builtin():
    lines = builtin_summaries()

    assert len(lines) == len(SHAPES)
    for line, name in zip(lines, SHAPES, strict=True):
        n, d = SHAPES[name]
        assert line.startswith(name + " ")
        assert f"{n} × {d}" in line
        assert ", ".join(SUITS[name]) in line
        assert load(name).description in line
    assert len({line.index("×") for line in lines}) == 1


# --- the Dataset type and standardization ----------------------------------


def test_dataset_coerces_to_read_only_float64():
    X = np.array([[1, 2], [3, 5], [4, 4]])
    data = Dataset("toy", X, [0, 1, 1], ("a", "b"), "c", "a toy")

    assert data.X.dtype == np.float64 and data.y.dtype == np.float64
    assert (data.n, data.d) == (3, 2)
    with pytest.raises(ValueError, match="read-only"):
        data.X[0, 0] = 9.0
    X[0, 0] = 7  # the caller's own array is not frozen
    assert data.X[0, 0] == 1.0


@pytest.mark.parametrize(
    ("X", "y", "names", "match"),
    [
        ([1.0, 2.0], [1.0, 2.0], ("a",), r"shape \(2,\)"),
        ([[1.0], [2.0]], [1.0, 2.0, 3.0], ("a",), r"y \(3,\)"),
        ([[1.0], [2.0]], [1.0, 2.0], ("a", "b"), "2 feature names for 1"),
        ([[1.0], [np.nan]], [1.0, 2.0], ("a",), "sample 2, column 'a' is nan"),
        ([[1.0], [2.0]], [np.inf, 2.0], ("a",), "sample 1, column 'y' is inf"),
    ],
)
def test_dataset_rejects_inconsistent_arrays(X, y, names, match):
    with pytest.raises(DataError, match=match):
        Dataset("toy", np.array(X), np.array(y), names, "y", "")


@pytest.mark.parametrize("name", list(SHAPES))
def test_standardize_gives_z_scores_and_keeps_the_original_scale(name):
    raw = load(name)
    data = standardize(raw)

    means, scales = raw.X.mean(axis=0), raw.X.std(axis=0)
    assert data.standardized and data.name == raw.name
    assert np.allclose(data.X.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(data.X.std(axis=0), 1, atol=1e-12)
    assert np.allclose(data.feature_means, means, rtol=1e-15)
    assert np.allclose(data.feature_scales, scales, rtol=1e-15)
    assert np.allclose(data.X * data.feature_scales + data.feature_means, raw.X)
    assert np.array_equal(data.y, raw.y)
    assert standardize(data) is data
    assert not raw.standardized  # the original is untouched


def test_standardize_matches_a_hand_computed_example():
    data = Dataset(
        "toy", [[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]], [0, 0, 0], "ab", "y", ""
    )

    z = standardize(data)

    scale = np.sqrt(8 / 3)
    assert z.X[:, 0] == pytest.approx([-2 / scale, 0.0, 2 / scale])
    assert z.feature_means == pytest.approx([3.0, 20.0])


def test_standardize_refuses_values_too_large_for_float64():
    data = Dataset("huge", [[1.0, -1e308], [2.0, 1e308]], [0, 1], "ab", "y", "")

    with pytest.raises(DataError, match="'huge'.*feature 'b' has values too large"):
        standardize(data)


def test_standardize_names_a_constant_feature():
    data = Dataset(
        "toy", [[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]], [0, 1, 2], "pq", "y", ""
    )

    with pytest.raises(DataError, match="'toy'.*feature 'p' is 0.1 in every row"):
        standardize(data)


# --- CSV files: what loads --------------------------------------------------


def test_csv_round_trip_is_exact(tmp_path):
    X = np.array([[1.5, -2.0], [0.1, 3e-7], [1e6, -0.0], [2.0, 1.0]])
    y = np.array([0.3, -7.25, 1e-3, 4.0])
    rows = ["a,b,target"] + [
        ",".join(repr(float(v)) for v in (*features, target))
        for features, target in zip(X, y, strict=True)
    ]
    path = write(tmp_path / "known.csv", "\n".join(rows) + "\n")

    data = load(str(path))

    assert np.array_equal(data.X, X) and np.array_equal(data.y, y)
    assert data.X.dtype == np.float64 and data.X.flags.c_contiguous
    assert data.name == "known.csv" and data.source == ""
    assert data.feature_names == ("a", "b") and data.target_name == "target"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(*[st.floats(allow_nan=False, allow_infinity=False)] * 3),
        min_size=MIN_ROWS,
        max_size=12,
    )
)
def test_any_finite_values_round_trip_exactly(tmp_path, rows):
    table = np.array(rows, dtype=np.float64)
    if (table[:, :2].max(axis=0) == table[:, :2].min(axis=0)).any():
        return  # a constant feature is rejected, tested below
    text = "u,v,w\n" + "".join(f"{a!r},{b!r},{c!r}\n" for a, b, c in rows)
    path = write(tmp_path / "random.csv", text)

    data = load(path)

    assert np.array_equal(data.X, table[:, :2]) and np.array_equal(data.y, table[:, 2])


def test_csv_target_by_name_keeps_the_other_columns_in_order(tmp_path):
    path = write(tmp_path / "t.csv", "a,label,b\n1,0,4\n2,1,6\n3,1,5\n")

    data = load(path, target="label", model="logistic")

    assert data.feature_names == ("a", "b")
    assert np.array_equal(data.X, [[1, 4], [2, 6], [3, 5]])
    assert np.array_equal(data.y, [0, 1, 1])


def test_csv_with_bom_crlf_spaces_and_blank_lines_loads(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf x , y \r\n1, 2\r\n\r\n,\r\n3 ,4\r\n\r\n")

    data = load(path)

    assert data.feature_names == ("x",) and data.target_name == "y"
    assert np.array_equal(data.X[:, 0], [1, 3]) and np.array_equal(data.y, [2, 4])


def test_a_builtin_name_wins_over_a_file_unless_written_as_a_path(
    tmp_path, monkeypatch
):
    write(tmp_path / "line", "p,q\n1,5\n2,6\n")
    monkeypatch.chdir(tmp_path)

    assert load("line").n == 50
    assert load("./line").feature_names == ("p",)
    assert load(Path("line")).feature_names == ("p",)


def test_an_existing_file_without_csv_suffix_is_read(tmp_path, monkeypatch):
    write(tmp_path / "measurements.txt", "p,q\n1,5\n2,6\n")
    monkeypatch.chdir(tmp_path)

    assert load("measurements.txt").n == 2


# --- CSV files: what is refused, and how the message says so ---------------


BAD_CSV = {
    "wrong width, too few cells": (
        "a,b,y\n1,2,3\n4,5\n",
        r"bad\.csv: row 3 has 2 cells, expected 3.*column 'y' and any after",
    ),
    "wrong width, too many cells": (
        "a,b,y\n1,2,3\n4,5,6,7\n",
        r"bad\.csv: row 3 has 4 cells, expected 3.*after the last column, 'y'",
    ),
    "empty cell": (
        "a,b,y\n1,2,3\n4,,6\n",
        r"bad\.csv: row 3, column 'b' is empty, a missing value",
    ),
    "NA cell": (
        "a,b,y\n1,2,3\n4,NA,6\n7,8,9\n",
        r"bad\.csv: row 3, column 'b' holds 'NA', a missing value",
    ),
    "non-numeric cell": (
        "a,b,y\n1,2,3\n4,5,6\n7,12 kg,9\n",
        r"bad\.csv: row 4, column 'b' holds '12 kg', expected a number",
    ),
    "nan text": (
        "a,b,y\n1,2,3\n4,5,nan\n",
        r"bad\.csv: row 3, column 'y' holds 'nan', a missing value",
    ),
    "inf text": (
        "a,b,y\n1,2,3\n-inf,5,6\n",
        r"bad\.csv: row 3, column 'a' holds '-inf', which is not a finite number",
    ),
    "decimal comma": (
        'a,b,y\n1,2,3\n4,"5,5",6\n',
        r"(?s)bad\.csv: row 3, column 'b' holds '5,5'.*decimals with a point",
    ),
    "row number counts blank lines": (
        "a,b,y\n\n1,2,3\n\n\n4,x,6\n",
        r"bad\.csv: row 6, column 'b' holds 'x'",
    ),
    "constant feature": (
        "a,b,y\n1,2,3\n1,5,6\n1,4,2\n",
        r"bad\.csv: column 'a' is 1 in every row",
    ),
    "duplicate header": (
        "a,b,a,y\n1,2,3,4\n5,6,7,8\n",
        r"bad\.csv: row 1, column 'a' appears twice \(columns 1 and 3\)",
    ),
    "unnamed column": (
        "a,,y\n1,2,3\n4,5,6\n",
        r"bad\.csv: row 1, column 2 has no name",
    ),
    "no header": (
        "1,2,3\n4,5,6\n7,8,9\n",
        r"bad\.csv: row 1 holds numbers \(1,2,3\), expected a header row",
    ),
    "one column, semicolons": (
        "a;b;y\n1;2;3\n4;5;6\n",
        r"(?s)bad\.csv: row 1 names one column, 'a;b;y'.*semicolons",
    ),
    "one data row": (
        "a,y\n1,2\n",
        rf"bad\.csv has 1 data row below the header, expected at least {MIN_ROWS}",
    ),
    "header only": (
        "a,y\n\n",
        r"bad\.csv has 0 data rows below the header",
    ),
    "empty file": ("", r"bad\.csv is empty, expected a header row"),
    "blank file": ("\n \n\n", r"bad\.csv is empty"),
}


@pytest.mark.parametrize("text, match", BAD_CSV.values(), ids=BAD_CSV.keys())
def test_bad_csv_names_file_row_and_column(tmp_path, text, match):
    path = write(tmp_path / "bad.csv", text)

    with pytest.raises(DataError, match=match) as caught:
        load(str(path))
    assert caught.value.hint, "every data error says what to do"
    assert "\n" not in caught.value.hint


BAD_FOR_MODEL = {
    "logistic label 2": (
        "a,b,label\n1,2,0\n3,4,1\n5,6,2\n",
        "logistic",
        r"bad\.csv: row 4, column 'label' holds 2, expected a class label 0 or 1",
    ),
    "logistic label 0.5 after a blank line": (
        "a,label\n\n1,0\n2,0.5\n",
        "logistic",
        r"bad\.csv: row 4, column 'label' holds 0.5, expected a class label",
    ),
    "logistic, one class": (
        "a,label\n1,1\n2,1\n",
        "logistic",
        r"bad\.csv: every label in column 'label' is 1; .* both classes",
    ),
    "linear, two features": (
        "height,age,y\n1,2,3\n4,5,7\n",
        "linear",
        r"(?s)bad\.csv: the linear model takes one feature, got 2 \(height, age\)"
        r".*multivariate",
    ),
}


@pytest.mark.parametrize(
    "text, model, match", BAD_FOR_MODEL.values(), ids=BAD_FOR_MODEL.keys()
)
def test_csv_unfit_for_the_model_names_file_row_and_column(
    tmp_path, text, model, match
):
    path = write(tmp_path / "bad.csv", text)

    load(str(path))  # the file itself is fine
    with pytest.raises(DataError, match=match) as caught:
        load(str(path), model=model)
    assert caught.value.hint


def test_check_for_model_on_a_dataset_names_the_sample():
    data = Dataset("toy", [[1.0], [2.0], [3.0]], [0, 3, 1], ("x",), "label", "")

    with pytest.raises(DataError, match=r"'toy': sample 2, column 'label' holds 3"):
        check_for_model(data, "logistic")


def test_unknown_target_lists_the_columns(tmp_path):
    path = write(tmp_path / "cols.csv", "a,b,y\n1,2,3\n4,5,6\n")

    with pytest.raises(DataError, match=r"cols\.csv: no column named 'z'.*a, b, y"):
        load(str(path), target="z")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"nowhere\.csv: no such file"):
        load(str(tmp_path / "nowhere.csv"))


def test_folder_is_refused(tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()

    with pytest.raises(DataError, match=r"folder\.csv is a folder"):
        load(str(folder))


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.csv", "a,y\n1,2\n3,4\n")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DataError, match=r"locked\.csv cannot be read: Permission"):
        load(str(path))


def test_non_utf8_file_names_the_row(tmp_path):
    path = tmp_path / "latin.csv"
    rows = "".join(f"{i},{i + 1}\n" for i in range(5000))  # more than one chunk
    path.write_bytes(f"a,y\n{rows}3,caf\xe9\n".encode("latin-1"))

    with pytest.raises(
        DataError, match=r"latin\.csv: row 5002, byte 0xe9 is not UTF-8"
    ):
        load(str(path))


def test_unknown_name_lists_the_builtins_and_how_to_give_a_csv():
    with pytest.raises(DataError) as caught:
        load("Lines")

    message = str(caught.value)
    assert "'Lines'" in message
    assert all(name in message for name in SHAPES)
    assert ".csv" in caught.value.hint and "'line'" in caught.value.hint


def test_builtin_target_is_fixed():
    assert load("line", target="y").target_name == "y"
    with pytest.raises(DataError, match="'line' predicts 'y'.*'x'"):
        load("line", target="x")


def test_datasets_does_not_import_textual():
    code = "import sys, tracer.datasets; print('textual' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root)},
        check=True,
    )
    assert result.stdout.strip() == "False"
