"""A titled box of text that never wraps and scrolls when it does not fit."""

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.widgets import Static

Part = str | tuple[str, str]
"""A piece of a line: plain text, or ``(text, style)``."""


def lines(*rows: list[Part] | str) -> Content:
    """Join rows of parts into one block of text, one row per line.

    Text is taken literally: ``[i]`` in a formula stays ``[i]``.
    """
    built = []
    for row in rows:
        parts = [row] if isinstance(row, str) else row
        built.append(Content.assemble(*parts))
    return Content("\n").join(built)


def text_shape(text: str) -> tuple[int, int]:
    """How many lines ``text`` has and how wide its widest one is."""
    rows = text.split("\n")
    return len(rows), max(cell_len(row) for row in rows)


class Panel(ScrollableContainer):
    """A bordered, titled block of text: formulas, numbers or an update.

    Lines are never wrapped (a formula broken in the middle misleads); a panel
    narrower than its text scrolls sideways instead.
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = title
        self.text = ""
        """The panel's text as last shown, without styles."""
        self.shape = (0, 0)
        """Lines and columns of that text: a new layout is needed when it changes."""

    def compose(self) -> ComposeResult:
        yield Static("", markup=False, classes="panel-text")

    def show(self, content: Content | str) -> None:
        """Replace the panel's text; lay out again only if the text's size changed."""
        self.text = content.plain if isinstance(content, Content) else content
        shape = text_shape(self.text)
        self.query_one(".panel-text", Static).update(
            content, layout=shape != self.shape
        )
        self.shape = shape
