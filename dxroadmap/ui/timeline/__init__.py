"""The fiscal-year Gantt timeline of the editor (pyqtgraph; x in months, y in rows)."""

from dxroadmap.ui.timeline.view import TimelineView

__all__ = ["TimelineView"]
