"""Hostile answers: refused with a clear message, without running or hanging.

Nothing here times a call: the answer is bounded by construction (length,
tokens, nesting, exponents, number size), and these tests check that each
limit is where the refusal comes from. The bench measures the time.
"""

import argparse
import builtins
import io
import os
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.answers import judge, run_verify
from tracer.errors import AnswerError, TracerError
from tracer.lexer import MAX_LENGTH, MAX_TOKENS, tokenize
from tracer.reader import MAX_DEPTH, MAX_EXPONENT, MAX_SUM_DEPTH, read_answer
from tracer.verdict import Verdict

INJECTIONS = [
    ("__import__('os').system('echo pwned')", 0, "unexpected character '_'"),
    ("().__class__.__base__.__subclasses__()", 2, "unexpected character '.'"),
    ("lambda: 0", 0, "unknown name 'lambda'"),
    ("x_i.__class__", 3, "unexpected character '.'"),
    ('eval("1")', 0, "unknown name 'eval'"),
    ("exec('import os')", 0, "unknown name 'exec'"),
    ("open('/etc/passwd').read()", 0, "unknown name 'open'"),
    ("2 x_i; import os", 5, "unexpected character ';'"),
    ("x_i if True else y_i", 4, "unknown name 'if'"),
    ("[c for c in ()]", 1, "unknown name 'c'"),
    ("b @ w", 2, "unexpected character '@'"),
    ("'\\x41' + 1", 0, "unexpected character"),
    ("\\x41", 0, "LaTeX"),
    ("\\u0041", 0, "LaTeX"),
    ("x_i # comment", 4, "unexpected character '#'"),
]
LATEX_COMMANDS = [
    (r"\input{/etc/passwd}", 0, r"\input"),
    (r"\def\x{1} \x", 0, r"\def"),
    (r"\immediate\write18{rm -rf /}", 0, r"\immediate"),
    (r"\frac{\input{x}}{2}", 6, r"\input"),
    (r"\newcommand{\w}{1}", 0, r"\newcommand"),
    (r"\catcode`\^=7", 0, r"\catcode"),
    (r"\openout1=x.tex", 0, r"\openout"),
    (r"x_i \\ y_i", 4, r"\\"),
    ("\\", 0, "backslash"),
]
LIMITS = [
    ("2^2^2^2^2^2^2", "exponent"),
    ("9**9**9**9", "exponent"),
    ("x_i^99999", "exponent"),
    ("x_i^w", "exponent must be a number"),
    ("((((((((999999999999^10)^10)^10)^10)^10)^10)^10)^10)", "too large"),
    ("9" * 13, "digits"),
    ("x" * 100_000, "characters"),
    ("(" * 5000, "characters"),
    ("(" * 100 + "x_i" + ")" * 100, "nest"),
    ("-" * 100 + "x_i", "nest"),
    ("x+" * 160 + "x", "symbols"),
    ("sum(" * 8 + "x_i" + ")" * 8, "nest"),
    ("XᵀXXᵀXXᵀXXᵀXw", "nest"),
    ("1/0", "not a real number"),
    ("log(-1)", "not a real number"),
]
UNBALANCED = [
    ("2/n sum((w x_i + b - y_i) x_i", 7, "never closed"),
    ("2/n sum(w x_i + b - y_i))", 24, "no bracket is open"),
    ("(x_i]", 4, "does not match"),
    ("[x_i + b)", 8, "does not match"),
    ("x_i +", 4, "ends after '+'"),
    ("2 *", 2, "ends after '*'"),
    ("dot(w, x_i", 3, "never closed"),
]


def _refusal(text, latex=False, model="linear"):
    with pytest.raises(AnswerError) as caught:
        read_answer(text, model, latex=latex)
    return caught.value


@pytest.mark.parametrize(("text", "position", "phrase"), INJECTIONS)
def test_code_is_refused_at_its_first_foreign_character(text, position, phrase):
    error = _refusal(text)

    assert error.position == position
    assert phrase in error.message
    assert error.hint


@pytest.mark.parametrize(("text", "position", "phrase"), LATEX_COMMANDS)
def test_latex_outside_the_grammar_is_refused(text, position, phrase):
    error = _refusal(text, latex=True)

    assert error.position == position
    assert phrase in error.message


@pytest.mark.parametrize(("text", "phrase"), LIMITS)
def test_limits_refuse_towers_huge_numbers_and_long_or_deep_input(text, phrase):
    error = _refusal(text, model="multivariate" if "X" in text else "linear")

    assert phrase in error.message


@pytest.mark.parametrize(("text", "position", "phrase"), UNBALANCED)
def test_unbalanced_brackets_and_trailing_operators_are_located(text, position, phrase):
    error = _refusal(text)

    assert error.position == position
    assert phrase in error.message


def test_the_limits_are_the_documented_constants():
    assert MAX_LENGTH == 500 and MAX_TOKENS == 300
    assert MAX_DEPTH == 30 and MAX_EXPONENT == 10 and MAX_SUM_DEPTH == 6
    with pytest.raises(AnswerError):
        tokenize("x" * (MAX_LENGTH + 1))
    tokenize("x" * MAX_LENGTH)


def test_exponents_up_to_the_limit_are_read():
    assert read_answer(f"x_i^{MAX_EXPONENT}", "linear").expr.exp == MAX_EXPONENT
    assert read_answer(f"x_i^-{MAX_EXPONENT}", "linear").expr.exp == -MAX_EXPONENT


HOSTILE = (
    [text for text, *_ in INJECTIONS]
    + [text for text, _ in LIMITS]
    + [text for text, *_ in UNBALANCED]
)


@pytest.mark.parametrize("text", HOSTILE)
def test_judge_and_the_command_line_call_hostile_answers_unreadable(text):
    model = "multivariate" if "X" in text else "linear"
    verdict = judge(model, "w", text)
    err = io.StringIO()
    args = argparse.Namespace(
        model=model, param="w", answer=text, latex=False, features=None, json=False
    )

    assert verdict.status == "unreadable" and verdict.exit_code == 2
    assert verdict.message
    assert run_verify(args, io.StringIO(), err) == 2
    assert err.getvalue().startswith("unreadable: ")


@pytest.mark.parametrize("text", [text for text, *_ in INJECTIONS + LATEX_COMMANDS])
def test_no_code_runs_while_judging(text, monkeypatch):
    judge("linear", "w", "2/n sum((w x_i + b - y_i) x_i)")  # imports done first
    calls = []

    def spy(name):
        real = getattr(builtins, name)

        def record(*args, **kwargs):
            calls.append((name, args[:1]))
            return real(*args, **kwargs)

        return record

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, spy(name))
    monkeypatch.setattr(os, "system", spy("eval"))
    monkeypatch.setattr(subprocess, "Popen", spy("eval"))

    verdict = judge("linear", "w", text, latex=text.startswith("\\"))

    assert verdict.status == "unreadable"
    assert calls == []


MATH = st.sampled_from(
    [
        "x_i",
        "x_ij",
        "X",
        "Xᵀ",
        "w",
        "w_j",
        "w_2",
        "b",
        "y_i",
        "y",
        "ŷ_i",
        "z_i",
        "n",
        "e",
        "𝟏",
        "sum(",
        "Σ",
        "Σ_i",
        "σ(",
        "exp(",
        "log(",
        "dot(",
        ",",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "+",
        "-",
        "−",
        "*",
        "/",
        "^",
        "**",
        "·",
        "²",
        "⁻¹",
        "ᵀ",
        "2",
        "0",
        "0.5",
        "½",
        "10",
        " ",
        "_",
        "\\frac",
        "\\sum_{i=1}^{n}",
        "\\hat{y}_i",
        "\\sigma",
        "\\left(",
        "\\right)",
        "x_{i,j}",
        "^{(i)}",
        "\\input",
        ".",
        "'",
    ]
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="xwbyzn_ijXT^*/+-()[]{}\\σΣŷ·²ᵀ 0123456789.,", max_size=60),
    st.lists(MATH, max_size=25).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(
    text=TEXT,
    model=st.sampled_from(["linear", "multivariate", "logistic"]),
    latex=st.booleans(),
)
def test_reading_arbitrary_text_raises_only_answer_errors(text, model, latex):
    try:
        read_answer(text, model, latex=latex)
    except AnswerError as error:
        assert error.message
        assert error.position is None or 0 <= error.position <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    text=TEXT,
    model=st.sampled_from(["linear", "multivariate", "logistic"]),
    param=st.sampled_from(["w", "b"]),
    latex=st.booleans(),
)
def test_judging_arbitrary_text_returns_a_verdict(text, model, param, latex):
    try:
        verdict = judge(model, param, text, latex=latex)
    except TracerError:  # pragma: no cover - a usage error would also be fine
        return
    assert isinstance(verdict, Verdict)
    assert verdict.status in ("correct", "incorrect", "unreadable")
    assert verdict.message
