"""The 進捗状況一覧 as an Excel workbook: one row per initiative (or KPI), grouped by pillar, print-ready.

The rows come from :func:`dxroadmap.model.progress.progress_report`, so the workbook and the
PDF (:mod:`dxroadmap.render.progress_report`) say the same thing. Layout: the title, a
summary block counting initiatives by status and by grade, then the table (取組名 / 担当課 /
指標 / 基準値 / 目標値 / 実績値 / 達成状況 / 評価 / 今後の方向性) with a coloured row per
pillar. Status cells carry a symbol as well as a colour, so a greyscale print still reads.
Printed landscape on A4 or A3, fitted to the page width, header row repeated on every page.
"""

from __future__ import annotations

import math
import os
import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.io.xlsx.export import PAPER_SIZES, sheet_text
from dxroadmap.model.plan import Plan
from dxroadmap.model.progress import REPORT_COLUMNS, STATUS_COLOR, ProgressReport, progress_report

__all__ = ["SHEET_NAME", "REPORT_PAPERS", "STATUS_FILL", "build_progress_workbook", "write_progress_report"]

SHEET_NAME = "進捗状況一覧"
REPORT_PAPERS = ("A4", "A3")
# The status colours of model.progress; the status symbol carries the meaning in greyscale.
STATUS_FILL = {status: color.lstrip("#") for status, color in STATUS_COLOR.items()}
_WIDTHS = (30, 14, 24, 11, 11, 11, 26, 11, 30)  # Excel column units, in REPORT_COLUMNS order
_FONT = "游ゴシック"
_SIZE = 9
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = "1F4E78"
_PILLAR_FILL = "D6DCE4"


def _lines(text: str, width: float, size: float = _SIZE) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide at ``size`` pt."""
    usable = max(width - 1.0, 1.0)
    total = 0
    for line in text.split("\n") if text else [""]:
        wide = sum(1 for ch in line if unicodedata.east_asian_width(ch) in "WFA")
        total += max(1, math.ceil((wide * 0.19 + (len(line) - wide) * 0.1) * size / usable))
    return total


def _put(ws: Any, row: int, col: int, text: str, *, bold: bool = False, size: float = _SIZE, color: str = "000000",
         fill: str | None = None, horizontal: str = "left", indent: int = 0, border: bool = True) -> None:
    cell = ws.cell(row, col)
    cell.value = sheet_text(text) or None
    cell.data_type = "s"
    if cell.value and cell.value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True
    cell.font = Font(name=_FONT, size=size, bold=bold, color=color)
    cell.alignment = Alignment(horizontal=horizontal, vertical="top" if horizontal == "left" else "center",
                               wrap_text=True, indent=indent)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if border:
        cell.border = _BORDER


def build_progress_workbook(plan: Plan, fy: int | None = None, *, paper: str = "A4") -> Workbook:
    """The openpyxl workbook of ``plan``'s progress report for fiscal year ``fy``."""
    if paper not in REPORT_PAPERS:
        raise ValueError(f"paper must be one of {', '.join(REPORT_PAPERS)}, not {paper!r}")
    report = progress_report(plan, fy)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    wb.properties.title = sheet_text(report.title)[:255]
    wb.properties.creator = "dxroadmap"
    n = len(REPORT_COLUMNS)
    for k, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width

    _put(ws, 1, 1, report.title, bold=True, size=14, border=False)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 24
    row = _summary(ws, report, 3)
    header_row = row + 1
    for k, name in enumerate(REPORT_COLUMNS, start=1):
        _put(ws, header_row, k, name, bold=True, color="FFFFFF", fill=_HEADER_FILL, horizontal="center")
    ws.row_dimensions[header_row].height = 20
    row = header_row + 1
    merges: list[tuple[int, int, int]] = []  # (first row, last row, column): an initiative over its KPI rows
    for section in report.sections:
        _put(ws, row, 1, section.pillar, bold=True, size=10, fill=_PILLAR_FILL)
        for k in range(2, n + 1):
            _put(ws, row, k, "", fill=_PILLAR_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        ws.row_dimensions[row].height = 18
        row += 1
        for line in section.rows:
            for k, text in enumerate(line.cells, start=1):
                fill = STATUS_FILL.get(line.status or "") if k == 7 else None
                _put(ws, row, k, text, indent=min(line.depth, 5) if k == 1 else 0, fill=fill,
                     bold=k == 1 and line.depth == 0, horizontal="center" if k == 8 else "left")
            if line.first and line.rows_of_initiative > 1:
                last = row + line.rows_of_initiative - 1
                merges += [(row, last, k) for k in (1, 2, 8, 9)]
            height = max(_lines(text, _WIDTHS[k]) for k, text in enumerate(line.cells))
            ws.row_dimensions[row].height = round(min(height * _SIZE * 1.35 + 5, 409.0), 1)
            row += 1
    for first, last, k in merges:
        ws.merge_cells(start_row=first, start_column=k, end_row=last, end_column=k)
    _print_setup(ws, paper, header_row, row - 1, n)
    return wb


def _summary(ws: Any, report: ProgressReport, top: int) -> int:
    """The counts by status and grade from row ``top``; returns the last row used."""
    _put(ws, 2, 1, f"対象年度：{report.fiscal_year_label}　　取組数：{len(report.initiative_names)}", size=10,
         border=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(REPORT_COLUMNS))
    row = top
    for heading, items in report.summary_lines():
        _put(ws, row, 1, heading, bold=True, fill=_PILLAR_FILL, horizontal="center")
        _put(ws, row + 1, 1, "", fill=_PILLAR_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
        for k, (label, count) in enumerate(items, start=2):
            _put(ws, row, k, label, horizontal="center")
            _put(ws, row + 1, k, f"{count}件", horizontal="center")
        row += 2
    return row


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
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(n)}{max(last_row, header_row)}"
    ws.freeze_panes = ws.cell(header_row + 1, 2).coordinate
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9


def write_progress_report(plan: Plan, path: str | os.PathLike, fy: int | None = None, *, paper: str = "A4") -> None:
    """Save the progress report as ``.xlsx`` at ``path``, atomically (:class:`PlanWriteError` on failure)."""
    wb = build_progress_workbook(plan, fy, paper=paper)
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except PlanWriteError:
        raise
    except OSError as exc:
        name = Path(path).name
        raise PlanWriteError("write-failed", f"Could not save {name} ({exc.strerror or exc}).",
                             f"{name} を保存できませんでした（{exc.strerror or exc}）。") from exc
