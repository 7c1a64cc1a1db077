"""The tracer terminal app and ``run``, the entry point the command line calls."""

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from tracer.ui.screens.trace import TraceScreen


class TracerApp(App):
    """Opens straight onto a live trace of ``model`` on ``data``.

    Args:
        model: ``linear``, ``multivariate`` or ``logistic``.
        data: A built-in data set name or a CSV path; None for the model's own.
        lr: The learning rate α; None for a suggested one.
    """

    # Absolute, so that subclasses elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).with_name("tracer.tcss")
    TITLE = "tracer"

    def __init__(
        self, model: str = "linear", data: str | None = None, lr: float | None = None
    ) -> None:
        super().__init__()
        self.start = (model, data, lr)

    def get_default_screen(self) -> Screen:
        return TraceScreen(*self.start)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: Textual's commands and every trace-screen action."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, TraceScreen):
            return
        for binding in screen.BINDINGS:
            name = binding.action.split("(")[0].removeprefix("app.")
            if name == "quit" or screen.check_action(name, ()) is not True:
                continue
            keys = binding.key_display or binding.key
            yield SystemCommand(
                binding.tooltip or binding.description,
                f"key: {keys}",
                partial(self.run_action, binding.action, screen),
            )


def run(model: str, data: str | None, lr: float | None) -> None:
    """Open the terminal UI on ``model`` fitted to ``data`` with learning rate ``lr``.

    Args:
        model: ``linear``, ``multivariate`` or ``logistic``.
        data: A built-in data set name or a CSV path; None for the model's own.
        lr: The learning rate α; None for a suggested one.
    """
    TracerApp(model, data, lr).run()
