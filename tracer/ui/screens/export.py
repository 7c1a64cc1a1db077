"""The export dialog: the trace as JSON Lines or CSV, in a file it names."""

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from tracer.errors import TracerError
from tracer.export import FORMATS, default_path, export
from tracer.ui.session import Session

KINDS = ("json", "csv")


class ExportScreen(ModalScreen[str | None]):
    """Choose a format and a file; dismiss with a sentence naming the file."""

    BINDINGS = [Binding("escape", "cancel", "cancel", tooltip="Close without writing")]

    def __init__(self, session: Session, folder: Path | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session
        self.folder = folder or Path.cwd()

    def suggested(self, kind: str) -> str:
        """A free file name for ``kind`` in the folder."""
        trace, data = self.session.trace, self.session.data
        return str(default_path(trace, data, kind, self.folder))

    def compose(self) -> ComposeResult:
        steps = len(self.session.trace)
        with Vertical(classes="dialog", id="export") as dialog:
            dialog.border_title = "Export the trace"
            yield Label(f"Every step made so far ({steps}), one per line.")
            with RadioSet(id="kind"):
                yield RadioButton("JSON Lines", value=True)
                yield RadioButton("CSV")
            yield Label("File")
            yield Input(self.suggested("json"), id="path")
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="write")
                yield Button("Cancel", id="cancel")

    @property
    def kind(self) -> str:
        return KINDS[self.query_one(RadioSet).pressed_index]

    def on_radio_set_changed(self) -> None:
        """Give the file the new format's suffix, keeping a name the learner typed."""
        field = self.query_one("#path", Input)
        path = Path(field.value.strip())
        if path.suffix in FORMATS.values():
            field.value = str(path.with_suffix(FORMATS[self.kind]))
        else:
            field.value = self.suggested(self.kind)

    def on_input_submitted(self) -> None:
        self.write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.write()
        else:
            self.dismiss(None)

    def write(self) -> None:
        """Write the file; on failure say why and stay open."""
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        try:
            written = export(self.session.trace, self.session.data, path, self.kind)
        except TracerError as error:
            self.query_one("#error", Static).update(str(error))
            return
        steps = len(self.session.trace)
        self.notify(f"Wrote {written}", title="Exported")
        self.dismiss(f"Exported {steps} steps to {written.resolve()}")

    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
