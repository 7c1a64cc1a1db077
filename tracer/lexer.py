"""Cut a learner's typed derivation into tokens, plain text or LaTeX.

The lexer knows characters, words and LaTeX commands; it knows nothing of models
or shapes. Every token remembers where it started, so any later complaint can
point at the character that caused it. Anything outside the grammar stops the
lexer at once: no character, word or command is passed on unrecognised.

A run of letters is split into the words the grammar knows, longest first, so
``wx_i`` reads as ``w x_i`` and ``sigmoidz_i`` as ``sigmoid z_i``.
"""

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from tracer.errors import AnswerError

MAX_LENGTH = 500
MAX_TOKENS = 300
MAX_DIGITS = 12

FUNCTIONS = {
    "sum": "sum",
    "sigmoid": "sigmoid",
    "sigma": "sigmoid",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "dot": "dot",
}
NAMES = {"w", "b", "x", "X", "y", "yhat", "ŷ", "z", "n", "e"}
WORDS = sorted(set(FUNCTIONS) | NAMES, key=len, reverse=True)

UNICODE_OPERATORS = {
    "−": "-",
    "–": "-",
    "·": "·",
    "⋅": "·",
    "∙": "·",
    "×": "*",
    "∗": "*",
    "÷": "/",
}
FRACTIONS = {"½": (1, 2), "¼": (1, 4), "¾": (3, 4), "⅓": (1, 3), "⅔": (2, 3)}
SUPERSCRIPTS = {c: str(v) for v, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")} | {"⁻": "-"}
SUBSCRIPTS = {"ᵢ": "i", "ⱼ": "j"} | {c: str(v) for v, c in enumerate("₀₁₂₃₄₅₆₇₈₉")}

VOCABULARY = (
    "names such as w, b, x_i, y_i, ŷ_i, z_i and n, and the functions "
    "sum, sigmoid, exp, log and dot"
)

LATEX_COMMANDS = {
    "frac": ("frac", None),
    "dfrac": ("frac", None),
    "tfrac": ("frac", None),
    "sum": ("sum", None),
    "Sigma": ("sum", None),
    "sigma": ("function", "sigmoid"),
    "exp": ("function", "exp"),
    "log": ("function", "log"),
    "ln": ("function", "log"),
    "cdot": ("operator", "·"),
    "times": ("operator", "*"),
    "div": ("operator", "/"),
    "top": ("transpose", None),
    "intercal": ("transpose", None),
}
LATEX_SPACES = {
    ",",
    ";",
    ":",
    "!",
    " ",
    "quad",
    "qquad",
    "left",
    "right",
    "limits",
    "nolimits",
}
LATEX_FONTS = {"mathbf", "boldsymbol", "bm", "mathrm", "operatorname", "text", "mathit"}
LATEX_HATS = {"hat", "widehat"}
LATEX_ALLOWED = ", ".join(
    "\\" + c for c in [*LATEX_COMMANDS, *LATEX_HATS, *LATEX_FONTS, "left", "right"]
)

_TRANSPOSE = re.compile(
    r"\^\s*(?:T|⊤|\\top|\\intercal|\{\s*(?:T|\\top|\\intercal)\s*\})"
)
_SAMPLE_SUPERSCRIPT = re.compile(r"\^\s*(?:\(\s*i\s*\)|\{\s*\(\s*i\s*\)\s*\})")
_SUM_LOWER = re.compile(r"_\s*(?:\{\s*i\s*(?:=\s*1\s*)?\}|i)|ᵢ")
_SUM_UPPER = re.compile(r"\^\s*(?:\{\s*n\s*\}|n)")
_BRACED_INDEX = re.compile(r"\{([ij0-9,\s]*)\}")


@dataclass(frozen=True)
class Token:
    """One piece of the answer.

    Attributes:
        kind: ``number``, ``name``, ``function``, ``sum``, ``operator``,
            ``power``, ``transpose``, ``open``, ``close``, ``comma``, ``frac``,
            or ``end``.
        text: The characters as typed.
        position: Index of the first character in the typed text.
        value: A SymPy number, a function name, an operator, a bracket, or for a
            name the pair ``(name, subscript)`` with subscript such as ``ij``.
    """

    kind: str
    text: str
    position: int
    value: object = None


def tokenize(
    text: str, latex: bool = False, vocabulary: str = VOCABULARY
) -> list[Token]:
    """Cut ``text`` into tokens, ending with an ``end`` token.

    Args:
        text: The answer as typed.
        latex: Read LaTeX commands rather than refusing every backslash.
        vocabulary: The names and functions to suggest for an unknown word.

    Raises:
        AnswerError: The text is too long, or holds a character or LaTeX
            command outside the grammar.

    Examples:
        >>> [t.text for t in tokenize("2wx_i")][:-1]
        ['2', 'w', 'x_i']
    """
    if len(text) > MAX_LENGTH:
        raise AnswerError(
            f"the answer is {len(text)} characters long; at most {MAX_LENGTH} are read",
            MAX_LENGTH,
            "Write the gradient in a shorter form.",
        )
    return _Lexer(text, latex, vocabulary).run()


class _Lexer:
    """A scanner over ``text`` that appends tokens as it goes."""

    def __init__(self, text: str, latex: bool, vocabulary: str) -> None:
        self.text = text
        self.latex = latex
        self.vocabulary = vocabulary
        self.at = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        while self.at < len(self.text):
            if len(self.tokens) >= MAX_TOKENS:
                raise AnswerError(
                    f"the answer has more than {MAX_TOKENS} symbols",
                    self.at,
                    "Write the gradient in a shorter form.",
                )
            self._next()
        self.tokens.append(Token("end", "", len(self.text)))
        return self.tokens

    def _add(self, kind: str, start: int, value: object = None) -> None:
        self.tokens.append(Token(kind, self.text[start : self.at], start, value))

    def _fail(self, message: str, position: int, hint: str = "") -> None:
        raise AnswerError(message, position, hint)

    def _next(self) -> None:
        char, start = self.text[self.at], self.at
        if char.isspace():
            self.at += 1
        elif char.isdigit() and char.isascii() or char == ".":
            self._number()
        elif char.isascii() and char.isalpha() or char == "ŷ":
            self._word()
        elif char == "\\":
            self._command()
        elif char in "Σ∑":
            self.at += 1
            self._sum(start)
        elif char == "σ":
            self.at += 1
            self._add("function", start, "sigmoid")
        elif char == "𝟏":
            self.at += 1
            self._add("name", start, ("ones", ""))
        elif char in FRACTIONS:
            self.at += 1
            self._add("number", start, sp.Rational(*FRACTIONS[char]))
        elif char in SUPERSCRIPTS:
            self._superscript()
        elif char in "ᵀ⊤":
            self.at += 1
            self._add("transpose", start)
        elif self.text.startswith("**", start):
            self.at += 2
            self._caret(start)
        elif char == "^":
            self.at += 1
            self._caret(start)
        elif char in "+-*/" or char in UNICODE_OPERATORS:
            self.at += 1
            self._add("operator", start, UNICODE_OPERATORS.get(char, char))
        elif char in "([" or char == "{" and self.latex:
            self.at += 1
            self._add("open", start, char)
        elif char in ")]" or char == "}" and self.latex:
            self.at += 1
            self._add("close", start, {")": "(", "]": "[", "}": "{"}[char])
        elif char == ",":
            self.at += 1
            self._add("comma", start)
        else:
            self._unexpected(start)

    def _unexpected(self, position: int) -> None:
        char = self.text[position]
        hint = "Use + - * / ^, brackets, numbers and the names of the model."
        if char == "_":
            hint = "An underscore only starts an index, as in x_i or w_j."
        if char in "{}":
            hint = "Braces group only in LaTeX (--latex) and in indices: x_{ij}."
        self._fail(f"unexpected character {char!r}", position, hint)

    def _number(self) -> None:
        match = re.compile(r"[0-9]*\.?[0-9]*").match(self.text, self.at)
        start, digits = self.at, match.group()
        if digits == ".":
            self._unexpected(start)
        if sum(c.isdigit() for c in digits) > MAX_DIGITS:
            self._fail(
                f"the number {digits[:20]}… has more than {MAX_DIGITS} digits",
                start,
                "Use numbers of ordinary size.",
            )
        self.at = match.end()
        exact = Fraction(digits)  # digits and one point: nothing else is parsed
        self._add("number", start, sp.Rational(exact.numerator, exact.denominator))

    def _superscript(self) -> None:
        start = self.at
        while self.at < len(self.text) and self.text[self.at] in SUPERSCRIPTS:
            self.at += 1
        written = "".join(SUPERSCRIPTS[c] for c in self.text[start : self.at])
        if not re.fullmatch(r"-?[0-9]{1,2}", written):
            self._fail(
                "a superscript power must be a whole number such as ² or ⁻¹", start
            )
        self._add("power", start, sp.Integer(written))

    def _caret(self, start: int) -> None:
        """``^`` or ``**``: a transpose such as ``^T`` or ``^\\top``, else a power."""
        match = _TRANSPOSE.match(self.text, start)
        if match:
            self.at = match.end()
            return self._add("transpose", start)
        return self._add("operator", start, "^")

    def _word(self, letters: str | None = None, start: int | None = None) -> None:
        """A run of letters, split into the words of the grammar."""
        if letters is None:
            start = self.at
            match = re.compile(r"(?:[A-Za-zŷ]|y\u0302)+").match(self.text, start)
            letters, self.at = match.group().replace("y\u0302", "ŷ"), match.end()
        offset = 0
        while offset < len(letters):
            word = next((w for w in WORDS if letters.startswith(w, offset)), None)
            if word is None:
                self._fail(
                    f"unknown name {letters!r}", start, f"Use {self.vocabulary}."
                )
            position, offset = start + offset, offset + len(word)
            last = offset == len(letters)
            self._add_word(word, position, last)

    def _add_word(self, word: str, position: int, last: bool) -> None:
        if word in FUNCTIONS:
            if FUNCTIONS[word] == "sum":
                return self._sum(position, limits=last)
            self.tokens.append(Token("function", word, position, FUNCTIONS[word]))
            return None
        name, subscript = ("yhat" if word == "ŷ" else word), ""
        if last:
            if name == "y" and self.text.startswith("_hat", self.at):
                name, self.at = "yhat", self.at + 4
            subscript = self._subscript()
        end = self.at if last else position + len(word)
        text = self.text[position:end]
        self.tokens.append(Token("name", text, position, (name, subscript)))
        return None

    def _subscript(self) -> str:
        """The index after a name: ``_i``, ``_ij``, ``_{i,j}``, ``ᵢⱼ``, ``^{(i)}``."""
        text, start = self.text, self.at
        found = ""
        if text.startswith("_", start):
            braced = _BRACED_INDEX.match(text, start + 1)
            if braced:
                found = re.sub(r"[,\s]", "", braced.group(1))
                self.at = braced.end()
            else:
                plain = re.compile(r"[ij]*[0-9]*").match(text, start + 1)
                found, self.at = plain.group(), plain.end()
            if not found:
                self._fail(
                    "expected an index after '_': i, j, ij or a number",
                    start,
                    "Write indices as in x_i, x_ij, w_j or w_1.",
                )
        while self.at < len(text) and text[self.at] in SUBSCRIPTS:
            found += SUBSCRIPTS[text[self.at]]
            self.at += 1
        sample = _SAMPLE_SUPERSCRIPT.match(text, self.at)
        if sample:
            found, self.at = "i" + found, sample.end()
        return found

    def _sum(self, start: int, limits: bool = True) -> None:
        """A sum sign with optional limits, which must be ``i = 1`` to ``n``."""
        seen = set()
        while limits:
            self.at = re.compile(r"\s*").match(self.text, self.at).end()
            for pattern in (_SUM_LOWER, _SUM_UPPER):
                match = pattern.match(self.text, self.at)
                if match and pattern not in seen:
                    seen.add(pattern)
                    self.at = match.end()
                    break
            else:
                limits = False
        if self.text.startswith(("_", "^"), self.at):
            self._fail(
                "a sum runs over the samples, i = 1 to n",
                self.at,
                "Write sum(...), Σ_i or Σ_{i=1}^{n}; other limits are not read.",
            )
        self.tokens.append(Token("sum", self.text[start : self.at], start, "sum"))

    def _command(self) -> None:
        start = self.at
        if not self.latex:
            self._fail(
                "a backslash starts a LaTeX command, and this answer is "
                "read as plain text",
                start,
                "Pass --latex to read LaTeX.",
            )
        match = re.compile(r"\\(?:[A-Za-z]+|.)", re.DOTALL).match(self.text, start)
        if match is None:
            self._fail(
                "a backslash ends the answer",
                start,
                "Finish the LaTeX command, e.g. \\frac{2}{n}.",
            )
        name, self.at = match.group()[1:], match.end()
        if name in LATEX_SPACES:
            return
        if name in "{}":
            kind = "open" if name == "{" else "close"
            return self._add(kind, start, "{")
        if name in LATEX_HATS:
            return self._hat(start)
        if name in LATEX_FONTS:
            return self._font(start)
        if name not in LATEX_COMMANDS:
            self._fail(
                f"unknown LaTeX command \\{name}", start, f"Use only {LATEX_ALLOWED}."
            )
        kind, value = LATEX_COMMANDS[name]
        if kind == "sum":
            return self._sum(start)
        return self._add(kind, start, value)

    def _hat(self, start: int) -> None:
        """``\\hat{y}_i``, ``\\hat y_i`` or ``\\hat{y_i}``: the prediction."""
        match = re.compile(r"\s*(?:\{\s*y\s*\}|y|\{\s*y_\{?i\}?\s*\})").match(
            self.text, self.at
        )
        if not match:
            self._fail("\\hat is read only over y, as in \\hat{y}_i", start)
        self.at = match.end()
        subscript = "i" if "_" in match.group() else self._subscript()
        self._add("name", start, ("yhat", subscript))

    def _font(self, start: int) -> None:
        """``\\mathbf{X}`` and the like: the letters inside, read as words."""
        match = re.compile(r"\s*\{\s*([A-Za-z]+)\s*\}|\s*([A-Za-z])").match(
            self.text, self.at
        )
        if not match:
            self._fail(
                "expected letters in braces after a font command, as in \\mathbf{X}",
                start,
            )
        letters = match.group(1) or match.group(2)
        self.at = match.end()
        self._word(letters, start)
