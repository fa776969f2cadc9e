"""The timeline's graphics layers: one item per layer, painting only what is exposed.

Per-bar QGraphicsItems cost ~300 ms per drag step at 20,000 bars; one item per layer
with an explicit ``paint()`` that culls to the exposed rows stays at a few ms. Each
layer covers the whole scroll area (months × rows, in view coordinates) and paints in
device pixels (the painter's transform is read, then reset) so text and lines keep
their size at any zoom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar
from dxroadmap.ui.timeline import style
from dxroadmap.ui.timeline.state import TimelineState

_NO_NEXT = int(np.iinfo(np.int64).max)

__all__ = ["Mapper", "BandLayer", "BarLayer", "MilestoneLayer", "OverlayLayer", "bar_pixel_rect"]


@dataclass(frozen=True)
class Mapper:
    """View coordinates (months, rows) → device pixels, for an axis-aligned transform."""

    sx: float
    dx: float
    sy: float
    dy: float

    def x(self, month: float) -> float:
        return self.sx * month + self.dx

    def y(self, row: float) -> float:
        return self.sy * row + self.dy

    def month(self, px: float) -> float:
        return (px - self.dx) / self.sx


def bar_pixel_rect(m: Mapper, row: int, lane: int, lanes: int, start: int, end: int) -> QRectF:
    """Where the bar of a phase over months start..end sits, in pixels."""
    pad = style.BAR_PAD if lanes <= 1 else 2  # overlapping phases share the row: use all of it
    top = m.y(row) + pad
    lane_h = (m.sy - 2 * pad) / max(lanes, 1)
    gap = 1.0 if lanes > 1 else 0.0
    return QRectF(m.x(start), top + lane * lane_h, m.x(end + 1) - m.x(start), lane_h - gap)


class _Layer(pg.GraphicsObject):
    """A full-size item that paints in pixels, culled to the exposed rows."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__()
        self.state = state
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._rect = QRectF(0, 0, 1, 1)

    def refresh_geometry(self) -> None:
        """Call after the rows or the period change."""
        rect = QRectF(self.state.x_min, 0, self.state.x_max - self.state.x_min, max(self.state.row_count, 1))
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        t = painter.transform()
        m = Mapper(t.m11(), t.dx(), t.m22(), t.dy())
        if m.sx <= 0 or m.sy == 0:
            return
        exposed = option.exposedRect
        top, bottom = sorted((exposed.top(), exposed.bottom()))
        r0 = max(int(math.floor(top)), 0)
        r1 = min(int(math.ceil(bottom)), self.state.row_count)
        painter.save()
        painter.resetTransform()
        try:
            self.draw(painter, m, r0, r1, exposed.left(), exposed.right())
        finally:
            painter.restore()

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        raise NotImplementedError


class BandLayer(_Layer):
    """Row backgrounds: pillar swimlane bands, light alternating rows, grid lines, the period."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self._font = style.ui_font(9.5, bold=True)

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        st = self.state
        left, right = m.x(x0), m.x(x1)
        width = right - left
        rows_bottom = m.y(max(r1, r0))
        # Rows.
        for r in range(r0, r1):
            band, tint = style.PILLAR_HUES[int(st.row_hue[r]) % len(style.PILLAR_HUES)]
            y = m.y(r)
            if st.row_kind[r] == 0:
                p.fillRect(QRectF(left, y, width, m.sy), band)
            elif st.row_parity[r]:  # other rows show the view's white background
                p.fillRect(QRectF(left, y, width, m.sy), tint)
        sel_row = st.index.row_of(st.selection) if isinstance(st.selection, (Initiative, Pillar)) else None
        if sel_row is not None and r0 <= sel_row < r1:
            p.fillRect(QRectF(left, m.y(sel_row), width, m.sy), style.SELECTION_ROW)
        # Months outside the plan period.
        top = m.y(r0)
        height = rows_bottom - top
        if x0 < st.first_month:
            p.fillRect(QRectF(left, top, m.x(st.first_month) - left, height), style.OUTSIDE_PERIOD)
        if x1 > st.last_month + 1:
            a = m.x(st.last_month + 1)
            p.fillRect(QRectF(a, top, right - a, height), style.OUTSIDE_PERIOD)
        # Vertical grid: months, quarters, fiscal years as zoom permits.
        first, last = int(math.floor(x0)), int(math.ceil(x1))
        show_month = m.sx >= 12
        show_quarter = m.sx * 3 >= 18
        pens = {
            "fy": QPen(style.FY_LINE, 1),
            "q": QPen(style.QUARTER_LINE, 1),
            "m": QPen(style.MONTH_LINE, 1),
        }
        for month in range(first, last + 1):
            if month % 12 == 3:
                pen = pens["fy"]
            elif month % 3 == 0 and show_quarter:
                pen = pens["q"]
            elif show_month:
                pen = pens["m"]
            else:
                continue
            x = round(m.x(month)) + 0.5
            p.setPen(pen)
            p.drawLine(QPointF(x, top), QPointF(x, rows_bottom))
        # Horizontal row lines and pillar names (kept at the visible left edge).
        p.setPen(QPen(style.ROW_LINE, 1))
        for r in range(r0, r1):
            y = round(m.y(r + 1)) - 0.5
            p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setFont(self._font)
        fm = QFontMetricsF(self._font)
        name_left = max(m.x(st.view_x0), left) + 8
        for r in range(r0, r1):
            if st.row_kind[r] != 0:
                continue
            pillar = st.index.rows[r].obj
            y = m.y(r)
            p.setPen(QPen(style.FY_LINE, 1))
            p.drawLine(QPointF(left, round(y) + 0.5), QPointF(right, round(y) + 0.5))
            p.setPen(style.PILLAR_TEXT)
            avail = max(m.x(st.view_x1) - name_left - 8, 0)
            text = fm.elidedText(pillar.name, Qt.TextElideMode.ElideRight, avail)
            p.drawText(QRectF(name_left, y, avail, m.sy), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


class BarLayer(_Layer):
    """The phases: coloured bars with legible labels; the selected bar outlined."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self._fonts = {size: style.ui_font(size) for size in (9.0, 7.5)}
        self._metrics = {size: QFontMetricsF(f) for size, f in self._fonts.items()}
        self._colors: dict[str, tuple[QColor, QPen, QColor, QBrush]] = {}
        self.drawn: set[Phase] = set()  # every phase painted since the last reset (tests count these)
        self._widths: dict[tuple[str, float], tuple[float, float]] = {}

    def _label_widths(self, label: str, size: float) -> tuple[float, float]:
        """(width of the label, width of its first character and an ellipsis), cached."""
        key = (label, size)
        w = self._widths.get(key)
        if w is None:
            if len(self._widths) > 20000:
                self._widths.clear()
            fm = self._metrics[size]
            w = (fm.horizontalAdvance(label), fm.horizontalAdvance(label[:1] + "…"))
            self._widths[key] = w
        return w

    def reset_drawn(self) -> None:
        self.drawn = set()

    def _palette(self, color: str) -> tuple[QColor, QPen, QColor, QBrush]:
        """Fill colour, border pen, text colour and fill brush for a ``#RRGGBB`` colour (cached)."""
        entry = self._colors.get(color)
        if entry is None:
            fill = QColor(color)
            if not fill.isValid():
                fill = QColor("#BFBFBF")
            entry = (fill, QPen(fill.darker(135), 1), style.text_color_on(fill), QBrush(fill))
            self._colors[color] = entry
        return entry

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        st = self.state
        idx = st.index
        if r1 <= r0:
            return
        # Labels beside narrow bars reach right: include bars up to ~200 px left of the exposed area.
        reach = 200.0 / m.sx
        ks = idx.phases_in(r0, r1, x0 - reach, x1)
        rows = np.searchsorted(idx.p_ptr, ks, side="right") - 1 if len(ks) else ks
        view_left = m.x(st.view_x0)
        view_right = m.x(st.view_x1)
        avoid = milestone_boxes(st, m, r0, r1)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        selected = None
        preview = None
        for k, r in zip(ks.tolist(), rows.tolist() if len(ks) else []):
            phase = idx.p_items[k]
            if phase is st.preview_item:
                preview = (phase, r, int(idx.p_lane[k]))
                continue
            rect = bar_pixel_rect(m, r, int(idx.p_lane[k]), int(idx.row_lanes[r]), phase.start, phase.end)
            nxt = int(idx.p_next[k])
            next_px = m.x(nxt) if nxt < _NO_NEXT else view_right
            chosen = phase is st.selection
            self._draw_bar(p, phase, rect, view_left, min(next_px, view_right), avoid.get(r, ()), chosen)
            if chosen:
                selected = rect
            elif phase is st.hover_item:
                p.setPen(QPen(style.HOVER_OUTLINE, 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5), 3, 3)
        if st.preview_item is not None and preview is None and isinstance(st.preview_item, Phase):
            k = idx.phase_index(st.preview_item)
            if k is not None:
                r = idx.phase_row(k)
                if r0 <= r < r1:
                    preview = (st.preview_item, r, int(idx.p_lane[k]))
        if preview is not None:
            phase, r, lane = preview
            lanes = int(idx.row_lanes[r])
            ghost = bar_pixel_rect(m, r, lane, lanes, phase.start, phase.end)
            p.setPen(QPen(style.SELECTION_OUTLINE, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(ghost, 3, 3)
            s, e = st.preview_span
            rect = bar_pixel_rect(m, r, lane, lanes, s, e)
            self._draw_bar(p, phase, rect, view_left, view_right, avoid.get(r, ()), True)
            selected = rect
        if selected is not None:
            p.setPen(QPen(style.SELECTION_OUTLINE, 2.2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(selected.adjusted(-1, -1, 1, 1), 3.5, 3.5)
            # Grips at both ends: the places that resize.
            p.setBrush(QBrush(style.SELECTION_OUTLINE))
            cy = selected.center().y()
            h = min(selected.height() * 0.5, 10)
            for x in (selected.left() + 2.5, selected.right() - 2.5):
                p.drawRect(QRectF(x - 1.25, cy - h / 2, 2.5, h))

    def _draw_bar(self, p: QPainter, phase: Phase, rect: QRectF, view_left: float, right_limit: float,
                  avoid: tuple | list = (), chosen: bool = False) -> None:
        _, border, ink, brush = self._palette(phase.display_color)
        p.setPen(border)
        p.setBrush(brush)
        radius = min(3.0, rect.width() / 3)
        p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        self.drawn.add(phase)
        label = phase.label or (phase.kind.label_ja if phase.kind.name != "CUSTOM" else "")
        if not label:
            return
        size = 9.0 if rect.height() >= 15 else 7.5 if rect.height() >= 9.5 else None
        if size is None:
            return
        fm = self._metrics[size]
        p.setFont(self._fonts[size])
        inner_left = max(rect.left(), view_left) + (7 if chosen else 4)  # clear of the selection grip
        want, least = self._label_widths(label, size)
        for a, b in avoid:  # start the label after any milestone (and its label) in the way
            if a < inner_left + want and b > inner_left - 2 and b < rect.right() - 8:
                inner_left = b + 4
        inner = rect.right() - 4 - inner_left
        beside = right_limit - 6 - rect.right()
        fits_inside = inner >= want
        fits_beside = beside >= want
        if fits_inside or (not fits_beside and inner >= least + 1):
            text = label if fits_inside else fm.elidedText(label, Qt.TextElideMode.ElideRight, inner)
            p.setPen(ink)
            p.drawText(QRectF(inner_left, rect.top(), inner, rect.height()),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        else:  # too narrow: write the label beside the bar, up to the next bar
            left = rect.right() + 3
            avail = right_limit - 3 - left
            if avail < least:
                return
            text = label if avail >= want else fm.elidedText(label, Qt.TextElideMode.ElideRight, avail)
            p.setPen(style.OUTSIDE_TEXT)
            p.drawText(QRectF(left, rect.top() - 2, avail, rect.height() + 4),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


_MS_FONT_SIZE = 8.0
_MS_LABEL_MAX = 180.0


def milestone_boxes(st: TimelineState, m: Mapper, r0: int, r1: int) -> dict[int, list[tuple[float, float]]]:
    """Pixel x-extents (diamond and label) of the milestones in rows r0..r1-1, by row."""
    idx = st.index
    out: dict[int, list[tuple[float, float]]] = {}
    if r1 <= r0 or not idx.milestone_count:
        return out
    fm = _ms_metrics()
    size = min(style.MILESTONE_SIZE, m.sy - 6)
    a, b = int(idx.m_ptr[max(r0, 0)]), int(idx.m_ptr[min(r1, len(idx.rows))])
    for k in range(a, b):
        ms = idx.m_items[k]
        cx = m.x(st.month_of(ms) + 0.5)
        right = cx + size / 2 + 2
        if ms.label:
            right += min(fm.horizontalAdvance(ms.label), _MS_LABEL_MAX) + 8
        out.setdefault(idx.milestone_row(k), []).append((cx - size / 2 - 2, right))
    for boxes in out.values():
        boxes.sort()
    return out


_MS_FM: list[QFontMetricsF] = []


def _ms_metrics() -> QFontMetricsF:
    if not _MS_FM:
        _MS_FM.append(QFontMetricsF(style.ui_font(_MS_FONT_SIZE)))
    return _MS_FM[0]


class MilestoneLayer(_Layer):
    """Milestones: diamonds at the middle of their month, with their label beside them."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self._font = style.ui_font(_MS_FONT_SIZE)
        self._fm = QFontMetricsF(self._font)
        self.drawn: set[Milestone] = set()

    def reset_drawn(self) -> None:
        self.drawn = set()

    @staticmethod
    def diamond(cx: float, cy: float, size: float) -> QPolygonF:
        h = size / 2
        return QPolygonF([QPointF(cx, cy - h), QPointF(cx + h, cy), QPointF(cx, cy + h), QPointF(cx - h, cy)])

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        st = self.state
        idx = st.index
        if r1 <= r0:
            return
        reach = 220.0 / m.sx
        ks = idx.milestones_in(r0, r1, x0 - reach, x1 + 1)
        items = [(idx.m_items[k], idx.milestone_row(k)) for k in ks.tolist()]
        if isinstance(st.preview_item, Milestone) and all(it is not st.preview_item for it, _ in items):
            k = idx.milestone_index(st.preview_item)
            if k is not None and r0 <= idx.milestone_row(k) < r1:
                items.append((st.preview_item, idx.milestone_row(k)))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        size = min(style.MILESTONE_SIZE, m.sy - 6)
        for ms, r in items:
            month = st.month_of(ms)
            cx, cy = m.x(month + 0.5), m.y(r + 0.5)
            chosen = ms is st.selection or ms is st.preview_item
            p.setPen(QPen(QColor("#FFFFFF"), 1.2))
            p.setBrush(QBrush(style.MILESTONE_FILL))
            p.drawPolygon(self.diamond(cx, cy, size))
            if chosen or ms is st.hover_item:
                color = style.TODAY if ms is st.preview_item else style.SELECTION_OUTLINE if chosen else style.HOVER_OUTLINE
                p.setPen(QPen(color, 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolygon(self.diamond(cx, cy, size + 6))
            self.drawn.add(ms)
            if ms.label:
                text = self._fm.elidedText(ms.label, Qt.TextElideMode.ElideRight, _MS_LABEL_MAX)
                w = self._fm.horizontalAdvance(text)
                box = QRectF(cx + size / 2 + 2, cy - self._fm.height() / 2 - 1, w + 6, self._fm.height() + 2)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(QColor(255, 255, 255, 215)))
                p.drawRoundedRect(box, 3, 3)
                p.setPen(style.MILESTONE_TEXT)
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class OverlayLayer(_Layer):
    """On top of everything: the today line. It also receives the mouse (see interaction)."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self.controller = None  # set by the view: an interaction.Controller

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        st = self.state
        if x0 <= st.today <= x1:
            x = m.x(st.today)
            pen = QPen(style.TODAY, 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            bottom = m.y(max(r1, st.row_count)) if st.row_count else m.y(r1)
            p.drawLine(QPointF(x, m.y(r0)), QPointF(x, max(bottom, m.y(r1))))

    # pyqtgraph's scene delivers these; the controller decides.
    def hoverEvent(self, ev) -> None:
        if self.controller is not None:
            self.controller.hover(ev)

    def mouseClickEvent(self, ev) -> None:
        if self.controller is not None:
            self.controller.click(ev)
        else:
            ev.ignore()

    def mouseDragEvent(self, ev) -> None:
        if self.controller is not None:
            self.controller.drag(ev)
        else:
            ev.ignore()
