"""The list of lessons, each with how far the learner got; Enter opens one."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracer.lessons import Catalogue
from tracer.progress import Progress


def state(progress: Progress, lesson_id: str, steps: int) -> str:
    """``done``, ``step 3 of 7`` or ``new``."""
    entry = progress.lessons.get(lesson_id)
    if entry is None or not entry.started:
        return "new"
    if entry.finished:
        return "done"
    return f"step {entry.step + 1} of {steps}"


class LessonPicker(ModalScreen[str | None]):
    """Choose a lesson; dismissed with its id, or None when cancelled."""

    CSS_PATH = "../lesson.tcss"
    BINDINGS = [Binding("escape", "cancel", "cancel", tooltip="Keep this lesson")]

    def __init__(self, catalogue: Catalogue, progress: Progress, current: str) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.progress = progress
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for lesson in self.catalogue.lessons:
            shown = state(self.progress, lesson.id, len(lesson.steps))
            text = f"{lesson.order:>2}. {lesson.title}  ({shown})"
            options.append(Option(text, id=lesson.id))
        with Vertical(id="lesson-picker") as box:
            box.border_title = "Lessons · ↑↓ and Enter to open · Esc to stay"
            yield OptionList(*options)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [lesson.id for lesson in self.catalogue.lessons]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
