"""Engine speed and memory, each as a ratio against a floor measured in this run.

Run with ``uv run python bench/engine.py``. Prints a table, then the worst
model's gradient-step ratio at n = 100,000, d = 50 on the last line. Budgets
(DESIGN.md): step ratio ≤ 1.10 at the large size and ≤ 1.5 at n = 100, d = 1;
derivation ≤ 0.5 s cold; a 100,000-step trace at d = 50 under 100 MB.
"""

import itertools
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from tracer.descent import Trace
from tracer.numeric import compile_model

MODELS = ("linear", "multivariate", "logistic")
LR = 1e-3


def hand_written(model):
    """The gradient step a person writes with NumPy, per model."""
    if model == "logistic":

        def step(w, b, X, y):
            with np.errstate(over="ignore"):
                p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
            r = p - y
            n = len(y)
            return w - LR * (X.T @ r / n), b - LR * (r.sum() / n)

    else:

        def step(w, b, X, y):
            r = X @ w + b - y
            n = len(y)
            return w - LR * (X.T @ r * (2 / n)), b - LR * (r.sum() * (2 / n))

    return step


def compiled_step(model):
    compiled = compile_model(model)

    def step(theta, X, y):
        return theta - LR * compiled.gradient(theta, X, y)

    return step


def torch_step(model):
    try:
        import torch
    except ImportError:
        return None

    def step(w, b, X, y):
        w = w.detach().requires_grad_(True)
        b = b.detach().requires_grad_(True)
        z = X @ w + b
        if model == "logistic":
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        else:
            loss = ((z - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            return w - LR * w.grad, b - LR * b.grad

    return step, torch


def problem(model, rows, features, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features))
    if model == "logistic":
        y = (rng.random(rows) < 0.5).astype(float)
    else:
        y = rng.normal(size=rows)
    return X, y, rng.normal(size=features + 1) * 0.1


def time_steps(model, rows, features, repeats):
    """Medians in seconds, timed interleaved so drift hits every column alike."""
    X, y, theta = problem(model, rows, features)
    ours, theirs = compiled_step(model), hand_written(model)
    w, b = theta[:-1].copy(), theta[-1]
    peer = torch_step(model)
    if peer is not None:
        step_torch, torch = peer
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        wt, bt = torch.from_numpy(w.copy()), torch.tensor(b)
    inner = max(1, 2000 // max(1, rows * features // 1000))
    columns = [
        ("tracer", lambda: ours(theta, X, y)),
        ("numpy", lambda: theirs(w, b, X, y)),
    ]
    if peer is not None:
        columns.append(("torch", lambda: step_torch(wt, bt, Xt, yt)))
    times = {name: [] for name, _ in columns}
    # Every order of the columns in turn, so each follows each other equally
    # often: torch's worker threads keep spinning after its step and slow
    # whichever column comes next.
    orders = list(itertools.permutations(columns))
    for repeat in range(repeats):
        for name, call in orders[repeat % len(orders)]:
            start = time.perf_counter()
            for _ in range(inner):
                call()
            times[name].append((time.perf_counter() - start) / inner)
    return {key: statistics.median(v) for key, v in times.items() if v}


def derivation_seconds(model):
    """Cold derivation time in a fresh process, after the imports."""
    code = (
        "import time, tracer.derivation as d;"
        f"t = time.perf_counter(); d.derive({model!r});"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def trace_peak_megabytes(steps=100_000, features=50):
    X, y, _ = problem("multivariate", 100, features)
    tracemalloc.start()
    trace = Trace("multivariate", X, y, lr=1e-9, max_steps=steps).run(steps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(trace) == steps
    floor = (steps + 1) * (features + 1) * 8 * 2 / 1e6
    return peak / 1e6, floor


def main():
    sizes = [(100, 1), (100_000, 50)]
    print(
        f"{'model':<13}{'n':>8}{'d':>4}{'tracer µs':>12}{'numpy µs':>11}"
        f"{'ratio':>7}{'torch µs':>11}"
    )
    worst = 0.0
    for model in MODELS:
        for rows, features in sizes:
            if model == "linear":
                features = 1
            times = time_steps(model, rows, features, 31 if rows < 1000 else 24)
            ratio = times["tracer"] / times["numpy"]
            torch_text = (
                f"{times['torch'] * 1e6:11.1f}" if "torch" in times else (f"{'—':>11}")
            )
            print(
                f"{model:<13}{rows:>8}{features:>4}{times['tracer'] * 1e6:12.1f}"
                f"{times['numpy'] * 1e6:11.1f}{ratio:7.2f}{torch_text}"
            )
            if rows == 100_000:
                worst = max(worst, ratio)
    print()
    for model in MODELS:
        print(
            f"derivation {model:<13} {derivation_seconds(model):.3f} s cold "
            "(budget 0.5 s)"
        )
    peak, floor = trace_peak_megabytes()
    print(
        f"trace of 100,000 steps at d = 50: peak {peak:.1f} MB, "
        f"{peak / floor:.2f}× the θ and ∇J arrays alone ({floor:.1f} MB)"
    )
    print(f"gradient step ratio: {worst:.2f} (n=100000, d=50)")


if __name__ == "__main__":
    main()
