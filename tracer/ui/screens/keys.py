"""The keys of the trace screen, each with what it does.

The footer, the help screen and the command palette are all made from this
list, so a key and its description cannot drift apart. The keys themselves are
fixed: lessons and tests press them.
"""

from textual.binding import Binding

TRACE_KEYS = [
    Binding(
        "n,right",
        "next",
        "next",
        priority=True,
        key_display="n",
        tooltip="Take the next step",
    ),
    Binding(
        "p,left",
        "previous",
        "back",
        priority=True,
        key_display="p",
        tooltip="Go back one step",
    ),
    Binding("space", "play", "play", priority=True, tooltip="Play or pause stepping"),
    Binding("greater_than_sign", "faster", "faster", show=False, tooltip="Play faster"),
    Binding("less_than_sign", "slower", "slower", show=False, tooltip="Play slower"),
    Binding("g", "go_to", "go to", tooltip="Go to an iteration"),
    Binding(
        "r",
        "restart",
        "restart",
        show=False,
        tooltip="Restart from θ₀ with the same α",
    ),
    Binding(
        "plus,equals_sign",
        "lr(2)",
        "α×2",
        key_display="+",
        tooltip="Double the learning rate α",
    ),
    Binding(
        "minus",
        "lr(0.5)",
        "α÷2",
        key_display="-",
        tooltip="Halve the learning rate α",
    ),
    Binding(
        "v",
        "form",
        "sum/vector",
        show=False,
        tooltip="Show the gradient in sum or vector form",
    ),
    Binding(
        "c",
        "chain",
        "chain rule",
        show=False,
        tooltip="Show or hide the chain-rule steps",
    ),
    Binding(
        "a",
        "compare",
        "compare",
        tooltip="Compare up to three learning rates side by side",
    ),
    Binding(
        "d",
        "derive",
        "derive",
        show=False,
        tooltip="Derive a gradient yourself and have it checked",
    ),
    Binding("m", "pick", "model", tooltip="Choose the model and the data"),
    Binding("l", "lessons", "lessons", show=False, tooltip="Guided lessons"),
    Binding(
        "e",
        "export",
        "export",
        show=False,
        tooltip="Export the trace as JSON Lines or CSV",
    ),
    Binding(
        "f",
        "pair",
        "features",
        show=False,
        tooltip="Logistic, over two features: plot the next pair",
    ),
    Binding(
        "question_mark",
        "help",
        "help",
        key_display="?",
        tooltip="Every key, with what it does",
    ),
    Binding("q", "app.quit", "quit", tooltip="Quit tracer"),
]
