"""Lessons: where they are found, and the catalogue a learner chooses from.

The shipped lessons live in ``lessons/`` (packed into the wheel as
``tracer/_lessons``); a teacher adds folders with ``--lessons-dir`` or the
``TRACER_LESSONS`` environment variable. A file is read by
`tracer.lesson_reader`; what it holds is described in `tracer.lesson_steps`.
"""

import os
import sys
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tracer.errors import UsageError
from tracer.lesson_reader import check_file, read_lesson
from tracer.lesson_steps import Checkpoint, Lesson, LessonProblem, Step

ENV_VAR = "TRACER_LESSONS"


# Finding lessons.


def shipped_dir() -> Path:
    """The lessons that come with tracer: ``lessons/`` in a checkout, or the
    copy packed into the wheel."""
    packed = resources.files("tracer") / "_lessons"
    if packed.is_dir():
        return Path(str(packed))
    return Path(__file__).resolve().parent.parent / "lessons"


def extra_dirs(lessons_dir: str | None = None) -> list[Path]:
    """Teachers' folders: ``--lessons-dir``, then each folder in TRACER_LESSONS."""
    folders = [lessons_dir] if lessons_dir else []
    folders += [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return [Path(folder) for folder in folders]


def lesson_files(folder: Path) -> list[Path]:
    """The ``*.md`` lesson files in ``folder``, by name."""
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


@dataclass
class Catalogue:
    """Every lesson that could be read, in order, and warnings about the rest.

    Attributes:
        lessons: Sorted by ``order``, then id.
        warnings: One line per teacher's lesson skipped, with its problem.
    """

    lessons: list[Lesson]
    warnings: list[str]

    def find(self, name: str) -> Lesson:
        """The lesson whose id is ``name``, or whose order number it is.

        Raises:
            UsageError: No lesson has that id or number.
        """
        for lesson in self.lessons:
            if name in (lesson.id, str(lesson.order)):
                return lesson
        ids = ", ".join(lesson.id for lesson in self.lessons)
        raise UsageError(
            f"no lesson {name!r}; the lessons are {ids}",
            "Run `tracer lessons` to list them with their numbers.",
        )

    def after(self, lesson: Lesson) -> Lesson | None:
        """The lesson that follows ``lesson``, or None for the last."""
        index = self.lessons.index(lesson)
        return self.lessons[index + 1] if index + 1 < len(self.lessons) else None


def lesson_id(name: str, lessons_dir: str | None = None) -> str:
    """The id of the lesson called ``name`` (an id or an order number), quickly.

    Only front matter is read, so this answers before SymPy is loaded; a file
    whose front matter cannot be read is left to `load_catalogue` to report.

    Raises:
        UsageError: No lesson has that id or number.
    """
    known = []
    for folder in [shipped_dir(), *extra_dirs(lessons_dir)]:
        for path in lesson_files(folder) if folder.is_dir() else []:
            meta = front_matter(path)
            if "id" in meta:
                known.append(str(meta["id"]))
                if name in (str(meta["id"]), str(meta.get("order"))):
                    return str(meta["id"])
    raise UsageError(
        f"no lesson {name!r}; the lessons are {', '.join(known)}",
        "Run `tracer lessons` to list them with their numbers.",
    )


def front_matter(path: Path) -> dict:
    """The TOML between the first two ``+++`` lines, or {} if it cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        end = lines.index("+++", 1) if lines and lines[0] == "+++" else 0
        return tomllib.loads("\n".join(lines[1:end])) if end else {}
    except (OSError, UnicodeDecodeError, ValueError):
        return {}


def load_catalogue(lessons_dir: str | None = None, warn=None) -> Catalogue:
    """Read the shipped lessons and every teacher's folder.

    A teacher's lesson with a problem is skipped with a warning, never an error;
    so is one whose id is already taken. ``warn`` (default: print to stderr)
    receives each warning as well.

    Raises:
        LessonProblem: A shipped lesson is broken (a bug in tracer itself).
    """
    warn = warn or (lambda text: print(f"tracer: warning: {text}", file=sys.stderr))
    lessons = [read_lesson(path) for path in lesson_files(shipped_dir())]
    seen = {lesson.id for lesson in lessons}
    warnings = []
    for folder in extra_dirs(lessons_dir):
        if not folder.is_dir():
            warnings.append(f"lesson folder {folder} does not exist; skipped")
            continue
        for path in lesson_files(folder):
            found = check_file(path)
            if isinstance(found, list):
                warnings.append(f"skipped lesson {found[0]}")
            elif found.id in seen:
                warnings.append(f"skipped lesson {path}: the id {found.id!r} is taken")
            else:
                seen.add(found.id)
                lessons.append(found)
    for text in warnings:
        warn(text)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    return Catalogue(lessons, warnings)


def check_paths(paths: list[str]) -> tuple[int, list[LessonProblem]]:
    """Check lesson files and folders: ``(lessons read, problems found)``."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files += lesson_files(path) if path.is_dir() else [path]
    problems, count = [], 0
    for path in files:
        found = check_file(path, thorough=True)
        if isinstance(found, list):
            problems += found
        else:
            count += 1
    return count, problems


__all__ = [
    "Catalogue",
    "Checkpoint",
    "Lesson",
    "LessonProblem",
    "Step",
    "check_file",
    "check_paths",
    "lesson_id",
    "load_catalogue",
    "read_lesson",
]
