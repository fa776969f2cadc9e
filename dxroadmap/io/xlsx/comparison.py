"""The 新旧対照表 as an Excel workbook: per changed initiative, 旧 and 新 side by side, grouped by pillar.

The rows come from :func:`dxroadmap.model.versions.compare_plans`, so the workbook, the PDF
(:mod:`dxroadmap.render.comparison`) and the command line say the same thing. Columns: 区分
(変更/追加/削除), then 取組名 / 概要 / 関係部門 / スケジュール for 旧 and again for 新, then 変更内容.
Changed text is rich text, underlined, bold and dark red, so it still reads on a greyscale
print; a row added or removed says so on the empty side. Printed landscape on A4 or A3,
fitted to the page width, with the two header rows repeated on every page.
"""

from __future__ import annotations

import math
import os
import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.io.xlsx.export import PAPER_SIZES, sheet_text
from dxroadmap.model.versions import COMPARED_FIELDS, FIELD_HEADINGS, STATUS_JA, Comparison, ComparisonRow, mark_changes

__all__ = ["SHEET_NAME", "COMPARISON_PAPERS", "build_comparison_workbook",
           "write_comparison_workbook"]

SHEET_NAME = "新旧対照表"
COMPARISON_PAPERS = ("A4", "A3")
_WIDTHS = {"name": 18, "summary": 28, "departments": 12, "schedule": 24}
_FONT = "游ゴシック"
_SIZE = 9
_MARK_COLOR = "C00000"  # dark red: with the underline and bold it also reads in greyscale
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = "1F4E78"
_PILLAR_FILL = "D6DCE4"
_SIDE_FILL = {"old": "F2F2F2", "new": "FFFFFF"}


def _lines(text: str, width: float, size: float = _SIZE) -> int:
    usable = max(width - 1.0, 1.0)
    total = 0
    for line in text.split("\n") if text else [""]:
        wide = sum(1 for ch in line if unicodedata.east_asian_width(ch) in "WFA")
        total += max(1, math.ceil((wide * 0.19 + (len(line) - wide) * 0.1) * size / usable))
    return total


def _style(cell: Any, *, bold: bool = False, size: float = _SIZE, color: str = "000000", fill: str | None = None,
           horizontal: str = "left", border: bool = True) -> None:
    cell.font = Font(name=_FONT, size=size, bold=bold, color=color)
    cell.alignment = Alignment(horizontal=horizontal, vertical="top" if horizontal == "left" else "center",
                               wrap_text=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if border:
        cell.border = _BORDER


def _put(ws: Any, row: int, col: int, text: str, **style: Any) -> None:
    cell = ws.cell(row, col)
    value = sheet_text(text) or None
    cell.value = value
    if value:
        cell.data_type = "s"
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True
    _style(cell, **style)


def _put_marked(ws: Any, row: int, col: int, runs: list[tuple[str, bool]], fill: str) -> None:
    """A cell whose changed runs are underlined, bold and dark red (rich text)."""
    cell = ws.cell(row, col)
    _style(cell, fill=fill)
    if not any(changed for _, changed in runs):
        cell.value = sheet_text("".join(text for text, _ in runs)) or None
        return
    plain = InlineFont(rFont=_FONT, sz=_SIZE)
    marked = InlineFont(rFont=_FONT, sz=_SIZE, b=True, u="single", color=_MARK_COLOR)
    cell.value = CellRichText([TextBlock(marked if changed else plain, sheet_text(text)) for text, changed in runs
                               if sheet_text(text)])


def build_comparison_workbook(comparison: Comparison, *, title: str = "", paper: str = "A4") -> Workbook:
    """The openpyxl workbook of ``comparison`` (``title``: the plan's title, printed above the table)."""
    if paper not in COMPARISON_PAPERS:
        raise ValueError(f"paper must be one of {', '.join(COMPARISON_PAPERS)}, not {paper!r}")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    heading = f"{title}　新旧対照表" if title else "新旧対照表"
    wb.properties.title = sheet_text(heading)[:255]
    wb.properties.creator = "dxroadmap"
    fields = COMPARED_FIELDS
    n = 2 + 2 * len(fields)
    ws.column_dimensions["A"].width = 6
    for side in range(2):
        for k, f in enumerate(fields):
            ws.column_dimensions[get_column_letter(2 + side * len(fields) + k)].width = _WIDTHS[f]
    ws.column_dimensions[get_column_letter(n)].width = 18

    _put(ws, 1, 1, heading, bold=True, size=14, border=False)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 24
    info = (f"旧：{comparison.old_label}　　新：{comparison.new_label}　　変更 {len(comparison.changes)} 件"
            f"（取組 {sum(1 for r in comparison.rows if r.kind == 'initiative')} 件）　　"
            "下線・太字の箇所が変更箇所")
    _put(ws, 2, 1, info, size=10, border=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)

    top = 4
    _put(ws, top, 1, "区分", bold=True, color="FFFFFF", fill=_HEADER_FILL, horizontal="center")
    _put(ws, top + 1, 1, "", fill=_HEADER_FILL)
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    for side, label in enumerate((f"旧（{comparison.old_label}）", f"新（{comparison.new_label}）")):
        first = 2 + side * len(fields)
        _put(ws, top, first, label, bold=True, color="FFFFFF", fill=_HEADER_FILL, horizontal="center")
        for k, f in enumerate(fields):
            if k:
                _put(ws, top, first + k, "", fill=_HEADER_FILL)
            _put(ws, top + 1, first + k, FIELD_HEADINGS[f], bold=True, color="FFFFFF", fill=_HEADER_FILL,
                 horizontal="center")
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=first + len(fields) - 1)
    _put(ws, top, n, "変更内容", bold=True, color="FFFFFF", fill=_HEADER_FILL, horizontal="center")
    _put(ws, top + 1, n, "", fill=_HEADER_FILL)
    ws.merge_cells(start_row=top, start_column=n, end_row=top + 1, end_column=n)

    row = top + 2
    if not comparison.groups:
        _put(ws, row, 1, "変更はありません。")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        row += 1
    for pillar, rows in comparison.groups:
        _put(ws, row, 1, pillar or "（基本方針なし）", bold=True, size=10, fill=_PILLAR_FILL)
        for k in range(2, n + 1):
            _put(ws, row, k, "", fill=_PILLAR_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        ws.row_dimensions[row].height = 18
        row += 1
        for item in rows:
            _row(ws, row, item, n)
            row += 1
    last = row - 1
    if comparison.by_name and (comparison.unmatched_old or comparison.unmatched_new):
        row += 1
        how = "共通の ID がないため名前で照合しました。"
        for label, names in (("旧にだけある取組", comparison.unmatched_old), ("新にだけある取組", comparison.unmatched_new)):
            if names:
                _put(ws, row, 1, f"{how}{label}（照合できなかったもの）：{'、'.join(names)}", size=9, border=False)
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
                ws.row_dimensions[row].height = _lines(ws.cell(row, 1).value or "", 150) * _SIZE * 1.35 + 5
                row += 1
                how = ""
        last = row - 1
    _print_setup(ws, paper, top, last, n)
    return wb


def _row(ws: Any, row: int, item: ComparisonRow, n: int) -> None:
    fields = COMPARED_FIELDS
    label = STATUS_JA.get(item.status, item.status) if item.kind == "initiative" else f"方針{STATUS_JA.get(item.status, '')}"
    _put(ws, row, 1, label, bold=True, horizontal="center")
    heights = [1]
    for k, f in enumerate(fields):
        old = item.old.get(f) if item.old else None
        new = item.new.get(f) if item.new else None
        if old is not None and new is not None:
            left, right = mark_changes(old, new, words=f == "schedule")
        else:
            left = [(old, False)] if old else []
            right = [(new, False)] if new else []
        if item.old is None:
            left = [("（新規）", False)] if k == 0 else []
        if item.new is None:
            right = [("（削除）", True)] if k == 0 else []
        if item.depth and k == 0:
            left = [("　" * min(item.depth, 5), False)] + left if item.old else left
            right = [("　" * min(item.depth, 5), False)] + right if item.new else right
        _put_marked(ws, row, 2 + k, left, _SIDE_FILL["old"])
        _put_marked(ws, row, 2 + len(fields) + k, right, _SIDE_FILL["new"])
        heights += [_lines(old or "", _WIDTHS[f]), _lines(new or "", _WIDTHS[f])]
    _put(ws, row, n, item.what)
    heights.append(_lines(item.what, 18))
    ws.row_dimensions[row].height = round(min(max(heights) * _SIZE * 1.35 + 5, 409.0), 1)


def _print_setup(ws: Any, paper: str, header_row: int, last_row: int, n: int) -> None:
    ws.page_setup.paperSize = PAPER_SIZES[paper]
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.print_area = f"A1:{get_column_letter(n)}{max(last_row, header_row + 1)}"
    ws.freeze_panes = ws.cell(header_row + 2, 2).coordinate
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9


def write_comparison_workbook(comparison: Comparison, path: str | os.PathLike, *, title: str = "",
                              paper: str = "A4") -> None:
    """Save the 新旧対照表 as ``.xlsx`` at ``path``, atomically (:class:`PlanWriteError` on failure)."""
    wb = build_comparison_workbook(comparison, title=title, paper=paper)
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except PlanWriteError:
        raise
    except OSError as exc:
        name = Path(path).name
        raise PlanWriteError("write-failed", f"Could not save {name} ({exc.strerror or exc}).",
                             f"{name} を保存できませんでした（{exc.strerror or exc}）。") from exc
