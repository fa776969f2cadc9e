"""Finding the time axis of a roadmap sheet: which columns are which months.

A header row of fiscal years (令和5年度, Ｒ５, 2023年度, 2023, FY2023, dates formatted as
``ggge"年度"``) possibly followed by a sub-header of months, quarters or halves (4月,
4-6月, Q1, 上期); or a row of calendar months (2024年4月); or a row of dates (day and
week schedules, which become months with a warning). Hidden columns are never time.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from dxroadmap.io.xlsx.read.dates import YEARISH, date_of_cell, serial_to_date, year_of_cell
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.model.fiscal import fiscal_year_of, fy_first_month, month_index
from dxroadmap.model.wareki import normalize, parse_era_month, parse_month_span

__all__ = ["TimeCol", "Axis", "find_axes", "axis_from_row"]


@dataclass(frozen=True)
class TimeCol:
    """A visible column covering months ``start``..``end`` (month indexes, inclusive)."""

    col: int
    start: int
    end: int


@dataclass
class Axis:
    """The time axis of one table: its header rows and its time columns in order."""

    year_row: int
    sub_row: int | None
    cols: list[TimeCol]
    granularity: str  # "year" | "half" | "quarter" | "month" | "week" | "day"
    header_rows: list[int] = field(default_factory=list)
    rounded: bool = False  # day/week columns rounded to months

    @property
    def first_col(self) -> int:
        return self.cols[0].col

    @property
    def last_col(self) -> int:
        return self.cols[-1].col

    @property
    def col_set(self) -> set[int]:
        return {t.col for t in self.cols}

    @property
    def start_fy(self) -> int:
        return fiscal_year_of(self.cols[0].start)

    @property
    def end_fy(self) -> int:
        return fiscal_year_of(max(t.end for t in self.cols))

    @property
    def last_header_row(self) -> int:
        return max(self.header_rows) if self.header_rows else (self.sub_row or self.year_row)


_WEEKDAYS = {"月", "火", "水", "木", "金", "土", "日", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
_SPAN_LIKE = re.compile(r"[月期QqＱｑ半]")


def _visible(grid: SheetGrid, c: int) -> bool:
    return c not in grid.hidden_cols


def _split_year(fy: int, cols: list[int]) -> list[TimeCol]:
    """Visible columns under one fiscal year with no sub-header: share the twelve months."""
    n = len(cols)
    if not n:
        return []
    first = fy_first_month(fy)
    out = []
    for i, c in enumerate(cols):
        a = first + (12 * i) // n
        b = first + (12 * (i + 1)) // n - 1
        out.append(TimeCol(c, a, max(a, b)))
    return out


def axis_from_row(grid: SheetGrid, r: int, min_years: int = 2) -> Axis | None:
    """A time axis whose year (or month, or date) headers are on row ``r``, or ``None``."""
    cells = grid.row_cells(r)
    years: list[tuple[int, int, int]] = []  # (first col, last col, fy)
    for c in cells:
        fy = year_of_cell(grid, r, c)
        if fy is None:
            continue
        m = grid.merge_at(r, c)
        lo, hi = (m.min_col, m.max_col) if m and m.min_row == r else (c, c)
        years.append((lo, hi, fy))
    if years and len(years) >= min_years and all(b[2] > a[2] for a, b in zip(years, years[1:])):
        return _year_axis(grid, r, years)
    if len(years) == 1:
        # one fiscal year over a row of months, quarters or halves
        axis = _year_axis(grid, r, years)
        if axis.sub_row is not None and len(axis.cols) >= 2:
            return axis
    months = [(c, parse_era_month(as_text(grid.raw(r, c)))) for c in cells if isinstance(grid.raw(r, c), str)]
    months = [(c, m) for c, m in months if m is not None]
    if len(months) >= 3 and all(b[1] > a[1] for a, b in zip(months, months[1:])):
        cols = [TimeCol(c, m, m) for c, m in months if _visible(grid, c)]
        if cols:
            return Axis(r, None, cols, "month", [r])
    dates = [(c, date_of_cell(grid, r, c)) for c in cells]
    dates = [(c, d) for c, d in dates if d is not None]
    if len(dates) >= 3 and sum(b[1] > a[1] for a, b in zip(dates, dates[1:])) >= 0.8 * (len(dates) - 1):
        if all(d.day == 1 for _, d in dates) and len({(d.year, d.month) for _, d in dates}) == len(dates):
            cols = [TimeCol(c, month_index(d.year, d.month), month_index(d.year, d.month))
                    for c, d in dates if _visible(grid, c)]
            return Axis(r, None, cols, "month", [r]) if cols else None
        steps = sorted((b[1] - a[1]).days for a, b in zip(dates, dates[1:]) if b[1] > a[1])
        step = steps[len(steps) // 2] if steps else 1
        gran = "week" if step >= 5 else "day"
        cols = []
        ordered = sorted(dates, key=lambda cd: cd[0])
        for i, (c, d) in enumerate(ordered):
            if not _visible(grid, c):
                continue
            m0 = month_index(d.year, d.month)
            end = d + _dt.timedelta(days=max(step, 1) - 1)
            cols.append(TimeCol(c, m0, month_index(end.year, end.month) if gran == "week" else m0))
            # columns between dated cells (unlabelled days) share the earlier date's month
            nxt = ordered[i + 1][0] if i + 1 < len(ordered) else c + 1
            for cc in range(c + 1, min(nxt, c + 8)):
                if _visible(grid, cc) and nxt - c <= 7 and i + 1 < len(ordered):
                    cols.append(TimeCol(cc, m0, m0))
        cols.sort(key=lambda t: t.col)
        rows = [r]
        for rr in (r + 1, r + 2):  # weekday or day-number rows under the dates
            below = [as_text(grid.raw(rr, c)) for c, _ in dates[:14]]
            if sum(1 for t in below if t and (t.rstrip("曜日") in _WEEKDAYS or t[:3].lower() in _WEEKDAYS
                                              or t.isdigit())) >= 3:
                rows.append(rr)
            else:
                break
        return Axis(r, None, cols, gran, rows, rounded=True) if cols else None
    return _day_number_axis(grid, r, cells)


def _day_of_month(grid: SheetGrid, r: int, c: int) -> int | None:
    """A day-of-month header: 1..31 as a number, or a 1900-01-dd date shown with format "d"."""
    v = grid.raw(r, c)
    if isinstance(v, _dt.datetime) and v.year == 1900 and v.month == 1:
        return v.day
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and 1 <= v <= 31:
        return int(v)
    if isinstance(v, str):
        m = re.fullmatch(r"(\d{1,2})日?", normalize(v))
        if m and 1 <= int(m.group(1)) <= 31:
            return int(m.group(1))
    return None


def _month_anchor(grid: SheetGrid, r: int, c: int) -> tuple[int, int] | None:
    """(year, month) written above a run of day numbers: a date, or a month with a year near it."""
    year = month = None
    for rr in range(r - 1, max(r - 4, 0), -1):
        for cc in range(c, max(c - 3, 0), -1):
            v = grid.value(rr, cc)
            if v is None:
                continue
            if isinstance(v, (_dt.datetime, _dt.date)) and v.year >= 1950:
                return v.year, v.month
            if isinstance(v, (int, float)) and not isinstance(v, bool) and 20000 <= v <= 80000:
                d = serial_to_date(v)
                if d is not None:
                    return d.year, d.month
            t = normalize(as_text(v))
            m = re.fullmatch(r"(\d{4})年(\d{1,2})月", t)
            if m:
                return int(m.group(1)), int(m.group(2))
            m = re.fullmatch(r"(\d{1,2})月?", t)
            if m and month is None and 1 <= int(m.group(1)) <= 12 and cc == c or (m and month is None and
                                                                                     grid.origin(rr, c) == (rr, cc)):
                if 1 <= int(m.group(1)) <= 12:
                    month = int(m.group(1))
            m = re.fullmatch(r"(\d{4})年?", t)
            if m and year is None and 1950 <= int(m.group(1)) <= 2150:
                year = int(m.group(1))
            break
    return (year, month) if year and month else None


def _day_number_axis(grid: SheetGrid, r: int, cells: list[int]) -> Axis | None:
    """Day numbers (12, 13, … 31, 1, 2) under a month and a year: a day schedule, rounded to months."""
    days = [(c, d) for c in cells if (d := _day_of_month(grid, r, c)) is not None]
    if len(days) < 5:
        return None
    steps_ok = sum(1 for (c1, a), (c2, b) in zip(days, days[1:]) if b == a + 1 or (b == 1 and a >= 28))
    if steps_ok < 0.8 * (len(days) - 1):
        return None
    anchor = _month_anchor(grid, r, days[0][0])
    if anchor is None:
        return None
    year, month = anchor
    m = month_index(year, month)
    cols = []
    prev = days[0][1]
    for c, d in days:
        if d < prev:
            m += 1
        prev = d
        if _visible(grid, c):
            cols.append(TimeCol(c, m, m))
    rows = [rr for rr in range(max(r - 3, 1), r) if any(cc in {c for c, _ in days} for cc in grid.row_cells(rr))]
    rows.append(r)
    below = [as_text(grid.raw(r + 1, c)) for c, _ in days[:14]]
    if sum(1 for t in below if t and t.rstrip("曜日") in _WEEKDAYS) >= 3:
        rows.append(r + 1)
    return Axis(r, None, cols, "day", sorted(set(rows)), rounded=True) if cols else None


def _year_axis(grid: SheetGrid, r: int, years: list[tuple[int, int, int]]) -> Axis:
    # extend unmerged year cells rightwards over the empty columns up to the next year
    spans = []
    for i, (lo, hi, fy) in enumerate(years):
        if hi == lo and i + 1 < len(years):
            hi = years[i + 1][0] - 1
        spans.append((lo, hi, fy))
    # a sub-header row right below (months, quarters, halves)?
    sub_row = None
    sub: dict[int, object] = {}
    for rr in (r + 1, r + 2):
        found = {}
        for c in grid.row_cells(rr):
            span = parse_month_span(as_text(grid.raw(rr, c)))
            if span is None and isinstance(grid.raw(rr, c), (int, float)) and not isinstance(grid.raw(rr, c), bool):
                v = grid.raw(rr, c)
                if float(v).is_integer() and 1 <= v <= 12 and grid.number_format(rr, c) == "General":
                    span = parse_month_span(f"{int(v)}月")
            if span is not None:
                found[c] = span
        if len(found) >= 2:
            sub_row, sub = rr, found
            break
    cols: list[TimeCol] = []
    last = spans[-1]
    finer_rows: list[int] = []
    if sub_row is not None and _spread_months_over_finer_columns(grid, sub_row, sub):
        finer_rows.append(sub_row + 1)
    if sub_row is not None:
        # the last year may run further right than its header cell says
        right = max(sub)
        spans[-1] = (last[0], max(last[1], right if last[1] == last[0] else last[1]), last[2])
        for lo, hi, fy in spans:
            for c in range(lo, hi + 1):
                span = sub.get(c)
                if span is None or not _visible(grid, c):
                    continue
                a, b = span.months(fy)
                cols.append(TimeCol(c, a, b))
        sizes = {t.end - t.start + 1 for t in cols}
        gran = {1: "month", 3: "quarter", 6: "half", 12: "year"}.get(max(sizes) if sizes else 12, "month")
        if finer_rows and gran == "month":
            gran = "week"
        rows = [r, sub_row] + finer_rows
    else:
        spans[-1] = (last[0], last[1] if grid.merge_at(r, last[0]) else last[0], last[2])
        for lo, hi, fy in spans:
            vis = [c for c in range(lo, hi + 1) if _visible(grid, c)]
            cols.extend(_split_year(fy, vis))
        n = max((hi - lo + 1) for lo, hi, _ in spans)
        gran = "year" if n == 1 else {2: "half", 4: "quarter", 12: "month"}.get(n, "year")
        rows = [r]
    # merged label headers spanning the year row and the row below belong to the header too
    for c in grid.row_cells(r):
        m = grid.merge_at(r, c)
        if m and m.min_row == r and m.max_row > r:
            rows.extend(range(r + 1, m.max_row + 1))
    return Axis(r, sub_row, cols, gran, sorted(set(rows)))


FINER_HEADING = re.compile(r"^(?:第?[1-5]週(?:目)?|[1-5]W|上旬|中旬|下旬|前半|後半|\d{1,2}日?)$", re.IGNORECASE)


def _spread_months_over_finer_columns(grid: SheetGrid, sub_row: int, sub: dict) -> bool:
    """A month merged over (or written above) finer columns — 1週…4週, 上旬/中旬/下旬, day numbers —
    puts every one of those columns in that month. True when a row of such finer headings is below."""
    below = sub_row + 1
    finer = {c for c in grid.row_cells(below) if FINER_HEADING.match(normalize(as_text(grid.raw(below, c))))}
    finer -= set(sub)
    ordered = sorted(sub)
    spread = False
    for i, c in enumerate(ordered):
        span = sub[c]
        if span.first != span.last:
            continue  # only single months are split into finer columns
        m = grid.merge_at(sub_row, c)
        hi = m.max_col if (m is not None and m.min_col == c and m.min_row == sub_row) else c
        if hi == c and finer:
            nxt = ordered[i + 1] if i + 1 < len(ordered) else max(finer | {c}) + 1
            while hi + 1 < nxt and hi + 1 in finer:
                hi += 1
        for cc in range(c + 1, hi + 1):
            if cc not in sub:
                sub[cc] = span
                spread = True
    return spread and len(finer) >= 2


def find_axes(grid: SheetGrid, max_scan_rows: int | None = None) -> list[Axis]:
    """Every row of the sheet that heads a time axis, top to bottom (sub-header rows skipped)."""
    out: list[Axis] = []
    taken: set[int] = set()
    counts: dict[int, int] = {}
    span_like: dict[int, int] = {}
    for (r, _c), v in grid.values.items():
        if _could_be_header(v):
            counts[r] = counts.get(r, 0) + 1
        if v.__class__ is str and len(v) <= 12 and _SPAN_LIKE.search(v):
            span_like[r] = span_like.get(r, 0) + 1
    candidate_rows = sorted(r for r, n in counts.items()
                            if n >= 2 or ((span_like.get(r + 1, 0) >= 2 or counts.get(r + 1, 0) >= 2)
                                          and _single_year_over_subheader(grid, r)))
    for r in candidate_rows:
        if max_scan_rows is not None and r > max_scan_rows:
            break
        if r in taken:
            continue
        axis = axis_from_row(grid, r)
        if axis is None or not axis.cols:
            continue
        taken.update(axis.header_rows)
        prev = out[-1] if out else None
        if prev is not None and axis.year_row - prev.last_header_row <= 3 and \
                axis.cols[0].col <= prev.cols[-1].col and prev.cols[0].col <= axis.cols[-1].col:
            # stacked header rows (years over months over days): the finest row is the axis
            if len(axis.cols) > len(prev.cols):
                axis.header_rows = sorted(set(prev.header_rows) | set(axis.header_rows)
                                          | set(range(prev.year_row, axis.year_row)))
                out[-1] = axis
            else:
                prev.header_rows = sorted(set(prev.header_rows) | set(axis.header_rows))
            continue
        out.append(axis)
    return out


def _single_year_over_subheader(grid: SheetGrid, r: int) -> bool:
    cells = grid.row_cells(r)
    if not cells or len(cells) > 12:
        return False
    if not any(year_of_cell(grid, r, c) is not None for c in cells):
        return False
    below = grid.row_cells(r + 1)
    return sum(1 for c in below if parse_month_span(as_text(grid.raw(r + 1, c))) is not None
               or _bare_month_number(grid, r + 1, c)) >= 2


def _bare_month_number(grid: SheetGrid, r: int, c: int) -> bool:
    """A month written as a bare number (4, 5 … 3) in a General cell."""
    v = grid.raw(r, c)
    return isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and 1 <= v <= 12 \
        and grid.number_format(r, c) == "General"


def _could_be_header(v: object) -> bool:
    if isinstance(v, str):
        return len(v) <= 24 and bool(YEARISH.search(v))
    if isinstance(v, bool):
        return False
    return isinstance(v, (int, float, _dt.datetime, _dt.date))
