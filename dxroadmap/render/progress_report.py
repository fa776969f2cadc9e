"""The 進捗状況一覧 as a PDF, painted with QPainter (no widgets): the same rows as the workbook.

The rows come from :func:`dxroadmap.model.progress.progress_report`. Page 1 holds the title
and the summary counts by status and grade; every page repeats the column header and
numbers itself "n / N". Text is real PDF text in the Japanese font of
:mod:`dxroadmap.render.fonts` (repaired so it extracts as written), long cells wrap inside
their column, and a row never splits across pages. Units are decipoints (1/720 inch), as in
:mod:`dxroadmap.render.layout`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPainter, QPdfWriter, QPen

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.model.plan import Plan
from dxroadmap.model.progress import REPORT_COLUMNS, STATUS_COLOR, ProgressReport, progress_report
from dxroadmap.render.export import CREATOR, ensure_app
from dxroadmap.render.fonts import find_japanese_font, make_font
from dxroadmap.render.layout import wrap_text
from dxroadmap.render.page_setup import page_size, paper_mm
from dxroadmap.render.pdf_text import preferred_code_points, repair_to_unicode

__all__ = ["REPORT_PAPERS", "write_progress_pdf"]

REPORT_PAPERS = ("A4", "A3")
_MM = 720 / 25.4  # decipoints per millimetre
_MARGIN = 10 * _MM
_SHARES = (17, 8, 14, 6.5, 6.5, 6.5, 15, 6, 17)  # relative column widths, in REPORT_COLUMNS order
_PAD = 1.2 * _MM
_HEADER_FILL = "#1F4E78"
_PILLAR_FILL = "#D6DCE4"
_GRID = "#808080"


@dataclass
class _Item:
    kind: str  # "title", "summary", "header", "pillar", "row"
    y: float
    height: float
    cells: list[list[str]]  # wrapped lines per cell
    status: str | None = None
    depth: int = 0
    first: bool = True


class _Layout:
    def __init__(self, report: ProgressReport, paper: str, family: str) -> None:
        self.report = report
        self.width_mm, self.height_mm = paper_mm(paper, "landscape")
        self.page_w, self.page_h = self.width_mm * _MM, self.height_mm * _MM
        self.scale = 1.0 if paper == "A4" else 1.25  # A3 prints the same sheet a little larger
        s = self.scale
        self.fonts = {"title": make_font(family, 150 * s, True), "body": make_font(family, 75 * s),
                      "bold": make_font(family, 75 * s, True), "small": make_font(family, 65 * s),
                      "header": make_font(family, 75 * s, True), "pillar": make_font(family, 85 * s, True)}
        self.line_h = {k: QFontMetricsF(f).height() * 1.1 for k, f in self.fonts.items()}
        usable = self.page_w - 2 * _MARGIN
        total = sum(_SHARES)
        self.col_x: list[float] = []
        x = _MARGIN
        self.col_w = [usable * share / total for share in _SHARES]
        for w in self.col_w:
            self.col_x.append(x)
            x += w
        self.pages: list[list[_Item]] = []

    def wrap(self, text: str, font: str, width: float) -> list[str]:
        return wrap_text(text, self.fonts[font], width - 2 * _PAD) if text else []

    def build(self) -> None:
        report = self.report
        bottom = self.page_h - _MARGIN - self.line_h["small"] * 1.5
        page: list[_Item] = []
        y = _MARGIN
        title_lines = wrap_text(report.title, self.fonts["title"], self.page_w - 2 * _MARGIN)
        page.append(_Item("title", y, len(title_lines) * self.line_h["title"], [title_lines]))
        y += page[-1].height + 2 * _MM
        summary_h = self.line_h["body"] * 1.3 + 2 * (self.line_h["body"] + 2 * _PAD + _MM)
        page.append(_Item("summary", y, summary_h, []))
        y += summary_h + 4 * _MM

        header = [self.wrap(name, "header", w) for name, w in zip(REPORT_COLUMNS, self.col_w)]
        header_h = self.line_h["header"] + 2 * _PAD

        def start_page() -> None:
            nonlocal page, y
            self.pages.append(page)
            page, y = [], _MARGIN

        def put_header() -> None:
            nonlocal y
            page.append(_Item("header", y, header_h, header))
            y += header_h

        put_header()
        for section in report.sections:
            pillar_lines = [self.wrap(section.pillar, "pillar", self.page_w - 2 * _MARGIN)]
            pillar_h = len(pillar_lines[0]) * self.line_h["pillar"] + 2 * _PAD
            first_h = 0.0
            if section.rows:
                first_h = self._row(section.rows[0], 0).height
            if y + pillar_h + first_h > bottom and len(page) > 1:
                start_page()
                put_header()
            page.append(_Item("pillar", y, pillar_h, pillar_lines))
            y += pillar_h
            for row in section.rows:
                item = self._row(row, y)
                if y + item.height > bottom and page[-1].kind != "header":
                    start_page()
                    put_header()
                    item.y = y
                page.append(item)
                y += item.height
        self.pages.append(page)

    def _row(self, row, y: float) -> _Item:
        cells = []
        for k, (text, w) in enumerate(zip(row.cells, self.col_w)):
            indent = min(row.depth, 5) * 3 * _MM if k == 0 else 0
            font = "bold" if k == 0 and row.depth == 0 else "body"
            cells.append(self.wrap(text, font, w - indent))
        lines = max((len(c) for c in cells), default=1) or 1
        return _Item("row", y, lines * self.line_h["body"] + 2 * _PAD, cells, row.status, row.depth, row.first)


class _Painter:
    def __init__(self, painter: QPainter, layout: _Layout) -> None:
        self.p, self.m = painter, layout

    def text_lines(self, lines: list[str], x: float, y: float, font: str, color: str = "#000000") -> None:
        p = self.p
        p.setFont(self.m.fonts[font])
        p.setPen(QColor(color))
        ascent = QFontMetricsF(self.m.fonts[font]).ascent()
        for k, line in enumerate(lines):
            p.drawText(QPointF(x, y + k * self.m.line_h[font] + ascent), line)

    def box(self, x: float, y: float, w: float, h: float, fill: str | None) -> None:
        p = self.p
        pen = QPen(QColor(_GRID))
        pen.setWidthF(1.2)
        p.setPen(pen)
        if fill:
            p.setBrush(QColor(fill))
        else:
            p.setBrush(QColor(0, 0, 0, 0))
        p.drawRect(QRectF(x, y, w, h))

    def page(self, index: int) -> None:
        m = self.m
        for item in m.pages[index]:
            getattr(self, item.kind)(item)
        footer = f"{index + 1} / {len(m.pages)}"
        font = m.fonts["small"]
        w = QFontMetricsF(font).horizontalAdvance(footer)
        self.text_lines([footer], (m.page_w - w) / 2, m.page_h - _MARGIN - m.line_h["small"], "small")

    def title(self, item: _Item) -> None:
        self.text_lines(item.cells[0], _MARGIN, item.y, "title")

    def summary(self, item: _Item) -> None:
        m, report = self.m, self.m.report
        cell_h = m.line_h["body"] + 2 * _PAD
        label_w, item_w = 22 * _MM, 30 * _MM * m.scale
        info = f"対象年度：{report.fiscal_year_label}　　取組数：{len(report.initiative_names)}"
        self.text_lines([info], _MARGIN, item.y, "body")
        y = item.y + m.line_h["body"] * 1.3
        for heading, counts in report.summary_lines():
            self.box(_MARGIN, y, label_w, cell_h, _PILLAR_FILL)
            self.text_lines([heading], _MARGIN + _PAD, y + _PAD, "bold")
            for k, (label, count) in enumerate(counts):
                x = _MARGIN + label_w + k * item_w
                self.box(x, y, item_w, cell_h, None)
                self.text_lines([f"{label}　{count}件"], x + _PAD, y + _PAD, "body")
            y += cell_h + _MM

    def header(self, item: _Item) -> None:
        m = self.m
        for x, w, lines in zip(m.col_x, m.col_w, item.cells):
            self.box(x, item.y, w, item.height, _HEADER_FILL)
            lw = QFontMetricsF(m.fonts["header"]).horizontalAdvance(lines[0]) if lines else 0
            self.text_lines(lines, x + (w - lw) / 2, item.y + _PAD, "header", "#FFFFFF")

    def pillar(self, item: _Item) -> None:
        m = self.m
        self.box(_MARGIN, item.y, m.page_w - 2 * _MARGIN, item.height, _PILLAR_FILL)
        self.text_lines(item.cells[0], _MARGIN + _PAD, item.y + _PAD, "pillar")

    def row(self, item: _Item) -> None:
        m = self.m
        for k, (x, w, lines) in enumerate(zip(m.col_x, m.col_w, item.cells)):
            fill = STATUS_COLOR.get(item.status or "") if k == 6 else None
            self.box(x, item.y, w, item.height, fill)
            indent = min(item.depth, 5) * 3 * _MM if k == 0 else 0
            font = "bold" if k == 0 and item.depth == 0 else "body"
            self.text_lines(lines, x + _PAD + indent, item.y + _PAD, font)


def write_progress_pdf(plan: Plan, path: str | os.PathLike, fy: int | None = None, *, paper: str = "A4") -> Path:
    """Write ``plan``'s progress report for fiscal year ``fy`` as a landscape PDF (A4 or A3), atomically."""
    if paper not in REPORT_PAPERS:
        raise ValueError(f"paper must be one of {', '.join(REPORT_PAPERS)}, not {paper!r}")
    ensure_app()
    family = find_japanese_font()
    report = progress_report(plan, fy)
    layout = _Layout(report, paper, family)
    layout.build()
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(1200)
        writer.setTitle(report.title)
        writer.setCreator(CREATOR)
        if plan.organization:
            writer.setAuthor(plan.organization)
        writer.setPageLayout(QPageLayout(page_size(paper), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
        painter = QPainter()
        if not painter.begin(writer):
            raise PlanWriteError("unwritable", f"Could not start writing {Path(path).name}.",
                                 f"{Path(path).name} に書き込めませんでした。")
        try:
            painter.scale(writer.resolution() / 720.0, writer.resolution() / 720.0)
            draw = _Painter(painter, layout)
            for i in range(len(layout.pages)):
                if i:
                    writer.newPage()
                draw.page(i)
        finally:
            painter.end()
        del writer
        repair_to_unicode(tmp, preferred_code_points(QFont(layout.fonts["body"])))
    return Path(path)
