"""The timeline's graphics layers: one item per layer, painting only what is exposed.

Per-bar QGraphicsItems cost ~300 ms per drag step at 20,000 bars; one item per layer
with an explicit ``paint()`` that culls to the exposed rows stays at a few ms. Each
layer covers the whole scroll area (months × lanes, in view coordinates) and paints in
device pixels (the painter's transform is read, then reset) so text and lines keep
their size at any zoom.

A row is one or more lanes tall (see :mod:`dxroadmap.ui.timeline.index`): each bar fills
its lane as a one-lane row's bar fills the row, so a crowded row grows rather than its
bars thinning. Milestones sit in their own lane and their labels end before the next bar
or milestone there; bar labels end before a milestone — neither ever covers the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from dxroadmap.model.colors import bar_text
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar
from dxroadmap.ui.timeline import style
from dxroadmap.ui.timeline.index import ScheduleIndex
from dxroadmap.ui.timeline.state import TimelineState

_NO_NEXT = int(np.iinfo(np.int64).max)

__all__ = ["Mapper", "BandLayer", "BarLayer", "MilestoneLayer", "OverlayLayer", "bar_pixel_rect",
           "milestone_places", "MilestonePlace"]


@dataclass(frozen=True)
class Mapper:
    """View coordinates (months, lanes) → device pixels, for an axis-aligned transform.

    ``sy`` is the height of one lane. With the row ``index``, :meth:`y` takes a row position
    (row index plus a fraction of that row, however many lanes it has); without, lanes.
    """

    sx: float
    dx: float
    sy: float
    dy: float
    index: ScheduleIndex | None = field(default=None, compare=False)

    def x(self, month: float) -> float:
        return self.sx * month + self.dx

    def y(self, row: float) -> float:
        """The pixel of a row position: ``y(r)`` is the top of row r, ``y(r + 0.5)`` its middle."""
        if self.index is None:
            return self.sy * row + self.dy
        return self.sy * self.index.row_y(row) + self.dy

    def lane_y(self, lanes: float) -> float:
        """The pixel of a point ``lanes`` lanes below the top of the first row."""
        return self.sy * lanes + self.dy

    def row_height(self, row: int) -> float:
        """Row ``row``'s height in pixels (its lanes × the lane height)."""
        if self.index is None or not 0 <= row < len(self.index.rows):
            return self.sy
        return self.sy * float(self.index.row_lanes[row])

    def month(self, px: float) -> float:
        return (px - self.dx) / self.sx


def bar_pixel_rect(m: Mapper, row: int, lane: int, start: int, end: int) -> QRectF:
    """Where the bar of a phase over months start..end in lane ``lane`` of ``row`` sits, in pixels."""
    top = m.y(row) + lane * m.sy + style.BAR_PAD
    return QRectF(m.x(start), top, m.x(end + 1) - m.x(start), m.sy - 2 * style.BAR_PAD)


class _Layer(pg.GraphicsObject):
    """A full-size item that paints in pixels, culled to the exposed rows."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__()
        self.state = state
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._rect = QRectF(0, 0, 1, 1)

    def refresh_geometry(self) -> None:
        """Call after the rows, their heights or the period change."""
        rect = QRectF(self.state.x_min, 0, self.state.x_max - self.state.x_min, max(self.state.index.height, 1.0))
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        t = painter.transform()
        m = Mapper(t.m11(), t.dx(), t.m22(), t.dy(), self.state.index)
        if m.sx <= 0 or m.sy == 0:
            return
        exposed = option.exposedRect
        top, bottom = sorted((exposed.top(), exposed.bottom()))
        r0, r1 = self.state.index.rows_between(top, bottom)
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
                p.fillRect(QRectF(left, y, width, m.row_height(r)), band)
            elif st.row_parity[r]:  # other rows show the view's white background
                p.fillRect(QRectF(left, y, width, m.row_height(r)), tint)
        sel_row = st.index.row_of(st.selection) if isinstance(st.selection, (Initiative, Pillar)) else None
        if sel_row is not None and r0 <= sel_row < r1:
            p.fillRect(QRectF(left, m.y(sel_row), width, m.row_height(sel_row)), style.SELECTION_ROW)
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
            p.drawText(QRectF(name_left, y, avail, m.row_height(r)), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


class BarLayer(_Layer):
    """The phases: coloured bars with legible labels; the selected bar outlined."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self._fonts = {size: style.ui_font(size) for size in (9.0, 7.5)}
        self._metrics = {size: QFontMetricsF(f) for size, f in self._fonts.items()}
        self._colors: dict[str, tuple[QColor, QPen, QColor, QBrush]] = {}
        self.drawn: set[Phase] = set()  # every phase painted since the last reset (tests count these)
        self.labels: dict[Phase, tuple[str, QRectF]] = {}  # the label text and box last painted (pixels)
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
        self.labels = {}

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
            lane = int(idx.p_lane[k])
            if phase is st.preview_item:
                preview = (phase, r, lane)
                continue
            rect = bar_pixel_rect(m, r, lane, phase.start, phase.end)
            nxt = int(idx.p_next[k])
            next_px = m.x(nxt) if nxt < _NO_NEXT else view_right
            chosen = phase is st.selection
            self._draw_bar(p, phase, rect, view_left, min(next_px, view_right), avoid.get((r, lane), ()), chosen)
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
            ghost = bar_pixel_rect(m, r, lane, phase.start, phase.end)
            p.setPen(QPen(style.SELECTION_OUTLINE, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(ghost, 3, 3)
            s, e = st.preview_span
            rect = bar_pixel_rect(m, r, lane, s, e)
            self._draw_bar(p, phase, rect, view_left, view_right, avoid.get((r, lane), ()), True)
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
        """The bar and its label: inside it, else beside it up to ``right_limit``; never over a milestone."""
        _, border, ink, brush = self._palette(phase.display_color)
        p.setPen(border)
        p.setBrush(brush)
        radius = min(3.0, rect.width() / 3)
        p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        self.drawn.add(phase)
        self.labels.pop(phase, None)
        label = bar_text(phase)
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
        inner_right = rect.right() - 4
        for a, _b in avoid:  # and end it before the next one
            if inner_left <= a < inner_right + 4:
                inner_right = min(inner_right, a - 3)
            if a >= rect.right():
                right_limit = min(right_limit, a)
        inner = inner_right - inner_left
        beside = right_limit - 6 - rect.right()
        fits_inside = inner >= want
        fits_beside = beside >= want
        if fits_inside or (not fits_beside and inner >= least + 1):
            text = label if fits_inside else fm.elidedText(label, Qt.TextElideMode.ElideRight, inner)
            p.setPen(ink)
            box = QRectF(inner_left, rect.top(), inner, rect.height())
        else:  # too narrow: write the label beside the bar, up to the next bar or milestone
            left = rect.right() + 3
            avail = right_limit - 3 - left
            if avail < least:
                return
            text = label if avail >= want else fm.elidedText(label, Qt.TextElideMode.ElideRight, avail)
            p.setPen(style.OUTSIDE_TEXT)
            box = QRectF(left, rect.top() - 2, avail, rect.height() + 4)
        p.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        width = want if text is label else fm.horizontalAdvance(text)
        self.labels[phase] = (text, QRectF(box.left(), box.top(), min(width, box.width()), box.height()))


_MS_FONT_SIZE = 8.0
_MS_LABEL_MAX = 180.0


@dataclass(frozen=True)
class MilestonePlace:
    """Where a milestone is drawn, in pixels: its diamond's centre and size, its label (may be elided)."""

    item: Milestone
    row: int
    lane: int
    cx: float
    cy: float
    size: float
    text: str  # "" when there is no room for even one character
    label_rect: QRectF | None


def milestone_places(st: TimelineState, m: Mapper, r0: int, r1: int) -> list[MilestonePlace]:
    """Every milestone of rows r0..r1-1 (the one being dragged at its previewed month).

    A label goes right of its diamond and ends before the next bar or milestone in the
    same lane (elided; the hover tooltip has it whole), so it never covers a bar's label.
    """
    idx = st.index
    r0, r1 = max(r0, 0), min(r1, len(idx.rows))
    out: list[MilestonePlace] = []
    if r1 <= r0 or not idx.milestone_count:
        return out
    fm = _ms_metrics()
    size = min(style.MILESTONE_SIZE, m.sy - 6)
    a, b = int(idx.m_ptr[r0]), int(idx.m_ptr[r1])
    rows = np.searchsorted(idx.m_ptr, np.arange(a, b), side="right") - 1
    # the next milestone in the same row and lane, by the month it is drawn at
    entries = [(int(rows[k - a]), int(idx.m_lane[k]), st.month_of(idx.m_items[k]), k) for k in range(a, b)]
    entries.sort()
    for pos, (r, lane, month, k) in enumerate(entries):
        ms = idx.m_items[k]
        cx = m.x(month + 0.5)
        cy = m.y(r) + (lane + 0.5) * m.sy
        limit = math.inf
        nxt = int(idx.m_next[k])
        if nxt < _NO_NEXT and ms is not st.preview_item:
            limit = m.x(nxt) - 3
        if pos + 1 < len(entries) and entries[pos + 1][:2] == (r, lane):
            limit = min(limit, m.x(entries[pos + 1][2] + 0.5) - size / 2 - 4)
        text, rect = "", None
        if ms.label:
            left = cx + size / 2 + 2
            avail = min(_MS_LABEL_MAX, limit - left - 6)
            if avail >= fm.horizontalAdvance(ms.label[:1] + "…"):
                text = fm.elidedText(ms.label, Qt.TextElideMode.ElideRight, avail)
                if text:
                    rect = QRectF(left, cy - fm.height() / 2 - 1, fm.horizontalAdvance(text) + 6, fm.height() + 2)
                else:
                    text = ""
        out.append(MilestonePlace(ms, r, lane, cx, cy, size, text, rect))
    return out


def milestone_boxes(st: TimelineState, m: Mapper, r0: int, r1: int) -> dict[tuple[int, int], list[tuple[float, float]]]:
    """Pixel x-extents (diamond and label) of the milestones in rows r0..r1-1, by (row, lane)."""
    out: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for place in milestone_places(st, m, r0, r1):
        right = place.label_rect.right() if place.label_rect is not None else place.cx + place.size / 2 + 2
        out.setdefault((place.row, place.lane), []).append((place.cx - place.size / 2 - 2, right))
    for boxes in out.values():
        boxes.sort()
    return out


_MS_FM: list[QFontMetricsF] = []


def _ms_metrics() -> QFontMetricsF:
    if not _MS_FM:
        _MS_FM.append(QFontMetricsF(style.ui_font(_MS_FONT_SIZE)))
    return _MS_FM[0]


class MilestoneLayer(_Layer):
    """Milestones: diamonds at the middle of their month, in their lane, with their label beside them."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self._font = style.ui_font(_MS_FONT_SIZE)
        self._fm = QFontMetricsF(self._font)
        self.drawn: set[Milestone] = set()
        self.labels: dict[Milestone, tuple[str, QRectF]] = {}  # the label text and box last painted

    def reset_drawn(self) -> None:
        self.drawn = set()
        self.labels = {}

    @staticmethod
    def diamond(cx: float, cy: float, size: float) -> QPolygonF:
        h = size / 2
        return QPolygonF([QPointF(cx, cy - h), QPointF(cx + h, cy), QPointF(cx, cy + h), QPointF(cx - h, cy)])

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        st = self.state
        if r1 <= r0:
            return
        reach = 220.0 / m.sx
        left_px, right_px = m.x(x0 - reach), m.x(x1 + 1)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        for place in milestone_places(st, m, r0, r1):
            ms, cx, cy, size = place.item, place.cx, place.cy, place.size
            if not left_px <= cx <= right_px:
                continue
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
            if place.label_rect is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(QColor(255, 255, 255, 215)))
                p.drawRoundedRect(place.label_rect, 3, 3)
                p.setPen(style.MILESTONE_TEXT)
                p.drawText(place.label_rect, Qt.AlignmentFlag.AlignCenter, place.text)
                self.labels[ms] = (place.text, place.label_rect)
            else:
                self.labels.pop(ms, None)


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
            bottom = m.lane_y(st.index.height) if st.row_count else m.y(r1)
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
