"""Save a plan as the Excel roadmap workbook town offices circulate.

The first sheet, ``ロードマップ``, is laid out the way offices draw roadmaps: title,
organization and period rows; a header with each fiscal year (令和5年度（2023）) merged
over its month / quarter / half-year columns; the columns 取組内容 / 概要 / 関係部門;
a filled row per pillar; each phase as a filled, merged cell carrying its label; each
milestone as ◆label (overlapping bars and milestones get extra rows under the initiative);
a legend (凡例) of the phase kinds used, at the top right so it prints on the first page;
a hidden column right of the time columns holding each initiative's stable id
(:func:`id_column`), so rows a colleague moves, sorts or inserts in Excel are still matched
when the workbook is reopened (:mod:`dxroadmap.io.xlsx.reopen`).
Print settings (paper, orientation, fit to one page wide, repeated header rows, print area,
page x / y footer) and frozen panes live in the workbook itself.

Coarse columns round dates: a phase fills every column it covers at least half of (and
at least the one column it covers most); row 4 says so on the sheet. The exact months, and every field the sheet
does not show, go to the hidden data sheet (:mod:`dxroadmap.io.xlsx.datasheet`), from
which dxroadmap reopens the file losslessly.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.io.xlsx.datasheet import put_text, stamp_roadmap_sheet, write_data_sheet
from dxroadmap.model.colors import text_color_on
from dxroadmap.model.fiscal import fy_first_month, year_month
from dxroadmap.model.ids import ensure_ids
from dxroadmap.model.legend import legend_entries
from dxroadmap.model.plan import Initiative, Plan
from dxroadmap.model.titles import sheet_title
from dxroadmap.model.wareki import YearStyle, format_fiscal_year

__all__ = ["SHEET_NAME", "PAPER_SIZES", "RESOLUTIONS", "LABEL_COLUMNS", "FIRST_TIME_COL", "HEADER_ROW",
           "build_workbook", "write_workbook", "time_columns", "id_column", "sheet_text", "placements"]

SHEET_NAME = "ロードマップ"
FONT_NAME = "游ゴシック"
PAPER_SIZES = {"A3": 8, "A4": 9, "B4": 12}  # openpyxl / Excel paperSize codes
ORIENTATIONS = ("landscape", "portrait")
RESOLUTIONS = {"year": 12, "half": 6, "quarter": 3, "month": 1}  # months per column
_TIME_WIDTH = {"year": 16.0, "half": 9.0, "quarter": 6.0, "month": 4.0}
_LEGEND_SPAN = {"year": 1, "half": 1, "quarter": 2, "month": 3}
_RESOLUTION_JA = {"year": "年度", "half": "半期", "quarter": "四半期", "month": "月"}

LABEL_COLUMNS = ("取組内容", "概要", "関係部門")
FIRST_TIME_COL = len(LABEL_COLUMNS) + 1
MAX_COLUMNS = 16384
MAX_CELL_CHARS = 32767

# Rows of the sheet head.
TITLE_ROW, ORG_ROW, PERIOD_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3, 4, 5

_HEADER_FILL = "D9D9D9"
_PILLAR_FILL = "DDEBF7"
_MILESTONE_COLOR = "C00000"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NO_BORDER = Border()

# Characters an Excel cell cannot hold; dropped on the roadmap sheet (the data sheet escapes them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_COLOR_RE = re.compile(r"^#?([0-9A-Fa-f]{6})$")

_LINE_SPACING = 1.55  # line height / font size: 游ゴシック in Excel is about 1.6, Noto Sans CJK about 1.45
_ROW_PAD_PT = 4.0
_MIN_ROW_PT = 18.0


@dataclass
class _Placed:
    """A phase or milestone placed on the grid: lane (0 = the initiative's first row), columns, text."""

    lane: int
    first: int
    last: int
    text: str
    color: str | None  # fill for phases; None for milestones
    item: Any = None  # the phase or milestone


# ------------------------------------------------------------------ text helpers


def sheet_text(text: str | None) -> str:
    """``text`` as a roadmap-sheet cell shows it: illegal characters dropped, CR folded, Excel-escaped."""
    if not text:
        return ""
    text = _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _EXCEL_ESCAPE.sub("_x005F_", text)[:MAX_CELL_CHARS]


def _display_width(text: str, size: float = 10) -> float:
    """Width of ``text`` at font ``size`` pt in Excel column units (the width of a Calibri 11 digit, 7 px)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WFA")
    return (wide * 0.19 + (len(text) - wide) * 0.1) * size


def _lines_needed(text: str, width: float, size: float = 10) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(_display_width(line, size) / usable)) for line in text.split("\n")) if text else 1


def _text_height(text: str, width: float, size: float = 10) -> float:
    """Row height in points that shows all of ``text`` wrapped in ``width`` units."""
    return _lines_needed(text, width, size) * size * _LINE_SPACING + _ROW_PAD_PT


def _safe_year_label(fy: int) -> str:
    try:
        return format_fiscal_year(fy, YearStyle.ERA_WESTERN)
    except ValueError:
        return f"{fy}年度"


def _safe_year(fy: int) -> str:
    try:
        return format_fiscal_year(fy, YearStyle.ERA)
    except ValueError:
        return f"{fy}年度"


def _fill_color(color: str | None, fallback: str) -> str:
    match = _COLOR_RE.match(color or "")
    if match:
        return match.group(1).upper()
    return _COLOR_RE.match(fallback).group(1).upper()


# ------------------------------------------------------------------ time columns


def _sub_header(first_month: int, step: int) -> str | None:
    month = year_month(first_month)[1]
    if step == 1:
        return f"{month}月"
    if step == 3:
        return f"{month}-{(month + 1) % 12 + 1}月"
    if step == 6:
        return "上期" if month == 4 else "下期"
    return None


def _columns_for(plan: Plan, resolution: str) -> list[tuple[int, int]]:
    """(first month, last month) of each time column, in order."""
    step = RESOLUTIONS[resolution]
    out = []
    for fy in range(plan.start_fy, plan.end_fy + 1):
        first = fy_first_month(fy)
        out.extend((first + k, first + k + step - 1) for k in range(0, 12, step))
    return out


def time_columns(plan: Plan, resolution: str) -> list[tuple[int, int]]:
    """(first month, last month) of each time column of the roadmap sheet at ``resolution``."""
    return _columns_for(plan, resolution)


def id_column(plan: Plan, resolution: str) -> int:
    """The hidden column (1-based) holding the stable ids, just right of the time columns."""
    return FIRST_TIME_COL + max(len(_columns_for(plan, resolution)), 1)


def _phase_columns(start: int, end: int, columns: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Column indexes a phase over months start..end fills, or None when it lies outside the grid."""
    if end < start:
        start, end = end, start
    covered = []
    for k, (c0, c1) in enumerate(columns):
        overlap = min(end, c1) - max(start, c0) + 1
        if overlap > 0:
            covered.append((k, overlap, c1 - c0 + 1))
    if not covered:
        return None
    mostly = [k for k, overlap, width in covered if 2 * overlap >= width]
    if mostly:
        return mostly[0], mostly[-1]
    best = max(covered, key=lambda t: (t[1], -t[0]))[0]
    return best, best


def _month_column(month: int, columns: list[tuple[int, int]]) -> int | None:
    for k, (c0, c1) in enumerate(columns):
        if c0 <= month <= c1:
            return k
    return None


def _place(init: Initiative, columns: list[tuple[int, int]]) -> list[_Placed]:
    """Phases then milestones, each on the first lane where its columns are free."""
    lanes: list[set[int]] = []
    placed: list[_Placed] = []

    months_per_column = columns[0][1] - columns[0][0] + 1 if columns else 3
    col_width = _TIME_WIDTH[{12: "year", 6: "half", 3: "quarter"}.get(months_per_column, "month")]

    def put(first: int, last: int, text: str, color: str | None, item: Any, reserve: int = 0) -> None:
        # ``reserve``: columns a milestone's label runs on into; kept free on its lane so Excel shows it whole
        span = set(range(first, min(max(last, first + reserve - 1), len(columns) - 1) + 1))
        for lane, used in enumerate(lanes):  # noqa: B007 (the lane found is used after the loop)
            if not used & span:
                used |= span
                break
        else:
            lanes.append(span)
            lane = len(lanes) - 1
        placed.append(_Placed(lane, first, last, text, color, item))

    for phase in init.phases:
        cols = _phase_columns(phase.start, phase.end, columns)
        if cols is not None:
            put(cols[0], cols[1], sheet_text(phase.label), _fill_color(phase.color, phase.kind.default_color), phase)
    for ms in init.milestones:
        col = _month_column(ms.month, columns)
        if col is not None:
            text = "◆" + " ".join(sheet_text(ms.label).split("\n"))  # one line, running on to the right
            put(col, col, text, None, ms, reserve=math.ceil((_display_width(text, 9) + 0.5) / col_width))
    return placed


# ------------------------------------------------------------------ the workbook


def placements(init: Initiative, columns: list[tuple[int, int]]) -> list[tuple[Any, int, int, int]]:
    """(phase or milestone, lane, first column, last column) as the roadmap sheet places them;
    columns are indexes into ``columns`` (:func:`time_columns`); items outside the grid are left out."""
    return [(p.item, p.lane, p.first, p.last) for p in _place(init, columns)]


def _check_options(paper: str, orientation: str, columns: str) -> None:
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, not {paper!r}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not {orientation!r}")
    if columns not in RESOLUTIONS:
        raise ValueError(f"columns must be one of {', '.join(RESOLUTIONS)}, not {columns!r}")


class _Sheet:
    """Writes the roadmap sheet cell by cell, remembering the row heights it needs."""

    def __init__(self, ws: Any, plan: Plan, resolution: str) -> None:
        self.ws = ws
        self.plan = plan
        self.resolution = resolution
        self.columns = _columns_for(plan, resolution)
        self.last_col = FIRST_TIME_COL + len(self.columns) - 1 if self.columns else FIRST_TIME_COL
        self.heights: dict[int, float] = {}
        self.widths: dict[int, float] = {}
        # openpyxl hashes every style object assigned to a cell, which dominates the time on
        # large plans; so each distinct style is built once and its style array copied.
        self._fonts: dict[tuple, Font] = {}
        self._aligns: dict[tuple, Alignment] = {}
        self._fills: dict[str, PatternFill] = {}
        self._styles: dict[tuple, Any] = {}
        self.font = self.font_of(10)
        self.small = self.font_of(9)
        self.bold = self.font_of(10, bold=True)
        self.wrap_left = self.align_of("left", wrap=True)
        self.wrap_center = self.align_of("center", wrap=True)

    def font_of(self, size: float, *, bold: bool = False, color: str | None = None) -> Font:
        key = (size, bold, color)
        if key not in self._fonts:
            self._fonts[key] = Font(name=FONT_NAME, size=size, bold=bold, color=color)
        return self._fonts[key]

    def align_of(self, horizontal: str | None = None, *, wrap: bool = False, indent: int = 0,
                 shrink: bool = False) -> Alignment:
        key = (horizontal, wrap, indent, shrink)
        if key not in self._aligns:
            self._aligns[key] = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap or None,
                                          indent=indent, shrink_to_fit=shrink or None)
        return self._aligns[key]

    def fill(self, rgb: str) -> PatternFill:
        if rgb not in self._fills:
            self._fills[rgb] = PatternFill("solid", fgColor=rgb)
        return self._fills[rgb]

    def style(self, cell: Any, font: Font, align: Alignment, border: Border | None, fill: str | None) -> None:
        """Give ``cell`` exactly this font, alignment, border and fill (replacing any earlier style)."""
        key = (id(font), id(align), id(border), fill)
        cached = self._styles.get(key)
        if cached is not None:
            cell._style = copy(cached)
            return
        cell.font = font
        cell.alignment = align
        cell.border = border or _NO_BORDER
        cell.fill = self.fill(fill) if fill else PatternFill()
        self._styles[key] = copy(cell._style)

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """Merge a block. Added straight to the sheet's merged ranges: ``ws.merge_cells`` checks each new
        range against all earlier ones and re-creates border objects, quadratic on large plans; the
        blocks merged here never overlap and already carry their borders. A plain CellRange, because
        MergedCellRange re-reads and re-assigns its corner borders, which takes seconds on large plans."""
        coord = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
        self.ws.merged_cells.ranges.add(CellRange(coord))

    def need(self, row: int, points: float) -> None:
        self.heights[row] = max(self.heights.get(row, _MIN_ROW_PT), points)

    def text(self, row: int, col: int, text: str, *, font: Font | None = None,
             align: Alignment | None = None, border: Border | None = _BORDER, fill: str | None = None) -> Any:
        cell = self.ws.cell(row, col)
        self.style(cell, font or self.font, align or self.wrap_left, border, fill)
        if text:
            put_text(cell, text)
        return cell

    def box(self, r0: int, c0: int, r1: int, c1: int, *, fill: str | None) -> None:
        """Border (and fill) the cells of a block after its top-left one (styled by :meth:`text`), then
        merge it if it is more than one cell."""
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    self.style(self.ws.cell(r, c), self.font, self.wrap_left, _BORDER, fill)
        if r0 != r1 or c0 != c1:
            self.merge(r0, c0, r1, c1)

    def width_of(self, c0: int, c1: int) -> float:
        return sum(self.widths[c] for c in range(c0, c1 + 1))

    # -------------------------------------------------------------- parts

    def set_widths(self) -> None:
        names = [sheet_text(i.name) for _, i in self.plan.walk()]
        name_w = max((_display_width(line, 10.5) for n in names for line in n.split("\n")), default=10)
        depts = [sheet_text(d) for _, i in self.plan.walk() for d in i.departments]
        dept_w = max((_display_width(line, 9) for d in depts for line in d.split("\n")), default=8)
        has_summary = any(i.summary for _, i in self.plan.walk())
        self.widths[1] = min(max(name_w + 3, 20.0), 34.0)
        self.widths[2] = 44.0 if has_summary else 14.0
        self.widths[3] = min(max(dept_w + 2, 11.0), 18.0)
        for c in range(FIRST_TIME_COL, self.last_col + 1):
            self.widths[c] = _TIME_WIDTH[self.resolution]
        for c, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = w

    def head(self) -> int:
        """Title, organization, period and the column header; returns the first data row."""
        plan = self.plan
        self.text(TITLE_ROW, 1, sheet_text(sheet_title(plan)), font=self.font_of(16, bold=True),
                  align=self.align_of(), border=None)
        self.need(TITLE_ROW, 28)
        if plan.organization:
            self.text(ORG_ROW, 1, sheet_text(plan.organization), font=self.font_of(11),
                      align=self.align_of(), border=None)
        years = plan.end_fy - plan.start_fy + 1
        period = f"計画期間：{_safe_year(plan.start_fy)}〜{_safe_year(plan.end_fy)}"
        if years > 0:
            period += f"（{years}年間）"
        self.text(PERIOD_ROW, 1, period, font=self.font_of(11), align=self.align_of(),
                  border=None)
        self.heights[NOTE_ROW] = 14.0

        step = RESOLUTIONS[self.resolution]
        sub = step < 12
        last_head = HEADER_ROW + (1 if sub else 0)
        head_align = self.wrap_center
        for c, name in enumerate(LABEL_COLUMNS, start=1):
            self.text(HEADER_ROW, c, name, font=self.bold, align=head_align, fill=_HEADER_FILL)
            self.box(HEADER_ROW, c, last_head, c, fill=_HEADER_FILL)
        per_year = 12 // step
        for y, fy in enumerate(range(plan.start_fy, plan.end_fy + 1)):
            c0 = FIRST_TIME_COL + y * per_year
            self.text(HEADER_ROW, c0, _safe_year_label(fy), font=self.bold, align=head_align, fill=_HEADER_FILL)
            self.box(HEADER_ROW, c0, HEADER_ROW, c0 + per_year - 1, fill=_HEADER_FILL)
            self.need(HEADER_ROW, _text_height(_safe_year_label(fy), self.width_of(c0, c0 + per_year - 1), 10.5))
            if sub:
                for k in range(per_year):
                    label = _sub_header(self.columns[y * per_year + k][0], step)
                    self.text(last_head, c0 + k, label, font=self.small, align=head_align, fill=_HEADER_FILL)
                    self.need(last_head, _text_height(label, self.widths[c0 + k], 9))
        return last_head + 1

    def stable_id(self, row: int, value: str) -> None:
        """The item's id in the hidden id column (see :func:`id_column`)."""
        if value:
            put_text(self.ws.cell(row, self.last_col + 1), value)

    def pillar_row(self, row: int, pillar_name: str) -> None:
        text = sheet_text(pillar_name)
        self.text(row, 1, text, font=self.bold, align=self.align_of(wrap=True), fill=_PILLAR_FILL)
        self.box(row, 1, row, self.last_col, fill=_PILLAR_FILL)
        self.need(row, _text_height(text, self.width_of(1, self.last_col), 10.5))

    def initiative_rows(self, row: int, init: Initiative, depth: int) -> int:
        """Write one initiative over as many rows as its bars need; returns the next free row."""
        placed = _place(init, self.columns)
        self.stable_id(row, init.id)
        lanes = max((p.lane for p in placed), default=0) + 1
        last = row + lanes - 1
        indent = self.align_of("left", wrap=True, indent=min(depth * 2, 15))
        texts = (sheet_text(init.name), sheet_text(init.summary), "\n".join(sheet_text(d) for d in init.departments))
        fonts = (self.bold if depth == 0 else self.font, self.small, self.small)
        label_pt = _MIN_ROW_PT
        for c, (text, font) in enumerate(zip(texts, fonts), start=1):
            self.text(row, c, text, font=font, align=indent if c == 1 else self.wrap_left)
            self.box(row, c, last, c, fill=None)
            width = self.widths[c] - (depth * 2 if c == 1 else 0)
            label_pt = max(label_pt, _text_height(text, width, font.sz * (1.05 if font.b else 1.0)))
        for r in range(row, last + 1):
            for c in range(FIRST_TIME_COL, self.last_col + 1):
                self.style(self.ws.cell(r, c), self.font, self.wrap_left, _BORDER, None)
        lane_pt = [_MIN_ROW_PT] * lanes
        for p in placed:
            r = row + p.lane
            c0, c1 = FIRST_TIME_COL + p.first, FIRST_TIME_COL + p.last
            if p.color is None:  # milestone: text may run on into the empty cells to its right
                self.text(r, c0, p.text, font=self.font_of(9, bold=True, color=_MILESTONE_COLOR),
                          align=self.align_of("left"))
                continue
            font = self.font_of(9, color=text_color_on(p.color).lstrip("#"))
            self.text(r, c0, p.text, font=font, align=self.wrap_center, fill=p.color)
            self.box(r, c0, r, c1, fill=p.color)
            lane_pt[p.lane] = max(lane_pt[p.lane], _text_height(p.text, self.width_of(c0, c1), 9))
        # The label cells span all lanes: spread any extra height they need over the lanes.
        extra = label_pt - sum(lane_pt)
        if extra > 0:
            lane_pt = [h + extra / lanes for h in lane_pt]
        for k, h in enumerate(lane_pt):
            self.need(row + k, h)
        return last + 1

    def legend_items(self) -> list[tuple[str, str | None]]:
        """(label, fill) per 凡例 entry: one per colour meaning (:func:`legend_entries`), then ◆ (no fill)."""
        return [(f"◆ {item.label}", None) if item.milestone else (item.label, _fill_color(item.color, item.color))
                for item in legend_entries(self.plan)]

    def legend_item(self, row: int, c0: int, c1: int, label: str, rgb: str | None) -> None:
        if rgb:
            font = self.font_of(9, color=text_color_on(rgb).lstrip("#"))
            self.text(row, c0, label, font=font, align=self.align_of("center", shrink=True),
                      fill=rgb)
            self.box(row, c0, row, c1, fill=rgb)
        else:
            self.text(row, c0, label, font=self.font_of(9, bold=True, color=_MILESTONE_COLOR),
                      align=self.align_of("left", shrink=True), border=None)
            if c1 > c0:
                self.merge(row, c0, row, c1)
        self.need(row, _MIN_ROW_PT)

    def legend(self, after_table: int) -> int:
        """凡例 at the top right, beside the organization and period rows (so it prints on the first
        page); below the table when it does not fit there. Returns the last row used."""
        items = self.legend_items()
        if not items:
            return after_table - 1
        span = _LEGEND_SPAN[self.resolution]
        gap = 1 if span > 1 else 0
        widths = [span if rgb else max(span, 2) for _, rgb in items]  # "◆ マイルストーン" needs room
        ncols = len(self.columns)
        lines: list[list[int]] = [[]]  # item indexes per legend line
        used = 0
        for k, w in enumerate(widths):
            need = w if not lines[-1] else used + gap + w
            if lines[-1] and need > ncols:
                lines.append([])
                need = w
            lines[-1].append(k)
            used = need
        label_align = self.align_of("right")
        if len(lines) <= 2 and all(sum(widths[k] for k in line) + gap * (len(line) - 1) <= ncols for line in lines):
            longest = max(sum(widths[k] for k in line) + gap * (len(line) - 1) for line in lines)
            first = self.last_col - longest + 1
            self.text(ORG_ROW, first - 1, "凡例", font=self.bold, align=label_align, border=None)
            for n, line in enumerate(lines):
                c = first
                for k in line:
                    self.legend_item(ORG_ROW + n, c, c + widths[k] - 1, *items[k])
                    c += widths[k] + gap
            return after_table - 1
        row = after_table + 1  # a blank row between the table and the legend
        self.text(row, FIRST_TIME_COL - 1, "凡例", font=self.bold, align=label_align, border=None)
        c = FIRST_TIME_COL
        for (label, rgb), w in zip(items, widths):
            if c + w - 1 > self.last_col and c > FIRST_TIME_COL:
                row += 1
                c = FIRST_TIME_COL
            c1 = min(c + w - 1, self.last_col)
            self.legend_item(row, c, c1, label, rgb)
            c = c1 + 1 + gap
        return row

    def rounding_note(self) -> None:
        """Row 4 says that coarse columns round the phases (the exact months are in the data sheet)."""
        if self.resolution == "month" or not any(init.phases for _, init in self.plan.walk()):
            return
        note = f"※ 各段階は{_RESOLUTION_JA[self.resolution]}単位で表示しています（半分以上を占める列を塗っています）。"
        self.text(NOTE_ROW, 1, note, font=self.font_of(8), align=self.align_of(), border=None)

    def print_setup(self, paper: str, orientation: str, header_rows: tuple[int, int], first_data_row: int,
                    last_row: int) -> None:
        ws = self.ws
        ws.page_setup.paperSize = PAPER_SIZES[paper]
        ws.page_setup.orientation = orientation
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = 0.5
        ws.page_margins.bottom = 0.6
        ws.page_margins.header = 0.25
        ws.page_margins.footer = 0.25
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
        ws.print_area = f"A1:{get_column_letter(self.last_col)}{last_row}"
        ws.freeze_panes = ws.cell(first_data_row, FIRST_TIME_COL).coordinate
        ws.oddFooter.center.text = "&P / &N"
        ws.oddFooter.center.size = 9
        ws.evenFooter.center.text = "&P / &N"
        ws.sheet_view.zoomScale = 85


def build_workbook(plan: Plan, *, paper: str = "A3", orientation: str = "landscape",
                   columns: str = "quarter") -> Workbook:
    """The openpyxl workbook :func:`write_workbook` saves (roadmap sheet + hidden data sheet)."""
    _check_options(paper, orientation, columns)
    n_columns = max(plan.end_fy - plan.start_fy + 1, 0) * (12 // RESOLUTIONS[columns])
    if FIRST_TIME_COL - 1 + n_columns > MAX_COLUMNS:
        raise PlanWriteError(
            "too-wide",
            f"The plan period has too many {columns} columns for an Excel sheet; choose a coarser column setting.",
            "計画期間が長すぎて Excel のシートに収まりません。列の単位（年度・半期など）を粗くしてください。")
    ensure_ids(plan)  # a plan without ids gets them on first save, and keeps them
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    wb.properties.title = sheet_text(plan.title)[:255] or None
    wb.properties.creator = "dxroadmap"
    # Said here, not on the sheet: the exact months live in the hidden data sheet (dxroadmap_data).
    wb.properties.description = "正確な開始・終了月と各項目の詳細は非表示のシート dxroadmap_data にあり、dxroadmap で開くと元どおりに読み込めます。"
    # The data sheet first: it refuses texts Excel cannot hold before any layout work is done.
    write_data_sheet(wb, plan)

    sheet = _Sheet(ws, plan, columns)
    sheet.set_widths()
    first_data_row = sheet.head()
    header_rows = (HEADER_ROW, first_data_row - 1)
    row = first_data_row
    for pillar in plan.pillars:
        sheet.pillar_row(row, pillar.name)  # no id: pillars are matched by name and order (an id cell
        # beside the pillar band would make readers of the visible sheet take the band for an initiative)
        row += 1

        def walk(items: list[Initiative], depth: int) -> None:
            nonlocal row
            for init in items:
                row = sheet.initiative_rows(row, init, depth)
                walk(init.children, depth + 1)

        walk(pillar.initiatives, 0)
    last_table_row = row - 1
    last_row = sheet.legend(last_table_row + 1)
    sheet.rounding_note()
    for r, h in sheet.heights.items():
        ws.row_dimensions[r].height = round(min(h, 409.0), 1)
    sheet.print_setup(paper, orientation, header_rows, first_data_row, max(last_row, last_table_row))
    id_letter = get_column_letter(sheet.last_col + 1)
    ws.column_dimensions[id_letter].hidden = True
    ws.column_dimensions[id_letter].width = 12
    stamp_roadmap_sheet(wb, SHEET_NAME, columns)
    return wb


def write_workbook(plan: Plan, path: str | os.PathLike, *, paper: str = "A3", orientation: str = "landscape",
                   columns: str = "quarter", dpi: int | None = None, backup: bool = False) -> None:
    """Save ``plan`` as an .xlsx roadmap workbook at ``path``, atomically.

    ``paper`` is A3 / A4 / B4, ``orientation`` landscape / portrait, ``columns`` the time
    resolution of the roadmap sheet (year / half / quarter / month); ``dpi`` is accepted for
    a uniform writer signature and ignored; ``backup=True`` keeps the previous file as
    ``name.bak.xlsx`` (see :mod:`dxroadmap.io.storage.atomic`). On failure (:class:`PlanWriteError`)
    an existing file at ``path`` is left exactly as it was.
    """
    del dpi
    wb = build_workbook(plan, paper=paper, orientation=orientation, columns=columns)
    try:
        with atomic_path(path, backup=backup) as tmp:
            wb.save(tmp)
    except PlanWriteError:
        raise
    except OSError as exc:  # atomic_path turns OSErrors into SaveErrors; this is a safety net
        name = Path(path).name
        reason = exc.strerror or str(exc)
        raise PlanWriteError("write-failed", f"Could not save {name} ({reason}); the previous file is unchanged.",
                             f"{name} を保存できませんでした（{reason}）。以前のファイルはそのまま残っています。") from exc
