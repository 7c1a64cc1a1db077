"""Stands in for the lessons until they are part of the UI."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class LessonsPlaceholder(ModalScreen[None]):
    """Says that the lessons are not in this build yet."""

    BINDINGS = [Binding("escape,l,q", "close", "close", tooltip="Close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = "Lessons"
            yield Label("Lessons", classes="heading")
            yield Static(
                "The guided lessons are not part of this build yet. Until they "
                "are, step through a trace here, or run `tracer lessons` to see "
                "which lessons exist.",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """Close this note."""
        self.dismiss(None)
