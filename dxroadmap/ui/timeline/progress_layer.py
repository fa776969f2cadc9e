"""The timeline's 進捗 view: each initiative's status for each fiscal year, in that year's band.

Shown when the 進捗 view mode is on (表示 › 進捗を表示). For every fiscal year an
initiative has a progress entry for, a badge at the right end of the year's cell in
that row: the status's light fill (:data:`~dxroadmap.model.progress.STATUS_COLOR`) and
its symbol (:data:`~dxroadmap.model.progress.STATUS_SYMBOL`, readable in greyscale
print) followed by its word when there is room. Delayed and suspended years also get
a strong frame around the whole year cell (solid for 遅延, dashed for 休止), so they
stand out at a glance. Like the other layers it is one item over the whole scroll
area with an explicit bounding rectangle, painting in pixels only the exposed rows.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen

from dxroadmap.model.fiscal import fy_first_month, fy_last_month
from dxroadmap.model.plan import Initiative
from dxroadmap.model.progress import STATUS_COLOR, STATUS_SYMBOL, STATUSES
from dxroadmap.ui.strings import tr
from dxroadmap.ui.timeline import style
from dxroadmap.ui.timeline.layers import Mapper, _Layer
from dxroadmap.ui.timeline.state import TimelineState

__all__ = ["ProgressLayer", "STATUS_FRAME", "badge_rect"]

# A strong frame around the year cell of the statuses that need attention.
STATUS_FRAME = {"delayed": QColor("#C00000"), "suspended": QColor("#404040")}
_BADGE_BORDER = {s: QColor(c).darker(150) for s, c in STATUS_COLOR.items()}
_FILL = {s: QBrush(QColor(c)) for s, c in STATUS_COLOR.items()}
_INK = QColor("#1F2A3A")


def badge_rect(m: Mapper, row: int, fy: int, width: float) -> QRectF:
    """Where the status badge of year ``fy`` in ``row`` sits, in pixels (right end of the year's cell)."""
    right = m.x(fy_last_month(fy) + 1) - 3
    left = max(m.x(fy_first_month(fy)) + 3, right - width)
    pad = 5.0
    return QRectF(left, m.y(row) + pad, right - left, m.sy - 2 * pad)


class ProgressLayer(_Layer):
    """Status badges per initiative and fiscal year (the 進捗 view); ``drawn`` records what was painted."""

    def __init__(self, state: TimelineState) -> None:
        super().__init__(state)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the overlay takes the mouse
        self._font = style.ui_font(8.5, bold=True)
        self._fm = QFontMetricsF(self._font)
        self._texts: dict[str, dict[str, str]] = {}
        self._wides: dict[str, float] = {}
        self._narrow = max(self._fm.horizontalAdvance(STATUS_SYMBOL[s]) for s in STATUS_SYMBOL) + 8
        # (initiative uid, fiscal year) → status, for every badge painted since the last reset
        self.drawn: dict[tuple[str, int], str] = {}

    def reset_drawn(self) -> None:
        self.drawn = {}

    def _words(self, lang: str) -> tuple[dict[str, str], float]:
        """The badge texts (symbol and word) in ``lang`` and the width of the widest badge."""
        if lang not in self._texts:
            self._texts[lang] = {s: f"{STATUS_SYMBOL[s]} {tr('prog.status.' + s, lang=lang)}" for s in STATUSES}
            self._wides[lang] = max(self._fm.horizontalAdvance(t) for t in self._texts[lang].values()) + 10
        return self._texts[lang], self._wides[lang]

    def draw(self, p: QPainter, m: Mapper, r0: int, r1: int, x0: float, x1: float) -> None:
        st = self.state
        rows = st.index.rows
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        year_px = m.sx * 12
        words, wide_px = self._words(st.lang)
        wide = year_px >= wide_px + 12
        if year_px < self._narrow + 4:
            return  # zoomed out too far for a badge per year
        for r in range(r0, min(r1, len(rows))):
            init = rows[r].obj
            if not isinstance(init, Initiative) or not init.progress:
                continue
            for fy, entry in init.progress.items():
                first, last = fy_first_month(fy), fy_last_month(fy) + 1
                if last < x0 or first > x1:
                    continue
                status = entry.status
                frame = STATUS_FRAME.get(status)
                if frame is not None:
                    pen = QPen(frame, 2.0, Qt.PenStyle.SolidLine if status == "delayed" else Qt.PenStyle.DashLine)
                    p.setPen(pen)
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRect(QRectF(m.x(first) + 1.5, m.y(r) + 1.5, m.x(last) - m.x(first) - 3, m.row_height(r) - 3))
                text = words[status] if wide else STATUS_SYMBOL[status]
                rect = badge_rect(m, r, fy, wide_px if wide else self._narrow)
                p.setPen(QPen(_BADGE_BORDER[status], 1))
                p.setBrush(_FILL[status])
                p.drawRoundedRect(rect, 3, 3)
                p.setPen(_INK)
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                self.drawn[(init.uid, fy)] = status
