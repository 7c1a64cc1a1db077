"""What each name in an answer stands for, in the model the answer is for.

``yhat_i`` and ``z_i`` are the model's own prediction and score, so an answer
written with them is judged exactly as one written out. The same letter may
mean different things per model: in the one-feature model ``w`` is a number and
``x`` the vector of the samples' features; in the others ``w`` is the weight
vector and ``X`` the n × d data matrix.
"""

import sympy as sp

from tracer import models
from tracer.errors import AnswerError
from tracer.lexer import Token
from tracer.models import Model, b, i, j, n, w_vec, x, y
from tracer.shapes import Value, feature_axis, sample_axis

MAX_FEATURES = 10

SCALAR_NAMES = "w, b, x_i, y_i, ŷ_i (or yhat_i), z_i, n, e"
VECTOR_NAMES = "w_j, w_1 … w_d, b, x_ij, y_i, ŷ_i (or yhat_i), z_i, n, e"
FUNCTION_NAMES = "sum or Σ, sigmoid or σ, exp, log or ln, dot(w, x_i)"


def allowed_names(model: Model) -> str:
    """The names and functions an answer for ``model`` may use, for messages.

    Examples:
        >>> from tracer.models import get_model
        >>> allowed_names(get_model("linear")).split(";")[0]
        'w, b, x_i, y_i, ŷ_i (or yhat_i), z_i, n, e'
    """
    if model.vector:
        names = f"{VECTOR_NAMES}; vectors w, x_i, y, ŷ, z and the matrix X"
    else:
        names = f"{SCALAR_NAMES}; vectors x, y, ŷ, z"
    return f"{names}; functions {FUNCTION_NAMES}"


def bind(token: Token, model: Model, features: int = MAX_FEATURES) -> Value:
    """The value a name token stands for in ``model``.

    Args:
        token: A ``name`` token; its value is ``(name, subscript)``.
        model: The model the answer is for.
        features: The largest feature number ``w_1 … w_d`` may use.

    Raises:
        AnswerError: The name, or its index, is not one of the model's.
    """
    name, index = token.value
    per_sample = {"y": y[i], "yhat": model.prediction, "z": model.score}
    if name in ("b", "n", "e", "ones") and index == "":
        constant = {"b": b, "n": n, "e": sp.E, "ones": sp.Integer(1)}[name]
        return Value(constant, sample_axis() if name == "ones" else None)
    if name in per_sample and index in ("", "i"):
        return Value(per_sample[name], sample_axis() if index == "" else None)
    if name == "w":
        return _weight(token, model, index, features)
    if name in ("x", "X") and model.vector:
        return _features(token, model, index, features)
    if name in ("x", "X") and index in ("", "i"):
        return Value(x[i], sample_axis() if index == "" else None)
    if name in ("x", "X") and index:
        _fail(
            f"{token.text!r}: the linear model has one feature, x_i",
            token,
            "Write x_i for the feature of sample i.",
        )
    return _fail(
        f"{token.text!r} is not a name of the {model.name} model",
        token,
        f"Use {allowed_names(model)}.",
    )


def _fail(message: str, token: Token, hint: str):
    raise AnswerError(message, token.position, hint)


def _weight(token: Token, model: Model, index: str, features: int) -> Value:
    if not model.vector:
        if index:
            _fail(
                f"{token.text!r}: the linear model has one weight, w",
                token,
                "Write w for the weight.",
            )
        return Value(models.w)
    if index == "":
        return Value(w_vec[j], feature_axis(j))
    if index == "j":
        return Value(w_vec[j])
    return Value(w_vec[_feature_number(token, index, features)])


def _features(token: Token, model: Model, index: str, features: int) -> Value:
    if index == "" and token.value[0] == "X":
        return Value(x[i, j], sample_axis(), feature_axis(j))
    if index == "i":
        return Value(x[i, j], feature_axis(j))
    if index == "ij":
        return Value(x[i, j])
    if index.startswith("i") and index[1:].isdigit():
        return Value(x[i, _feature_number(token, index[1:], features)])
    return _fail(
        f"{token.text!r} is not a name of the {model.name} model",
        token,
        "Write X for the data, x_i for a sample's features, x_ij for one.",
    )


def _feature_number(token: Token, digits: str, features: int) -> int:
    if not digits.isdigit() or not 1 <= int(digits) <= features:
        _fail(
            f"{token.text!r}: features are numbered 1 to {features}",
            token,
            "Use w_j and x_ij for any feature.",
        )
    return int(digits)
