"""The header above the timeline: fiscal years, then quarters or months, and today.

A plain QWidget painted with QPainter, kept in step with the plot's x range. Line 1
names each fiscal year (令和5年度（2023）, shortened to 令和5年度, R5 or 2023 when the
year is narrow); line 2 shows months (4月 … 3月) when there is room, else quarters
(Q1 … Q4), else halves (上期/下期).
"""

from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from dxroadmap.model.fiscal import fiscal_year_of, year_month
from dxroadmap.model.wareki import YearStyle, format_fiscal_year
from dxroadmap.ui.timeline import style
from dxroadmap.ui.timeline.state import TimelineState

__all__ = ["HeaderWidget", "year_labels", "sub_unit", "sub_label"]


def year_labels(fy: int, preferred: YearStyle, lang: str = "ja") -> list[str]:
    """Ways to write fiscal year ``fy`` in the ``preferred`` style, longest first (for narrow years).

    令和5年度（2023） → 令和5年度 → R5; 2023年度 → 2023. In English the era is abbreviated
    and the Western year written FY2023.
    """
    era = format_fiscal_year(fy, YearStyle.ERA)
    short = format_fiscal_year(fy, YearStyle.ERA_SHORT)
    if lang == "en":
        table = {
            YearStyle.ERA_WESTERN: [f"{short} (FY{fy})", f"FY{fy}", short],
            YearStyle.ERA: [short],
            YearStyle.ERA_SHORT: [short],
            YearStyle.WESTERN: [f"FY{fy}", str(fy)],
        }
    else:
        table = {
            YearStyle.ERA_WESTERN: [format_fiscal_year(fy, YearStyle.ERA_WESTERN), era, short],
            YearStyle.ERA: [era, short],
            YearStyle.ERA_SHORT: [short],
            YearStyle.WESTERN: [format_fiscal_year(fy, YearStyle.WESTERN), str(fy)],
        }
    return table[preferred]


def sub_unit(px_per_month: float, month_min_px: float = 26.0) -> int:
    """The second line's unit in months: 1 (months), 3 (quarters), 6 (halves) or 0 (none)."""
    if px_per_month >= month_min_px:
        return 1
    if px_per_month * 3 >= 24:
        return 3
    if px_per_month * 6 >= 30:
        return 6
    return 0


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HALF = {"ja": ("上期", "下期"), "en": ("H1", "H2")}


def sub_label(m: int, unit: int, lang: str = "ja", quarter_months: bool = False) -> str:
    """The header's second line for the unit starting at month index ``m``: 7月, Q2 or 4-6月, 上期."""
    _, month = year_month(m)
    fpos = (month - 4) % 12  # 0 = April
    if unit == 1:
        return f"{month}月" if lang != "en" else _MONTHS_EN[month - 1]
    if unit == 3:
        if not quarter_months:
            return f"Q{fpos // 3 + 1}"
        last = (month + 1) % 12 + 1
        return f"{month}-{last}月" if lang != "en" else f"{_MONTHS_EN[month - 1]}–{_MONTHS_EN[last - 1]}"
    return _HALF.get(lang, _HALF["ja"])[fpos // 6]


class HeaderWidget(QWidget):
    """Paints the header for the visible month range ``x_range()`` → (first month, last month)."""

    def __init__(self, state: TimelineState, x_range: Callable[[], tuple[float, float]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._x_range = x_range
        self.setFixedHeight(style.HEADER_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._year_font = style.ui_font(9.5, bold=True)
        self._sub_font = style.ui_font(8.5)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def paintEvent(self, event: QPaintEvent) -> None:
        x0, x1 = self._x_range()
        w = self.width()
        if x1 <= x0 or w <= 0:
            return
        sx = w / (x1 - x0)

        def px(month: float) -> float:
            return (month - x0) * sx

        st = self.state
        p = QPainter(self)
        p.fillRect(self.rect(), style.HEADER_BG)
        line = style.HEADER_LINE
        # Period outside the plan: the same wash as the rows.
        if x0 < st.first_month:
            p.fillRect(QRectF(0, 0, px(st.first_month), self.height()), style.OUTSIDE_PERIOD)
        if x1 > st.last_month + 1:
            a = px(st.last_month + 1)
            p.fillRect(QRectF(a, 0, w - a, self.height()), style.OUTSIDE_PERIOD)
        # Drag preview: the months the dragged item will cover.
        if st.preview_item is not None:
            s, e = st.preview_span
            p.fillRect(QRectF(px(s), line, px(e + 1) - px(s), line), QColor(51, 133, 255, 70))
        # Fiscal years.
        p.setFont(self._year_font)
        fm = QFontMetricsF(self._year_font)
        first_fy = fiscal_year_of(int(math.floor(x0)))
        last_fy = fiscal_year_of(int(math.ceil(x1)))
        for fy in range(first_fy, last_fy + 1):
            a = (fy * 12 + 3)
            left, right = px(a), px(a + 12)
            vis_left, vis_right = max(left, 0.0), min(right, float(w))
            avail = vis_right - vis_left - 6
            if avail > 8:
                text = next((t for t in year_labels(fy, st.year_style, st.lang) if fm.horizontalAdvance(t) <= avail), None)
                if text is None:
                    text = fm.elidedText(year_labels(fy, st.year_style, st.lang)[-1], Qt.TextElideMode.ElideRight, avail)
                outside = fy < fiscal_year_of(st.first_month) or fy > fiscal_year_of(st.last_month)
                p.setPen(QColor("#7A8594") if outside else style.HEADER_TEXT)
                p.drawText(QRectF(vis_left + 3, 0, avail, line), Qt.AlignmentFlag.AlignCenter, text)
            p.setPen(QPen(style.FY_LINE, 1))
            x = round(left) + 0.5
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        # Second line: months, quarters or halves.
        unit = sub_unit(sx)
        if unit:
            p.setFont(self._sub_font)
            sfm = QFontMetricsF(self._sub_font)
            start = int(math.floor(x0))
            start -= (start - 3) % unit  # align to the unit within the fiscal year
            lang = st.lang
            for a in range(start, int(math.ceil(x1)) + 1, unit):
                left, right = px(a), px(a + unit)
                _, month = year_month(a)
                fpos = (month - 4) % 12  # 0 = April
                text = sub_label(a, unit, lang, st.quarter_months)
                if unit == 3 and st.quarter_months and sfm.horizontalAdvance(text) > right - left - 2:
                    text = sub_label(a, unit, lang)  # too narrow for 4-6月: Q1 rather than nothing
                if sfm.horizontalAdvance(text) <= right - left - 2:
                    p.setPen(style.HEADER_TEXT)
                    p.drawText(QRectF(left, line, right - left, line), Qt.AlignmentFlag.AlignCenter, text)
                if fpos != 0:
                    p.setPen(QPen(style.HEADER_LINE_COLOR, 1))
                    x = round(left) + 0.5
                    p.drawLine(QPointF(x, line + 3), QPointF(x, self.height()))
        p.setPen(QPen(style.HEADER_LINE_COLOR, 1))
        p.drawLine(QPointF(0, line + 0.5), QPointF(w, line + 0.5))
        p.drawLine(QPointF(0, self.height() - 0.5), QPointF(w, self.height() - 0.5))
        # Today: a small red marker on the bottom edge.
        if x0 <= st.today <= x1:
            x = px(st.today)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(style.TODAY))
            h = self.height()
            p.drawPolygon(QPolygonF([QPointF(x - 5, h - 7), QPointF(x + 5, h - 7), QPointF(x, h)]))
        p.end()
