"""The terminal UI, driven by Textual's Pilot; every check is on state.

Numbers on screen are compared with an independent run of the engine, made
here from the same data and α, never with the UI's own session.
"""

import asyncio
import functools
import json

import numpy as np
import pytest

from tracer import datasets
from tracer.descent import Trace
from tracer.notation import format_number
from tracer.ui.app import TracerApp
from tracer.ui.screens.compare import CompareScreen
from tracer.ui.screens.derive import DeriveScreen
from tracer.ui.screens.help import HelpScreen
from tracer.ui.screens.picker import PickerScreen
from tracer.ui.screens.trace import TraceScreen
from tracer.ui.widgets.formula import FormulaPanel
from tracer.ui.widgets.numbers import NumbersPanel
from tracer.ui.widgets.status import StatusLine
from tracer.ui.widgets.update import UpdatePanel

SIZE = (100, 30)


def pilot_test(test):
    """Run an async Pilot test to completion (no async plugin is needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot) -> None:
    """Let workers (SymPy, comparisons) finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def engine_trace(model: str = "linear", lr: float = 0.01) -> Trace:
    """A trace made directly by the engine on the model's default data."""
    data = datasets.load(datasets.default_dataset(model))
    return Trace(model, data.X, data.y, lr)


def update_rows(app) -> dict[str, list[str]]:
    """The Update panel's table: parameter name → [θ_k, −α·∂J/∂θ, θ_k+1]."""
    names = set(app.screen.session.param_names)
    rows = {}
    for line in app.screen.query_one(UpdatePanel).text.splitlines():
        cells = line.split()
        if cells and cells[0] in names:
            rows[cells[0]] = cells[1:]
    return rows


def signed(value: float) -> str:
    """How the Update panel writes a change: with its sign, and 0 as 0."""
    text = format_number(value + 0.0)
    return text if text.startswith("−") or value == 0 else "+" + text


@pilot_test
async def test_three_steps_show_the_engines_third_record():
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n")

        assert app.screen.session.k == 3
        record = engine_trace(lr=0.01).record(3)
        rows = update_rows(app)
        for index, name in enumerate(["w", "b"]):
            assert rows[name] == [
                format_number(record.params[index]),
                signed(record.update[index]),
                format_number(record.next_params[index]),
            ]
        losses = dict(
            line.split(maxsplit=1)
            for line in app.screen.query_one(UpdatePanel).text.splitlines()
            if line.startswith("J(")
        )
        assert losses == {
            "J(θₖ)": format_number(record.loss),
            "J(θₖ₊₁)": format_number(record.next_loss),
        }


@pilot_test
async def test_numbers_panel_ends_in_the_engines_gradient():
    app = TracerApp("multivariate", None, 0.2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")

        record = engine_trace("multivariate", 0.2).record(2)
        text = app.screen.query_one(NumbersPanel).text
        results = [line.rsplit("= ", 1)[1] for line in text.splitlines() if "×" in line]
        assert results == [format_number(g) for g in record.gradient]
        assert "∂J/∂w_3  (j = 3)" in text
        assert "97 more terms" in text


@pilot_test
async def test_previous_goes_back_and_stops_at_zero():
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "right", "p")
        assert app.screen.session.k == 2
        await pilot.press("left", "p", "p", "p")
        assert app.screen.session.k == 0
        assert "first step" in app.screen.query_one(StatusLine).text

        record = engine_trace(lr=0.01).record(0)
        assert update_rows(app)["w"][2] == format_number(record.next_params[0])


@pilot_test
async def test_plus_doubles_alpha_and_says_where_the_run_starts():
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        assert app.screen.session.trace.lr == pytest.approx(0.02)
        assert "restarted from the start" in app.screen.query_one(StatusLine).text

        await pilot.press("n", "n", "minus")
        assert app.screen.session.trace.lr == pytest.approx(0.01)
        status = app.screen.query_one(StatusLine).text
        assert "restarted from the current θ" in status
        assert app.screen.session.k == 0


@pilot_test
async def test_a_diverging_alpha_shows_its_reason():
    app = TracerApp("linear", None, 0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", *"200", "enter")
        await pilot.pause()

        trace = engine_trace(lr=0.05).run(200)
        assert trace.status == "diverged"
        status = app.screen.query_one(StatusLine).text
        assert "diverged" in status
        assert trace.reason in status
        assert "largest stable α" in trace.reason


@pilot_test
async def test_go_to_and_play():
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", *"12", "enter")
        assert app.screen.session.k == 12

        await pilot.press("space")
        assert app.screen.timer is not None
        await pilot.pause(0.5)
        await pilot.press("space")
        assert app.screen.timer is None
        assert app.screen.session.k > 12


@pilot_test
async def test_go_to_rejects_a_word():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", *"ten", "enter")
        assert app.screen.__class__.__name__ == "GoToScreen"
        await pilot.press("escape")
        assert isinstance(app.screen, TraceScreen)
        assert app.screen.session.k == 0


@pilot_test
async def test_export_writes_a_file_that_loads_back_equal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n", "n", "e")
        await pilot.click("#write")
        await pilot.pause()
        assert isinstance(app.screen, TraceScreen)
        status = app.screen.query_one(StatusLine).text

    files = list(tmp_path.glob("*.jsonl"))
    assert len(files) == 1
    assert str(files[0]) in status
    lines = [json.loads(line) for line in files[0].read_text().splitlines()]
    header, steps, end = lines[0], lines[1:-1], lines[-1]
    assert header == {
        "model": "linear",
        "dataset": "line",
        "lr": 0.01,
        "n": 50,
        "standardized": False,
    }

    trace = engine_trace(lr=0.01).run(5)
    assert len(steps) == len(trace) == 5
    for step, record in zip(steps, trace, strict=True):
        assert step["iteration"] == record.iteration
        assert step["loss"] == record.loss
        for key in ("params", "gradient", "update", "next_params"):
            assert list(step[key]) == ["w", "b"]
            np.testing.assert_array_equal(
                list(step[key].values()), getattr(record, key)
            )
    assert end["steps"] == 5 and end["status"] == "max_steps"
    assert not list(tmp_path.glob(".*.tmp"))


@pilot_test
async def test_export_as_csv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "e")
        await pilot.click("RadioButton:last-of-type")
        await pilot.click("#write")
        await pilot.pause()

    (path,) = tmp_path.glob("*.csv")
    header, *rows = path.read_text().splitlines()
    assert header.split(",")[:4] == ["iteration", "w", "b", "loss"]
    record = engine_trace(lr=0.01).record(1)
    assert float(rows[1].split(",")[1]) == record.params[0]


@pilot_test
async def test_a_broken_csv_is_explained_and_the_ui_keeps_running(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n2,oops\n3,4\n4,5\n5,6\n")
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, PickerScreen)
        app.screen.query_one("#path").value = str(bad)
        await pilot.click("#open")
        await settle(pilot)

        assert isinstance(app.screen, PickerScreen)
        error = str(app.screen.query_one("#error").content)
        assert "bad.csv" in error and "oops" in error
        await pilot.press("escape")
        await pilot.press("n")
        assert app.screen.session.k == 1


@pilot_test
async def test_an_alpha_that_is_not_a_number_is_explained():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        app.screen.query_one("#lr").value = "fast"
        await pilot.click("#open")
        await settle(pilot)
        assert "'fast' is not a number" in str(app.screen.query_one("#error").content)


@pilot_test
async def test_the_picker_opens_another_model():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.click("RadioButton:last-of-type")
        await pilot.click("#open")
        await settle(pilot)
        await settle(pilot)
        session = app.screen.session
        assert (session.model, session.data.name) == ("logistic", "blobs")
        assert update_rows(app).keys() == {"w_1", "w_2", "b"}


@pilot_test
async def test_v_and_c_change_the_formula_panel():
    app = TracerApp("multivariate")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        formula = app.screen.query_one(FormulaPanel)
        assert "(2/n) Σ (w·x_i + b − y_i) x_ij" in formula.text
        await pilot.press("v")
        assert "(2/n) Xᵀ(Xw + b − y)" in formula.text
        await pilot.press("c")
        assert "∂L_i/∂ŷ_i" in formula.text
        await pilot.press("v", "c")
        assert "Xᵀ" not in formula.text and "∂L_i" not in formula.text


@pilot_test
async def test_help_lists_every_binding():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").content)
        for binding in TraceScreen.BINDINGS:
            assert binding.tooltip and binding.tooltip in text
        await pilot.press("escape")
        assert isinstance(app.screen, TraceScreen)


@pilot_test
async def test_command_palette_lists_the_actions():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {
            "Take the next step",
            "Double the learning rate α",
            "Compare up to three learning rates side by side",
        } <= titles


@pilot_test
async def test_compare_names_each_runs_state():
    app = TracerApp("linear", None, 0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        cards = [str(card.content) for card in app.screen.query(".run")]
        assert "α = 0.01" in cards[0] and "converg" in cards[0]
        assert "α = 0.04" in cards[2] and "diverged" in cards[2]

        app.screen.query_one("#rates").value = "0.001 0.002 0.003 0.004"
        await pilot.click("#run")
        await pilot.pause()
        assert "at most 3" in str(app.screen.query_one("#error").content)
        await pilot.press("escape")
        assert isinstance(app.screen, TraceScreen)


@pilot_test
async def test_derive_panel_judges_the_typed_answer():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, DeriveScreen)
        await pilot.click("#reveal")
        solution = str(app.screen.query_one("#solution").content)
        assert "(2/n) Σ (w x_i + b − y_i) x_i" in solution
        assert "∂ŷ_i/∂w   = x_i" in solution

        await pilot.click("#answer")
        await pilot.press(*"1/n sum((w x_i + b - y_i) x_i)", "enter")
        await settle(pilot)
        verdict = str(app.screen.query_one("#verdict").content)
        assert verdict.startswith("✗ incorrect (constant factor)")
        assert "(1/n) Σ (w x_i + b − y_i) x_i" in verdict


@pilot_test
async def test_lessons_key_opens_something_closable(tmp_path, monkeypatch):
    # Lesson progress goes to a folder of the test's own.
    monkeypatch.setenv("TRACER_DATA_DIR", str(tmp_path))
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert not isinstance(app.screen, TraceScreen)
        app.pop_screen()
        await pilot.pause()
        assert isinstance(app.screen, TraceScreen)
        await pilot.press("n")
        assert app.screen.session.k == 1


@pilot_test
async def test_bad_data_on_the_command_line_is_shown_not_raised(tmp_path):
    app = TracerApp("linear", str(tmp_path / "missing.csv"), None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.session is None
        assert "missing.csv" in app.screen.query_one(StatusLine).text
        await pilot.press("n")
        assert app.screen.session is None


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pilot_test
async def test_small_terminals_still_step(size):
    app = TracerApp("multivariate")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        assert app.screen.session.k == 2
        assert app.screen.has_class("-narrow")


@pilot_test
async def test_play_speed_changes_with_angle_brackets():
    app = TracerApp("linear")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        start = screen.speed
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert screen.speed == start + 2
        await pilot.press("less_than_sign")
        assert screen.speed == start + 1
        context = str(screen.query_one("#context").content)
        assert "(10 steps/s)" in context


@pilot_test
async def test_logistic_with_three_features_cycles_feature_pairs(tmp_path):
    rows = ["a,b,c,label"] + [
        f"{i % 5},{(i * 7) % 11},{(i * 3) % 4},{i % 2}" for i in range(12)
    ]
    path = tmp_path / "three.csv"
    path.write_text("\n".join(rows) + "\n")
    app = TracerApp("logistic", str(path), None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        plot = app.screen.query_one("DataPlot")
        assert plot.pair == (0, 1)
        await pilot.press("f", "f")
        assert plot.pair == (1, 2)
        await pilot.press("f")
        assert plot.pair == (0, 1)
        assert update_rows(app).keys() == {"w_1", "w_2", "w_3", "b"}
