"""The screens of the terminal UI: the trace, its dialogs and the comparison."""
