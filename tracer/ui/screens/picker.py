"""The model and data picker: a model, a built-in data set or a CSV file, and α."""

import re

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from tracer import datasets
from tracer.descent import check_lr
from tracer.errors import TracerError
from tracer.ui.choice import Choice

MODELS = ("linear", "multivariate", "logistic")


def dataset_options() -> list[tuple[str, str]]:
    """``(line (50 × 1): synthetic: y ≈ 2x + 1 + noise, line)`` per built-in set.

    ``builtin_summaries`` aligns name, size, models and description in columns
    at least two spaces apart, in ``builtin_names``' order.
    """
    options = []
    for name, summary in zip(
        datasets.builtin_names(), datasets.builtin_summaries(), strict=True
    ):
        _, size, _, description = re.split(r"\s{2,}", summary.strip(), maxsplit=3)
        options.append((f"{name} ({size}): {description}", name))
    return options


class PickerScreen(ModalScreen[Choice | None]):
    """Choose what to trace; a file that cannot be used is explained here."""

    BINDINGS = [Binding("escape", "cancel", "cancel", tooltip="Close without changing")]

    def __init__(self, current: Choice) -> None:
        super().__init__(classes="dialog-screen")
        self.current = current

    def compose(self) -> ComposeResult:
        name = self.current.data
        builtin = name if name in datasets.builtin_names() else None
        with Vertical(classes="dialog", id="picker") as dialog:
            dialog.border_title = "Model and data"
            with VerticalScroll():
                yield Label("Model")
                with RadioSet(id="model"):
                    for model in MODELS:
                        yield RadioButton(model, value=model == self.current.model)
                yield Label("Built-in data set")
                yield Select(
                    dataset_options(),
                    value=builtin or datasets.default_dataset(self.current.model),
                    allow_blank=False,
                    id="dataset",
                )
                yield Label("…or a CSV file (header row, target column last)")
                path = "" if builtin or name is None else name
                yield Input(path, placeholder="path/to/data.csv", id="path")
                yield Label("Learning rate α (blank: a suggested one)")
                lr = "" if self.current.lr is None else f"{self.current.lr:g}"
                yield Input(lr, placeholder="suggested", id="lr")
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Open", variant="primary", id="open")
                yield Button("Cancel", id="cancel")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        model = str(event.pressed.label)
        self.query_one("#dataset", Select).value = datasets.default_dataset(model)

    def on_input_submitted(self) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open":
            self.submit()
        else:
            self.dismiss(None)

    def submit(self) -> None:
        """Check the choice; open it if it is usable, else say why not."""
        model = MODELS[self.query_one(RadioSet).pressed_index]
        path = self.query_one("#path", Input).value.strip()
        source = path or str(self.query_one("#dataset", Select).value)
        lr_text = self.query_one("#lr", Input).value.strip()
        try:
            lr = check_lr(lr_text) if lr_text else None
        except TracerError as error:
            self.show_error(error)
            return
        self.query_one("#error", Static).update(f"reading {source}…")
        self.load(model, source, lr)

    @work(thread=True, exclusive=True)
    def load(self, model: str, source: str, lr: float | None) -> None:
        """Read and check the data off the UI thread; keep the dialog if unusable.

        The trace screen reads the file again when it opens it: a small cost
        for a choice that names the file, not a copy of it.
        """
        try:
            datasets.load(source, model=model)
        except TracerError as error:
            self.app.call_from_thread(self.show_error, error)
            return
        self.app.call_from_thread(self.dismiss, Choice(model, source, lr))

    def show_error(self, error: TracerError) -> None:
        """Show why the choice cannot be opened; the dialog stays open."""
        self.query_one("#error", Static).update(str(error))

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
