"""Judge a learner's derivation against SymPy's gradient, and say what is wrong.

An answer is read by :mod:`tracer.reader` (never evaluated as Python), then
evaluated beside SymPy's ``∂J/∂param`` on random data sets of several sizes
(:mod:`tracer.evaluator`). Equal on every one of them is correct: agreement at
a special point such as θ = 0 or n = 1 cannot pass, because no data set is
special. A wrong answer is named by :mod:`tracer.mistakes` when it is a known
mistake, and comes with the smallest data set where the two differ.

``run_verify`` is ``tracer verify MODEL PARAM ANSWER [--latex] [--features D]
[--json]``: the verdict as text or JSON, and the exit status 0 correct,
1 incorrect, 2 unreadable or bad usage.
"""

import argparse
import re
import sys
import time

from tracer.comparison import Target, compare
from tracer.derivation import derive
from tracer.errors import AnswerError, TracerError, UsageError
from tracer.models import Model, get_model
from tracer.names import MAX_FEATURES
from tracer.reader import mark, read_answer
from tracer.verdict import Verdict, show, verify_text

__all__ = [
    "Verdict",
    "judge",
    "mark",
    "run_verify",
    "parse_verify_args",
    "add_verify_arguments",
    "verify_text",
]

TIME_BUDGET = 0.8

_PLAIN_PREFIX = re.compile(r"\s*(?:∂J\s*/\s*∂|dJ\s*/\s*d)\s*(w_j|w_\d+|w|b)\s*=")
_LATEX_PREFIX = re.compile(
    r"\s*\\frac\s*\{\s*\\partial\s*J\s*\}\s*\{\s*\\partial\s*"
    r"(w_j|w_\{j\}|w_\d+|w|b)\s*\}\s*="
)


def judge(
    model_name: str,
    param: str,
    answer_text: str,
    latex: bool = False,
    features: int | None = None,
) -> Verdict:
    """Judge ``answer_text`` as ``∂J/∂param`` for model ``model_name``.

    Args:
        model_name: ``linear``, ``multivariate`` or ``logistic``.
        param: ``w`` or ``b``; for the vector models also ``w_j`` (the same as
            ``w``) or one weight such as ``w_2``.
        answer_text: The derivation as typed, plain text or (with ``latex``)
            LaTeX; it may start with ``∂J/∂w =``.
        latex: Read LaTeX commands such as ``\\frac`` and ``\\sum``.
        features: Check with exactly this many features rather than several.

    Returns:
        The verdict; an answer that cannot be read is ``unreadable``.

    Raises:
        UsageError: An unknown model or parameter, or a bad feature count.

    Examples:
        >>> judge("linear", "w", "2/n sum((w x_i + b - y_i) x_i)").status
        'correct'
        >>> verdict = judge("linear", "w", "1/n sum((w x_i + b - y_i) x_i)")
        >>> verdict.status, verdict.diagnosis
        ('incorrect', 'constant factor')
        >>> judge("logistic", "b", "1/n sum(sigma(z_i) - y_i").position
        7
    """
    model = get_model(model_name)
    target = resolve_param(model, param, features)
    partial = derive(model.name).partial(target.partial)
    common = dict(
        model=model.name,
        param=target.name,
        answer=answer_text,
        expected=show(partial.sum_form),
    )
    deadline = time.monotonic() + TIME_BUDGET
    try:
        text = _strip_prefix(answer_text, target, latex)
        reading = read_answer(text, model.name, latex, features)
        return compare(
            reading.value, model, target, partial, features, deadline, common
        )
    except AnswerError as error:
        return Verdict(
            "unreadable",
            read_as=None,
            diagnosis=None,
            message=error.message,
            position=error.position,
            hint=error.hint,
            **common,
        )


def resolve_param(model: Model, param: str, features: int | None) -> Target:
    """The target named by ``param``, checked against the model and features.

    Raises:
        UsageError: ``param`` is no parameter of ``model``, or ``features`` is
            out of range.
    """
    if features is not None and not 1 <= features <= MAX_FEATURES:
        raise UsageError(
            f"--features must be between 1 and {MAX_FEATURES}, not {features}",
            "Give a small number of features.",
        )
    if features not in (None, 1) and not model.vector:
        raise UsageError(
            f"the linear model has one feature, not {features}",
            "Leave out --features for the linear model.",
        )
    if param == "b":
        return Target("b", "b")
    if not model.vector:
        if param == "w":
            return Target("w", "w")
    elif param in ("w", "w_j"):
        return Target(param, "w_j")
    elif re.fullmatch(r"w_[1-9][0-9]?", param):
        number, largest = int(param[2:]), features or MAX_FEATURES
        if number <= largest:
            return Target(param, "w_j", number)
    names = "w_j (or w), w_1 … w_d, b" if model.vector else "w, b"
    raise UsageError(
        f"unknown parameter {param!r} for the {model.name} model: "
        f"expected one of {names}",
        "Name one of those parameters.",
    )


def _strip_prefix(text: str, target: Target, latex: bool) -> str:
    """The answer with a leading ``∂J/∂w =`` blanked out, positions kept."""
    match = (_LATEX_PREFIX if latex else _PLAIN_PREFIX).match(text)
    if not match:
        return text
    named = match.group(1).replace("{", "").replace("}", "")
    same = {named, target.name} <= {"w", "w_j"} or named == target.name
    if not same:
        raise AnswerError(
            f"the answer is written for ∂J/∂{named}, but the "
            f"parameter asked about is {target.name}",
            match.start(1),
            f"Check {target.name}, or answer for {named}.",
        )
    return " " * match.end() + text[match.end() :]


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``MODEL PARAM ANSWER [--latex] [--features D] [--json]`` to ``parser``."""
    parser.add_argument("model", help="linear, multivariate or logistic")
    parser.add_argument("param", help="w or b; w_j or w_1 … w_d for the vector models")
    parser.add_argument(
        "answer", help="your ∂J/∂PARAM, e.g. '2/n sum((w x_i + b - y_i) x_i)'"
    )
    parser.add_argument("--latex", action="store_true", help="read ANSWER as LaTeX")
    parser.add_argument(
        "--features", type=int, metavar="D", help="check with exactly D features"
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")


def protect_answer(argv: list[str]) -> list[str]:
    """``verify``'s arguments with ``--`` before the positionals.

    An answer such as ``-2/n * sum(...)`` starts with a minus, which argparse
    would take for an option; after ``--`` it is read as typed.

    Examples:
        >>> protect_answer(["linear", "w", "-2/n sum(x_i)", "--json"])
        ['--json', '--', 'linear', 'w', '-2/n sum(x_i)']
    """
    options, positionals, rest = [], [], list(argv)
    while rest:
        argument = rest.pop(0)
        if argument == "--":
            positionals += rest
            break
        if argument in ("--latex", "--json", "-h", "--help") or argument.startswith(
            "--features="
        ):
            options.append(argument)
        elif argument == "--features" and rest:
            options += [argument, rest.pop(0)]
        else:
            positionals.append(argument)
    return [*options, "--", *positionals]


def parse_verify_args(argv: list[str]) -> argparse.Namespace:
    """Parse ``verify``'s arguments (after the word ``verify``), minus signs kept.

    Examples:
        >>> parse_verify_args(["linear", "w", "-2/n sum(x_i)"]).answer
        '-2/n sum(x_i)'
    """
    parser = argparse.ArgumentParser(
        prog="tracer verify", description="Check a hand derivation of ∂J/∂PARAM."
    )
    add_verify_arguments(parser)
    return parser.parse_args(protect_answer(argv))


def _verify_options(args: argparse.Namespace) -> tuple[str, bool, int | None, bool]:
    """The answer and options, also when the answer came as a list of words.

    A parser may collect everything after PARAM (``nargs=REMAINDER``) so that a
    leading minus survives; options typed after the answer are then among its
    words, and are taken out here.
    """
    latex, features, as_json = args.latex, args.features, args.json
    if isinstance(args.answer, str):
        return args.answer, latex, features, as_json
    words, rest = [], list(args.answer)
    while rest:
        word = rest.pop(0)
        if word in ("--latex", "--json"):
            latex, as_json = latex or word == "--latex", as_json or word == "--json"
        elif word == "--features" or word.startswith("--features="):
            value = word.partition("=")[2] or (rest.pop(0) if rest else "")
            if not value.isdigit():
                raise UsageError(
                    f"--features needs a whole number, not {value!r}",
                    "Write e.g. --features 3.",
                )
            features = int(value)
        else:
            words.append(word)
    return " ".join(words), latex, features, as_json


def run_verify(args: argparse.Namespace, stdout=None, stderr=None) -> int:
    """Judge ``args.answer`` and print the verdict; return the exit status.

    Args:
        args: ``model``, ``param``, ``answer``, ``latex``, ``features`` and
            ``json``, as :func:`add_verify_arguments` defines them.
        stdout: Where the verdict goes (default ``sys.stdout``).
        stderr: Where problems go (default ``sys.stderr``): an unreadable
            answer's text verdict, and any usage error.

    Returns:
        0 correct, 1 incorrect, 2 unreadable answer or bad usage.
    """
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        answer, latex, features, as_json = _verify_options(args)
        verdict = judge(args.model, args.param, answer, latex=latex, features=features)
    except TracerError as error:
        print(f"tracer: {error}", file=stderr)
        return 2
    if as_json:
        print(verdict.to_json(), file=stdout)
        if verdict.status == "unreadable":
            print(f"unreadable: {verdict.message}", file=stderr)
    else:
        stream = stderr if verdict.status == "unreadable" else stdout
        print(verify_text(verdict), file=stream)
    return verdict.exit_code
