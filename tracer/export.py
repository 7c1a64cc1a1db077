"""A trace as JSON Lines or CSV, for ``tracer trace`` and the UI's export.

The JSON Lines follow the contract of ``tracer trace --format json``: a first
line naming the model, data set, α and n; one object per step with the keys
``iteration``, ``params``, ``loss``, ``gradient``, ``update`` and
``next_params``; and a last line with the status. A run still going when it is
exported is reported as stopped (``max_steps``) after the steps made, since
that is what the file holds.
"""

import csv
import io
import json
import math
from pathlib import Path

from tracer.datasets import Dataset
from tracer.descent import MAX_STEPS, RUNNING, Trace
from tracer.errors import UsageError
from tracer.files import write_atomically

FORMATS = {"json": ".jsonl", "csv": ".csv"}


def _number(value: float) -> float | None:
    # JSON has no infinity or NaN: a diverged value is written as null.
    return float(value) if math.isfinite(value) else None


def _status(trace: Trace) -> dict:
    if trace.status == RUNNING:
        reason = f"exported after {len(trace)} steps, before the run stopped"
        return {"status": MAX_STEPS, "steps": len(trace), "reason": reason}
    return {"status": trace.status, "steps": len(trace), "reason": trace.reason}


def json_lines(trace: Trace, data: Dataset) -> str:
    """The whole trace as JSON Lines text."""
    names = trace.param_names

    def named(values) -> dict:
        return dict(zip(names, map(_number, values), strict=True))

    header = {
        "model": trace.model_name,
        "dataset": data.name,
        "lr": trace.lr,
        "n": int(data.n),
        "standardized": data.standardized,
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    for record in trace:
        row = {
            "iteration": record.iteration,
            "params": named(record.params),
            "loss": _number(record.loss),
            "gradient": named(record.gradient),
            "update": named(record.update),
            "next_params": named(record.next_params),
        }
        lines.append(json.dumps(row, ensure_ascii=False))
    lines.append(json.dumps(_status(trace), ensure_ascii=False))
    return "\n".join(lines) + "\n"


def csv_text(trace: Trace) -> str:
    """The whole trace as CSV: one row per step, full precision."""
    names = trace.param_names
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "iteration",
            *names,
            "loss",
            *[f"dJ/d{name}" for name in names],
            *[f"update_{name}" for name in names],
            *[f"next_{name}" for name in names],
        ]
    )
    for record in trace:
        writer.writerow(
            [
                record.iteration,
                *map(repr, map(float, record.params)),
                repr(float(record.loss)),
                *map(repr, map(float, record.gradient)),
                *map(repr, map(float, record.update)),
                *map(repr, map(float, record.next_params)),
            ]
        )
    return out.getvalue()


def default_path(trace: Trace, data: Dataset, kind: str, folder: Path) -> Path:
    """A file name in ``folder`` that names the run and is not taken yet."""
    stem = f"tracer-{trace.model_name}-{Path(data.name).stem}-lr{trace.lr:g}"
    path = folder / f"{stem}{FORMATS[kind]}"
    count = 2
    while path.exists():
        path = folder / f"{stem}-{count}{FORMATS[kind]}"
        count += 1
    return path


def export(trace: Trace, data: Dataset, path: Path, kind: str) -> Path:
    """Write the trace to ``path`` as ``kind`` (``json`` or ``csv``).

    Returns:
        The path written.

    Raises:
        UsageError: ``kind`` is unknown or the file cannot be written.
    """
    if kind not in FORMATS:
        raise UsageError(
            f"unknown export format {kind!r}: expected json or csv",
            "Choose JSON Lines or CSV.",
        )
    text = json_lines(trace, data) if kind == "json" else csv_text(trace)
    write_atomically(path, text, "Choose a folder you can write to.")
    return path
