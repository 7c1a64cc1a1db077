"""The lesson screen: a lesson's steps on the left, the trace it set up on the right.

Moving on from a checkpoint needs an answer, or an explicit skip; hints come one
at a time and stay once shown. Progress is saved at every move, so a lesson
opened again starts where the learner stopped.
"""

from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, OptionList, Static

from tracer.errors import TracerError
from tracer.lesson_timing import run_timing
from tracer.lesson_trace import TraceSetup
from tracer.lessons import Catalogue, Lesson, Step, load_catalogue
from tracer.progress import Answer, Progress
from tracer.ui.screens.lesson_checkpoint import Checkpoints, settled
from tracer.ui.screens.lesson_trace_side import TraceSide
from tracer.ui.session import Session
from tracer.ui.widgets.data_plot import DataPlot
from tracer.ui.widgets.loss_plot import LossPlot
from tracer.ui.widgets.numbers import NumbersPanel
from tracer.ui.widgets.status import StatusLine
from tracer.ui.widgets.update import UpdatePanel


class LessonScreen(Checkpoints, TraceSide, Screen):
    """One lesson, step by step, beside its live trace.

    Args:
        lesson_id: The lesson to open; None resumes the learner's last one.
        lessons_dir: A teacher's folder of extra lessons.
        catalogue: The lessons, when already read.
        progress: The learner's progress, when already read.
    """

    CSS_PATH = "../lesson.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]

    BINDINGS = [
        Binding("n", "next_step", "next", tooltip="The next lesson step"),
        Binding("p", "previous_step", "back", tooltip="The previous lesson step"),
        Binding("h", "hint", "hint", tooltip="Show a hint"),
        Binding("s", "skip", "skip", tooltip="Skip this checkpoint and move on"),
        Binding("a", "answer", "answer", tooltip="Type an answer"),
        Binding(
            "right",
            "iteration(1)",
            "iteration ±1",
            key_display="→←",
            priority=True,
            tooltip="The trace's next iteration",
        ),
        Binding(
            "left",
            "iteration(-1)",
            "iteration −1",
            key_display="←",
            show=False,
            priority=True,
            tooltip="The trace's previous iteration",
        ),
        Binding(
            "end",
            "run_to_end",
            "to end",
            priority=True,
            tooltip="Run the trace until it stops",
        ),
        Binding(
            "home",
            "iteration_zero",
            "iter 0",
            show=False,
            priority=True,
            tooltip="Back to iteration 0",
        ),
        Binding(
            "escape",
            "leave_box",
            "leave box",
            show=False,
            tooltip="Stop typing; the keys move the lesson again",
        ),
        Binding(
            "v", "view", "view", tooltip="Numbers, picture of the data, loss curve"
        ),
        Binding("o", "pick", "lessons", tooltip="List the lessons and open another"),
        Binding("q", "leave", "quit", tooltip="Leave the lesson; progress is kept"),
    ]

    def __init__(
        self,
        lesson_id: str | None = None,
        lessons_dir: str | None = None,
        catalogue: Catalogue | None = None,
        progress: Progress | None = None,
    ) -> None:
        super().__init__()
        self.requested = lesson_id
        self.lessons_dir = lessons_dir
        self.catalogue = catalogue
        self.progress = progress or Progress()
        self.lesson: Lesson | None = None
        self.index = 0
        self.complete = False
        self.session: Session | None = None
        self.shown_setup: TraceSetup | None = None
        self.hints_shown: dict[tuple[str, int], int] = {}
        self.timings: dict[tuple[str, int], str] = {}
        self.save_failed = False
        self.view = "numbers"
        if catalogue is not None:
            # A lesson named that does not exist is an error before the UI opens.
            self.choose(lesson_id)

    def choose(self, lesson_id: str | None) -> None:
        """Pick the lesson to show: ``lesson_id``, or the one to resume.

        Raises:
            UsageError: No lesson has that id or number.
        """
        if lesson_id is None:
            ids = [lesson.id for lesson in self.catalogue.lessons]
            lesson_id = self.progress.resume(ids) or ids[0]
        lesson = self.catalogue.find(lesson_id)
        entry = self.progress.of(lesson.id)
        self.lesson = lesson
        self.complete = entry.finished
        self.index = 0 if entry.finished else min(entry.step, len(lesson.steps) - 1)

    # The arrow, home and end keys move the trace, except in the answer box.
    TRACE_KEYS = {"iteration", "run_to_end", "iteration_zero"}

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if self.lesson is None:
            return action == "leave"
        if action in self.TRACE_KEYS and isinstance(self.focused, Input):
            return False
        return True

    # Layout.

    def compose(self) -> ComposeResult:
        yield Static("", id="lesson-head", markup=False)
        with Horizontal(id="lesson-body"):
            with VerticalScroll(id="lesson-text"):
                yield Markdown("", id="step-text")
                yield Markdown("", id="timing", classes="-hidden")
                with Vertical(id="checkpoint", classes="-hidden"):
                    yield Markdown("", id="ask")
                    yield OptionList(id="choices")
                    yield Input(id="answer", placeholder="type, then Enter")
                    yield Static("", id="feedback", markup=False)
                    yield Markdown("", id="explain")
                yield Markdown("", id="hints", classes="-hidden")
            with Vertical(id="lesson-trace"):
                yield NumbersPanel(id="lesson-numbers")
                yield DataPlot(id="lesson-picture")
                yield LossPlot(id="lesson-loss")
                yield UpdatePanel(id="lesson-update")
        yield StatusLine(id="lesson-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The app's stylesheet sizes panels for the trace screen; these two share
        # a column, so they are sized here, where the app's rules cannot win.
        for view in self.views.values():
            view.styles.height = "1fr"
        self.show_view("numbers")
        self.query_one(UpdatePanel).styles.height = 11
        if self.progress.warning:
            self.notify(self.progress.warning, title="Progress", severity="warning")
        if self.catalogue is None:
            self.query_one("#lesson-head", Static).update("Reading the lessons…")
            self.read_lessons()
        else:
            self.lessons_read(self.catalogue)

    @work(thread=True, group="lessons")
    def read_lessons(self) -> None:
        """Read the lessons off the UI thread: their formulas come from SymPy."""
        catalogue = load_catalogue(self.lessons_dir, warn=lambda _: None)
        self.app.call_from_thread(self.lessons_read, catalogue)

    def lessons_read(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        for warning in catalogue.warnings:
            self.notify(warning, title="Lessons", severity="warning", timeout=8)
        if self.lesson is None:
            try:
                self.choose(self.requested)
            except TracerError as error:
                self.notify(str(error), title="No such lesson", severity="error")
                self.choose(None)
        self.refresh_bindings()
        self.show_step()

    def remember(self, change: str, *args) -> None:
        """Save a change to the progress; a failure is shown once, not raised."""
        try:
            getattr(self.progress, change)(self.lesson.id, *args)
        except TracerError as error:
            if not self.save_failed:
                self.save_failed = True
                self.notify(str(error), title="Progress not saved", severity="error")

    @property
    def step(self) -> Step:
        """The step on screen."""
        return self.lesson.steps[self.index]

    @property
    def key(self) -> tuple[str, int]:
        return (self.lesson.id, self.index)

    @property
    def answer_given(self) -> Answer | None:
        return self.progress.of(self.lesson.id).answers.get(self.index)

    # Showing a step.

    def show_step(self) -> None:
        """Draw the current step and bring the trace it needs."""
        step = self.step
        self.remember("at_step", self.index)
        self.show_head()
        text = step.text
        if self.index == 0:
            goals = "\n".join(f"- {goal}" for goal in self.lesson.objectives)
            text = f"**In this lesson you will**\n\n{goals}\n\n---\n\n{text}"
        self.query_one("#step-text", Markdown).update(text)
        self.show_timing()
        self.show_checkpoint()
        self.show_hints()
        self.query_one("#lesson-text").scroll_home(animate=False)
        if step.view != self.view:
            self.show_view(step.view)
            self.show_trace()
        if self.shown_setup != step.setup or step.resets:
            self.load_trace(step.setup)
        if step.checkpoint is not None and step.checkpoint.kind == "find":
            self.work_out_answer(self.lesson, self.index)

    @work(thread=True, group="answer")
    def work_out_answer(self, lesson: Lesson, index: int) -> None:
        """Run the step's trace to the end now, so checking the answer is instant."""
        try:
            lesson.answer(index)
        except TracerError:
            pass  # reported when the learner answers

    def show_head(self) -> None:
        lesson, step = self.lesson, self.step
        done = "  ✓ finished" if self.complete else ""
        self.query_one("#lesson-head", Static).update(
            f"Lesson {lesson.order} · {lesson.title} · step {self.index + 1} of "
            f"{len(lesson.steps)}: {step.title}{done}"
        )

    def show_timing(self) -> None:
        timing = self.query_one("#timing", Markdown)
        timing.set_class(self.step.timing is None, "-hidden")
        if self.step.timing is None:
            return
        if self.key in self.timings:
            timing.update(self.timings[self.key])
        else:
            timing.update("*Timing the loop and the matrix product…*")
            self.time_it(self.key, self.step)

    @work(thread=True, group="timing")
    def time_it(self, key: tuple[str, int], step: Step) -> None:
        """Run the timing off the UI thread, then show it if still on that step."""
        result = run_timing(step.timing)
        self.app.call_from_thread(self.timed, key, result)

    def timed(self, key: tuple[str, int], result: str) -> None:
        self.timings[key] = result
        if key == self.key:
            self.query_one("#timing", Markdown).update(result)

    def show_hints(self) -> None:
        hints = self.query_one("#hints", Markdown)
        count = self.hints_shown.get(self.key, 0)
        hints.set_class(count == 0, "-hidden")
        shown = self.step.hints[:count]
        text = "\n\n".join(f"**Hint {k + 1}.** {hint}" for k, hint in enumerate(shown))
        hints.update(text)

    # Moving through the lesson.

    def action_next_step(self) -> None:
        """Go on, once the checkpoint here is answered or skipped."""
        checkpoint = self.step.checkpoint
        if checkpoint is not None and not settled(checkpoint.kind, self.answer_given):
            self.notify(
                "Answer the checkpoint first, or press s to skip it.",
                severity="warning",
            )
            return
        self.remember("complete_step", self.index)
        if self.index + 1 < len(self.lesson.steps):
            self.index += 1
            self.show_step()
            return
        if not self.complete:
            self.complete = True
            self.remember("finish")
            self.show_head()
            following = self.catalogue.after(self.lesson)
            where = (
                f" Press n for the next one: {following.title}."
                if following
                else " That was the last lesson."
            )
            self.notify("Lesson finished." + where, title="✓", timeout=8)
            return
        following = self.catalogue.after(self.lesson)
        if following is None:
            self.notify("That was the last lesson. Press q to leave.")
            return
        self.open_lesson(following)

    def open_lesson(self, lesson: Lesson) -> None:
        """Show ``lesson`` from where the learner left it."""
        self.choose(lesson.id)
        self.show_step()

    def action_previous_step(self) -> None:
        """Go back a step; answers and hints stay as they were."""
        if self.index > 0:
            self.index -= 1
            self.show_step()

    def action_hint(self) -> None:
        """Show the next hint of this step."""
        count = self.hints_shown.get(self.key, 0)
        if count >= len(self.step.hints):
            message = (
                "No hints for this step."
                if not self.step.hints
                else ("That was the last hint.")
            )
            self.notify(message)
            return
        self.hints_shown[self.key] = count + 1
        self.show_hints()
        text = self.query_one("#lesson-text", VerticalScroll)
        self.call_after_refresh(text.scroll_end, animate=False)

    def action_skip(self) -> None:
        """Skip the checkpoint here (the answer is shown), then go on."""
        checkpoint = self.step.checkpoint
        if checkpoint is None:
            self.action_next_step()
            return
        given = self.answer_given
        if not settled(checkpoint.kind, given):
            self.record(Answer(skipped=True))
        self.action_next_step()

    def action_answer(self) -> None:
        """Put the cursor in the answer box."""
        checkpoint = self.step.checkpoint
        if checkpoint is None:
            return
        target = "#choices" if checkpoint.kind == "question" else "#answer"
        self.set_focus(self.query_one(target))

    def action_pick(self) -> None:
        """Choose another lesson from the list."""
        from tracer.ui.screens.lesson_picker import LessonPicker

        picker = LessonPicker(self.catalogue, self.progress, self.lesson.id)
        self.app.push_screen(picker, self.picked)

    def picked(self, lesson_id: str | None) -> None:
        if lesson_id is not None and lesson_id != self.lesson.id:
            self.open_lesson(self.catalogue.find(lesson_id))

    def action_leave_box(self) -> None:
        self.set_focus(None)

    def action_leave(self) -> None:
        """Back to the screen below, or out of the app; progress is saved."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()


class LessonApp(App):
    """An app that opens straight onto a lesson."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "tracer.tcss")
    TITLE = "tracer lessons"

    def __init__(self, screen: LessonScreen) -> None:
        super().__init__()
        self.lesson_screen = screen

    def get_default_screen(self) -> Screen:
        return self.lesson_screen


def run_lesson(
    lesson_id: str | None,
    lessons_dir: str | None,
    catalogue: Catalogue | None = None,
    progress: Progress | None = None,
) -> None:
    """Open the terminal UI on a lesson; None resumes the learner's last one."""
    LessonApp(LessonScreen(lesson_id, lessons_dir, catalogue, progress)).run()
