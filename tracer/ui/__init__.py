"""The Textual terminal UI; ``tracer.ui.app.run`` opens it.

Nothing outside this package imports it, so the engine runs without Textual.
"""
