"""Widgets: main window, tree, timeline, inspector, dialogs and undo (PySide6 + pyqtgraph)."""
