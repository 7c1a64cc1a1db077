"""The lesson screen, driven by Textual's Pilot: walk, answer, skip, resume."""

import asyncio
import functools

import pytest
from textual.widgets import Input, Markdown, OptionList, Static

from tracer.lessons import load_catalogue
from tracer.progress import Progress
from tracer.ui.screens.lesson import LessonApp, LessonScreen


def pilot_test(test):
    """Run an async Pilot test with asyncio (no async plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRACER_LESSONS", raising=False)


async def settle(pilot, app):
    """Wait until the workers (trace set-up, judging, timing) are done."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


# What a learner who got it right might type, per (model, parameter).
DERIVATIONS = {
    ("linear", "w"): "2/n sum((w x_i + b - y_i) x_i)",
    ("linear", "b"): "2/n sum(w x_i + b - y_i)",
    ("logistic", "b"): "1/n sum(sigmoid(z_i) - y_i)",
    ("logistic", "w_j"): "1/n sum((sigmoid(z_i) - y_i) x_ij)",
}


async def answer_checkpoint(pilot, screen) -> None:
    """Answer the checkpoint on screen correctly, as a learner would type it."""
    checkpoint = screen.step.checkpoint
    if checkpoint.kind == "question":
        choices = screen.query_one(OptionList)
        assert screen.focused is choices
        for _ in range(checkpoint.correct):
            await pilot.press("down")
        await pilot.press("enter")
    elif checkpoint.kind == "find":
        await pilot.press("a")
        assert isinstance(screen.focused, Input)
        shown = screen.lesson.answer(screen.index)  # as the screen prints it
        typed = shown.replace("−", "-").replace("×10⁻", "e-")
        typed = typed.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
        await pilot.press(*typed, "enter")
    else:
        typed = DERIVATIONS[(checkpoint.model, checkpoint.param)]
        await pilot.press("a", *typed, "enter")
    await settle(pilot, screen.app)
    feedback = str(screen.query_one("#feedback", Static).render())
    where = (screen.lesson.id, screen.index, screen.step.title)
    assert feedback.startswith("✓"), (where, feedback)


@pilot_test
async def test_walk_lesson_one_from_start_to_end():
    app = LessonApp(LessonScreen("mse"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        steps = len(screen.lesson.steps)
        for index in range(steps):
            assert screen.index == index
            if screen.step.checkpoint is not None:
                await pilot.press("n")  # refused: not answered yet
                assert screen.index == index
                await answer_checkpoint(pilot, screen)
            await pilot.press("n")
            await settle(pilot, app)
        assert screen.complete
        assert "finished" in str(screen.query_one("#lesson-head", Static).render())

    entry = Progress().of("mse")
    assert entry.finished
    assert entry.done == set(range(steps))
    checkpoints = [k for k, s in enumerate(screen.lesson.steps) if s.checkpoint]
    assert sorted(entry.answers) == checkpoints
    assert all(answer.correct for answer in entry.answers.values())


@pilot_test
async def test_the_trace_follows_the_steps_and_the_keys():
    app = LessonApp(LessonScreen("learning-rate"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert screen.session.trace.lr == 0.001 and screen.session.k == 10
        await pilot.press("right")
        assert screen.session.k == 11
        await pilot.press("left", "left")
        assert screen.session.k == 9
        await pilot.press("s")  # skip the find; the answer is revealed
        await settle(pilot, app)
        assert screen.index == 1 and screen.session.trace.lr == 0.01
        await pilot.press("p")
        feedback = str(screen.query_one("#feedback", Static).render())
        assert feedback.startswith("Skipped. The answer: ")
        await pilot.press("n", "n")
        await settle(pilot, app)
        assert screen.index == 1  # the question here is still open
    assert Progress().of("learning-rate").answers[0].skipped


@pilot_test
async def test_hints_come_one_at_a_time_and_stay():
    app = LessonApp(LessonScreen("one-step"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        await pilot.press("n")
        await settle(pilot, app)
        hints = screen.query_one("#hints", Markdown)
        assert not hints.display or hints.has_class("-hidden")
        await pilot.press("h")
        assert screen.hints_shown[screen.key] == 1
        await answer_checkpoint(pilot, screen)
        await pilot.press("n", "p")
        await settle(pilot, app)
        assert not hints.has_class("-hidden")
        assert "Hint 1." in hints.source


@pilot_test
async def test_a_typed_derivation_is_judged():
    app = LessonApp(LessonScreen("chain-rule"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        while screen.step.checkpoint is None or screen.step.checkpoint.kind != "derive":
            await pilot.press("s")
            await settle(pilot, app)
        await pilot.press("a")
        assert isinstance(screen.focused, Input)
        await pilot.press(*"1/n sum((w x_i + b - y_i) x_i)", "enter")
        await settle(pilot, app)
        feedback = str(screen.query_one("#feedback", Static).render())
        assert feedback.startswith("✗")
        assert screen.focused is None
        screen.query_one(Input).value = ""
        await pilot.press("a", *"2/n sum((w x_i + b - y_i) x_i)", "enter")
        await settle(pilot, app)
        feedback = str(screen.query_one("#feedback", Static).render())
        assert feedback.startswith("✓")
        index = screen.index
    assert Progress().of("chain-rule").answers[index].correct


@pilot_test
async def test_stopping_mid_lesson_resumes_there_next_time():
    app = LessonApp(LessonScreen("mse"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("q")
    app = LessonApp(LessonScreen("learning-rate"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("s", "s")
        await settle(pilot, app)
        assert app.screen.index == 2
        await pilot.press("q")

    # Another day: no lesson named, and the catalogue read afresh.
    catalogue = load_catalogue(warn=lambda _: None)
    app = LessonApp(LessonScreen(None, catalogue=catalogue))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.screen.lesson.id == "learning-rate"
        assert app.screen.index == 2


@pilot_test
async def test_a_corrupt_progress_file_is_reported_in_the_ui(tmp_path):
    path = tmp_path / "data" / "progress.json"
    path.parent.mkdir()
    path.write_text("not json")
    app = LessonApp(LessonScreen("sigmoid"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert any("could not be read" in n.message for n in app._notifications)
    assert Progress().of("sigmoid").step == 0


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pilot_test
async def test_small_terminals_still_work(size):
    app = LessonApp(LessonScreen("vectorization"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        for _ in range(3):
            await pilot.press("s")
            await settle(pilot, app)
        assert app.screen.step.timing is not None
        timing = app.screen.query_one("#timing", Markdown)
        assert "faster" in timing.source


@pilot_test
async def test_the_lesson_list_opens_another_lesson():
    app = LessonApp(LessonScreen("mse"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("o")
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        assert app.screen.lesson.id == "one-step"
        assert app.screen.index == 0
        await pilot.press("o", "escape")
        assert app.screen.lesson.id == "one-step"


@pilot_test
async def test_opened_over_the_trace_screen_q_goes_back_to_it():
    from tracer.ui.app import TracerApp
    from tracer.ui.screens.trace import TraceScreen

    app = TracerApp("linear")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await app.push_screen(LessonScreen())
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, TraceScreen)


@pilot_test
async def test_every_lesson_can_be_walked_answering_what_the_screen_shows():
    catalogue = load_catalogue(warn=lambda _: None)
    for lesson in catalogue.lessons:
        app = LessonApp(LessonScreen(lesson.id, catalogue=catalogue))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            screen = app.screen
            for _ in lesson.steps:
                if screen.step.checkpoint is not None:
                    await answer_checkpoint(pilot, screen)
                await pilot.press("n")
                await settle(pilot, app)
            assert screen.complete, lesson.id


@pilot_test
async def test_a_progress_folder_that_cannot_be_written_is_reported(
    tmp_path, monkeypatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("TRACER_DATA_DIR", str(blocker / "data"))
    app = LessonApp(LessonScreen("mse"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("n", "n")
        await settle(pilot, app)
        assert app.screen.index == 2
        titles = [n.title for n in app._notifications]
        assert titles.count("Progress not saved") == 1


@pilot_test
async def test_an_unknown_lesson_asked_for_in_the_ui_opens_the_first():
    app = LessonApp(LessonScreen("no-such-lesson"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.screen.lesson.id == "mse"
        assert any("no lesson" in n.message for n in app._notifications)
