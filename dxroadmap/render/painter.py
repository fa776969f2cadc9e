"""Draw one page of a laid-out roadmap sheet with QPainter, as vectors only.

Title, organization and print date; the table header (取組内容 / 概要 / 関係部門 /
令和5年度（2023）… with month, quarter or half ticks); pillar bands; rows with wrapped
text; phase bars with legible labels; milestones as ◆; the legend; "x / y".
No QImage or QPixmap is used, so a PDF stays vector and its text stays text.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from dxroadmap.render.layout import BarGeom, MilestoneGeom, RowGeom, SheetLayout, TextBox

__all__ = ["paint_page", "COLORS"]

COLORS = {
    "header": "#2F4F7F",
    "tick": "#D9E1F2",
    "pillar": "#1F3864",
    "pillar_accent": "#F4B183",
    "border": "#7F7F7F",
    "grid_year": "#7F7F7F",
    "grid_minor": "#D0D0D0",
    "row_alt": "#F7F9FC",
    "milestone": "#C00000",
    "text": "#1A1A1A",
}
HAIRLINE = 4.0  # 0.4 pt
THIN = 2.5


def _pen(color: str, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color), width, style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def _draw_text(p: QPainter, sheet: SheetLayout, box: TextBox, dx: float = 0.0, dy: float = 0.0) -> None:
    if not box.lines:
        return
    font = sheet.fonts[box.role]
    p.setFont(font)
    p.setPen(QColor(box.color))
    fm = p.fontMetrics()
    line = fm.lineSpacing()
    ascent = fm.ascent()
    rect = box.rect.translated(dx, dy)
    y = rect.top()
    if box.valign == "center":
        y = rect.top() + (rect.height() - line * len(box.lines)) / 2
    for text in box.lines:
        if text:
            w = fm.horizontalAdvance(text)
            if box.align == "center":
                x = rect.left() + (rect.width() - w) / 2
            elif box.align == "right":
                x = rect.right() - w
            else:
                x = rect.left()
            p.drawText(QPointF(x, y + ascent), text)
        y += line


def _paint_title(p: QPainter, sheet: SheetLayout) -> None:
    for box in sheet.title_texts:
        _draw_text(p, sheet, box)
    top = sheet.header_top - 30
    p.setPen(_pen(COLORS["pillar"], 10))
    p.drawLine(QPointF(0, top), QPointF(sheet.width, top))


def _paint_header(p: QPainter, sheet: SheetLayout) -> None:
    p.setPen(_pen("#FFFFFF", THIN))
    for rect, role in sheet.header_cells:
        p.setBrush(QBrush(QColor(COLORS[role])))
        p.drawRect(rect)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for box in sheet.header_texts:
        _draw_text(p, sheet, box)


def _paint_grid(p: QPainter, sheet: SheetLayout, top: float, bottom: float) -> None:
    for x, kind in sheet.grid:
        if kind == "minor":
            p.setPen(_pen(COLORS["grid_minor"], THIN, Qt.PenStyle.DotLine))
        else:
            p.setPen(_pen(COLORS["grid_year"], HAIRLINE))
        p.drawLine(QPointF(x, top), QPointF(x, bottom))
    p.setPen(_pen(COLORS["border"], HAIRLINE))
    for col in sheet.columns[1:]:
        p.drawLine(QPointF(col.x, top), QPointF(col.x, bottom))
    p.drawLine(QPointF(sheet.timeline_x0, top), QPointF(sheet.timeline_x0, bottom))


def _paint_pillar(p: QPainter, sheet: SheetLayout, row: RowGeom, y: float) -> None:
    rect = QRectF(0, y, sheet.width, row.height)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor(COLORS["pillar"])))
    p.drawRect(rect)
    p.setBrush(QBrush(QColor(COLORS["pillar_accent"])))
    p.drawRect(QRectF(0, y, 40, row.height))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for box in row.texts:
        _draw_text(p, sheet, box, 0, y)


def _bar_path(rect: QRectF, open_left: bool, open_right: bool) -> QPainterPath:
    """A bar; an end that continues beyond the printed years is drawn as an arrow point."""
    tip = min(rect.height() * 0.45, rect.width() * 0.4)
    path = QPainterPath()
    top, bottom, mid = rect.top(), rect.bottom(), rect.center().y()
    left, right = rect.left(), rect.right()
    pts = [QPointF(left, top)]
    if open_right:
        pts += [QPointF(right - tip, top), QPointF(right, mid), QPointF(right - tip, bottom)]
    else:
        pts += [QPointF(right, top), QPointF(right, bottom)]
    pts.append(QPointF(left, bottom))
    if open_left:
        pts.append(QPointF(left + tip, mid))
    path.addPolygon(QPolygonF(pts))
    path.closeSubpath()
    return path


def _paint_bar(p: QPainter, sheet: SheetLayout, bar: BarGeom, y: float) -> None:
    rect = bar.rect.translated(0, y)
    fill = QColor(bar.color)
    p.setPen(_pen(fill.darker(135).name(), THIN))
    p.setBrush(QBrush(fill))
    p.drawPath(_bar_path(rect, bar.open_left, bar.open_right))
    p.setBrush(Qt.BrushStyle.NoBrush)
    if bar.label and bar.label_rect is not None:
        box = TextBox(bar.label_rect, [bar.label], "bar", "center" if bar.label_inside else "left",
                      bar.text_color, "center")
        p.save()
        if bar.label_inside:
            p.setClipRect(rect)
        _draw_text(p, sheet, box, 0, y)
        p.restore()


def diamond(center: QPointF, size: float) -> QPolygonF:
    h = size / 2
    return QPolygonF([QPointF(center.x(), center.y() - h), QPointF(center.x() + h, center.y()),
                      QPointF(center.x(), center.y() + h), QPointF(center.x() - h, center.y())])


def _paint_milestone(p: QPainter, sheet: SheetLayout, ms: MilestoneGeom, y: float) -> None:
    center = ms.center + QPointF(0, y)
    p.setPen(_pen("#7F0000", THIN))
    p.setBrush(QBrush(QColor(COLORS["milestone"])))
    p.drawPolygon(diamond(center, ms.size))
    p.setBrush(Qt.BrushStyle.NoBrush)
    if ms.label and ms.label_rect is not None:
        _draw_text(p, sheet, TextBox(ms.label_rect, [ms.label], "milestone", "left", COLORS["text"], "center"), 0, y)


def _paint_initiative(p: QPainter, sheet: SheetLayout, row: RowGeom, y: float, shade: bool) -> None:
    if shade:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(COLORS["row_alt"])))
        p.drawRect(QRectF(0, y, sheet.width, row.height))
        p.setBrush(Qt.BrushStyle.NoBrush)
    for box in row.texts:
        _draw_text(p, sheet, box, 0, y)


def _paint_legend(p: QPainter, sheet: SheetLayout, page_text: str) -> None:
    for entry in sheet.legend:
        if entry.kind == "phase":
            fill = QColor(entry.color)
            p.setPen(_pen(fill.darker(135).name(), THIN))
            p.setBrush(QBrush(fill))
            p.drawRect(entry.swatch)
        elif entry.kind == "milestone":
            p.setPen(_pen("#7F0000", THIN))
            p.setBrush(QBrush(QColor(COLORS["milestone"])))
            p.drawPolygon(diamond(entry.swatch.center(), entry.swatch.height()))
        p.setBrush(Qt.BrushStyle.NoBrush)
        _draw_text(p, sheet, TextBox(entry.text_rect, [entry.label], "legend", "left", COLORS["text"], "center"))
    _draw_text(p, sheet, TextBox(sheet.page_number_rect, [page_text], "page", "right", COLORS["text"], "center"))


def paint_page(p: QPainter, sheet: SheetLayout, index: int, device_per_unit: float) -> None:
    """Paint page ``index`` (0-based) of ``sheet``.

    ``device_per_unit`` is how many device units make one decipoint of paper (1200 dpi
    PDF: 1200/720); the painter's origin must be the paper's top-left corner.
    """
    page = sheet.pages[index]
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    p.scale(device_per_unit, device_per_unit)
    p.translate(sheet.margins[0], sheet.margins[1])
    p.scale(sheet.scale, sheet.scale)

    _paint_title(p, sheet)
    _paint_header(p, sheet)
    top = sheet.body_top
    bottom = top + (page.rows[-1][0] + page.rows[-1][1].height if page.rows else 0)
    shade = False
    for y, row in page.rows:
        if row.kind == "initiative":
            _paint_initiative(p, sheet, row, top + y, shade)
            shade = not shade
        else:
            shade = False
    _paint_grid(p, sheet, top, bottom)
    # row separators, then bands and bars on top of the grid
    p.setPen(_pen(COLORS["border"], HAIRLINE))
    for y, row in page.rows:
        p.drawLine(QPointF(0, top + y + row.height), QPointF(sheet.width, top + y + row.height))
    for y, row in page.rows:
        if row.kind != "initiative":
            _paint_pillar(p, sheet, row, top + y)
        else:
            for bar in row.bars:
                _paint_bar(p, sheet, bar, top + y)
            for ms in row.milestones:
                _paint_milestone(p, sheet, ms, top + y)
    # outer frame of the table
    p.setPen(_pen(COLORS["border"], 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(0, sheet.header_top, sheet.width, bottom - sheet.header_top))
    _paint_legend(p, sheet, sheet.page_text(page))
    p.restore()
