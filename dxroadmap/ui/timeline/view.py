"""TimelineView: the fiscal-year Gantt chart of the editor (pyqtgraph, x in months, y in rows).

x is the month index (:mod:`dxroadmap.model.fiscal`): a phase over ``start..end``
covers x ∈ [start, end+1). y counts lanes of ``ROW_HEIGHT`` px from the top: a row is
as many lanes tall as its overlapping bars (and a milestone with no room among them)
need (:mod:`dxroadmap.ui.timeline.index`), and the tree gives each row the same height,
so row i covers the same pixels on both sides. Only x zooms and pans; y follows the
scroll position the tree dictates (``set_scroll_y``), in pixels.

Mouse: drag a bar to move it, drag within ~6 px of an end to resize, drag a milestone;
whole months, or quarters while Shift is held. Drag empty space to pan, Ctrl+wheel
to zoom around the cursor, the wheel to scroll rows, Shift+wheel to pan. Double-click
an empty spot of an initiative row to add a phase. Right-click emits
``contextMenuRequested``.

Keyboard (a phase or milestone selected): ←/→ move one month, Shift+←/→ resize the
end, Ctrl+Shift+←/→ or Alt+Shift+←/→ resize the start, Delete removes.
Moving the selection: Ctrl+←/→ (or Alt+←/→) the previous/next item in display order,
←/→ the same when a row (not an item) is selected, ↑/↓ the item nearest in time in
the row above/below, Home/End the first/last item of the row, Escape back to the
row. Menu or Shift+F10 opens the context menu. Escape during a drag cancels it.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from dxroadmap.model.edits import Snap, clamp_span
from dxroadmap.model.plan import Initiative, Milestone, Phase
from dxroadmap.model.rows import Row
from dxroadmap.model.wareki import YearStyle
from dxroadmap.ui.document import Document
from dxroadmap.ui.timeline import style
from dxroadmap.ui.timeline.axis import HeaderWidget
from dxroadmap.ui.timeline.index import lanes_of
from dxroadmap.ui.timeline.interaction import Controller
from dxroadmap.ui.timeline.layers import BandLayer, BarLayer, Mapper, MilestoneLayer, OverlayLayer, bar_pixel_rect
from dxroadmap.ui.timeline.progress_layer import ProgressLayer
from dxroadmap.ui.timeline.state import TimelineState

__all__ = ["TimelineView"]

MIN_X_RANGE = 3.0  # months visible at the deepest zoom
ZOOM_STEP = 1.5


class _ViewBox(pg.ViewBox):
    """x-only pan by dragging empty space; no built-in y zoom, menu or wheel handling."""

    def __init__(self, timeline: "TimelineView") -> None:
        super().__init__(enableMenu=False, invertY=True, defaultPadding=0.0)
        self._timeline = timeline
        self.setMouseEnabled(x=False, y=False)
        self.disableAutoRange()  # the canvas paints the white background

    def mouseDragEvent(self, ev, axis=None) -> None:
        if ev.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            ev.ignore()
            return
        ev.accept()
        vp = self._timeline.viewport()
        if ev.isStart():
            vp.setCursor(Qt.CursorShape.ClosedHandCursor)
        dx_px = ev.pos().x() - ev.lastPos().x()
        self._timeline.pan_pixels(-dx_px)
        if ev.isFinish():
            vp.unsetCursor()

    def mouseClickEvent(self, ev) -> None:
        self._timeline.controller.click(ev)

    def wheelEvent(self, ev, axis=None) -> None:
        ev.ignore()


class _Canvas(pg.GraphicsView):
    """The QGraphicsView: routes wheel, keys, tooltips and keyboard context menus to the timeline."""

    def __init__(self, timeline: "TimelineView") -> None:
        super().__init__(background=style.BACKGROUND)
        self._timeline = timeline
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, ev: QWheelEvent) -> None:
        self._timeline.handle_wheel(ev)

    def event(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ShortcutOverride and self._timeline.wants_key(ev):
            ev.accept()
            return True
        return super().event(ev)

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        if not self._timeline.handle_key(ev):
            super().keyPressEvent(ev)

    def viewportEvent(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ToolTip:
            self._timeline.show_hover_tip(ev)
            return True
        return super().viewportEvent(ev)

    def contextMenuEvent(self, ev: QContextMenuEvent) -> None:
        if ev.reason() != QContextMenuEvent.Reason.Mouse:
            self._timeline.keyboard_context_menu()
        ev.accept()


class TimelineView(QWidget):
    """The Gantt timeline of one :class:`Document`, row-aligned with the tree."""

    ROW_HEIGHT: int = style.ROW_HEIGHT
    scrolledY = Signal(float)
    contextMenuRequested = Signal(object, object, int, QPoint)
    renameRequested = Signal(object)  # F2 on a selected bar or milestone: edit its 名称

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # pyqtgraph drops mouse moves closer than 10 ms apart by default; drags must see every move.
        pg.setConfigOptions(mouseRateLimit=-1)
        self.document = document
        self.state = TimelineState()
        self.snap = Snap.MONTH
        self.drag_tip = ""  # the text of the tooltip shown while dragging ("" when not dragging)
        self._scroll_px = 0.0

        self.header = HeaderWidget(self.state, self.x_range, self)
        self.canvas = _Canvas(self)
        self.viewbox = _ViewBox(self)
        self.canvas.setCentralItem(self.viewbox)
        self.bands = BandLayer(self.state)
        self.bars = BarLayer(self.state)
        self.milestones = MilestoneLayer(self.state)
        self.overlay = OverlayLayer(self.state)
        for z, layer in enumerate((self.bands, self.bars, self.milestones, self.overlay)):
            layer.setZValue(z * 10)
            self.viewbox.addItem(layer, ignoreBounds=True)
        self.progress = ProgressLayer(self.state)  # the 進捗 view: status badges per fiscal year
        self.progress.setZValue(25)  # above the milestones, below the overlay that takes the mouse
        self.progress.setVisible(False)
        self.viewbox.addItem(self.progress, ignoreBounds=True)
        self.controller = Controller(self)
        self.overlay.controller = self.controller

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.canvas, 1)
        self.setFocusProxy(self.canvas)

        self.viewbox.sigXRangeChanged.connect(self._on_x_range)
        self.viewbox.sigResized.connect(lambda *_: self._apply_y())

        document.structureChanged.connect(self._on_structure)
        document.scheduleChanged.connect(self._on_schedule)
        document.itemChanged.connect(self._on_item)
        document.planChanged.connect(self._on_plan)
        document.selectionChanged.connect(self._on_selection)

        self._read_period()
        self.zoom_fit()
        self._apply_y()

    # ------------------------------------------------------------ public interface

    def set_rows(self, rows: list[Row]) -> None:
        """Show these display rows (row i at y ∈ [i, i+1)); call after every structure change."""
        self.state.set_rows(rows)
        self.state.selection = self.document.selection
        self._read_period()
        for layer in self._layers():
            layer.refresh_geometry()
        self._apply_y()
        self.header.update()

    def header_height(self) -> int:
        return style.HEADER_HEIGHT

    def set_scroll_y(self, px: float) -> None:
        """Show rows from pixel ``px`` down (like the tree's vertical scrollbar value)."""
        px = max(float(px), 0.0)
        if px != self._scroll_px:
            self._scroll_px = px
            self._apply_y()

    def scroll_y(self) -> float:
        return self._scroll_px

    def zoom_in(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_fit(self) -> None:
        """Show exactly the plan period."""
        self._set_x(self.state.first_month, self.state.last_month + 1)

    def set_snap(self, snap: Snap) -> None:
        self.snap = snap

    def set_year_style(self, style_: YearStyle) -> None:
        self.state.year_style = style_
        self.header.update()

    def set_quarter_months(self, on: bool) -> None:
        """Write quarter headings as 4-6月 (as the prints do) instead of Q1."""
        self.state.quarter_months = bool(on)
        self.header.update()

    def set_language(self, lang: str) -> None:
        self.state.lang = lang if lang in ("ja", "en") else "ja"
        self.header.update()

    def set_progress_mode(self, on: bool) -> None:
        """The 進捗 view: status badges per initiative and fiscal year over faded bars."""
        self.progress.setVisible(bool(on))
        self.bars.setOpacity(0.45 if on else 1.0)
        self._update_all()

    def progress_mode(self) -> bool:
        return self.progress.isVisible()

    # ------------------------------------------------------------ geometry helpers

    def viewport(self) -> QWidget:
        """The widget that receives the mouse (for tests and cursors)."""
        return self.canvas.viewport()

    def x_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.viewbox.viewRange()
        return float(x0), float(x1)

    def visible_rows(self) -> float:
        """How many lanes the view shows (a lane is ``ROW_HEIGHT`` px; a row is one lane or more)."""
        return max(self.viewbox.height(), 1.0) / self.ROW_HEIGHT

    def mapper(self) -> Mapper:
        """View (months, lanes) → viewport pixels, as the layers paint."""
        x0, x1 = self.x_range()
        w = max(self.viewbox.width(), 1.0)
        sx = w / (x1 - x0)
        top = self._scroll_px / self.ROW_HEIGHT
        return Mapper(sx, -x0 * sx, float(self.ROW_HEIGHT), -top * self.ROW_HEIGHT, self.state.index)

    def row_height(self, obj: object) -> int:
        """The pixel height of the display row of ``obj`` (the tree gives its row the same)."""
        return self.ROW_HEIGHT * lanes_of(obj)

    def map_to_viewport(self, month: float, row: float) -> QPoint:
        """The viewport pixel of (month, row position): ``row + 0.5`` is the middle of row ``row``."""
        scene = self.viewbox.mapViewToScene(QPointF(month, self.state.index.row_y(row)))
        return self.canvas.mapFromScene(scene)

    def item_point(self, item: Phase | Milestone) -> QPoint | None:
        """The viewport pixel at the middle of a bar or milestone, where it is drawn (``None`` if not shown)."""
        idx = self.state.index
        if isinstance(item, Phase):
            rect = self.bar_rect(item)
            return None if rect is None else QPoint(round(rect.center().x()), round(rect.center().y()))
        k = idx.milestone_index(item)
        if k is None:
            return None
        r = idx.milestone_row(k)
        y = idx.row_top[r] + idx.m_lane[k] + 0.5
        scene = self.viewbox.mapViewToScene(QPointF(self.state.month_of(item) + 0.5, float(y)))
        return self.canvas.mapFromScene(scene)

    def bar_rect(self, phase: Phase) -> QRectF | None:
        """The viewport rectangle of a phase's bar (``None`` if its row is not shown)."""
        k = self.state.index.phase_index(phase)
        if k is None:
            return None
        idx = self.state.index
        r = idx.phase_row(k)
        s, e = self.state.span_of(phase)
        return bar_pixel_rect(self.mapper(), r, int(idx.p_lane[k]), s, e)

    def _layers(self):
        return (self.bands, self.bars, self.milestones, self.overlay, self.progress)

    def _set_x(self, x0: float, x1: float) -> None:
        st = self.state
        span = min(max(x1 - x0, MIN_X_RANGE), st.x_max - st.x_min)
        x0 = min(max(x0, st.x_min), st.x_max - span)
        self.viewbox.setXRange(x0, x0 + span, padding=0)

    def zoom_by(self, factor: float, center: float | None = None) -> None:
        """Scale the visible month range by ``factor`` (< 1 zooms in) around month ``center``."""
        x0, x1 = self.x_range()
        c = (x0 + x1) / 2 if center is None else center
        self._set_x(c - (c - x0) * factor, c + (x1 - c) * factor)

    def pan_pixels(self, dx_px: float) -> None:
        x0, x1 = self.x_range()
        d = dx_px * (x1 - x0) / max(self.viewbox.width(), 1.0)
        self._set_x(x0 + d, x1 + d)

    def _apply_y(self) -> None:
        top = self._scroll_px / self.ROW_HEIGHT
        self.viewbox.setYRange(top, top + self.visible_rows(), padding=0)

    def _on_x_range(self, *_args) -> None:
        self.state.view_x0, self.state.view_x1 = self.x_range()
        self.header.update()

    def _read_period(self) -> None:
        plan = self.document.plan
        st = self.state
        if (st.first_month, st.last_month) != (plan.first_month, plan.last_month):
            old = (st.first_month, st.last_month)
            x0, x1 = self.x_range()
            fitted = abs(x0 - old[0]) < 0.5 and abs(x1 - (old[1] + 1)) < 0.5
            st.first_month, st.last_month = plan.first_month, plan.last_month
            self.viewbox.setLimits(xMin=st.x_min, xMax=st.x_max, minXRange=MIN_X_RANGE,
                                   maxXRange=st.x_max - st.x_min)
            for layer in self._layers():
                layer.refresh_geometry()
            if fitted and (st.first_month < old[0] or st.last_month > old[1]):
                # The view showed the whole period: a longer period is shown whole too, rather than
                # leaving the added years off-screen. (A shorter one keeps the view, so the parts of
                # bars now outside the period stay visible, shaded.)
                self.zoom_fit()

    def update_row(self, row: int) -> None:
        """Repaint one row only (e.g. one step of a drag)."""
        st = self.state
        if not 0 <= row < st.row_count:
            return
        idx = st.index
        self.bands.update(QRectF(st.x_min, float(idx.row_top[row]), st.x_max - st.x_min, float(idx.row_lanes[row])))

    def update_header(self) -> None:
        self.header.update()

    def update_header_months(self, first: int, last: int) -> None:
        """Repaint the header's second line over months first..last (the drag preview)."""
        m = self.mapper()
        a, b = int(m.x(first)) - 2, int(m.x(last + 1)) + 3
        self.header.update(a, style.HEADER_LINE, b - a, style.HEADER_LINE)

    def _update_all(self) -> None:
        self.bands.update()

    # ------------------------------------------------------------ document signals

    def _on_structure(self) -> None:
        # The window calls set_rows right after; here only the period may have changed.
        self._read_period()
        self.header.update()

    def _on_schedule(self, initiative: Initiative) -> None:
        row = self.state.index.row_of(initiative)
        if row is None:
            return
        if self.state.index.rebuild_row(row):  # the row grew or shrank: every row below it moves
            for layer in self._layers():
                layer.refresh_geometry()
            self._user_scroll(self._scroll_px, emit=False)
            self._update_all()
        else:
            self.update_row(row)

    def _on_item(self, obj: object) -> None:
        if obj is self.document.plan:
            self._read_period()
            self.header.update()
            self._update_all()
            return
        row = self.state.index.row_of(obj)
        if row is not None:
            self.update_row(row)

    def _on_plan(self) -> None:
        self.state.set_rows([])
        self._read_period()
        for layer in self._layers():
            layer.refresh_geometry()
        self._scroll_px = 0.0
        self.zoom_fit()
        self._apply_y()

    def _on_selection(self, obj: object) -> None:
        old = self.state.selection
        self.state.selection = obj
        for item in (old, obj):
            row = self.state.index.row_of(item) if item is not None else None
            if row is not None:
                self.update_row(row)

    # ------------------------------------------------------------ wheel

    def handle_wheel(self, ev: QWheelEvent) -> None:
        ev.accept()
        delta = ev.angleDelta()
        mods = ev.modifiers()
        dy = delta.y() or delta.x()
        if mods & Qt.KeyboardModifier.ControlModifier:
            if dy:
                center = self.mapper().month(ev.position().x())
                self.zoom_by(ZOOM_STEP ** (-dy / 120.0), center)
            return
        if mods & Qt.KeyboardModifier.ShiftModifier or (delta.x() and not delta.y()):
            self.pan_pixels(-dy / 120.0 * 60.0)
            return
        if delta.y():
            self._user_scroll(self._scroll_px - delta.y() / 120.0 * 3 * self.ROW_HEIGHT)

    def _user_scroll(self, px: float, emit: bool = True) -> None:
        bottom = max(self.state.index.height * self.ROW_HEIGHT - self.viewbox.height(), 0.0)
        px = min(max(px, 0.0), bottom)
        if px != self._scroll_px:
            self._scroll_px = px
            self._apply_y()
            if emit:
                self.scrolledY.emit(px)

    # ------------------------------------------------------------ keyboard

    _ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right)

    def wants_key(self, ev: QKeyEvent) -> bool:
        """Whether the timeline takes this key from window shortcuts (Delete, arrows on a selection)."""
        if self.controller.dragging:
            return True  # no shortcut (undo, delete…) may change the plan under a drag
        sel = self.document.selection
        if not isinstance(sel, (Phase, Milestone)):
            return False
        return ev.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, *self._ARROWS)

    def handle_key(self, ev: QKeyEvent) -> bool:
        key, mods = ev.key(), ev.modifiers()
        doc = self.document
        sel = doc.selection
        if key == Qt.Key.Key_Escape and self.controller.cancel():
            return True
        if self.controller.dragging:
            return True
        step_mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if key in self._ARROWS and (not isinstance(sel, (Phase, Milestone))
                                    or (mods & step_mods and not mods & Qt.KeyboardModifier.ShiftModifier)):
            self.step_selection(1 if key == Qt.Key.Key_Right else -1)
            return True
        if key == Qt.Key.Key_Escape and isinstance(sel, (Phase, Milestone)):
            row = self.state.index.row_of(sel)
            if row is not None:
                doc.select(self.state.index.rows[row].obj)
            return True
        if key in self._ARROWS and isinstance(sel, (Phase, Milestone)):
            d = 1 if key == Qt.Key.Key_Right else -1
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            start_mod = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
            if isinstance(sel, Milestone):
                doc.set_milestone_month(sel, sel.month + d)
            elif shift and start_mod:
                doc.set_phase_span(sel, *clamp_span((sel.start, sel.end), "start", d), text="工程の変更")
            elif shift:
                doc.set_phase_span(sel, *clamp_span((sel.start, sel.end), "end", d), text="工程の変更")
            else:
                doc.set_phase_span(sel, *clamp_span((sel.start, sel.end), "move", d))
            self.ensure_visible(sel)
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and isinstance(sel, (Phase, Milestone)):
            if isinstance(sel, Phase):
                doc.remove_phase(sel)
            else:
                doc.remove_milestone(sel)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            return self.step_row(-1 if key == Qt.Key.Key_Up else 1)
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and isinstance(sel, (Phase, Milestone)):
            items = self._row_items(self.state.index.row_of(sel))
            if items:
                doc.select(items[0] if key == Qt.Key.Key_Home else items[-1])
                self.ensure_visible(doc.selection)
            return True
        if key == Qt.Key.Key_F2 and isinstance(sel, (Phase, Milestone)):
            self.renameRequested.emit(sel)
            return True
        if key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and mods & Qt.KeyboardModifier.ShiftModifier):
            self.keyboard_context_menu()
            return True
        return False

    def _row_items(self, row: int | None) -> list:
        """Phases and milestones of a row, ordered by where they start."""
        if row is None or not 0 <= row < self.state.row_count:
            return []
        idx = self.state.index
        items = [(idx.p_items[k].start, 0, idx.p_items[k]) for k in idx.row_phase_range(row)]
        items += [(idx.m_items[k].month, 1, idx.m_items[k]) for k in idx.row_milestone_range(row)]
        items.sort(key=lambda t: (t[0], t[1]))
        return [it for _, _, it in items]

    def step_selection(self, step: int) -> bool:
        """Select the next (+1) / previous (-1) phase or milestone in display order; False at the end."""
        sel = self.document.selection
        idx = self.state.index
        n = self.state.row_count
        row = idx.row_of(sel) if sel is not None else None
        if isinstance(sel, (Phase, Milestone)) and row is not None:
            items = self._row_items(row)
            pos = next((i for i, it in enumerate(items) if it is sel), None)
            if pos is not None and 0 <= pos + step < len(items):
                self.document.select(items[pos + step])
                self.ensure_visible(items[pos + step])
                return True
            r = row + step
        elif row is not None:  # a pillar or initiative row: start from its own items
            r = row if step > 0 else row - 1
        else:
            first = max(idx.row_at(self._scroll_px / self.ROW_HEIGHT), 0)
            r = first if step > 0 else min(n - 1, idx.row_at((self._scroll_px + self.viewbox.height()) / self.ROW_HEIGHT))
        while 0 <= r < n:
            items = self._row_items(r)
            if items:
                target = items[0] if step > 0 else items[-1]
                self.document.select(target)
                self.ensure_visible(target)
                return True
            r += step
        return False

    def step_row(self, step: int) -> bool:
        """Select the item nearest in time in the next row above/below that has any."""
        sel = self.document.selection
        row = self.state.index.row_of(sel) if sel is not None else None
        if row is None:
            return self.step_selection(step)
        if isinstance(sel, Phase):
            x = (sel.start + sel.end + 1) / 2
        elif isinstance(sel, Milestone):
            x = sel.month + 0.5
        else:
            x0, x1 = self.x_range()
            x = (x0 + x1) / 2
        r = row + step
        while 0 <= r < self.state.row_count:
            items = self._row_items(r)
            if items:
                def dist(it) -> float:
                    if isinstance(it, Phase):
                        return 0.0 if it.start <= x <= it.end + 1 else min(abs(it.start - x), abs(it.end + 1 - x))
                    return abs(it.month + 0.5 - x)
                target = min(items, key=dist)
                self.document.select(target)
                self.ensure_visible(target)
                return True
            r += step
        return True

    def ensure_visible(self, item: object) -> None:
        """Pan/scroll so a phase or milestone is in view (scrolling emits ``scrolledY``)."""
        row = self.state.index.row_of(item)
        if row is None:
            return
        if isinstance(item, Phase):
            a, b = item.start, item.end + 1
        elif isinstance(item, Milestone):
            a, b = item.month, item.month + 1
        else:
            a = b = None
        if a is not None:
            x0, x1 = self.x_range()
            width = x1 - x0
            if b - a >= width:
                pass
            elif a < x0:
                self._set_x(a - 1, a - 1 + width)
            elif b > x1:
                self._set_x(b + 1 - width, b + 1)
        idx = self.state.index
        top = float(idx.row_top[row]) * self.ROW_HEIGHT
        bottom = float(idx.row_top[row + 1]) * self.ROW_HEIGHT
        h = self.viewbox.height()
        if top < self._scroll_px:
            self._user_scroll(top)
        elif bottom > self._scroll_px + h:
            self._user_scroll(min(top, bottom - h))

    def keyboard_context_menu(self) -> None:
        sel = self.document.selection
        row = self.state.index.row_of(sel) if sel is not None else None
        row_obj = self.state.index.rows[row].obj if row is not None else None
        if isinstance(sel, Phase):
            month = sel.start
        elif isinstance(sel, Milestone):
            month = sel.month
        else:
            x0, x1 = self.x_range()
            month = int(math.floor((x0 + x1) / 2))
        local = self.item_point(sel) if isinstance(sel, (Phase, Milestone)) else None
        if local is None:
            local = self.map_to_viewport(month + 0.5, (row if row is not None else 0) + 0.5)
        self.contextMenuRequested.emit(sel, row_obj, month, self.viewport().mapToGlobal(local))

    def show_hover_tip(self, ev) -> None:
        if self.controller.dragging:
            return
        pos = ev.pos()
        view_pt = self.viewbox.mapSceneToView(self.canvas.mapToScene(pos))
        text = self.controller.tooltip_at(view_pt)
        if text:
            QToolTip.showText(ev.globalPos(), text, self.viewport())
        else:
            QToolTip.hideText()
            ev.ignore()
