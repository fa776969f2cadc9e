"""A 年間計画's time axis: a row of months (4月 … 3月) whose fiscal year is written outside the grid.

Offices often give the year once — in the title (「令和6年度 DX推進 年間スケジュール」), in a
計画期間 line naming a single year, or in the sheet name (「R6年度」) — over a row of months
with no year row. A month may be merged over finer columns (1週…4週, 上旬/中旬/下旬, day
numbers): every one of those columns is on the axis, in that month, so a bar's months are
those of its first and last columns. Months are read in fiscal order (4月 … 12月, 1月 … 3月):
January to March fall in the calendar year after the fiscal year's.
"""

from __future__ import annotations

import re

from dxroadmap.io.xlsx.read.axis import FINER_HEADING, Axis, TimeCol
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.wareki import find_fiscal_year, normalize, parse_fiscal_period

__all__ = ["month_row_axes", "fiscal_year_outside_grid"]

_MONTH = re.compile(r"^(\d{1,2})月$")
_MIN_MONTHS = 6


def _month_of_cell(g: SheetGrid, r: int, c: int) -> int | None:
    """The calendar month (1–12) a header cell names: 4月, ４月, or a bare 4 in a General cell."""
    v = g.raw(r, c)
    if isinstance(v, str):
        m = _MONTH.match(normalize(v))
        if m and 1 <= int(m.group(1)) <= 12:
            return int(m.group(1))
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if float(v).is_integer() and 1 <= v <= 12 and g.number_format(r, c) == "General":
        return int(v)
    return None


def fiscal_year_outside_grid(g: SheetGrid, header_row: int) -> tuple[int, str] | None:
    """(fiscal year, where it was found) from the lines above ``header_row`` or the sheet name."""
    for r in range(1, header_row):
        for c in g.row_cells(r):
            t = as_text(g.values[(r, c)])
            if not t or len(t) > 80:
                continue
            period = parse_fiscal_period(t)
            if period is not None:
                if period[0] == period[1]:
                    return period[0], f"the period line on row {r}"
                continue
            fy = find_fiscal_year(t)
            if fy is not None:
                return fy, f"the title on row {r}"
    fy = find_fiscal_year(g.title)
    if fy is not None:
        return fy, "the sheet name"
    return None


def _months_in_fiscal_order(months: list[tuple[int, int]]) -> bool:
    pos = [(m - 4) % 12 for _, m in months]
    return all(b > a for a, b in zip(pos, pos[1:]))


def month_row_axes(g: SheetGrid, max_scan_rows: int = 60) -> tuple[list[Axis], str]:
    """The axis of a month row with the year given outside the grid, and why (or why not)."""
    why_not = ""
    for r in sorted({r for r, _ in g.values}):
        if r > max_scan_rows:
            break
        months = [(c, m) for c in g.row_cells(r) if (m := _month_of_cell(g, r, c)) is not None]
        if len(months) < _MIN_MONTHS or not _months_in_fiscal_order(months):
            continue
        found = fiscal_year_outside_grid(g, r)
        if found is None:
            why_not = f"row {r} has months but no fiscal year is written in the title, a period line or the sheet name"
            continue
        fy, where = found
        below = r + 1
        finer = {c for c in g.row_cells(below) if FINER_HEADING.match(normalize(as_text(g.raw(below, c))))}
        if not finer - {c for c, _ in months}:
            finer = set()  # figures right under each month are data, not finer columns
        cols: list[TimeCol] = []
        spans_many = False
        for i, (c, m) in enumerate(months):
            merge = g.merge_at(r, c)
            if merge is not None and merge.min_row <= r <= merge.max_row and merge.min_col == c:
                hi = merge.max_col
            else:
                nxt = months[i + 1][0] if i + 1 < len(months) else None
                hi = c
                # an unmerged month over finer columns: up to the next month (or the end of the finer row)
                limit = (nxt - 1) if nxt is not None else max(finer | {c})
                while hi + 1 <= limit and hi + 1 in finer:
                    hi += 1
            spans_many = spans_many or hi > c
            mi = month_index(fy + (1 if m < 4 else 0), m)
            cols.extend(TimeCol(cc, mi, mi) for cc in range(c, hi + 1) if cc not in g.hidden_cols)
        rows = [r] + ([below] if len(finer) >= 3 else [])
        gran = "week" if spans_many else "month"
        return [Axis(r, None, cols, gran, rows)], f"months on row {r} in fiscal year {fy} (from {where})"
    return [], why_not
