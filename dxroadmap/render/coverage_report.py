"""The 重点取組事項 coverage table as a landscape PDF painted with QPainter (no widgets).

The same rows as the workbook (:mod:`dxroadmap.io.xlsx.coverage_report`), from
:func:`dxroadmap.model.national.coverage_report`: every item of the plan's national version,
its category and the initiatives serving it; an uncovered item says 未対応 in bold on a shaded
cell. Real PDF text in the Japanese font of :mod:`dxroadmap.render.fonts`, the header repeated
on every page, "n / N" page numbers, written atomically. Units are decipoints (1/720 inch).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPainter, QPdfWriter, QPen

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.model.national import COVERAGE_COLUMNS, coverage_report
from dxroadmap.model.plan import Plan
from dxroadmap.render.export import CREATOR, ensure_app
from dxroadmap.render.fonts import find_japanese_font, make_font
from dxroadmap.render.layout import wrap_text
from dxroadmap.render.page_setup import page_size, paper_mm
from dxroadmap.render.pdf_text import preferred_code_points, repair_to_unicode

__all__ = ["write_coverage_pdf"]

_MM = 720 / 25.4
_MARGIN = 10 * _MM
_PAD = 1.2 * _MM
_SHARES = (4, 13, 28, 52, 6, 9)
_HEADER_FILL = "#1F4E78"
_UNCOVERED_FILL = "#F8CBAD"
_GRID = "#808080"


def write_coverage_pdf(plan: Plan, path: str | os.PathLike, *, paper: str = "A4") -> Path:
    """Write ``plan``'s coverage table as a landscape PDF (A4 or A3), atomically."""
    if paper not in ("A4", "A3"):
        raise ValueError(f"paper must be A4 or A3, not {paper!r}")
    ensure_app()
    family = find_japanese_font()
    report = coverage_report(plan)
    s = 1.0 if paper == "A4" else 1.3
    fonts = {"title": make_font(family, 150 * s, True), "body": make_font(family, 75 * s),
             "bold": make_font(family, 75 * s, True), "small": make_font(family, 65 * s)}
    line_h = {k: QFontMetricsF(f).height() * 1.1 for k, f in fonts.items()}
    w_mm, h_mm = paper_mm(paper, "landscape")
    page_w, page_h = w_mm * _MM, h_mm * _MM
    usable = page_w - 2 * _MARGIN
    col_w = [usable * share / sum(_SHARES) for share in _SHARES]
    col_x = [_MARGIN + sum(col_w[:k]) for k in range(len(col_w))]
    bottom = page_h - _MARGIN - 1.5 * line_h["small"]

    # pages of (kind, y, height, cells, covered)
    pages: list[list[tuple]] = [[]]
    y = _MARGIN
    for text, font in ((report.title, "title"), (report.summary, "body")):
        lines = wrap_text(text, fonts[font], usable)
        pages[-1].append(("text", y, len(lines) * line_h[font], [lines], font))
        y += len(lines) * line_h[font] + 1.5 * _MM
    y += 2 * _MM
    header = [wrap_text(name, fonts["bold"], w - 2 * _PAD) for name, w in zip(COVERAGE_COLUMNS, col_w)]
    header_h = max(len(c) for c in header) * line_h["bold"] + 2 * _PAD
    pages[-1].append(("header", y, header_h, header, True))
    y += header_h
    for cells, ok in report.table():
        wrapped = [sum((wrap_text(part, fonts["bold" if k in (2, 5) else "body"], w - 2 * _PAD) or [""]
                        for part in text.split("\n")), []) if text else [] for k, (text, w) in enumerate(zip(cells, col_w))]
        h = max(1, max(len(c) for c in wrapped)) * line_h["body"] + 2 * _PAD
        if y + h > bottom:
            pages.append([])
            y = _MARGIN
            pages[-1].append(("header", y, header_h, header, True))
            y += header_h
        pages[-1].append(("row", y, h, wrapped, ok))
        y += h
    if report.unknown_text:
        lines = wrap_text(report.unknown_text, fonts["body"], usable)
        if y + 2 * _MM + len(lines) * line_h["body"] > bottom:
            pages.append([])
            y = _MARGIN
        pages[-1].append(("text", y + 2 * _MM, len(lines) * line_h["body"], [lines], "body"))

    def draw_lines(p: QPainter, lines: list[str], x: float, top: float, font: str, color: str = "#000000") -> None:
        p.setFont(fonts[font])
        p.setPen(QColor(color))
        ascent = QFontMetricsF(fonts[font]).ascent()
        for k, line in enumerate(lines):
            p.drawText(QPointF(x, top + k * line_h[font] + ascent), line)

    def box(p: QPainter, x: float, top: float, w: float, h: float, fill: str | None) -> None:
        pen = QPen(QColor(_GRID))
        pen.setWidthF(1.2)
        p.setPen(pen)
        p.setBrush(QColor(fill) if fill else QColor(0, 0, 0, 0))
        p.drawRect(QRectF(x, top, w, h))

    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(1200)
        writer.setTitle(report.title)
        writer.setCreator(CREATOR)
        writer.setPageLayout(QPageLayout(page_size(paper), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
        p = QPainter()
        if not p.begin(writer):
            raise PlanWriteError("unwritable", f"Could not start writing {Path(path).name}.",
                                 f"{Path(path).name} に書き込めませんでした。")
        try:
            p.scale(writer.resolution() / 720.0, writer.resolution() / 720.0)
            for i, page in enumerate(pages):
                if i:
                    writer.newPage()
                for kind, top, h, cells, extra in page:
                    if kind == "text":
                        draw_lines(p, cells[0], _MARGIN, top, extra)
                        continue
                    for k, (x, w, lines) in enumerate(zip(col_x, col_w, cells)):
                        if kind == "header":
                            box(p, x, top, w, h, _HEADER_FILL)
                            draw_lines(p, lines, x + _PAD, top + _PAD, "bold", "#FFFFFF")
                        else:
                            box(p, x, top, w, h, None if extra or k not in (2, 5) else _UNCOVERED_FILL)
                            draw_lines(p, lines, x + _PAD, top + _PAD, "bold" if k in (2, 5) and not extra or k == 2 else "body")
                footer = f"{i + 1} / {len(pages)}"
                fw = QFontMetricsF(fonts["small"]).horizontalAdvance(footer)
                draw_lines(p, [footer], (page_w - fw) / 2, page_h - _MARGIN - line_h["small"], "small")
        finally:
            p.end()
        del writer
        repair_to_unicode(tmp, preferred_code_points(QFont(fonts["body"])))
    return Path(path)
