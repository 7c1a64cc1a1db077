"""The help screen: every key of the trace screen, made from its bindings."""

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class HelpScreen(ModalScreen[None]):
    """A list of keys and what they do, taken from a screen's bindings."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "close", tooltip="Close the help"),
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__(classes="dialog-screen")
        self.bindings = bindings

    def keys(self, binding: Binding) -> str:
        """Every key of ``binding`` as the footer writes it: ``n / →``."""
        shown = [
            self.app.get_key_display(replace(binding, key=key, key_display=None))
            for key in binding.key.split(",")
        ]
        return " / ".join(shown)

    def compose(self) -> ComposeResult:
        rows = [(self.keys(b), b.tooltip or b.description) for b in self.bindings]
        rows.append(("^p", "Command palette: every action by name"))
        width = max(len(keys) for keys, _ in rows)
        text = Content("\n").join(
            Content.assemble((keys.rjust(width), "bold $accent"), "  ", what)
            for keys, what in rows
        )
        with Vertical(classes="dialog", id="help") as dialog:
            dialog.border_title = "Keys"
            with VerticalScroll():
                yield Static(text, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
