"""tracer: watch gradient descent think.

For notebooks (a learner's own derivation is checked with ``tracer.judge``)::

    >>> import numpy as np
    >>> import tracer
    >>> print(tracer.formula("linear", "w"))
    ∂J/∂w = (2/n) Σ (w x_i + b − y_i) x_i
    >>> X = np.array([[0.0], [1.0], [2.0]]); y = np.array([1.0, 3.0, 5.0])
    >>> run = tracer.trace("linear", X, y, lr=0.1, steps=3)
    >>> run.record(0).gradient
    array([-8.66666667, -6.        ])
    >>> [round(record.loss, 3) for record in run]
    [11.667, 3.207, 0.895]
    >>> tracer.judge("linear", "b", "2/n sum(w x_i + b - y_i)").status
    'correct'
"""

import importlib

__all__ = [
    "StepRecord",
    "Trace",
    "TracerError",
    "derive",
    "formula",
    "judge",
    "latex",
    "trace",
    "unicode",
]

# Where each public name lives. They are imported on first use, so that
# ``import tracer`` (and so the UI's first frame) does not wait for SymPy's
# derivations and the compiling machinery.
_HOMES = {
    "StepRecord": "tracer.descent",
    "Trace": "tracer.descent",
    "TracerError": "tracer.errors",
    "derive": "tracer.derivation",
    "judge": "tracer.answers",
    "latex": "tracer.notation",
    "unicode": "tracer.notation",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'tracer' has no attribute {name!r}")


def formula(model: str, param: str, form: str = "sum", as_latex: bool = False):
    """``∂J/∂param`` of ``model`` as SymPy derived it, printed.

    Args:
        model: ``linear``, ``multivariate`` or ``logistic``.
        param: ``w``, ``w_j`` or ``b``.
        form: ``sum`` or ``vector``.
        as_latex: LaTeX instead of Unicode.

    Examples:
        >>> print(formula("logistic", "w_j", form="vector"))
        ∂J/∂w = (1/n) Xᵀ(σ(Xw + b) − y)
    """
    from tracer.derivation import derive
    from tracer.notation import latex, partial_label, unicode

    partial = derive(model).partial(param)
    expr = partial.vector if form == "vector" else partial.sum_form
    label = "w" if form == "vector" and param == "w_j" else param
    text = latex(expr) if as_latex else unicode(expr)
    return f"{partial_label(label)} = {text}"


def trace(model: str, X, y, lr: float | None = None, steps: int = 100, init=None):
    """Run ``steps`` of gradient descent on arrays; returns the :class:`Trace`.

    ``X`` has shape (n, d) (a 1-D array is one feature), ``y`` shape (n,). With
    ``lr`` None a stable learning rate is chosen from the data.
    """
    import numpy as np

    from tracer.descent import Trace, suggested_lr

    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    rate = suggested_lr(model, X) if lr is None else lr
    return Trace(model, X, y, rate, init=init, max_steps=steps).run(steps)
