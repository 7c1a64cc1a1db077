"""A learner's progress through the lessons, kept in one JSON file.

The file lives in the platform's data folder (``TRACER_DATA_DIR`` overrides it)
and is written atomically: a temporary file in the same folder, then
``os.replace``. A file that cannot be read is renamed aside, reported once, and
progress starts afresh; nothing else is touched.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from tracer.files import write_atomically

ENV_VAR = "TRACER_DATA_DIR"
FILE_NAME = "progress.json"
VERSION = 1


def data_dir() -> Path:
    """``TRACER_DATA_DIR``, or the platform's per-user data folder for tracer."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_data_path("tracer")


@dataclass
class Answer:
    """What the learner did at one checkpoint.

    Attributes:
        given: The text typed or the choice picked; empty when skipped.
        correct: Whether it was judged right.
        skipped: Whether the learner moved on without answering.
    """

    given: str = ""
    correct: bool = False
    skipped: bool = False


@dataclass
class LessonProgress:
    """One lesson's progress.

    Attributes:
        step: The step the learner is on (0-based).
        done: Steps the learner has moved past.
        answers: Checkpoint answers by step index.
        finished: Whether the last step was completed.
        touched: When the learner last moved in this lesson (Unix time).
    """

    step: int = 0
    done: set[int] = field(default_factory=set)
    answers: dict[int, Answer] = field(default_factory=dict)
    finished: bool = False
    touched: float = 0.0

    @property
    def started(self) -> bool:
        """Whether the learner has done anything in this lesson."""
        return bool(self.done or self.answers or self.step or self.finished)

    def to_json(self) -> dict:
        return {
            "step": self.step,
            "done": sorted(self.done),
            "answers": {str(k): vars(a) for k, a in sorted(self.answers.items())},
            "finished": self.finished,
            "touched": self.touched,
        }

    @classmethod
    def from_json(cls, data: dict) -> "LessonProgress":
        return cls(
            step=int(data.get("step", 0)),
            done={int(k) for k in data.get("done", [])},
            answers={
                int(k): Answer(str(a["given"]), bool(a["correct"]), bool(a["skipped"]))
                for k, a in data.get("answers", {}).items()
            },
            finished=bool(data.get("finished", False)),
            touched=float(data.get("touched", 0.0)),
        )


class Progress:
    """Every lesson's progress, saved after each change.

    Args:
        path: The JSON file; by default ``progress.json`` in `data_dir`.

    Attributes:
        lessons: Progress by lesson id.
        warning: Set when the file was corrupt and set aside: what happened.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / FILE_NAME
        self.lessons: dict[str, LessonProgress] = {}
        self.warning = ""
        self._read()

    def _read(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as error:
            self.warning = f"cannot read lesson progress {self.path}: {error}"
            return
        try:
            data = json.loads(text)
            if data.get("version") != VERSION:
                raise ValueError(f"unknown version {data.get('version')!r}")
            self.lessons = {
                str(name): LessonProgress.from_json(entry)
                for name, entry in data["lessons"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            self._set_aside(error)

    def _set_aside(self, error: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError:
            aside = self.path
        self.lessons = {}
        self.warning = (
            f"lesson progress in {self.path} could not be read ({error}); "
            f"it was moved to {aside.name} and progress starts afresh"
        )

    def of(self, lesson_id: str) -> LessonProgress:
        """The progress of ``lesson_id`` (created empty if new, not saved yet)."""
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def at_step(self, lesson_id: str, step: int) -> None:
        """Remember that the learner is on ``step`` of ``lesson_id``."""
        entry = self.of(lesson_id)
        entry.step = step
        entry.touched = time.time()
        self.save()

    def complete_step(self, lesson_id: str, step: int) -> None:
        """Mark ``step`` done."""
        self.of(lesson_id).done.add(step)
        self.save()

    def answer(self, lesson_id: str, step: int, answer: Answer) -> None:
        """Keep the learner's answer at ``step``."""
        self.of(lesson_id).answers[step] = answer
        self.save()

    def finish(self, lesson_id: str) -> None:
        """Mark the lesson finished."""
        entry = self.of(lesson_id)
        entry.finished = True
        entry.touched = time.time()
        self.save()

    def reset(self, lesson_id: str) -> None:
        """Forget ``lesson_id``'s progress."""
        self.lessons.pop(lesson_id, None)
        self.save()

    def save(self) -> None:
        """Write the file atomically.

        Raises:
            TracerError: The data folder cannot be written.
        """
        data = {
            "version": VERSION,
            "lessons": {k: v.to_json() for k, v in sorted(self.lessons.items())},
        }
        text = json.dumps(data, indent=1, ensure_ascii=False)
        write_atomically(
            self.path, text, f"Set {ENV_VAR} to a folder you can write to."
        )

    def resume(self, lesson_ids: list[str]) -> str | None:
        """The lesson to open when none is named.

        The unfinished lesson the learner last worked in; else the first one
        not finished; None when every lesson is finished.
        """
        started = [
            (self.lessons[i].touched, i)
            for i in lesson_ids
            if i in self.lessons
            and self.lessons[i].started
            and not self.lessons[i].finished
        ]
        if started:
            return max(started)[1]
        for lesson_id in lesson_ids:
            entry = self.lessons.get(lesson_id)
            if entry is None or not entry.finished:
                return lesson_id
        return None
