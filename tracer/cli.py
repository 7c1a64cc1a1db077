"""The command line: ``tracer`` and its subcommands, per the design's contract.

Every TracerError is printed as one message on stderr with exit status 2; the
Textual UI is imported only when it is opened.
"""

import argparse
import sys

from tracer.errors import TracerError
from tracer.models import MODEL_NAMES

SUBCOMMANDS = ("derive", "trace", "verify", "datasets", "lesson", "lessons")


def _ui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracer",
        description="Watch gradient descent think, one step at a time.",
        epilog="Subcommands: "
        + ", ".join(SUBCOMMANDS)
        + ". Run `tracer SUBCOMMAND --help` for each.",
    )
    parser.add_argument(
        "model",
        nargs="?",
        default="linear",
        choices=MODEL_NAMES,
        help="model to step through (default: linear)",
    )
    parser.add_argument("--data", help="built-in data set name or a CSV file")
    parser.add_argument("--lr", help="learning rate α (default: a stable one)")
    return parser


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="built-in data set name or a CSV file")
    parser.add_argument("--target", help="CSV column to predict (default: the last)")
    parser.add_argument(
        "--standardize",
        action="store_true",
        help="rescale every feature to mean 0 and standard deviation 1",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tracer")
    commands = parser.add_subparsers(dest="command", required=True)

    derive = commands.add_parser("derive", help="show SymPy's derivation of a model")
    derive.add_argument("model", choices=MODEL_NAMES)
    derive.add_argument(
        "--features",
        type=int,
        default=None,
        metavar="D",
        help="write the weight gradient out for w_1 .. w_D",
    )
    derive.add_argument(
        "--form",
        choices=("sum", "vector", "steps", "all"),
        default="sum",
        help="which form to show (default: sum)",
    )
    derive.add_argument("--latex", action="store_true", help="print LaTeX")

    trace = commands.add_parser("trace", help="run gradient descent and print it")
    trace.add_argument("model", choices=MODEL_NAMES)
    _add_data_options(trace)
    trace.add_argument("--lr", help="learning rate α (default: a stable one)")
    trace.add_argument(
        "--steps",
        type=int,
        default=10,
        metavar="K",
        help="how many steps to run (default: 10)",
    )
    trace.add_argument(
        "--init",
        nargs="+",
        default=[],
        metavar="PARAM=VALUE",
        help="starting value of a parameter, e.g. w=1 b=-2",
    )
    trace.add_argument("--format", choices=("table", "json", "csv"), default="table")

    verify = commands.add_parser("verify", help="check a hand-derived gradient")
    verify.add_argument("model", choices=MODEL_NAMES)
    verify.add_argument("param", help="w, w_j or b")
    verify.add_argument(
        "answer",
        nargs=argparse.REMAINDER,
        help="your ∂J/∂PARAM, e.g. '2/n sum((w x_i + b - y_i) x_i)'",
    )
    verify.add_argument("--latex", action="store_true", help="the answer is LaTeX")
    verify.add_argument("--features", type=int, default=None, metavar="D")
    verify.add_argument("--json", action="store_true", help="print the verdict as JSON")

    commands.add_parser("datasets", help="list the built-in data sets")

    lesson = commands.add_parser("lesson", help="open a lesson in the UI")
    lesson.add_argument("id", nargs="?", help="lesson id (default: first unfinished)")
    lesson.add_argument("--lessons-dir", help="a folder of extra lessons")

    lessons = commands.add_parser("lessons", help="list lessons, or check lesson files")
    lessons.add_argument(
        "--check",
        nargs="*",
        metavar="PATH",
        help="validate lesson files (default: every known lesson)",
    )
    lessons.add_argument("--lessons-dir", help="a folder of extra lessons")
    return parser


def _open_ui(argv: list[str]) -> int:
    args = _ui_parser().parse_args(argv)
    lr = None
    if args.lr is not None:
        from tracer.descent import check_lr

        lr = check_lr(args.lr)
    from tracer.ui.app import run

    run(args.model, args.data, lr)
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "derive":
        from tracer.commands import derive_command

        return derive_command(args)
    if args.command == "trace":
        from tracer.commands import trace_command

        return trace_command(args)
    if args.command == "datasets":
        from tracer.datasets import builtin_summaries

        print("\n".join(builtin_summaries()))
        return 0
    if args.command == "verify":
        from tracer.answers import run_verify

        return run_verify(args)
    from tracer.lesson_commands import lesson_command

    return lesson_command(args)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv and argv[0] in SUBCOMMANDS:
            return _dispatch(_parser().parse_args(argv))
        return _open_ui(argv)
    except TracerError as error:
        print(f"tracer: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
