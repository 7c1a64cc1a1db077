"""What a lesson is made of: steps, checkpoints, and the problems a file can have."""

from dataclasses import dataclass, field
from pathlib import Path

from tracer.errors import TracerError
from tracer.lesson_timing import Timing
from tracer.lesson_trace import TraceSetup, compute_fact


class LessonProblem(TracerError):
    """A lesson file that cannot be used as it is.

    Args:
        path: The lesson file.
        line: The 1-based line the problem is on.
        message: What is wrong and what was expected.
    """

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = Path(path)
        self.line = line
        self.problem = message


VIEWS = ("numbers", "picture", "loss")


@dataclass(frozen=True)
class Checkpoint:
    """Something the learner answers: a question, a derivation or a find.

    Attributes:
        kind: ``question``, ``derive`` or ``find``.
        ask: The question, rendered Markdown.
        line: Where the block starts in the file.
        choices: For a question, the choices as shown (rendered).
        correct: For a question, the index of the right choice.
        explain: Revealed once answered (rendered).
        model: For a derivation, the model whose gradient is asked for.
        param: For a derivation, ``w``, ``w_j`` or ``b``; for a find, the
            parameter a fact is about.
        fact: For a find, what to find (a key of `tracer.lesson_text.FACTS`).
        at: For a find, the iteration the fact is read at.
        tolerance: For a find, the relative error accepted for a number.
    """

    kind: str
    ask: str
    line: int
    choices: tuple[str, ...] = ()
    correct: int = -1
    explain: str = ""
    model: str = ""
    param: str = ""
    fact: str = ""
    at: int = 0
    tolerance: float = 0.02


@dataclass(frozen=True)
class Step:
    """One screen of a lesson.

    Attributes:
        title: The ``## `` heading.
        line: The heading's line in the file.
        text: The step's Markdown with placeholders filled in, blocks removed.
        setup: The trace this step shows: its own ``trace`` block, or the one
            the steps before it set up.
        resets: Whether the step has its own ``trace`` block, so arriving at it
            starts that trace afresh.
        checkpoint: What the learner answers here, if anything.
        hints: Rendered hints, shown one at a time on request.
        timing: A loop-against-matrix timing to run when the step is shown.
        view: What the trace side shows first: ``numbers``, ``picture`` (the
            data and the model) or ``loss`` (the loss curve).
    """

    title: str
    line: int
    text: str
    setup: TraceSetup
    resets: bool = False
    checkpoint: Checkpoint | None = None
    hints: tuple[str, ...] = ()
    timing: Timing | None = None
    view: str = "numbers"


@dataclass(frozen=True)
class Lesson:
    """A lesson read from its file.

    Attributes:
        id: Short name, e.g. ``mse``.
        title: One line.
        order: Position in the list of lessons.
        path: The file it was read from.
        objectives: What the learner can do afterwards, one line each.
        setup: The trace the lesson starts with.
        steps: The steps in order.
    """

    id: str
    title: str
    order: int
    path: Path
    objectives: tuple[str, ...]
    setup: TraceSetup
    steps: tuple[Step, ...] = field(default=())

    def answer(self, index: int) -> str:
        """The expected answer of step ``index``'s find checkpoint, as text."""
        step = self.steps[index]
        checkpoint = step.checkpoint
        assert checkpoint is not None and checkpoint.kind == "find"
        return compute_fact(
            step.setup, checkpoint.fact, checkpoint.param, checkpoint.at
        )
