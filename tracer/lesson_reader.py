"""Reading one lesson file: TOML front matter, then steps, each problem at its line.

A lesson file starts with TOML between two ``+++`` lines; the Markdown after it
is split into steps at each ``## `` heading. A step holds text and fenced blocks
whose info word names what they do: ``trace``, ``question``, ``derive``,
``find``, ``hint`` and ``timing``. The reader collects every problem it finds
instead of stopping at the first, so ``tracer lessons --check`` lists them all.
"""

import re
import tomllib
from pathlib import Path

from tracer.lesson_steps import VIEWS, Checkpoint, Lesson, LessonProblem, Step
from tracer.lesson_text import render
from tracer.lesson_timing import Timing
from tracer.lesson_trace import (
    FACTS,
    LessonTextError,
    TraceSetup,
    check_fact,
    compute_fact,
)
from tracer.models import MODEL_NAMES

REQUIRED = ("id", "title", "order", "model", "data", "objectives")
OPTIONAL = ("lr", "init")
BLOCK_KINDS = ("trace", "question", "derive", "find", "hint", "timing")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOML_LINE = re.compile(r"at line (\d+)")


def read_lesson(path: Path | str) -> Lesson:
    """Read, render and check one lesson file.

    Raises:
        LessonProblem: The first problem found, with its file and line.
    """
    problems = check_file(path)
    if isinstance(problems, Lesson):
        return problems
    raise problems[0]


def check_file(
    path: Path | str, thorough: bool = False
) -> "Lesson | list[LessonProblem]":
    """The lesson in ``path``, or every problem found in it (at least one).

    With ``thorough``, every ``find`` answer is also worked out by running its
    trace to the end, which takes a moment; otherwise only when first asked.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [LessonProblem(path, 1, f"cannot read the file: {error}")]
    reader = _Reader(path, text.splitlines(), thorough)
    lesson = reader.read()
    return reader.problems or lesson


class _Reader:
    """Reads one file, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path, lines: list[str], thorough: bool) -> None:
        self.path = path
        self.lines = lines
        self.thorough = thorough
        self.problems: list[LessonProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(LessonProblem(self.path, line, message))

    def read(self) -> Lesson | None:
        head = self.front_matter()
        if head is None:
            return None
        meta, body_start = head
        setup = self.lesson_setup(meta)
        if setup is None:
            return None
        steps = self.body(body_start, setup)
        if not steps and not self.problems:
            self.problem(body_start, "no steps: start each step with a `## ` heading")
        return Lesson(
            id=meta["id"],
            title=meta["title"],
            order=meta["order"],
            path=self.path,
            objectives=tuple(meta["objectives"]),
            setup=setup,
            steps=tuple(steps),
        )

    # Front matter.

    def front_matter(self) -> tuple[dict, int] | None:
        if not self.lines or self.lines[0].strip() != "+++":
            self.problem(1, "the file must start with a `+++` line (TOML front matter)")
            return None
        try:
            end = next(
                k for k in range(1, len(self.lines)) if self.lines[k].strip() == "+++"
            )
        except StopIteration:
            self.problem(1, "the front matter has no closing `+++` line")
            return None
        self.meta_lines = (1, end)
        try:
            meta = tomllib.loads("\n".join(self.lines[1:end]))
        except tomllib.TOMLDecodeError as error:
            self.problem(
                1 + _toml_line(error), f"front matter is not valid TOML: {error}"
            )
            return None
        ok = True
        for key in REQUIRED:
            if key not in meta:
                self.problem(1, f"front matter is missing the key {key!r}")
                ok = False
        for key in meta:
            if key not in REQUIRED + OPTIONAL:
                known = ", ".join(REQUIRED + OPTIONAL)
                self.problem(
                    self.key_line(key), f"unknown key {key!r}: expected {known}"
                )
                ok = False
        if not ok:
            return None
        return meta, end + 2

    def key_line(self, key: str, start: int = 1, stop: int | None = None) -> int:
        """The 1-based line of ``key = ...`` between lines ``start`` and ``stop``."""
        stop = self.meta_lines[1] if stop is None else stop
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for index in range(start, stop):
            if pattern.match(self.lines[index]):
                return index + 1
        return start

    def lesson_setup(self, meta: dict) -> TraceSetup | None:
        checks = [
            ("id", str, "a short name such as 'mse'"),
            ("title", str, "one line of text"),
            ("order", int, "a whole number"),
            ("model", str, "a model name"),
            ("data", str, "a data set name"),
            ("objectives", list, "a list of strings"),
        ]
        ok = True
        for key, kind, expected in checks:
            if not isinstance(meta[key], kind) or isinstance(meta[key], bool):
                self.problem(self.key_line(key), f"{key} must be {expected}")
                ok = False
        if isinstance(meta["id"], str) and not _ID.match(meta["id"]):
            self.problem(
                self.key_line("id"),
                f"id {meta['id']!r} must be lower-case letters, digits and '-'",
            )
            ok = False
        if ok and not all(isinstance(item, str) for item in meta["objectives"]):
            self.problem(self.key_line("objectives"), "objectives must be strings")
            ok = False
        if not ok:
            return None
        values = {
            key: meta[key] for key in ("model", "data", "lr", "init") if key in meta
        }
        base = TraceSetup(folder=str(self.path.parent.resolve()))
        return self.setup(base, values, self.key_line)

    def setup(self, base: TraceSetup, values: dict, line_of) -> TraceSetup | None:
        """``base`` changed by ``values`` (model, data, lr, init, run, standardize)."""
        try:
            return base.changed(values)
        except LessonTextError as error:
            self.problem(line_of(error.key), str(error))
            return None

    # The body.

    def body(self, start: int, setup: TraceSetup) -> list[Step]:
        steps = []
        chunks = self.chunks(start)
        view = "numbers"
        for title, line, parts in chunks:
            step = self.step(title, line, parts, setup, view)
            if step is not None:
                steps.append(step)
                setup, view = step.setup, step.view
        return steps

    def chunks(self, start: int):
        """``(title, line, parts)`` per ``## `` heading; parts are text or blocks."""
        chunks: list = []
        fence = None
        for index in range(start - 1, len(self.lines)):
            line = self.lines[index]
            number = index + 1
            if fence is not None:
                if line.strip() == "```":
                    if fence[0] in BLOCK_KINDS:
                        chunks[-1][2].append(("block", fence[0], fence[1], fence[2]))
                    else:
                        chunks[-1][2].append(("text", "\n".join(fence[2]) + "\n```"))
                    fence = None
                else:
                    fence[2].append(line)
                continue
            if line.startswith("## "):
                chunks.append((line[3:].strip(), number, []))
                continue
            if line.startswith("```"):
                if not chunks:
                    self.problem(number, "a block before the first `## ` step heading")
                    chunks.append(("", number, []))
                kind = line[3:].strip()
                fence = (kind, number, [] if kind in BLOCK_KINDS else [line])
                continue
            if not chunks:
                if line.strip():
                    self.problem(number, "text before the first `## ` step heading")
                    chunks.append(("", number, []))
                continue
            chunks[-1][2].append(("text", line))
        if fence is not None:
            self.problem(fence[1], f"the ```{fence[0]} block is never closed")
        return chunks

    def step(self, title, line, parts, setup: TraceSetup, view: str) -> Step | None:
        if not title:
            self.problem(line, "a step heading needs a title after `## `")
        text_lines, checkpoint, hints, timing, resets = [], None, [], None, False
        for part in parts:
            if part[0] == "text":
                text_lines.append(part[1])
                continue
            _, kind, start, body = part
            if kind == "hint":
                hints.append(("\n".join(body), start + 1))
                continue
            values = self.block_toml(kind, start, body)
            if values is None:
                continue
            if kind == "trace":
                if resets:
                    self.problem(start, "a step can set up the trace only once")
                view = self.view(values.pop("view", view), start, body)
                new = self.setup(
                    setup.restarted(), values, self.block_line(start, body)
                )
                setup, resets = (new, True) if new is not None else (setup, resets)
            elif kind == "timing":
                timing = self.timing(start, body, values)
            elif checkpoint is not None:
                self.problem(start, "a step can hold only one checkpoint")
            else:
                checkpoint = self.checkpoint(kind, start, body, values, setup)
        text = self.render("\n".join(text_lines), line + 1, setup)
        hints = tuple(self.render(hint, where, setup) for hint, where in hints)
        return Step(
            title, line, text.strip(), setup, resets, checkpoint, hints, timing, view
        )

    def view(self, view, start: int, body: list[str]) -> str:
        if view not in VIEWS:
            expected = ", ".join(VIEWS)
            where = self.block_line(start, body)("view")
            self.problem(where, f"view must be one of {expected}, got {view!r}")
            return "numbers"
        return view

    def block_toml(self, kind: str, start: int, body: list[str]) -> dict | None:
        try:
            return tomllib.loads("\n".join(body))
        except tomllib.TOMLDecodeError as error:
            where = start + _toml_line(error)
            self.problem(where, f"the ```{kind} block is not valid TOML: {error}")
            return None

    def block_line(self, start: int, body: list[str]):
        """A function from a key to its line inside the block starting at ``start``."""
        return lambda key: self.key_line(key, start, start + len(body))

    def render(self, text: str, first_line: int, setup: TraceSetup) -> str:
        """``text`` with placeholders filled in; problems named by their line."""
        try:
            return render(text, setup)
        except LessonTextError as error:
            self.problem(first_line + error.line - 1, str(error))
            return text

    def timing(self, start: int, body: list[str], values: dict) -> Timing | None:
        try:
            return Timing.from_values(values)
        except LessonTextError as error:
            self.problem(self.block_line(start, body)(error.key), str(error))
            return None

    def checkpoint(self, kind, start, body, values, setup) -> Checkpoint | None:
        line_of = self.block_line(start, body)
        allowed = {
            "question": {"ask", "choices", "explain"},
            "derive": {"ask", "model", "param"},
            "find": {"ask", "fact", "param", "at", "tolerance"},
        }[kind]
        for key in values:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.problem(
                    line_of(key), f"unknown key {key!r} in ```{kind}: {expected}"
                )
                return None
        if not isinstance(values.get("ask"), str):
            self.problem(start, f'the ```{kind} block needs ask = "the question"')
            return None
        ask = self.render(values["ask"], line_of("ask"), setup)
        if kind == "question":
            return self.question(start, line_of, values, ask, setup)
        if kind == "derive":
            return self.derivation(start, line_of, values, ask, setup)
        return self.find(start, line_of, values, ask, setup)

    def question(self, start, line_of, values, ask, setup) -> Checkpoint | None:
        choices = values.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            self.problem(line_of("choices"), "a question needs at least two choices")
            return None
        marked = [k for k, c in enumerate(choices) if str(c).startswith("*")]
        if len(marked) != 1:
            self.problem(
                line_of("choices"),
                f"a question needs exactly one correct choice (marked with a "
                f"leading *), found {len(marked)}",
            )
            return None
        where = line_of("choices")
        shown = tuple(
            self.render(str(c).lstrip("*").strip(), where, setup) for c in choices
        )
        explain = str(values.get("explain", ""))
        explain = self.render(explain, line_of("explain"), setup)
        return Checkpoint("question", ask, start, shown, marked[0], explain)

    def derivation(self, start, line_of, values, ask, setup) -> Checkpoint | None:
        model = values.get("model", setup.model)
        if model not in MODEL_NAMES:
            expected = ", ".join(MODEL_NAMES)
            self.problem(
                line_of("model"), f"unknown model {model!r}: expected {expected}"
            )
            return None
        params = ("w", "b") if model == "linear" else ("w", "w_j", "b")
        param = values.get("param")
        if param not in params:
            expected = ", ".join(params)
            self.problem(
                line_of("param"), f"param must be one of {expected}, got {param!r}"
            )
            return None
        return Checkpoint("derive", ask, start, model=model, param=param)

    def find(self, start, line_of, values, ask, setup) -> Checkpoint | None:
        fact = values.get("fact")
        if fact not in FACTS:
            expected = ", ".join(FACTS)
            self.problem(line_of("fact"), f"unknown fact {fact!r}: expected {expected}")
            return None
        tolerance = values.get("tolerance", 0.02)
        checkpoint = Checkpoint(
            "find",
            ask,
            start,
            param=str(values.get("param", "")),
            fact=fact,
            at=values.get("at", 0),
            tolerance=tolerance,
        )
        try:
            check_fact(setup, fact, checkpoint.param, checkpoint.at)
            if self.thorough:
                compute_fact(setup, fact, checkpoint.param, checkpoint.at)
        except LessonTextError as error:
            self.problem(line_of(error.key or "fact"), str(error))
            return None
        return checkpoint


def _toml_line(error: tomllib.TOMLDecodeError) -> int:
    found = _TOML_LINE.search(str(error))
    return int(found.group(1)) if found else 1
