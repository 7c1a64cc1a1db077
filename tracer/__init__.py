"""tracer: watch gradient descent think.

For notebooks::

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
"""

import numpy as np

from tracer.derivation import derive
from tracer.descent import StepRecord, Trace, suggested_lr
from tracer.errors import TracerError
from tracer.notation import latex, partial_label, unicode

__all__ = [
    "StepRecord",
    "Trace",
    "TracerError",
    "derive",
    "formula",
    "trace",
    "unicode",
    "latex",
]


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
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    rate = suggested_lr(model, X) if lr is None else lr
    return Trace(model, X, y, rate, init=init, max_steps=steps).run(steps)
