"""Data sets: the built-in ones, a learner's own CSV file, and their checks.

A data set is a matrix ``X`` of shape (n, d), one row per sample ``x_i``, and a
target ``y`` of shape (n,), both float64. Every built-in set is a small CSV file
in ``tracer/data/`` (``SOURCES.md`` there says where each comes from), read by
the same code as a learner's file, so a problem in either names its file, row
and column.
"""

import difflib
import os
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from tracer.csvfile import read_table
from tracer.errors import DataError, UsageError
from tracer.models import MODEL_NAMES

_DATA = resources.files("tracer") / "data"


@dataclass(frozen=True, eq=False)
class Dataset:
    """Features, target and where they came from.

    The arrays are read-only views: nothing downstream can change the data a
    trace was computed from. Equality is identity, since arrays have no single
    truth value.

    Attributes:
        name: The built-in name, or the CSV file's name.
        X: Features, shape (n, d), float64, C-contiguous.
        y: Target, shape (n,), float64.
        feature_names: One name per column of ``X``.
        target_name: The name of ``y``.
        description: One line for people.
        source: Origin and licence in one line; empty for a learner's file.
        standardized: True when ``X`` holds z-scores made by `standardize`.
        feature_means: The mean of each original feature, when standardized.
        feature_scales: The standard deviation of each original feature, when
            standardized; original = standardized * scale + mean.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    description: str
    source: str = ""
    standardized: bool = False
    feature_means: np.ndarray | None = None
    feature_scales: np.ndarray | None = None

    def __post_init__(self) -> None:
        X = _read_only(self.X)
        y = _read_only(self.y)
        names = tuple(self.feature_names)

        if X.ndim != 2 or 0 in X.shape or y.shape != X.shape[:1]:
            raise DataError(
                f"data set {self.name!r}: X has shape {X.shape} and y {y.shape}, "
                "expected (n, d) with n, d ≥ 1 and (n,).",
                "Give X one row per sample (X.reshape(-1, 1) for one feature) "
                "and y one target per row.",
            )
        if len(names) != X.shape[1]:
            raise DataError(
                f"data set {self.name!r}: {len(names)} feature names for "
                f"{X.shape[1]} feature columns, expected one name per column."
            )
        bad_x, bad_y = ~np.isfinite(X), ~np.isfinite(y)
        if bad_x.any() or bad_y.any():
            i = np.flatnonzero(bad_x.any(axis=1) | bad_y)[0]
            j = np.flatnonzero(bad_x[i])
            column, value = (names[j[0]], X[i, j[0]]) if j.size else (None, y[i])
            raise DataError(
                f"data set {self.name!r}: sample {i + 1}, column "
                f"{column or self.target_name!r} is {value}, expected a finite "
                "number.",
                "Remove or fill in the samples with missing values.",
            )

        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", names)
        for field in ("feature_means", "feature_scales"):
            if getattr(self, field) is not None:
                object.__setattr__(self, field, _read_only(getattr(self, field)))

    @property
    def n(self) -> int:
        """The number of samples (rows)."""
        return self.X.shape[0]

    @property
    def d(self) -> int:
        """The number of features (columns of ``X``)."""
        return self.X.shape[1]


def _read_only(values: np.ndarray) -> np.ndarray:
    # A view, so the caller's own array stays writable.
    view = np.ascontiguousarray(values, dtype=np.float64).view()
    view.setflags(write=False)
    return view


@cache
def _catalogue() -> dict[str, dict]:
    # Name -> file, models, description and source, in listing order.
    text = (_DATA / "catalogue.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_DEFAULTS = {"linear": "line", "multivariate": "plane", "logistic": "blobs"}


def builtin_names() -> tuple[str, ...]:
    """The names of the built-in data sets, synthetic ones first."""
    return tuple(_catalogue())


def builtin_summaries() -> list[str]:
    """One aligned line per built-in data set, for ``tracer datasets``.

    Each line gives the name, rows × features, the models it suits and the
    description.
    """
    rows = []
    for name, entry in _catalogue().items():
        data = load(name)
        rows.append((name, f"{data.n} × {data.d}", ", ".join(entry["models"])))

    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    return [
        f"{name:<{widths[0]}}  {size:>{widths[1]}}  {models:<{widths[2]}}  "
        f"{_catalogue()[name]['description']}"
        for name, size, models in rows
    ]


def default_dataset(model: str) -> str:
    """The built-in data set a model opens on when no data is given.

    Args:
        model: ``linear``, ``multivariate`` or ``logistic``.

    Returns:
        A name from `builtin_names`.

    Raises:
        UsageError: The model is not one of the three.
    """
    _check_model_name(model)
    return _DEFAULTS[model]


def load(
    name_or_path: str | os.PathLike[str],
    *,
    target: str | None = None,
    model: str | None = None,
) -> Dataset:
    """Load a built-in data set by name, or a CSV file by path.

    A name ending in ``.csv``, holding a path separator or naming an existing
    file is read as a CSV file; otherwise it must be a built-in name. A built-in
    name wins over a file of that name in the current folder (write ``./line``
    for the file).

    A CSV file needs a header row of distinct column names, then at least
    `tracer.csvfile.MIN_ROWS` rows of finite numbers, one per column. Blank
    lines are skipped.

    Args:
        name_or_path: A name from `builtin_names`, or the path of a CSV file.
        target: The target column of a CSV file; by default its last column.
            A built-in set has a fixed target.
        model: When given, `check_for_model` runs before returning, and for a
            CSV file its errors name the file row.

    Returns:
        The data set, not standardized.

    Raises:
        DataError: The name is unknown, or the file cannot be used; the message
            names the file, row and column.
        UsageError: ``model`` is not a model name.

    Examples:
        >>> data = load("line")
        >>> data.X.shape, data.y.shape, data.feature_names
        ((50, 1), (50,), ('x',))
        >>> load("penguins-species", model="logistic").feature_names
        ('bill_length_cm', 'bill_depth_cm')
        >>> load("line", model="logistic")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tracer.errors.DataError: data set 'line': sample 1, column 'y' holds 16.19, ...
    """
    if model is not None:
        _check_model_name(model)
    text = os.fspath(name_or_path)

    if text in _catalogue() and not isinstance(name_or_path, os.PathLike):
        data = _load_builtin(text, target)
        lines, where = None, f"data set {text!r}"
    elif _looks_like_path(text):
        table = read_table(Path(text), shown=text, target=target)
        data = Dataset(
            name=Path(text).name,
            X=table.X,
            y=table.y,
            feature_names=table.feature_names,
            target_name=table.target_name,
            description=f"{table.target_name} from "
            f"{', '.join(table.feature_names)} (CSV file {Path(text).name})",
        )
        lines, where = table.lines, text
    else:
        raise _unknown_name(text)

    if model is not None:
        _check(data, model, where, lines)
    return data


def _load_builtin(name: str, target: str | None) -> Dataset:
    entry = _catalogue()[name]
    table = read_table(_DATA / entry["file"], entry["file"])
    if target is not None and target != table.target_name:
        raise DataError(
            f"data set {name!r} predicts {table.target_name!r}; it cannot take "
            f"{target!r} as its target.",
            "Leave the target out for a built-in data set, or load a CSV file to "
            "choose its target column.",
        )
    return Dataset(
        name=name,
        X=table.X,
        y=table.y,
        feature_names=table.feature_names,
        target_name=table.target_name,
        description=entry["description"],
        source=entry["source"],
    )


def _looks_like_path(text: str) -> bool:
    separators = [os.sep] + ([os.altsep] if os.altsep else [])
    return (
        text.lower().endswith(".csv")
        or any(separator in text for separator in separators)
        or Path(text).is_file()
    )


def _unknown_name(text: str) -> DataError:
    close = difflib.get_close_matches(text.lower(), list(_catalogue()), n=1)
    guess = f"Did you mean {close[0]!r}? " if close else ""
    return DataError(
        f"no built-in data set or file named {text!r}; the built-in data sets are "
        f"{', '.join(_catalogue())}.",
        f"{guess}To use your own data, give the path of a .csv file with a "
        "header row, target column last.",
    )


def standardize(data: Dataset) -> Dataset:
    """Rescale every feature to mean 0 and standard deviation 1 (z-scores).

    The target is left as it is. The original means and standard deviations
    are kept, so a view can say the data was rescaled and undo it. Standardizing
    a standardized data set returns it unchanged.

    Args:
        data: The data set to rescale.

    Returns:
        A new data set with ``standardized`` set and the means and scales kept.

    Raises:
        DataError: A feature has the same value in every row, so it has no
            scale to divide by.

    Examples:
        >>> raw = load("penguins-mass")
        >>> data = standardize(raw)
        >>> abs(float(data.X.mean())) < 1e-12, round(float(data.X.std()), 12)
        (True, 1.0)
        >>> round(float(data.feature_means[0]), 2)
        20.09
        >>> undone = data.X[:2] * data.feature_scales + data.feature_means
        >>> undone.round(9).tolist(), raw.X[:2].tolist()
        ([[18.1], [18.6]], [[18.1], [18.6]])
    """
    if data.standardized:
        return data

    # Equal max and min, exactly: the std of equal values can round to 1e-17.
    constant = np.flatnonzero(data.X.max(axis=0) == data.X.min(axis=0))
    if constant.size:
        column = data.feature_names[constant[0]]
        raise DataError(
            f"data set {data.name!r}: feature {column!r} is "
            f"{data.X[0, constant[0]]:g} in every row, so it cannot be "
            "standardized (its standard deviation is 0).",
            "Drop that column: a feature that never changes tells the model nothing.",
        )

    with np.errstate(all="ignore"):  # overflow is reported below, not warned
        means = data.X.mean(axis=0)
        scales = data.X.std(axis=0)
        z = (data.X - means) / scales

    overflowed = ~(np.isfinite(scales) & np.isfinite(z).all(axis=0))
    if overflowed.any():
        column = data.feature_names[np.flatnonzero(overflowed)[0]]
        raise DataError(
            f"data set {data.name!r}: feature {column!r} has values too large "
            "to standardize in float64 (up to "
            f"{np.abs(data.X).max():g}).",
            "Rescale that column to sensible units first.",
        )

    return replace(
        data,
        X=z,
        standardized=True,
        feature_means=means,
        feature_scales=scales,
    )


def check_for_model(data: Dataset, model: str) -> None:
    """Check that a model can be fitted to a data set.

    ``linear`` takes exactly one feature; ``logistic`` needs targets that are
    all 0 or 1, with both classes present; ``multivariate`` takes any data set.

    Args:
        data: The data set.
        model: ``linear``, ``multivariate`` or ``logistic``.

    Raises:
        DataError: The data does not suit the model; the message says why and
            which sample is at fault.
        UsageError: The model is not one of the three.
    """
    _check_model_name(model)
    _check(data, model, f"data set {data.name!r}", None)


def _check_model_name(model: str) -> None:
    if model not in MODEL_NAMES:
        raise UsageError(
            f"unknown model {model!r}: expected one of {', '.join(MODEL_NAMES)}.",
            "Name one of those models, e.g. linear.",
        )


def _check(data: Dataset, model: str, where: str, lines: list[int] | None) -> None:
    # `lines` maps sample i to its row in a CSV file, when there is one.
    if model == "linear" and data.d != 1:
        raise DataError(
            f"{where}: the linear model takes one feature, got {data.d} "
            f"({', '.join(data.feature_names)}).",
            "Use the multivariate model, or a CSV file with one feature column "
            "plus the target.",
        )
    if model != "logistic":
        return

    bad = np.flatnonzero((data.y != 0) & (data.y != 1))
    if bad.size:
        i = bad[0]
        row = f"row {lines[i]}" if lines is not None else f"sample {i + 1}"
        raise DataError(
            f"{where}: {row}, column {data.target_name!r} holds {data.y[i]:g}, "
            "expected a class label 0 or 1.",
            "Logistic regression predicts the chance of class 1: label the "
            "classes 0 and 1.",
        )
    if data.y.max() == data.y.min():
        raise DataError(
            f"{where}: every label in column {data.target_name!r} is "
            f"{data.y[0]:g}; logistic regression needs both classes, 0 and 1.",
            "Add samples of the other class: with one class the weights grow "
            "without bound.",
        )
