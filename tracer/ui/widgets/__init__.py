"""The widgets of the trace screen: three panels, the pictures, the status line."""
