"""Hit testing and the mouse drag state machine of the timeline.

A drag previews in the view only (``TimelineState.preview_*``, repainting just the
dragged row) and commits one ``Document`` edit on release, so one drag is one undo
step and a drag that ends where it started pushes nothing.

Snapping: whole months; hold Shift while dragging to snap to fiscal quarters
(April, July, October, January). Holding a dragged item near the left or right
edge of the timeline pans the view that way (edge auto-scroll).

The controller never imports the view: it drives whatever satisfies :class:`TimelineHost`
(the view passes itself), so the view depends on the controller and not the other way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QPoint, QPointF, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QToolTip, QWidget

from dxroadmap.model.defaults import new_phase_at
from dxroadmap.model.edits import Snap, clamp_span
from dxroadmap.model.plan import Initiative, Milestone, Phase, Plan
from dxroadmap.ui.timeline import style, texts
from dxroadmap.ui.timeline.layers import Mapper, bar_pixel_rect
from dxroadmap.ui.timeline.state import TimelineState

__all__ = ["Hit", "hit_test", "TimelineHost", "Controller"]


@dataclass(frozen=True)
class Hit:
    """What lies under a point: a phase (``part`` "move" | "start" | "end") or a milestone."""

    item: Phase | Milestone
    part: str
    row: int


def hit_test(state: TimelineState, m: Mapper, x: float, y: float) -> Hit | None:
    """The phase or milestone under view point (x months, y lanes from the top), given the pixel mapping ``m``.

    Each bar and milestone is found in its own lane of its row, where it is drawn.
    """
    idx = state.index
    row = idx.row_at(y)
    if not 0 <= row < len(idx.rows):
        return None
    px, py = m.x(x), m.lane_y(y)
    top = m.y(row)
    # Milestones sit on top of bars: test them first.
    half = min(style.MILESTONE_SIZE, m.sy - 6) / 2 + 3
    for k in reversed(idx.row_milestone_range(row)):
        ms = idx.m_items[k]
        cx, cy = m.x(state.month_of(ms) + 0.5), top + (int(idx.m_lane[k]) + 0.5) * m.sy
        if abs(px - cx) + abs(py - cy) <= half + 2:
            return Hit(ms, "move", row)
    for k in reversed(idx.row_phase_range(row)):
        phase = idx.p_items[k]
        s, e = state.span_of(phase)
        rect = bar_pixel_rect(m, row, int(idx.p_lane[k]), s, e)
        tol = min(style.EDGE_GRAB_PX, rect.width() / 3)
        grow = 2
        if not (rect.top() - grow <= py <= rect.bottom() + grow):
            continue
        if not (rect.left() - tol <= px <= rect.right() + tol):
            continue
        if abs(px - rect.left()) <= tol:
            return Hit(phase, "start", row)
        if abs(px - rect.right()) <= tol:
            return Hit(phase, "end", row)
        return Hit(phase, "move", row)
    return None


class TimelineHost(Protocol):
    """What the controller needs from the widget it serves (the timeline view)."""

    state: TimelineState
    document: "DocumentLike"
    snap: Snap
    drag_tip: str  # the text of the tooltip shown while dragging ("" when not dragging)
    contextMenuRequested: SignalInstance  # (clicked item, row object, month, global position)

    def mapper(self) -> Mapper: ...
    def viewport(self) -> QWidget: ...
    def setFocus(self, reason: Qt.FocusReason) -> None: ...  # noqa: N802
    def update_row(self, row: int) -> None: ...
    def update_header(self) -> None: ...
    def update_header_months(self, first: int, last: int) -> None: ...
    def pan_pixels(self, dx: float) -> None: ...


class DocumentLike(Protocol):
    """The edits the controller asks of the document (see :class:`dxroadmap.ui.document.Document`)."""

    plan: Plan

    def select(self, obj: object | None) -> None: ...
    def add_phase(self, initiative: Initiative, phase: Phase) -> None: ...
    def set_phase_span(self, phase: Phase, start: int, end: int) -> None: ...
    def set_milestone_month(self, milestone: Milestone, month: int) -> None: ...


class Controller:
    """Turns pyqtgraph mouse events on the overlay into selections, previews and edits."""

    def __init__(self, view: TimelineHost) -> None:
        self.view = view
        self.state: TimelineState = view.state
        self._drag: tuple[Hit, tuple[int, int], float] | None = None  # (hit, original span, press x)
        self._cancelled = False
        self._cursor: Qt.CursorShape | None = None
        # Edge auto-scroll: the pointer's last viewport x and screen position, and the snap in force.
        self._last_px = 0.0
        self._last_screen = QPoint()
        self._last_snap = Snap.MONTH
        self._edge_timer = QTimer(view if isinstance(view, QObject) else None)
        self._edge_timer.setInterval(30)
        self._edge_timer.timeout.connect(self._edge_tick)

    # ------------------------------------------------------------ helpers

    @property
    def dragging(self) -> bool:
        return self._drag is not None

    def _mapper(self) -> Mapper:
        return self.view.mapper()

    def _set_cursor(self, shape: Qt.CursorShape | None) -> None:
        if shape == self._cursor:
            return
        self._cursor = shape
        vp = self.view.viewport()
        if shape is None:
            vp.unsetCursor()
        else:
            vp.setCursor(shape)

    def _set_hover(self, item: object | None) -> None:
        old = self.state.hover_item
        if item is old:
            return
        self.state.hover_item = item
        for it in (old, item):
            row = self.state.index.row_of(it) if it is not None else None
            if row is not None:
                self.view.update_row(row)

    @staticmethod
    def cursor_for(hit: Hit | None) -> Qt.CursorShape | None:
        if hit is None:
            return None
        if hit.part in ("start", "end"):
            return Qt.CursorShape.SizeHorCursor
        if isinstance(hit.item, Milestone):
            return Qt.CursorShape.SizeAllCursor
        return Qt.CursorShape.OpenHandCursor

    # ------------------------------------------------------------ events

    def hover(self, ev) -> None:
        if self._drag is not None:
            return
        if ev.isExit():
            self._set_cursor(None)
            self._set_hover(None)
            return
        pos = ev.pos()
        hit = hit_test(self.state, self._mapper(), pos.x(), pos.y())
        self._set_cursor(self.cursor_for(hit))
        self._set_hover(hit.item if hit else None)
        if hit is not None:
            ev.acceptDrags(Qt.MouseButton.LeftButton)
            ev.acceptClicks(Qt.MouseButton.LeftButton)

    def click(self, ev) -> None:
        pos = ev.pos()
        x, y = pos.x(), pos.y()
        hit = hit_test(self.state, self._mapper(), x, y)
        row = self.state.index.row_at(y)
        rows = self.state.index.rows
        row_obj = rows[row].obj if 0 <= row < len(rows) else None
        month = int(math.floor(x))
        button = ev.button()
        doc = self.view.document
        if button == Qt.MouseButton.LeftButton:
            ev.accept()
            self.view.setFocus(Qt.FocusReason.MouseFocusReason)
            if ev.double() and hit is None and isinstance(row_obj, Initiative):
                phase = new_phase_at(doc.plan, row_obj, month)
                doc.add_phase(row_obj, phase)
                doc.select(phase)
            else:
                doc.select(hit.item if hit else None)
        elif button == Qt.MouseButton.RightButton:
            ev.accept()
            if hit is not None:
                doc.select(hit.item)
            clicked = hit.item if hit else row_obj
            self.view.contextMenuRequested.emit(clicked, row_obj, month, ev.screenPos().toPoint())
        else:
            ev.ignore()

    def drag(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            down = ev.buttonDownPos()
            hit = hit_test(self.state, self._mapper(), down.x(), down.y())
            if hit is None:
                ev.ignore()  # empty space: the view box pans
                return
            orig = (hit.item.start, hit.item.end) if isinstance(hit.item, Phase) else (hit.item.month, hit.item.month)
            self._drag = (hit, orig, down.x())
            self._cancelled = False
            self.view.setFocus(Qt.FocusReason.MouseFocusReason)
            self.view.document.select(hit.item)
            self.state.preview_item = hit.item
            self.state.preview_span = orig
            if hit.part == "move" and isinstance(hit.item, Phase):
                self._set_cursor(Qt.CursorShape.ClosedHandCursor)
        if self._drag is None:
            ev.ignore()
            return
        ev.accept()
        hit, orig, x_down = self._drag
        if self._cancelled:
            if ev.isFinish():
                self._drag = None
            return
        snap = Snap.QUARTER if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier else self.view.snap
        span = clamp_span(orig, hit.part, ev.pos().x() - x_down, snap)
        if ev.isFinish():
            self._finish(hit, span)
            return
        self._last_px = self._mapper().x(ev.pos().x())
        self._last_screen = ev.screenPos().toPoint()
        self._last_snap = snap
        self._preview(hit, span)
        if self._edge_direction() and not self._edge_timer.isActive():
            self._edge_timer.start()

    def _preview(self, hit: Hit, span: tuple[int, int]) -> None:
        if span != self.state.preview_span:
            before = self.state.preview_span
            self.state.preview_span = span
            self.view.update_row(hit.row)
            self.view.update_header_months(min(before[0], span[0]), max(before[1], span[1]))
        self._show_tip(self._last_screen, hit, span)

    EDGE_PX = 24  # how close to an edge the pointer must be to auto-scroll

    def _edge_direction(self) -> int:
        width = self.view.viewport().width()
        if self._last_px < self.EDGE_PX:
            return -1
        if self._last_px > width - self.EDGE_PX:
            return 1
        return 0

    def _edge_tick(self) -> None:
        direction = self._edge_direction()
        if self._drag is None or self._cancelled or not direction:
            self._edge_timer.stop()
            return
        hit, orig, x_down = self._drag
        self.view.pan_pixels(direction * 12)
        x = self._mapper().month(self._last_px)  # the same pointer now lies over a later/earlier month
        self._preview(hit, clamp_span(orig, hit.part, x - x_down, self._last_snap))

    def _show_tip(self, screen: QPoint, hit: Hit, span: tuple[int, int]) -> None:
        st = self.state
        if isinstance(hit.item, Phase):
            tip = texts.span_with_length(span[0], span[1], st.lang, st.year_style)
        else:
            tip = texts.month_text(span[0], st.lang, st.year_style)
        if tip != self.view.drag_tip:
            self.view.drag_tip = tip
            QToolTip.showText(screen + QPoint(14, 18), tip + "\n" + texts.text("drag_hint", st.lang), self.view.viewport())

    def _finish(self, hit: Hit, span: tuple[int, int]) -> None:
        self._edge_timer.stop()
        self._drag = None
        self.state.preview_item = None
        self.view.drag_tip = ""
        QToolTip.hideText()
        self._set_cursor(None)
        doc = self.view.document
        if self.state.index.row_of(hit.item) is None:  # removed while dragging (e.g. undone)
            self.view.update_row(hit.row)
            return
        if isinstance(hit.item, Phase):
            text = "工程の移動" if hit.part == "move" else "工程の変更"  # undo texts (strings.tr_command has them)
            doc.set_phase_span(hit.item, span[0], span[1], text=text)  # no-op when unchanged
        else:
            doc.set_milestone_month(hit.item, span[0])
        self.view.update_row(hit.row)
        self.view.update_header()

    def cancel(self) -> bool:
        """Escape during a drag: drop the preview, change nothing."""
        if self._drag is None or self._cancelled:
            return False
        hit = self._drag[0]
        self._edge_timer.stop()
        self._cancelled = True
        self.state.preview_item = None
        self.view.drag_tip = ""
        QToolTip.hideText()
        self._set_cursor(None)
        self.view.update_row(hit.row)
        self.view.update_header()
        return True

    def tooltip_at(self, pos: QPointF) -> str | None:
        """Hover tooltip text for a view point (phase: label, span, kind; milestone: label, month)."""
        hit = hit_test(self.state, self._mapper(), pos.x(), pos.y())
        st = self.state
        if hit is None:
            row = st.index.row_at(pos.y())
            if 0 <= row < st.row_count:
                obj = st.index.rows[row].obj
                return getattr(obj, "name", None) or None
            return None
        if isinstance(hit.item, Phase):
            return texts.phase_tooltip(hit.item, st.lang, st.year_style)
        return texts.milestone_tooltip(hit.item.label, hit.item.month, st.lang, st.year_style)
