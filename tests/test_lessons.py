"""Lesson files, their placeholders and facts, progress, and the lesson commands."""

import json
import os
import subprocess
import sys
import textwrap
from argparse import Namespace

import numpy as np
import pytest

from tracer.cli import main
from tracer.datasets import load
from tracer.derivation import derive
from tracer.lesson_text import render
from tracer.lesson_timing import Timing, time_gradients
from tracer.lesson_trace import TraceSetup, compute_fact, matches
from tracer.lessons import (
    check_file,
    check_paths,
    lesson_files,
    load_catalogue,
    read_lesson,
    shipped_dir,
)
from tracer.notation import unicode
from tracer.progress import Answer, Progress

GOOD = """\
+++
id = "tiny"
title = "A tiny lesson"
order = 50
model = "linear"
data = "line"
lr = 0.01
objectives = ["check the format"]
+++

## First

The loss is {{loss linear}}.

```question
ask = "Pick the right one."
choices = ["*right", "wrong"]
explain = "Because."
```

```hint
A hint with {{formula linear b sum}}.
```

## Second

```trace
lr = 0.02
run = 3
```

```find
ask = "How many steps?"
fact = "steps"
```
"""


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    """Progress goes to a fresh folder; no teacher's lessons leak in."""
    monkeypatch.setenv("TRACER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRACER_LESSONS", raising=False)


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path, text):
    found = check_file(write(tmp_path, "bad.md", text))
    assert isinstance(found, list), "expected problems"
    return [(p.line, p.problem) for p in found]


# The shipped lessons.


def test_every_shipped_lesson_validates():
    files = lesson_files(shipped_dir())
    count, problems = check_paths([str(path) for path in files])
    assert problems == []
    assert count == len(files) >= 11


def test_shipped_lessons_are_numbered_once_each_and_short():
    lessons = load_catalogue(warn=lambda _: None).lessons
    assert [lesson.order for lesson in lessons] == list(range(1, len(lessons) + 1))
    assert len({lesson.id for lesson in lessons}) == len(lessons)
    for lesson in lessons:
        assert 3 <= len(lesson.steps) <= 12, lesson.id
        assert lesson.objectives


def test_shipped_lessons_type_no_formula_and_every_placeholder_renders():
    for path in lesson_files(shipped_dir()):
        lesson = read_lesson(path)
        for step in lesson.steps:
            texts = [step.text, *step.hints]
            if step.checkpoint:
                texts += [step.checkpoint.ask, step.checkpoint.explain]
            assert not any("{{" in text for text in texts), (path, step.title)


def test_shipped_lessons_cover_every_kind_of_step():
    steps = [s for lesson in load_catalogue().lessons for s in lesson.steps]
    kinds = {s.checkpoint.kind for s in steps if s.checkpoint}
    assert kinds == {"question", "derive", "find"}
    assert any(s.timing for s in steps)
    assert any(s.resets for s in steps)


# Bad lesson files, each problem at its line.


def test_a_missing_key_is_reported_at_the_front_matter(tmp_path):
    text = GOOD.replace('title = "A tiny lesson"\n', "")
    assert problems_of(tmp_path, text) == [
        (1, "front matter is missing the key 'title'")
    ]


def test_an_unknown_model_is_reported_at_its_line(tmp_path):
    text = GOOD.replace('model = "linear"', 'model = "quadratic"')
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 5
    assert "unknown model 'quadratic'" in problem


def test_an_unknown_data_set_is_reported_at_its_line(tmp_path):
    text = GOOD.replace('data = "line"', 'data = "lines"')
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 6
    assert "'lines'" in problem


def test_data_that_does_not_suit_the_model_is_reported(tmp_path):
    text = GOOD.replace('data = "line"', 'data = "plane"')
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 6 and "one feature" in problem


@pytest.mark.parametrize(
    ("choices", "count"), [('["right", "wrong"]', 0), ('["*right", "*wrong"]', 2)]
)
def test_a_question_needs_exactly_one_correct_choice(tmp_path, choices, count):
    text = GOOD.replace('["*right", "wrong"]', choices)
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 17
    assert f"exactly one correct choice (marked with a leading *), found {count}" in (
        problem
    )


def test_an_unknown_placeholder_is_reported_at_its_line(tmp_path):
    text = GOOD.replace("## Second\n", "## Second\n\nSee {{formla linear w sum}}.\n")
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 27
    assert "unknown placeholder {{formla linear w sum}}" in problem


@pytest.mark.parametrize(
    ("placeholder", "words"),
    [
        ("{{formula linear w_j sum}}", "no parameter 'w_j'"),
        ("{{formula linear w diagonal}}", "unknown form 'diagonal'"),
        ("{{loss ridge}}", "unknown model 'ridge'"),
        ("{{factor logistic b 9}}", "the chain has 4 factors"),
        ("{{value steps-ish}}", "unknown fact 'steps-ish'"),
    ],
)
def test_a_malformed_placeholder_says_what_is_wrong(tmp_path, placeholder, words):
    text = GOOD.replace("{{loss linear}}", placeholder)
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 13 and words in problem


def test_block_problems_are_reported_at_their_lines(tmp_path):
    text = GOOD.replace('fact = "steps"', 'fact = "steps"\nat = "x"\nwhat = 1')
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 36 and "unknown key 'what'" in problem
    text = GOOD.replace("run = 3", "run = 3\ninit = [1, 2, 3]")
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 30 and "init needs 2 numbers" in problem
    text = GOOD.replace('fact = "steps"', 'fact = "sign"\nparam = "w_1"')
    [(line, problem)] = problems_of(tmp_path, text)
    assert line == 35 and "'w_1' is not a parameter here" in problem


def test_structure_problems(tmp_path):
    unclosed = GOOD.rsplit("```", 1)[0]
    assert problems_of(tmp_path, unclosed) == [
        (32, "the ```find block is never closed")
    ]
    two = GOOD.replace("## Second\n", "")
    assert problems_of(tmp_path, two) == [(31, "a step can hold only one checkpoint")]
    bad_toml = GOOD.replace('ask = "How many steps?"', "ask = How many")
    [(line, problem)] = problems_of(tmp_path, bad_toml)
    assert line == 33 and "not valid TOML" in problem
    assert problems_of(tmp_path, "# no front matter\n")[0][0] == 1


def test_a_good_file_reads_with_its_steps_and_trace(tmp_path):
    lesson = read_lesson(write(tmp_path, "good.md", GOOD))
    first, second = lesson.steps
    assert first.checkpoint.correct == 0 and first.checkpoint.choices == (
        "right",
        "wrong",
    )
    assert second.resets and second.setup.lr == 0.02 and second.setup.run == 3
    assert first.setup.lr == 0.01 and not first.resets
    assert "`J = (1/n) Σ (w x_i + b − y_i)²`" in first.text


# Placeholders come from SymPy, facts from the data.


def test_placeholders_print_sympys_own_results():
    linear = derive("linear")
    assert render("{{formula linear w sum}}") == (
        f"`∂J/∂w = {unicode(linear.partial('w').sum_form)}`"
    )
    logistic = derive("logistic").partial("w_j")
    assert render("{{formula logistic w vector}}") == (
        f"`∂J/∂w = {unicode(logistic.vector)}`"
    )
    assert render("{{prediction multivariate}}") == "`ŷ_i = w·x_i + b`"
    steps = render("{{formula linear w steps}}")
    assert steps.startswith("`∂J/∂w = Σ ∂J/∂L_i · ∂L_i/∂ŷ_i · ∂ŷ_i/∂w = ")
    assert "\\frac" in render("{{formula linear b sum latex}}")


def test_facts_agree_with_a_plain_numpy_loop():
    data = load("line")
    x, y = data.X[:, 0], data.y
    setup = TraceSetup(lr=0.016, init=(0.0, 0.0))

    # J and the sign of ∂J/∂w at θ = 0, from the definitions.
    assert compute_fact(setup, "loss", at=0) == f"{np.mean(y**2):.4g}"
    assert compute_fact(setup, "sign", "w", 0) == "−"

    # Steps until ‖∇J‖ < 1e-6, counted by a loop written here.
    w = b = 0.0
    steps = 0
    while True:
        residual = w * x + b - y
        grad = np.array([2 * np.mean(residual * x), 2 * np.mean(residual)])
        w, b = w - 0.016 * grad[0], b - 0.016 * grad[1]
        steps += 1
        if np.linalg.norm(grad) < 1e-6:
            break
    assert compute_fact(setup, "steps") == str(steps)
    assert compute_fact(setup, "status") == "converged"


def test_matching_a_learners_reading():
    assert matches("2299", "2299", 0) and not matches("2299", "2298", 0)
    assert matches("147.8", "147.79", 0.02) and not matches("147.8", "140", 0.02)
    assert matches("5.407×10⁻⁵", "5.4e-5", 0.02)
    assert matches("−", "-", 0) and matches("+", "positive", 0)
    assert matches("diverged", " Diverged ", 0) and not matches("diverged", "no", 0)


def test_the_timing_computes_the_same_gradient_both_ways():
    result = time_gradients(Timing(n=500, d=3))
    assert result.gap < 1e-9
    assert result.loop_seconds > 0 and result.matrix_seconds > 0
    assert "n = 500 samples, d = 3 features" in result.markdown()


# Progress.


def test_progress_survives_a_restart(tmp_path):
    progress = Progress()
    progress.at_step("mse", 2)
    progress.answer("mse", 2, Answer("2", True))
    progress.complete_step("mse", 1)
    again = Progress()
    entry = again.of("mse")
    assert entry.step == 2 and entry.done == {1}
    assert entry.answers[2] == Answer("2", True)
    assert not again.warning
    leftovers = [p.name for p in again.path.parent.iterdir()]
    assert leftovers == ["progress.json"]


def test_a_corrupt_progress_file_is_set_aside_and_reported(tmp_path):
    path = tmp_path / "data" / "progress.json"
    path.parent.mkdir()
    path.write_text('{"version": 1, "lessons": {"mse": {"step": ', encoding="utf-8")
    (tmp_path / "data" / "notes.txt").write_text("keep me")
    progress = Progress()
    assert "could not be read" in progress.warning
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1
    assert aside[0].read_text().startswith('{"version": 1')
    assert (tmp_path / "data" / "notes.txt").read_text() == "keep me"
    progress.at_step("mse", 1)
    assert Progress().of("mse").step == 1


def test_resume_prefers_the_lesson_last_worked_in():
    progress = Progress()
    ids = ["a", "b", "c", "d"]
    assert progress.resume(ids) == "a"
    progress.finish("a")
    assert progress.resume(ids) == "b"
    progress.at_step("d", 3)
    assert progress.resume(ids) == "d"
    for lesson_id in ids:
        progress.finish(lesson_id)
    assert progress.resume(ids) is None


# The commands.


def test_lessons_check_reports_file_line_problems(tmp_path, capsys):
    bad = write(tmp_path, "bad.md", GOOD.replace('["*right", "wrong"]', '["a", "b"]'))
    good = write(tmp_path, "good.md", GOOD)
    assert main(["lessons", "--check", str(bad), str(good)]) == 2
    out = capsys.readouterr()
    assert f"{bad}:17: a question needs exactly one correct choice" in out.out
    assert main(["lessons", "--check", str(good)]) == 0
    assert main(["lessons", "--check"]) == 0


def test_a_broken_teachers_lesson_is_skipped_with_a_warning(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder, "good.md", GOOD)
    write(folder, "bad.md", GOOD.replace('model = "linear"', 'model = "nope"'))
    monkeypatch.setenv("TRACER_LESSONS", str(folder))
    warnings = []
    catalogue = load_catalogue(warn=warnings.append)
    assert "tiny" in [lesson.id for lesson in catalogue.lessons]
    assert len(warnings) == 1 and "bad.md:5" in warnings[0]


def test_lessons_lists_with_progress(tmp_path, capsys):
    Progress().at_step("learning-rate", 2)
    Progress().finish("mse")
    args = Namespace(command="lessons", check=None, lessons_dir=None, id=None)
    from tracer.lesson_commands import lesson_command

    assert lesson_command(args) == 0
    out = capsys.readouterr().out
    assert "mse" in out and "done" in out and "step 3 of" in out


def test_an_unknown_lesson_is_a_usage_error(capsys):
    assert main(["lesson", "no-such-lesson"]) == 2
    assert "no lesson 'no-such-lesson'" in capsys.readouterr().err


def test_the_lesson_modules_import_without_textual():
    code = (
        "import sys, tracer.lessons, tracer.lesson_text, tracer.lesson_timing,"
        " tracer.progress, tracer.lesson_commands; print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert result.stdout.strip() == "False", result.stderr


def test_progress_is_plain_json(tmp_path):
    Progress().answer("mse", 0, Answer("", False, True))
    data = json.loads((tmp_path / "data" / "progress.json").read_text())
    assert data["lessons"]["mse"]["answers"]["0"]["skipped"] is True
