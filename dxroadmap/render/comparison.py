"""The 新旧対照表 as a landscape PDF painted with QPainter (no widgets): the same rows as the workbook.

The rows come from :func:`dxroadmap.model.versions.compare_plans`. Columns: 区分, then
取組名 / 概要 / 関係部門 / スケジュール for 旧 and for 新, then 変更内容; a band per pillar.
Changed text is underlined, bold and dark red (so it also reads in greyscale). Text is real
PDF text in the Japanese font of :mod:`dxroadmap.render.fonts`, repaired so it extracts as
written; every page repeats the header and numbers itself "n / N"; a row never splits
across pages. Units are decipoints (1/720 inch), as in :mod:`dxroadmap.render.layout`.
The file is written atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPainter, QPdfWriter, QPen

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.model.versions import COMPARED_FIELDS, FIELD_HEADINGS, STATUS_JA, Comparison, ComparisonRow, mark_changes
from dxroadmap.render.export import CREATOR, ensure_app
from dxroadmap.render.fonts import find_japanese_font, make_font
from dxroadmap.render.layout import wrap_text
from dxroadmap.render.page_setup import page_size, paper_mm
from dxroadmap.render.pdf_text import preferred_code_points, repair_to_unicode

__all__ = ["COMPARISON_PAPERS", "write_comparison_pdf", "wrap_runs"]

COMPARISON_PAPERS = ("A4", "A3")
_MM = 720 / 25.4  # decipoints per millimetre
_MARGIN = 10 * _MM
_PAD = 1.2 * _MM
_SHARES = {"status": 4.5, "name": 11, "summary": 16, "departments": 8, "schedule": 15, "what": 10}
_HEADER_FILL = "#1F4E78"
_PILLAR_FILL = "#D6DCE4"
_OLD_FILL = "#F2F2F2"
_MARK = "#C00000"
_GRID = "#808080"

Runs = list[tuple[str, bool]]


def wrap_runs(runs: Runs, width: float, plain: QFont, marked: QFont) -> list[Runs]:
    """Cut (text, changed) runs into lines no wider than ``width`` (changed text measured in ``marked``)."""
    metrics = {False: QFontMetricsF(plain), True: QFontMetricsF(marked)}
    lines: list[Runs] = [[]]
    x = 0.0

    def put(ch: str, changed: bool) -> None:
        line = lines[-1]
        if line and line[-1][1] == changed:
            line[-1] = (line[-1][0] + ch, changed)
        else:
            line.append((ch, changed))

    for text, changed in runs:
        for ch in text:
            if ch == "\n":
                lines.append([])
                x = 0.0
                continue
            w = metrics[changed].horizontalAdvance(ch)
            if x + w > width and lines[-1]:
                lines.append([])
                x = 0.0
                if ch == " ":
                    continue
            put(ch, changed)
            x += w
    return lines if lines != [[]] else []


@dataclass
class _Item:
    kind: str  # "title", "header", "pillar", "row", "note"
    y: float
    height: float
    cells: list[list[Runs]] = field(default_factory=list)
    old_side: list[bool] = field(default_factory=list)


class _Layout:
    def __init__(self, comparison: Comparison, title: str, paper: str, family: str) -> None:
        self.comparison = comparison
        self.title = f"{title}　新旧対照表" if title else "新旧対照表"
        w_mm, h_mm = paper_mm(paper, "landscape")
        self.page_w, self.page_h = w_mm * _MM, h_mm * _MM
        s = 1.0 if paper == "A4" else 1.3
        self.fonts = {"title": make_font(family, 150 * s, True), "body": make_font(family, 70 * s),
                      "mark": make_font(family, 70 * s, True), "header": make_font(family, 72 * s, True),
                      "pillar": make_font(family, 85 * s, True), "small": make_font(family, 65 * s)}
        self.line_h = {k: QFontMetricsF(f).height() * 1.1 for k, f in self.fonts.items()}
        keys = ["status"] + list(COMPARED_FIELDS) * 2 + ["what"]
        total = sum(_SHARES[k] for k in keys)
        usable = self.page_w - 2 * _MARGIN
        self.col_w = [usable * _SHARES[k] / total for k in keys]
        self.col_x = []
        x = _MARGIN
        for w in self.col_w:
            self.col_x.append(x)
            x += w
        self.pages: list[list[_Item]] = []

    def runs(self, runs: Runs, col: int) -> list[Runs]:
        return wrap_runs(runs, self.col_w[col] - 2 * _PAD, self.fonts["body"], self.fonts["mark"])

    def build(self) -> None:
        c = self.comparison
        bottom = self.page_h - _MARGIN - self.line_h["small"] * 1.5
        page: list[_Item] = []
        y = _MARGIN
        title = [[(t, False)] for t in wrap_text(self.title, self.fonts["title"], self.page_w - 2 * _MARGIN)]
        page.append(_Item("title", y, len(title) * self.line_h["title"], [title]))
        y += page[-1].height + _MM
        info = (f"旧：{c.old_label}　　新：{c.new_label}　　変更 {len(c.changes)} 件"
                f"（取組 {sum(1 for r in c.rows if r.kind == 'initiative')} 件）　　下線・太字の箇所が変更箇所")
        page.append(_Item("note", y, self.line_h["body"], [[[(info, False)]]]))
        y += self.line_h["body"] + 3 * _MM
        header_h = 2 * (self.line_h["header"] + 2 * _PAD)

        def new_page() -> None:
            nonlocal page, y
            self.pages.append(page)
            page, y = [], _MARGIN

        def header() -> None:
            nonlocal y
            page.append(_Item("header", y, header_h))
            y += header_h

        header()
        if not c.groups:
            page.append(_Item("note", y + _MM, self.line_h["body"], [[[("変更はありません。", False)]]]))
        for pillar, rows in c.groups:
            lines = [[(t, False)] for t in wrap_text(pillar or "（基本方針なし）", self.fonts["pillar"],
                                                      self.page_w - 2 * _MARGIN - 2 * _PAD)]
            pillar_h = len(lines) * self.line_h["pillar"] + 2 * _PAD
            first = self._row(rows[0], 0)
            if y + pillar_h + first.height > bottom and page[-1].kind != "header":
                new_page()
                header()
            page.append(_Item("pillar", y, pillar_h, [lines]))
            y += pillar_h
            for row in rows:
                item = self._row(row, y)
                if y + item.height > bottom and page[-1].kind not in ("header", "pillar"):
                    new_page()
                    header()
                    item.y = y
                page.append(item)
                y += item.height
        if c.by_name and (c.unmatched_old or c.unmatched_new):
            y += 2 * _MM
            texts = ["共通の ID がないため名前で照合しました。"]
            for label, names in (("旧にだけある取組", c.unmatched_old), ("新にだけある取組", c.unmatched_new)):
                if names:
                    texts.append(f"{label}（照合できなかったもの）：{'、'.join(names)}")
            lines = [[(t, False)] for text in texts for t in wrap_text(text, self.fonts["body"], self.page_w - 2 * _MARGIN)]
            h = len(lines) * self.line_h["body"]
            if y + h > bottom:
                new_page()
            page.append(_Item("note", y, h, [lines]))
        self.pages.append(page)

    def _row(self, row: ComparisonRow, y: float) -> _Item:
        n = len(COMPARED_FIELDS)
        status = STATUS_JA.get(row.status, row.status)
        cells: list[list[Runs]] = [self.runs([(status if row.kind == "initiative" else f"方針{status}", False)], 0)]
        old_cells, new_cells = [], []
        for k, f in enumerate(COMPARED_FIELDS):
            old = row.old.get(f) if row.old else None
            new = row.new.get(f) if row.new else None
            if old is not None and new is not None:
                left, right = mark_changes(old, new, words=f == "schedule")
            else:
                left = [(old, False)] if old else []
                right = [(new, False)] if new else []
            if row.old is None:
                left = [("（新規）", False)] if k == 0 else []
            if row.new is None:
                right = [("（削除）", True)] if k == 0 else []
            indent = [("　" * min(row.depth, 5), False)] if row.depth and k == 0 else []
            old_cells.append(self.runs(indent + left if left else left, 1 + k))
            new_cells.append(self.runs(indent + right if right else right, 1 + n + k))
        cells += old_cells + new_cells + [self.runs([(row.what, False)], 1 + 2 * n)]
        lines = max((len(cell) for cell in cells), default=1) or 1
        old_side = [False] + [True] * n + [False] * (n + 1)
        return _Item("row", y, lines * self.line_h["body"] + 2 * _PAD, cells, old_side)


class _Painter:
    def __init__(self, painter: QPainter, layout: _Layout) -> None:
        self.p, self.m = painter, layout

    def runs(self, lines: list[Runs], x: float, y: float, font: str = "body", color: str = "#000000") -> None:
        p, m = self.p, self.m
        for k, line in enumerate(lines):
            base = y + k * m.line_h[font] + QFontMetricsF(m.fonts[font]).ascent()
            cx = x
            for text, changed in line:
                f = m.fonts["mark"] if changed else m.fonts[font]
                p.setFont(f)
                p.setPen(QColor(_MARK if changed else color))
                p.drawText(QPointF(cx, base), text)
                w = QFontMetricsF(f).horizontalAdvance(text)
                if changed and text.strip():
                    pen = QPen(QColor(_MARK))
                    pen.setWidthF(max(1.0, QFontMetricsF(f).lineWidth()))
                    p.setPen(pen)
                    under = base + QFontMetricsF(f).underlinePos()
                    p.drawLine(QPointF(cx, under), QPointF(cx + w, under))
                cx += w

    def box(self, x: float, y: float, w: float, h: float, fill: str | None) -> None:
        pen = QPen(QColor(_GRID))
        pen.setWidthF(1.2)
        self.p.setPen(pen)
        self.p.setBrush(QColor(fill) if fill else QColor(0, 0, 0, 0))
        self.p.drawRect(QRectF(x, y, w, h))

    def page(self, index: int) -> None:
        m = self.m
        for item in m.pages[index]:
            getattr(self, item.kind)(item)
        footer = f"{index + 1} / {len(m.pages)}"
        w = QFontMetricsF(m.fonts["small"]).horizontalAdvance(footer)
        self.runs([[(footer, False)]], (m.page_w - w) / 2, m.page_h - _MARGIN - m.line_h["small"], "small")

    def title(self, item: _Item) -> None:
        self.runs(item.cells[0], _MARGIN, item.y, "title")

    def note(self, item: _Item) -> None:
        self.runs(item.cells[0], _MARGIN, item.y)

    def _centred(self, text: str, x: float, y: float, w: float) -> None:
        tw = QFontMetricsF(self.m.fonts["header"]).horizontalAdvance(text)
        self.runs([[(text, False)]], x + max((w - tw) / 2, _PAD), y + _PAD, "header", "#FFFFFF")

    def header(self, item: _Item) -> None:
        m, n = self.m, len(COMPARED_FIELDS)
        half = item.height / 2
        self.box(m.col_x[0], item.y, m.col_w[0], item.height, _HEADER_FILL)
        self._centred("区分", m.col_x[0], item.y + half / 2, m.col_w[0])
        for side, label in enumerate((f"旧（{m.comparison.old_label}）", f"新（{m.comparison.new_label}）")):
            first = 1 + side * n
            span = sum(m.col_w[first:first + n])
            self.box(m.col_x[first], item.y, span, half, _HEADER_FILL)
            self._centred(label, m.col_x[first], item.y, span)
            for k, f in enumerate(COMPARED_FIELDS):
                self.box(m.col_x[first + k], item.y + half, m.col_w[first + k], half, _HEADER_FILL)
                self._centred(FIELD_HEADINGS[f], m.col_x[first + k], item.y + half, m.col_w[first + k])
        last = 1 + 2 * n
        self.box(m.col_x[last], item.y, m.col_w[last], item.height, _HEADER_FILL)
        self._centred("変更内容", m.col_x[last], item.y + half / 2, m.col_w[last])

    def pillar(self, item: _Item) -> None:
        m = self.m
        self.box(_MARGIN, item.y, m.page_w - 2 * _MARGIN, item.height, _PILLAR_FILL)
        self.runs(item.cells[0], _MARGIN + _PAD, item.y + _PAD, "pillar")

    def row(self, item: _Item) -> None:
        m = self.m
        for k, (x, w, lines) in enumerate(zip(m.col_x, m.col_w, item.cells)):
            self.box(x, item.y, w, item.height, _OLD_FILL if item.old_side[k] else None)
            self.runs(lines, x + _PAD, item.y + _PAD)


def write_comparison_pdf(comparison: Comparison, path: str | os.PathLike, *, title: str = "",
                         paper: str = "A4") -> Path:
    """Write ``comparison`` as a landscape PDF (A4 or A3) with vector text, atomically."""
    if paper not in COMPARISON_PAPERS:
        raise ValueError(f"paper must be one of {', '.join(COMPARISON_PAPERS)}, not {paper!r}")
    ensure_app()
    layout = _Layout(comparison, title, paper, find_japanese_font())
    layout.build()
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(1200)
        writer.setTitle(layout.title)
        writer.setCreator(CREATOR)
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
