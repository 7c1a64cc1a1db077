"""Reading a table of numbers from a CSV file, with errors that point at a cell.

The file is read by hand with the ``csv`` module, not a data-frame library, so
that every problem can name the file, the row as a text editor numbers it (the
header is row 1) and the column by its header name.
"""

import csv
import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO

import numpy as np

from tracer.errors import DataError

MIN_ROWS = 2
"""The fewest data rows a file may have: a line needs two points."""

_MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}
"""Cell texts that spreadsheets and data tools write for a missing value."""


@dataclass(frozen=True)
class Table:
    """The numbers in a CSV file, split into features and target.

    Attributes:
        X: Feature columns, shape (n, d), float64, in file order.
        y: The target column, shape (n,), float64.
        feature_names: The header names of the feature columns.
        target_name: The header name of the target column.
        lines: For each data row, its row number in the file (header = 1).
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    lines: list[int]


def read_table(
    source: Path | Traversable, shown: str, target: str | None = None
) -> Table:
    """Read a CSV file of numbers with a header row.

    The file is UTF-8 (a byte-order mark is allowed). Blank rows are skipped.
    Every other row must have one finite number per header column.

    Args:
        source: The file.
        shown: How to name the file in messages, usually the path as given.
        target: The name of the target column; by default the last column.

    Returns:
        The table, with every feature column taking at least two values.

    Raises:
        DataError: The file cannot be read or used; the message names the file
            and, where one is at fault, the row and column.
    """
    try:
        with _open(source, shown) as file:
            records = _records(file, shown)
            names = _header(records, shown)
            t = _target_index(names, target, shown)
            values, lines = _numbers(records, names, shown)
    except UnicodeDecodeError:
        raise _not_utf8(source, shown) from None

    if len(lines) < MIN_ROWS:
        raise DataError(
            f"{shown} has {len(lines)} data row{'s' * (len(lines) != 1)} below "
            f"the header, expected at least {MIN_ROWS}.",
            "Add more rows of numbers: a line needs at least two points to fit.",
        )

    table = np.frombuffer(values, dtype=np.float64).reshape(len(lines), len(names))
    X = np.delete(table, t, axis=1)
    y = table[:, t].copy()
    features = tuple(names[:t] + names[t + 1 :])

    _check_features_vary(X, features, shown)
    return Table(X, y, features, names[t], lines)


def _open(source: Path | Traversable, shown: str) -> IO[str]:
    try:
        return source.open("r", encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise DataError(
            f"{shown}: no such file.",
            f"Check the spelling and the folder; a relative path starts from "
            f"{Path.cwd()}.",
        ) from None
    except IsADirectoryError:
        raise DataError(
            f"{shown} is a folder, expected a CSV file.",
            "Give the path of a .csv file inside it.",
        ) from None
    except OSError as error:
        raise DataError(
            f"{shown} cannot be read: {error.strerror or error}.",
            "Check that the file exists and that you may read it.",
        ) from None


def _not_utf8(source: Path | Traversable, shown: str) -> DataError:
    # Text is decoded in chunks, so the row being read when decoding failed
    # may come before the bad byte: find the byte in the raw file instead.
    raw = source.read_bytes()
    where = ""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw.count(b"\n", 0, error.start) + 1
        where = f": row {row}, byte 0x{raw[error.start]:02x}"
    return DataError(
        f"{shown}{where} is not UTF-8 text.",
        "Save the file as UTF-8; spreadsheets call it 'CSV UTF-8'.",
    )


def _records(file: Iterable[str], shown: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for every row that is not blank."""
    reader = csv.reader(file)
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise DataError(
            f"{shown}: row {line} is not valid CSV ({error}).",
            "Check the quotes and separators on that row.",
        ) from None


def _header(records: Iterator[tuple[int, list[str]]], shown: str) -> list[str]:
    first = next(records, None)
    if first is None:
        raise DataError(
            f"{shown} is empty, expected a header row of column names and at "
            f"least {MIN_ROWS} rows of numbers.",
            "Write the column names on the first row, target last, e.g. x,y.",
        )
    line, cells = first
    names = [cell.strip() for cell in cells]

    if all(_is_number(name) for name in names):
        example = ",".join([f"x{j}" for j in range(1, len(names))] + ["y"])
        raise DataError(
            f"{shown}: row {line} holds numbers ({','.join(names)}), expected a "
            "header row of column names.",
            f"Add a first row naming the columns, target last, e.g. {example}.",
        )
    if len(names) < 2:
        separated = ";" in names[0] or "\t" in names[0]
        raise DataError(
            f"{shown}: row {line} names one column, {names[0]!r}; expected at "
            "least one feature column and a target column.",
            "The columns look separated by semicolons or tabs; save the file "
            "with commas between columns."
            if separated
            else "Separate the columns with commas, e.g. x,y.",
        )
    for j, name in enumerate(names):
        if not name:
            raise DataError(
                f"{shown}: row {line}, column {j + 1} has no name; every column "
                "needs one.",
                "Name the column, or delete it (look for a stray comma).",
            )
        if name in names[:j]:
            raise DataError(
                f"{shown}: row {line}, column {name!r} appears twice (columns "
                f"{names.index(name) + 1} and {j + 1}); expected distinct names.",
                "Rename one of the two columns.",
            )
    return names


def _numbers(
    records: Iterator[tuple[int, list[str]]], names: list[str], shown: str
) -> tuple[array, list[int]]:
    """Every remaining row's numbers, in one flat array, and its row number."""
    values = array("d")
    lines = []
    for line, cells in records:
        if len(cells) != len(names):
            raise _wrong_width(shown, line, cells, names)
        try:
            numbers = list(map(float, cells))
        except ValueError:
            numbers = []
        if len(numbers) != len(cells) or not all(map(math.isfinite, numbers)):
            raise _bad_cell(shown, line, cells, names)
        values.extend(numbers)
        lines.append(line)
    return values, lines


def _target_index(names: list[str], target: str | None, shown: str) -> int:
    if target is None:
        return len(names) - 1
    if target not in names:
        raise DataError(
            f"{shown}: no column named {target!r}; the columns are {', '.join(names)}.",
            f"Choose one of those as the target, or leave it out to use the "
            f"last column, {names[-1]!r}.",
        )
    return names.index(target)


def _wrong_width(
    shown: str, line: int, cells: list[str], names: list[str]
) -> DataError:
    if len(cells) < len(names):
        where = f"column {names[len(cells)]!r} and any after it are missing"
    else:
        where = f"there are cells after the last column, {names[-1]!r}"
    return DataError(
        f"{shown}: row {line} has {len(cells)} cells, expected {len(names)}, one "
        f"per column ({', '.join(names)}); {where}.",
        "Look for a missing or extra comma on that row; write decimals with a "
        "point (3.5), since a comma separates cells.",
    )


def _bad_cell(shown: str, line: int, cells: list[str], names: list[str]) -> DataError:
    # Called only when some cell of the row is not a finite number.
    j = next(j for j, cell in enumerate(cells) if not _is_number(cell))
    text = cells[j]
    at = f"{shown}: row {line}, column {names[j]!r}"

    if text.strip().lower() in _MISSING:
        shown_text = "is empty" if not text.strip() else f"holds {text!r}"
        return DataError(
            f"{at} {shown_text}, a missing value; expected a number.",
            f"tracer does not fill in missing values: fill in the cell or "
            f"delete row {line}.",
        )
    if _is_number(text, finite_only=False):
        return DataError(
            f"{at} holds {text!r}, which is not a finite number; expected a "
            "finite number.",
            f"Replace it with a finite value or delete row {line}.",
        )
    if _is_number(text.replace(",", ".")):
        hint = "Write decimals with a point (3.5), not a comma (3,5)."
    else:
        hint = (
            "Every cell below the header must be a plain number such as 3.5 "
            f"or -2e-3; fix the cell or delete row {line}."
        )
    return DataError(f"{at} holds {text!r}, expected a number.", hint)


def _is_number(text: str, *, finite_only: bool = True) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return math.isfinite(value) or not finite_only


def _check_features_vary(X: np.ndarray, names: tuple[str, ...], shown: str) -> None:
    # Equal max and min, exactly: the std of equal values can round to 1e-17.
    constant = np.flatnonzero(X.max(axis=0) == X.min(axis=0))
    if constant.size:
        j = constant[0]
        raise DataError(
            f"{shown}: column {names[j]!r} is {X[0, j]:g} in every row; a feature "
            "that never changes tells the model nothing and cannot be "
            "standardized.",
            "Delete that column, or use rows where it takes different values.",
        )
