"""A small dialog asking which iteration to go to."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class GoToScreen(ModalScreen[int | None]):
    """Ask for an iteration number; dismiss with it, or None on cancel."""

    BINDINGS = [Binding("escape", "cancel", "cancel", tooltip="Close without going")]

    def __init__(self, current: int) -> None:
        super().__init__(classes="dialog-screen")
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = "Go to iteration"
            yield Label(f"Iteration to show (now {self.current}):")
            yield Input(placeholder=str(self.current), type="integer", id="iteration")
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Go", variant="primary", id="go")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "go":
            self.submit()
        else:
            self.dismiss(None)

    def submit(self) -> None:
        """Go, if the text is a whole number 0 or more."""
        text = self.query_one(Input).value.strip()
        if not text.lstrip("-").isdigit() or int(text) < 0:
            self.query_one("#error", Static).update(
                f"{text!r} is not an iteration: give a whole number, 0 or more."
            )
            return
        self.dismiss(int(text))

    def action_cancel(self) -> None:
        """Close without going anywhere."""
        self.dismiss(None)
