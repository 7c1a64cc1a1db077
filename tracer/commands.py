"""``tracer derive`` and ``tracer trace``: the engine's results as text.

Tables are aligned for people; JSON Lines and CSV follow the design's contract
for scripts.
"""

import math
import sys

import numpy as np

from tracer import datasets
from tracer.derivation import Derivation, derive, symbol_name
from tracer.descent import Trace, check_lr, suggested_lr
from tracer.errors import UsageError
from tracer.export import csv_text, json_lines
from tracer.models import j
from tracer.notation import (
    chain_equation,
    chain_labels,
    format_number,
    latex,
    partial_label,
    unicode,
)

TITLES = {
    "linear": "Linear regression, one feature",
    "multivariate": "Multivariate linear regression",
    "logistic": "Logistic regression",
}


def _lines_for(derivation: Derivation, form: str, features: int | None, as_latex):
    """The lines of one form of the derivation."""
    show = latex if as_latex else unicode
    lines = []
    for partial in derivation.partials:
        name = symbol_name(partial.param)
        if form == "sum":
            expressions = [(name, partial.sum_form)]
            if features and partial.param.has(j):
                expressions = [
                    (f"w_{index}", partial.sum_form.subs(j, index))
                    for index in range(1, features + 1)
                ]
            lines += [(partial_label(label), show(e)) for label, e in expressions]
        elif form == "vector":
            label = "w" if name == "w_j" else name
            lines.append((partial_label(label), show(partial.vector)))
        else:
            lines.append(_chain_lines(partial, show))
    if form == "steps":
        return [line for block in lines for line in block]
    width = max(len(label) for label, _ in lines)
    return [f"  {label:<{width}} = {text}" for label, text in lines]


def _chain_lines(partial, show) -> list[str]:
    """``∂J/∂θ = Σ ∂J/∂L_i · ∂L_i/∂ŷ_i · …`` and each factor on its own line."""
    name = symbol_name(partial.param)
    labels = chain_labels(partial, show)
    width = max(len(label) for label in labels)
    lines = [f"  {chain_equation(partial, show)}"]
    lines += [
        f"      {label:<{width}} = {show(step.factor)}"
        for label, step in zip(labels, partial.chain, strict=True)
    ]
    product = show(partial.sum_form)
    lines.append(
        f"      {'product':<{width}} = {product}  (SymPy checked it equals ∂J/∂{name})"
    )
    return lines


def derive_command(args) -> int:
    """Print the derivation of ``args.model`` in the forms asked for."""
    if args.features is not None and args.features < 1:
        raise UsageError(
            f"--features must be at least 1, got {args.features}",
            "Give the number of features, e.g. --features 3.",
        )
    derivation = derive(args.model)
    model = derivation.model
    show = latex if args.latex else unicode
    print(f"{TITLES[args.model]} ({model.loss_name})")
    print(f"  prediction  ŷ_i = {show(model.prediction)}")
    if model.has_link:
        print(f"  score       z_i = {show(model.score)}")
    print(f"  loss        J = {show(model.mean_loss)}")
    forms = ("sum", "vector", "steps") if args.form == "all" else (args.form,)
    headings = {"sum": "Sum form", "vector": "Vector form", "steps": "Chain rule"}
    for form in forms:
        print()
        print(headings[form])
        for line in _lines_for(derivation, form, args.features, args.latex):
            print(line)
    return 0


def _parse_init(pairs: list[str], names: list[str]) -> dict[str, float]:
    values = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or name not in names:
            raise UsageError(
                f"--init {pair!r}: expected PARAM=VALUE with PARAM one of "
                f"{', '.join(names)}",
                "For example: --init w=0.5 b=-1",
            )
        try:
            values[name] = float(text)
        except ValueError:
            raise UsageError(
                f"--init {pair!r}: {text!r} is not a number",
                "For example: --init w=0.5 b=-1",
            ) from None
        if not math.isfinite(values[name]):
            raise UsageError(f"--init {pair!r}: the value must be finite")
    return values


def build_trace(args) -> tuple[Trace, datasets.Dataset]:
    """The data set and the trace ``tracer trace`` (and the UI) ask for."""
    if args.steps < 1:
        raise UsageError(
            f"--steps must be at least 1, got {args.steps}",
            "Give how many steps to run, e.g. --steps 20.",
        )
    name = args.data or datasets.default_dataset(args.model)
    data = datasets.load(name, target=args.target, model=args.model)
    if args.standardize:
        data = datasets.standardize(data)
    lr = check_lr(args.lr) if args.lr is not None else suggested_lr(args.model, data.X)
    names = Trace.names_for(args.model, data.X.shape[1])
    given = _parse_init(args.init, names)
    init = np.array([given.get(name, 0.0) for name in names])
    trace = Trace(args.model, data.X, data.y, lr, init=init, max_steps=args.steps)
    trace.run(args.steps)
    return trace, data


def _write_table(trace: Trace, data, out) -> None:
    names = trace.param_names
    out.write(
        f"{TITLES[trace.model_name]} on {data.name} (n = {len(trace.y)}"
        f"{', standardized' if data.standardized else ''}), α = {trace.lr:g}\n"
    )
    if trace.stable_lr is not None:
        out.write(f"largest stable α for this data: {trace.stable_lr:.4g}\n")
    out.write("each row: θ_k, J(θ_k), ∂J/∂θ at θ_k, and the update −α·∂J/∂θ\n\n")
    header = (
        ["k"]
        + names
        + ["J"]
        + [partial_label(n) for n in names]
        + [f"Δ{n}" for n in names]
    )
    rows = [header]
    for record in trace:
        rows.append(
            [str(record.iteration)]
            + [format_number(v, 6) for v in record.params]
            + [format_number(record.loss, 6)]
            + [format_number(v, 6) for v in record.gradient]
            + [format_number(v, 6) for v in record.update]
        )
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    for row in rows:
        cells = [cell.rjust(width) for cell, width in zip(row, widths, strict=True)]
        out.write("  ".join(cells).rstrip() + "\n")
    out.write(f"\n{trace.status}: {trace.reason or 'still converging'}\n")
    if trace.status != "diverged":
        out.write(
            "next θ: "
            + ", ".join(
                f"{name} = {format_number(v, 6)}"
                for name, v in zip(names, trace.params, strict=True)
            )
            + "\n"
        )


def trace_command(args) -> int:
    """Run gradient descent and print every step as a table, JSON Lines or CSV."""
    trace, data = build_trace(args)
    if args.format == "json":
        sys.stdout.write(json_lines(trace, data))
    elif args.format == "csv":
        sys.stdout.write(csv_text(trace))
    else:
        _write_table(trace, data, sys.stdout)
    return 0
