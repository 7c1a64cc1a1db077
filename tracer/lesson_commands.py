"""``tracer lesson`` and ``tracer lessons``: open, list and check lessons."""

import argparse
import sys

from tracer.lessons import (
    Catalogue,
    check_paths,
    extra_dirs,
    lesson_files,
    lesson_id,
    load_catalogue,
    shipped_dir,
)
from tracer.progress import Progress


def lesson_command(args: argparse.Namespace) -> int:
    """Run ``tracer lesson`` or ``tracer lessons``; returns the exit status.

    Raises:
        TracerError: A named lesson does not exist, or progress cannot be saved.
    """
    if args.command == "lessons" and args.check is not None:
        return check_command(args.check, args.lessons_dir)
    progress = Progress()
    if args.command == "lessons":
        if progress.warning:
            print(f"tracer: warning: {progress.warning}", file=sys.stderr)
        print("\n".join(listing(load_catalogue(args.lessons_dir), progress)))
        return 0
    # Only the name is checked here; the lesson screen reads the lessons (and
    # SymPy derives their formulas) while its first frame is already up.
    name = None if args.id is None else lesson_id(args.id, args.lessons_dir)
    from tracer.ui.screens.lesson import run_lesson

    run_lesson(name, args.lessons_dir, progress=progress)
    return 0


def listing(catalogue: Catalogue, progress: Progress) -> list[str]:
    """One line per lesson: number, id, title and how far the learner got."""
    rows = []
    width = max(len(lesson.id) for lesson in catalogue.lessons)
    for lesson in catalogue.lessons:
        entry = progress.lessons.get(lesson.id)
        if entry is None or not entry.started:
            state = "not started"
        elif entry.finished:
            state = "done"
        else:
            state = f"step {entry.step + 1} of {len(lesson.steps)}"
        rows.append(
            f"{lesson.order:>3}  {lesson.id:<{width}}  {state:<14}{lesson.title}"
        )
    rows.append("")
    rows.append("Open one with `tracer lesson ID` (or its number);")
    rows.append("`tracer lesson` resumes where you stopped.")
    return rows


def check_command(paths: list[str], lessons_dir: str | None) -> int:
    """Check lesson files; print ``file:line: problem`` lines.

    Without paths, checks the shipped lessons and every teacher's folder.

    Returns:
        0 when every file is valid, 2 when any has a problem.
    """
    if not paths:
        folders = [shipped_dir(), *extra_dirs(lessons_dir)]
        paths = [str(path) for folder in folders for path in lesson_files(folder)]
    count, problems = check_paths(paths)
    for problem in problems:
        print(problem)
    files = len({problem.path for problem in problems})
    if problems:
        print(
            f"{len(problems)} problem(s) in {files} file(s); {count} lesson(s) valid",
            file=sys.stderr,
        )
        return 2
    print(f"{count} lesson(s) valid")
    return 0
