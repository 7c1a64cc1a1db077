"""Read a learner's derivation into SymPy, by a parser for the grammar and no more.

The text is never evaluated as Python. Tokens from :mod:`tracer.lexer` are read
by recursive descent, and every SymPy object is built by its constructor, so the
only operations that can happen are the ones the grammar names.

Precedence, loosest first: ``+ −``; products ``* / · ×`` and juxtaposition
(``2/n x_i`` is ``(2/n)·x_i``); a leading sign; powers ``^ **`` (to the right:
``2^3^2`` is ``2^9``). A sum sign takes the whole product after it, as on
paper: ``Σ (ŷ_i − y_i) x_i`` sums the product, and so does ``sum(ŷ_i − y_i) x_i``.

Limits keep every reading small and fast: the length and token count of the text
(:mod:`tracer.lexer`); how deeply brackets, signs and powers nest
(``MAX_DEPTH``); how deeply sums and matrix products nest (``MAX_SUM_DEPTH``);
and powers: an exponent is a number of size at most ``MAX_EXPONENT`` (only
``e`` takes an expression), and no number may grow past ``MAX_NUMBER_BITS``.
"""

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from tracer import models, shapes
from tracer.errors import AnswerError
from tracer.lexer import Token, tokenize
from tracer.models import Model, get_model
from tracer.names import MAX_FEATURES, allowed_names, bind
from tracer.shapes import Value, sample_axis

MAX_DEPTH = 30
MAX_SUM_DEPTH = 6
MAX_EXPONENT = 10
MAX_NUMBER_BITS = 1024

FUNCTIONS = {"sigmoid": models.sigmoid, "exp": sp.exp, "log": sp.log}
VALUE_STARTS = {"number", "name", "function", "sum", "open", "frac"}
NOT_REAL = (sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I)


@dataclass(frozen=True)
class Reading:
    """An answer as read: its value and the model it was read for.

    Attributes:
        value: The answer as a scalar, vector or matrix of index expressions.
        model: The model whose names the answer was read with.
    """

    value: Value
    model: Model

    @property
    def expr(self) -> sp.Expr:
        """The SymPy expression of the answer's generic entry."""
        return self.value.expr


def read_answer(
    text: str, model_name: str, latex: bool = False, features: int | None = None
) -> Reading:
    """Read ``text`` as an expression in the names of model ``model_name``.

    Args:
        text: The answer as typed.
        model_name: ``linear``, ``multivariate`` or ``logistic``.
        latex: Read LaTeX commands such as ``\\frac`` and ``\\sum``.
        features: The number of features, which bounds ``w_1 … w_d``.

    Raises:
        AnswerError: The text is outside the grammar; ``position`` says where.
        UsageError: ``model_name`` is not a model.

    Examples:
        >>> read_answer("2/n sum((w x_i + b - y_i) x_i)", "linear").expr
        2*Sum((b + w*x[i] - y[i])*x[i], (i, 1, n))/n
    """
    model = get_model(model_name)
    if not text.strip():
        raise AnswerError(
            "the answer is empty",
            0,
            "Type the gradient, e.g. 2/n sum((w x_i + b - y_i) x_i).",
        )
    tokens = tokenize(text, latex, allowed_names(model))
    parser = _Parser(tokens, model, features or MAX_FEATURES)
    return Reading(parser.parse(), model)


def show_number(number: sp.Expr) -> str:
    """A constant as SymPy prints it, ``**`` written ``^``."""
    return sp.sstr(number).replace("**", "^")


@lru_cache(maxsize=4096)
def sum_depth(expr: sp.Expr) -> int:
    """How deeply sums nest in ``expr``: 0 without sums, 2 for ``Σ_i x_ij Σ_k …``."""
    inner = max((sum_depth(arg) for arg in expr.args), default=0)
    return inner + len(expr.limits) if isinstance(expr, sp.Sum) else inner


def mark(text: str, position: int | None, width: int = 72) -> str:
    """Two lines: ``text`` (or the part around ``position``) and a caret under it.

    Examples:
        >>> print(mark("2/n sum(x_i", 7))
        2/n sum(x_i
               ^
    """
    if position is None:
        return text
    flat = "".join(" " if c.isspace() else c for c in text)
    start = max(0, min(position - width // 2, len(flat) - width))
    shown = flat[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(flat) else ""
    return f"{prefix}{shown}{suffix}\n{' ' * (len(prefix) + position - start)}^"


class _Parser:
    """Recursive descent over the tokens, building shaped SymPy values."""

    def __init__(self, tokens: list[Token], model: Model, features: int) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0
        self.model = model
        self.features = features

    def parse(self) -> Value:
        value = self.expression()
        token = self.peek()
        if token.kind == "close":
            self.fail(f"unexpected {token.text!r}: no bracket is open here", token)
        if token.kind != "end":
            self.fail(
                f"unexpected {token.text!r} here",
                token,
                "Join the parts with an operator such as + or *.",
            )
        return value

    # Reading tokens ---------------------------------------------------------

    def peek(self) -> Token:
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, message: str, token: Token, hint: str = ""):
        raise AnswerError(message, token.position, hint)

    def descend(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(
                f"brackets, signs and powers nest more than {MAX_DEPTH} deep",
                token,
                "Write the gradient with fewer brackets.",
            )

    def ascend(self) -> None:
        self.depth -= 1

    # The grammar ------------------------------------------------------------

    def expression(self) -> Value:
        value = self.term()
        while self.peek().kind == "operator" and self.peek().value in "+-":
            operator = self.advance()
            right = self.term()
            if operator.value == "-":
                right = shapes.negate(right)
            value = self.checked(shapes.add(value, right, operator.position), operator)
        return value

    def term(self) -> Value:
        value = self.unary()
        while True:
            token = self.peek()
            if token.kind == "operator" and token.value in "*/·":
                self.advance()
                value = self.combine(value, token, self.unary())
            elif token.kind in VALUE_STARTS:
                value = self.combine(value, token, self.power())
            else:
                return value

    def combine(self, left: Value, token: Token, right: Value) -> Value:
        if token.value == "/":
            return self.checked(shapes.divide(left, right, token.position), token)
        product = shapes.multiply(left, right, token.position, token.value == "·")
        return self.checked(product, token)

    def unary(self) -> Value:
        token = self.peek()
        if token.kind == "operator" and token.value in "+-":
            self.advance()
            self.descend(token)
            value = self.unary()
            self.ascend()
            return shapes.negate(value) if token.value == "-" else value
        return self.power()

    def power(self) -> Value:
        value = self.postfix(self.primary())
        token = self.peek()
        if token.kind == "operator" and token.value == "^":
            self.advance()
            self.descend(token)
            exponent = self.unary()
            self.ascend()
            value = self.raise_to(value, exponent, token)
        return value

    def postfix(self, value: Value) -> Value:
        while self.peek().kind in ("power", "transpose"):
            token = self.advance()
            if token.kind == "transpose":
                value = shapes.transpose(value)
            else:
                value = self.raise_to(value, Value(token.value), token)
        return value

    def primary(self) -> Value:
        token = self.peek()
        if token.kind == "number":
            self.advance()
            if token.value == 1 and self.peek().kind == "transpose":
                return Value(sp.Integer(1), sample_axis())
            return Value(token.value)
        if token.kind == "name":
            self.advance()
            return bind(token, self.model, self.features)
        if token.kind == "function":
            return self.function()
        if token.kind == "sum":
            self.advance()
            self.descend(token)
            summand = self.term()
            self.ascend()
            return self.checked(shapes.total(summand, token.position), token)
        if token.kind == "open":
            return self.group()
        if token.kind == "frac":
            self.advance()
            numerator, denominator = self.argument(), self.argument()
            return self.checked(
                shapes.divide(numerator, denominator, token.position), token
            )
        return self.unexpected(token)

    def unexpected(self, token: Token):
        if token.kind == "end":
            before = self.tokens[self.at - 1] if self.at else token
            if self.at and before.kind not in VALUE_STARTS:
                self.fail(
                    f"the answer ends after {before.text!r}: expected a value",
                    before,
                    f"Finish the expression or remove the trailing {before.text!r}.",
                )
            self.fail("the answer ends too early: expected a value", token)
        if token.kind == "close":
            self.fail(
                f"unexpected {token.text!r}: expected a value",
                token,
                "Check that each bracket holds an expression.",
            )
        self.fail(
            f"unexpected {token.text!r}: expected a value",
            token,
            f"Use {allowed_names(self.model)}.",
        )

    def group(self) -> Value:
        """``( … )``, ``[ … ]`` or LaTeX ``{ … }``."""
        opening = self.advance()
        self.descend(opening)
        value = self.expression()
        closing = self.peek()
        if closing.kind != "close" or closing.value != opening.value:
            if closing.kind == "close":
                self.fail(
                    f"{closing.text!r} does not match the "
                    f"{opening.text!r} at position {opening.position}",
                    closing,
                )
            self.fail(
                f"the {opening.text!r} here is never closed",
                opening,
                "Close every bracket you open.",
            )
        self.advance()
        self.ascend()
        return value

    def argument(self) -> Value:
        """One argument of ``\\frac``: a braced group or a single symbol."""
        token = self.peek()
        if token.kind == "open":
            return self.group()
        if token.kind in ("number", "name"):
            return self.primary()
        return self.fail(
            "\\frac takes two arguments in braces, as in \\frac{2}{n}", token
        )

    def function(self) -> Value:
        token = self.advance()
        self.descend(token)
        if token.value == "dot":
            value = self.dot(token)
        elif self.peek().kind == "open":
            value = shapes.apply(FUNCTIONS[token.value], self.group())
        else:
            value = shapes.apply(FUNCTIONS[token.value], self.power())
        self.ascend()
        return self.checked(value, token)

    def dot(self, token: Token) -> Value:
        opening = self.peek()
        if opening.kind != "open" or opening.value != "(":
            self.fail("dot needs its two vectors in brackets, as in dot(w, x_i)", token)
        self.advance()
        left = self.expression()
        if self.peek().kind != "comma":
            self.fail(
                "dot needs two vectors separated by a comma, as in dot(w, x_i)",
                self.peek(),
            )
        self.advance()
        right = self.expression()
        closing = self.peek()
        if closing.kind != "close" or closing.value != "(":
            self.fail("the '(' of dot is never closed", opening)
        self.advance()
        return shapes.inner(left, right, token.position)

    # Meaning ----------------------------------------------------------------

    def raise_to(self, base: Value, exponent: Value, token: Token) -> Value:
        """``base ^ exponent``, refusing towers and numbers past the limits."""
        if base.expr == sp.E and base.is_scalar:
            return self.checked(shapes.apply(sp.exp, exponent), token)
        if not base.is_scalar:
            self.fail(
                f"cannot raise {base.describe()} to a power",
                token,
                "Square a per-sample term inside the sum instead.",
            )
        power = exponent.expr
        if not (exponent.is_scalar and power.is_Number):
            self.fail(
                "an exponent must be a number, such as 2 or -1",
                token,
                "Only e^(...) takes an expression as its exponent.",
            )
        if abs(power) > MAX_EXPONENT:
            self.fail(
                f"the exponent {power} is larger than {MAX_EXPONENT}",
                token,
                "A gradient needs only small powers.",
            )
        if base.expr.is_Rational:
            size = max(base.expr.p.bit_length(), base.expr.q.bit_length())
            if size * abs(power) > MAX_NUMBER_BITS:
                self.fail("a number in the answer grows too large", token)
        result = sp.Pow(base.expr, power)
        if result.is_number and result.is_extended_real is False:
            self.fail(
                f"{show_number(result)} is not a real number",
                token,
                "Take roots only of positive numbers.",
            )
        return self.checked(Value(result), token)

    def checked(self, value: Value, token: Token) -> Value:
        """``value``, unless it is no real number (1/0, log of a negative)."""
        if value.expr.has(*NOT_REAL):
            self.fail(
                "this part of the answer is not a real number (a division "
                "by zero, or the log or root of a negative number)",
                token,
            )
        if sum_depth(value.expr) > MAX_SUM_DEPTH:
            self.fail(
                f"sums and matrix products nest more than {MAX_SUM_DEPTH} deep",
                token,
                "A gradient needs only two or three.",
            )
        number = value.expr
        if (
            number.is_Rational
            and max(number.p.bit_length(), number.q.bit_length()) > MAX_NUMBER_BITS
        ):
            self.fail("a number in the answer grows too large", token)
        return value
