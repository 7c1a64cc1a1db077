"""The trace a lesson step shows, and the facts a learner finds on it.

A step's trace is a `TraceSetup`: model, data, α, θ₀, and how many iterations to
run before the step is shown. A ``find`` checkpoint's answer is never typed in
the lesson: `compute_fact` runs the trace and reads the answer off it, and
`matches` compares it with what the learner read on screen.
"""

import math
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from tracer.errors import TracerError
from tracer.models import MODEL_NAMES
from tracer.notation import format_number

FACTS = {
    "steps": "how many steps the trace makes before it stops",
    "status": "how the trace ends: converged, diverged or max_steps",
    "sign": "the sign of ∂J/∂PARAM at iteration AT: + or −",
    "gradient": "∂J/∂PARAM at iteration AT",
    "param": "the value of PARAM at iteration AT",
    "loss": "J at iteration AT",
    "norm": "the gradient's length ‖∇J‖ at iteration AT",
    "stable-lr": "the largest stable learning rate 2/λ_max (MSE only)",
    "lr": "the trace's learning rate α",
    "n": "the number of samples",
}
SETUP_KEYS = ("model", "data", "lr", "init", "run", "standardize")


class LessonTextError(TracerError):
    """A placeholder, trace set-up or fact that cannot be worked out.

    Args:
        message: What is wrong and what was expected.
        key: The TOML key at fault, when there is one.
        line: The 1-based line within the rendered text.
    """

    def __init__(self, message: str, key: str = "", line: int = 1) -> None:
        super().__init__(message)
        self.key = key
        self.line = line


# The trace a lesson step shows.


@dataclass(frozen=True)
class TraceSetup:
    """Model, data, α, θ₀ and how many iterations to run before showing.

    Attributes:
        model: ``linear``, ``multivariate`` or ``logistic``.
        data: A built-in data set name, or a CSV path.
        lr: α; None means the engine's suggested α for the data.
        init: θ₀ (weights, then b); None means zeros.
        run: Iterations made before the step is shown.
        standardize: Whether features are rescaled to z-scores.
        folder: Where a relative CSV path is looked for.
    """

    model: str = "linear"
    data: str = "line"
    lr: float | None = None
    init: tuple[float, ...] | None = None
    run: int = 0
    standardize: bool = False
    folder: str = ""

    @classmethod
    def default(cls) -> "TraceSetup":
        """Linear regression on ``line``, α suggested, θ₀ = 0."""
        return cls()

    def restarted(self) -> "TraceSetup":
        """The same set-up with no iterations run yet."""
        return replace(self, run=0)

    def changed(self, values: dict) -> "TraceSetup":
        """A copy with ``values`` applied, every one checked.

        A new model or data set starts again from the defaults for ``lr``,
        ``init`` and ``standardize``, unless ``values`` gives them too.

        Raises:
            LessonTextError: A key is unknown or a value unusable; ``key`` names it.
        """
        for key in values:
            if key not in SETUP_KEYS:
                expected = ", ".join(SETUP_KEYS)
                raise LessonTextError(f"unknown key {key!r}: expected {expected}", key)
        new = replace(self, **{k: _setup_value(k, v) for k, v in values.items()})
        if "model" in values and "data" not in values:
            from tracer.datasets import default_dataset

            new = replace(new, data=default_dataset(new.model))
        if "model" in values or "data" in values:
            # New data needs its own α and θ₀, and starts unscaled.
            defaults = {"lr": None, "init": None, "standardize": False}
            kept = {k: v for k, v in defaults.items() if k not in values}
            new = replace(new, **kept)
        data = new.dataset(key="data" if "data" in values else "model")
        if new.init is not None and len(new.init) != data.d + 1:
            raise LessonTextError(
                f"init needs {data.d + 1} numbers (weights, then b) for "
                f"{new.data!r}, got {len(new.init)}",
                "init",
            )
        return new

    def dataset(self, key: str = "data"):
        """The data set, checked against the model and standardized if asked."""
        return _dataset(self.model, self.data, self.standardize, self.folder, key)

    @property
    def alpha(self) -> float:
        """α: the one given, or the engine's suggestion for this data."""
        from tracer.descent import suggested_lr

        if self.lr is not None:
            return self.lr
        return suggested_lr(self.model, self.dataset().X)

    def trace(self, max_steps: int | None = None):
        """A fresh `tracer.descent.Trace` for this set-up, ``run`` steps made."""
        from tracer.descent import MAX_STEP_COUNT, Trace

        data = self.dataset()
        trace = Trace(
            self.model,
            data.X,
            data.y,
            self.alpha,
            init=None if self.init is None else np.array(self.init),
            max_steps=max_steps or MAX_STEP_COUNT,
        )
        return trace.run(self.run)


def _setup_value(key: str, value):
    number = (int, float)
    if key == "model" and value not in MODEL_NAMES:
        expected = ", ".join(MODEL_NAMES)
        raise LessonTextError(f"unknown model {value!r}: expected {expected}", key)
    if key == "data" and not isinstance(value, str):
        raise LessonTextError("data must be a data set name or a CSV path", key)
    if key == "lr":
        if not isinstance(value, number) or isinstance(value, bool) or value <= 0:
            raise LessonTextError(f"lr must be a positive number, got {value!r}", key)
        if not math.isfinite(value):
            raise LessonTextError(f"lr must be finite, got {value!r}", key)
        return float(value)
    if key == "init":
        if not isinstance(value, list) or not all(
            isinstance(v, number) and not isinstance(v, bool) for v in value
        ):
            raise LessonTextError(
                "init must be a list of numbers: weights, then b", key
            )
        return tuple(float(v) for v in value)
    if key == "run" and (not isinstance(value, int) or not 0 <= value <= 10_000):
        raise LessonTextError(
            f"run must be a whole number 0..10000, got {value!r}", key
        )
    if key == "standardize" and not isinstance(value, bool):
        raise LessonTextError("standardize must be true or false", key)
    return value


@cache
def _dataset(model: str, name: str, standard: bool, folder: str, key: str):
    from tracer import datasets

    is_path = name.lower().endswith(".csv") or "/" in name
    if name not in datasets.builtin_names() and folder and is_path:
        name = str(Path(folder) / name)
    try:
        data = datasets.load(name, model=model)
        return datasets.standardize(data) if standard else data
    except TracerError as error:
        raise LessonTextError(error.message, key) from None


# Facts read off a trace.


@cache
def _finished(setup: TraceSetup):
    """The set-up's trace from θ₀, run until it stops."""
    trace = replace(setup, run=0).trace()
    return trace.run(trace.max_steps)


def compute_fact(setup: TraceSetup, fact: str, param: str = "", at: int = 0) -> str:
    """The answer to a ``find`` checkpoint, or a ``value`` placeholder, as text.

    Raises:
        LessonTextError: The fact, parameter or iteration does not exist here.

    Examples:
        >>> compute_fact(TraceSetup(lr=0.01), "sign", "w", 0)
        '−'
        >>> compute_fact(TraceSetup(lr=0.1), "status")
        'diverged'
    """
    if fact not in FACTS:
        raise LessonTextError(f"unknown fact {fact!r}: expected {', '.join(FACTS)}")
    if fact in ("stable-lr", "lr", "n"):
        trace = replace(setup, run=0).trace()
    else:
        trace = _finished(setup)
    if fact == "steps":
        return str(len(trace))
    if fact == "status":
        return trace.status
    if fact == "stable-lr":
        if trace.stable_lr is None:
            raise LessonTextError("stable-lr exists for the MSE models only", "fact")
        return format_number(trace.stable_lr, 3)
    if fact == "lr":
        return format_number(trace.lr)
    if fact == "n":
        return str(trace.X.shape[0])
    if not isinstance(at, int) or not 0 <= at < len(trace):
        raise LessonTextError(
            f"iteration {at!r} does not exist: this trace makes {len(trace)} steps",
            "at",
        )
    record = trace.record(at)
    if fact == "loss":
        return format_number(record.loss)
    if fact == "norm":
        return format_number(float(np.linalg.norm(record.gradient)))
    names = trace.param_names
    if param not in names:
        raise LessonTextError(
            f"param {param!r} is not a parameter here: expected {', '.join(names)}",
            "param",
        )
    index = names.index(param)
    if fact == "param":
        return format_number(record.params[index])
    value = record.gradient[index]
    if fact == "gradient":
        return format_number(value)
    return "+" if value > 0 else "−" if value < 0 else "0"


PLAIN = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻−", "0123456789--")


def check_fact(setup: TraceSetup, fact: str, param: str = "", at=0) -> None:
    """Check a fact's words without running the trace (`compute_fact` runs it).

    Raises:
        LessonTextError: The fact or parameter does not exist, or ``at`` is not
            an iteration number.
    """
    if fact not in FACTS:
        raise LessonTextError(f"unknown fact {fact!r}: expected {', '.join(FACTS)}")
    if not isinstance(at, int) or isinstance(at, bool) or at < 0:
        raise LessonTextError(f"at must be an iteration number, got {at!r}", "at")
    if fact in ("sign", "gradient", "param"):
        from tracer.models import get_model

        names = get_model(setup.model).param_names(setup.dataset().d)
        if param not in names:
            raise LessonTextError(
                f"param {param!r} is not a parameter here: expected {', '.join(names)}",
                "param",
            )
    if fact == "stable-lr" and setup.model == "logistic":
        raise LessonTextError("stable-lr exists for the MSE models only", "fact")


SIGNS = {"+": "+", "positive": "+", "pos": "+", "-": "−", "−": "−", "negative": "−"}


def _number(text: str) -> float:
    """A number as printed (``5.4×10⁻⁵``) or typed (``5.4e-5``, ``5.4x10^-5``)."""
    plain = text.translate(PLAIN).replace(" ", "")
    for power in ("×10^", "x10^", "*10^", "×10"):
        plain = plain.replace(power, "e")
    return float(plain)


def matches(expected: str, given: str, tolerance: float) -> bool:
    """Whether a learner's ``given`` reading agrees with ``expected``.

    Numbers agree within ``tolerance`` relative error, except whole numbers (a
    step count), which must be exact; words ignore case.

    Examples:
        >>> matches("37", " 37 ", 0.02), matches("0.5031", "0.503", 0.02)
        (True, True)
        >>> matches("−", "negative", 0), matches("+", "-", 0)
        (True, False)
        >>> matches("5.407×10⁻⁵", "5.4x10^-5", 0.02)
        True
    """
    given = given.strip().lower()
    if expected in ("+", "−", "0"):
        return SIGNS.get(given, given) == expected
    try:
        want = _number(expected)
        got = _number(given)
    except ValueError:
        return given == expected.lower()
    if expected.isdigit():
        return got == want
    return abs(got - want) <= tolerance * max(abs(want), 1e-12)
