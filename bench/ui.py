"""Time the terminal UI: launch to first interactive frame, and one step.

1. First frame: a fresh Python process runs tracer's app headless and reports
   the wall-clock time from its launch to its first rendered, interactive frame
   (SymPy's derivation still running in its worker, as a learner sees it). The
   baseline is a bare Textual app that imports numpy and sympy and shows one
   line. Each is launched several times; the ratio is of the medians.
   Budget: ≤ 1.3×.
2. Step: in one process, Pilot presses ``n`` 100 times on the trace screen at
   100 × 30. Each sample runs from just before the key is sent to the last
   screen update the app composed for it (Textual hands every composed update
   to ``App._display``; the bench notes when). Pilot's own waiting for the app
   to fall idle, some 60-80 ms per key even for a one-line app, comes after
   that and is not counted. Budget: median ≤ 50 ms.

Run with ``uv run python bench/ui.py``. The last line is
``first frame ratio: R; step median: M ms`` (M is the slowest model's median).
"""

import asyncio
import statistics
import subprocess
import sys
import time

LAUNCHES = 7
STEPS = 100

# Each child prints the wall-clock time of its first frame, then exits at once.
BARE = """
import time, os
import numpy, sympy
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("tracer")

    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        print(time.time(), flush=True)
        os._exit(0)

Bare().run(headless=True, size=(100, 30))
"""

TRACER = """
import time, os
from tracer.ui.app import TracerApp

class Timed(TracerApp):
    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        print(time.time(), flush=True)
        os._exit(0)

Timed("linear", None, None).run(headless=True, size=(100, 30))
"""


def launch(source: str) -> float:
    """Seconds from starting a Python process running ``source`` to its frame."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, check=True
    )
    return float(result.stdout.split()[-1]) - start


def first_frame_ratio() -> float:
    """Median launch-to-frame time of tracer over that of the bare app."""
    launch(BARE)  # warm the file cache and the bytecode of both
    launch(TRACER)
    bare, tracer = [], []
    for _ in range(LAUNCHES):
        bare.append(launch(BARE))
        tracer.append(launch(TRACER))
    bare_median, tracer_median = statistics.median(bare), statistics.median(tracer)
    print(
        f"first frame: bare {bare_median * 1000:.0f} ms, "
        f"tracer {tracer_median * 1000:.0f} ms (medians of {LAUNCHES})"
    )
    return tracer_median / bare_median


# The suggested α; smaller for the plane data, which converges in 35 steps.
RATES = {"linear": None, "multivariate": 0.02, "logistic": None}


async def step_times(model: str) -> list[float]:
    """Seconds from pressing ``n`` to the refreshed screen, ``STEPS`` times."""
    from tracer.ui.app import TracerApp

    app = TracerApp(model, None, RATES[model])
    updates: list[float] = []
    display = app._display

    def noted(screen, renderable) -> None:
        if renderable is not None:
            updates.append(time.perf_counter())
        display(screen, renderable)

    app._display = noted
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(STEPS):
            start = time.perf_counter()
            await pilot.press("n")
            await pilot.pause()
            times.append(max(t for t in updates if t > start) - start)
        assert app.screen.session.k == STEPS, "the trace stopped early"
    return times


def main() -> None:
    ratio = first_frame_ratio()
    medians = {}
    for model in ("linear", "multivariate", "logistic"):
        times = asyncio.run(step_times(model))
        medians[model] = statistics.median(times) * 1000
        print(
            f"step, {model}: median {medians[model]:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms over {STEPS} presses"
        )
    print(
        f"first frame ratio: {ratio:.2f}; step median: {max(medians.values()):.1f} ms"
    )


if __name__ == "__main__":
    main()
