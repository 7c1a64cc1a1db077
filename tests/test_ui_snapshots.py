"""SVG snapshots of the terminal UI, read as images when they change.

Every snapshot waits for the SymPy worker and the comparison runs to finish,
and stops the input cursor blinking, so the pictures do not depend on timing.
Update them with ``pytest tests/test_ui_snapshots.py --snapshot-update`` and
look at the result before committing it.
"""

import pytest
from textual.widgets import Input

from tracer.ui.app import TracerApp


def after(*keys: str):
    """A ``run_before`` that waits for the workers, presses ``keys``, waits again."""

    async def run_before(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("model", ["linear", "multivariate", "logistic"])
def test_trace_screen_at_100_by_30(snap_compare, model):
    """Three panels side by side, pictures below, after three steps."""
    assert snap_compare(
        TracerApp(model), terminal_size=(100, 30), run_before=after("n", "n", "n")
    )


def test_trace_screen_at_80_by_24(snap_compare):
    """Narrow: the panels stack and the body scrolls."""
    assert snap_compare(
        TracerApp("linear"), terminal_size=(80, 24), run_before=after("n")
    )


def test_help_screen(snap_compare):
    """Every key and what it does, from the bindings."""
    assert snap_compare(
        TracerApp("linear"), terminal_size=(100, 30), run_before=after("question_mark")
    )


def test_compare_view(snap_compare):
    """α, 2α and 4α on the line data: slow, faster, diverged."""
    assert snap_compare(
        TracerApp("linear", None, 0.01), terminal_size=(100, 30), run_before=after("a")
    )


def test_chain_rule_and_vector_form(snap_compare):
    """The Formula panel with the chain-rule steps, in vector form."""
    assert snap_compare(
        TracerApp("logistic"), terminal_size=(120, 34), run_before=after("v", "c")
    )
