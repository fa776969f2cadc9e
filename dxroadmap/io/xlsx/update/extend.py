"""Extend an office form's time axis by the fiscal years a plan needs and the form lacks.

When a plan's bars or milestones lie after the form's last year (or before its first),
:func:`extend_form` inserts, for each missing year, as many columns as one year has in
that form (one year column, four quarters, twelve months, two halves…) after the last
year's columns (before the first year's), copied from the adjacent year's columns:

* widths and column formats (``<cols>``) and the style of every row's cell (header rows,
  empty time cells, borders); the time cells of initiative rows get the empty style of
  their column (never a bar's fill);
* the header rows' texts: a cell naming the neighbour's fiscal year names the new year in
  the same notation (令和10年度, R10, 2028年度, a date shown as 年度, a year number), written
  with :func:`dxroadmap.model.wareki.format_fiscal_year`; other header texts (4-6月, 上期,
  4月) are copied as they are; header merges inside the neighbour year are repeated;
* everything to the right moves (:meth:`~.sheetxml.SheetXml.insert_cols`), ranges spanning
  the whole time axis (a merged title, the print area, a conditional format over the time
  cells) grow over the new year; defined names, other sheets' and charts' formulas and the
  drawing's anchors follow.

The bars themselves are painted afterwards by the ordinary update. Card layouts, bars
drawn as shapes and sheets without time columns are not extended (their issues stay).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

from dxroadmap.io.xlsx.package.parts import part_relationships
from dxroadmap.io.xlsx.read.dates import EXCEL_EPOCH, serial_to_date
from dxroadmap.io.xlsx.update.formulas import ColShift
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.model.fiscal import fiscal_year_of
from dxroadmap.model.plan import Plan
from dxroadmap.model.wareki import YearStyle, format_fiscal_year, normalize, parse_fiscal_year

__all__ = ["extend_form", "plan_years", "year_label_like"]

_EXTENDABLE = ("fill", "merge", "text")


def plan_years(plan: Plan) -> tuple[int, int] | None:
    """The first and last fiscal year the plan's bars and milestones touch; ``None`` without any."""
    months = [m for _, init in plan.walk() for p in init.phases for m in (p.start, p.end)]
    months += [m.month for _, init in plan.walk() for m in init.milestones]
    if not months:
        return None
    return fiscal_year_of(min(months)), fiscal_year_of(max(months))


def year_label_like(text: str, fy: int) -> str | None:
    """Fiscal year ``fy`` written in the notation of ``text`` (a label naming some fiscal year); ``None`` if it names none.

    The notation is one of :class:`~dxroadmap.model.wareki.YearStyle` (full-width digits
    kept full-width); a label in another notation (R5年度, FY2023, 令和5年度（2023）…) has its
    year numbers replaced.
    """
    old = parse_fiscal_year(text)
    if old is None:
        return None
    wide = any("０" <= ch <= "９" for ch in text)
    for style in YearStyle:
        if normalize(format_fiscal_year(old, style)) == normalize(text):
            out = format_fiscal_year(fy, style)
            if "\n" in text and style is YearStyle.ERA_WESTERN:
                out = out.replace("（", "\n（", 1)
            return _wide(out) if wide else out
    t = unicodedata.normalize("NFKC", text)
    era_n = old - 2018 if old >= 2019 else old - 1988
    new_era_n = fy - 2018 if fy >= 2019 else fy - 1988
    out = re.sub(r"(?<!\d)%d(?!\d)" % old, str(fy), t)
    out = re.sub(r"(令和|平成|[RH令平]\.?)(元|\d{1,2})(?!\d)",
                 lambda m: m.group(1) + (str(new_era_n) if m.group(2) in (str(era_n), "元" if era_n == 1 else "")
                                         else m.group(2)), out)
    if parse_fiscal_year(out) != fy:
        return format_fiscal_year(fy)
    return _wide(out) if wide else out


def _wide(text: str) -> str:
    return text.translate({ord(d): ord("０") + k for k, d in enumerate("0123456789")})


def _value_like(value: Any, number_format_year: bool, k: int) -> Any:
    """A header value of the neighbour year moved by ``k`` years (text, year number or date serial)."""
    if isinstance(value, str):
        fy = parse_fiscal_year(value)
        return value if fy is None else year_label_like(value, fy + k)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (_dt.datetime, _dt.date)):
        d = value if isinstance(value, _dt.datetime) else _dt.datetime(value.year, value.month, value.day)
        return _serial(_add_years(d, k))
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1950 <= value <= 2150 and not number_format_year:
            return int(value) + k
        d = serial_to_date(value)
        return _serial(_add_years(d, k)) if d else value
    return value


def _add_years(d: _dt.datetime, k: int) -> _dt.datetime:
    try:
        return d.replace(year=d.year + k)
    except ValueError:  # 29 February
        return d.replace(year=d.year + k, day=28)


def _serial(d: _dt.datetime) -> int | float:
    days = (d - EXCEL_EPOCH).total_seconds() / 86400
    return int(days) if float(days).is_integer() else days


def extend_form(job: Any, plan: Plan) -> bool:
    """Add the fiscal years ``plan`` needs to every extendable roadmap sheet of ``job`` (an update job, see writer).

    Edits ``job.sheets`` (marking them in ``job.edited``) and the parts outside them
    (``job.replaced``, ``job.formula_sheets``); returns whether any column was inserted.
    """
    years = plan_years(plan)
    if years is None:
        return False
    done = False
    for title, lay in job.layouts.items():
        if title in job.card_sheets or lay.encoding not in _EXTENDABLE or not lay.time_cols:
            continue
        form = _Form(job, title)
        while form.years and form.years[-1] < years[1]:
            form.add_year(after=True)
            done = True
        while form.years and form.years[0] > years[0]:
            form.add_year(after=False)
            done = True
    return done


class _Form:
    """One roadmap sheet's time axis being extended: its years' column blocks, header and initiative rows."""

    def __init__(self, job: Any, title: str) -> None:
        self.job, self.title = job, title
        self.sheet: SheetXml = job.sheets[title]
        lay = job.layouts[title]
        self.grid = job.reader.grid(title)
        self.blocks: dict[int, list[int]] = {}  # fiscal year -> [first col, last col]
        for t in lay.time_cols:
            fy = fiscal_year_of(t.start)
            block = self.blocks.setdefault(fy, [t.col, t.col])
            block[0], block[1] = min(block[0], t.col), max(block[1], t.col)
        self.years = sorted(self.blocks)
        if any(self.blocks[a][1] >= self.blocks[b][0] for a, b in zip(self.years, self.years[1:])):
            self.years = []  # years interleaved: not a plain axis
        slot_rows = [r for s in job.slots if s.sheet == title for r in s.rows]
        first_slot = min(slot_rows) if slot_rows else None
        sdet = lay.detection
        top = sdet.header_row or (first_slot or 1)
        bottom = (sdet.data_start or first_slot or top + 1) - 1
        if first_slot is not None:
            bottom = min(bottom, first_slot - 1)
        self.header_rows = set(range(top, max(top, bottom) + 1))
        self.slot_rows = {r for s in job.slots if s.sheet == title for r in s.schedule_rows}
        self.empty = dict(lay.empty_style)  # column -> empty time cell style (follows the shifts)
        self.original_col = {c: c for c in range(1, self.grid.max_col + 1)}  # current column -> the grid's
        self.written: dict[tuple[int, int], Any] = {}  # header values written into new columns

    def add_year(self, after: bool) -> None:
        fy = self.years[-1] if after else self.years[0]
        src0, src1 = self.blocks[fy]
        n = src1 - src0 + 1
        axis = (self.blocks[self.years[0]][0], self.blocks[self.years[-1]][1])
        at = src1 if after else src0 - 1
        # time-cell merges of initiative rows spanning the whole axis are bars: they must not grow
        bars = [m for m in self.sheet.merges if m[0] in self.slot_rows and m[1] <= axis[0] and m[3] >= axis[1]]
        shift = self.sheet.insert_cols(at, n, axis)
        for m in bars:
            self.sheet.merges[self.sheet.merges.index((m[0], m[1], m[2], m[3] + n))] = (m[0], shift.col(m[1]),
                                                                                          m[2], shift.col(m[3]))
        self._follow(shift)
        new_fy = fy + 1 if after else fy - 1
        if not after:
            src0, src1 = src0 + n, src1 + n
        dst0 = src1 + 1 if after else src0 - n
        self.blocks = {y: [shift.col(a), shift.col(b)] for y, (a, b) in self.blocks.items()}
        self.blocks[new_fy] = [dst0, dst0 + n - 1]
        self.years = sorted(self.blocks)
        self._copy(src0, dst0, n, new_fy - fy)
        self._outside(shift)
        self.job.edited.add(self.title)

    def _follow(self, shift: ColShift) -> None:
        self.empty = {shift.col(c): s for c, s in self.empty.items()}
        self.original_col = {shift.col(c): g for c, g in self.original_col.items()}
        self.written = {(r, shift.col(c)): v for (r, c), v in self.written.items()}

    def _copy(self, src0: int, dst0: int, n: int, k: int) -> None:
        sheet = self.sheet
        for i in range(n):
            src, dst = src0 + i, dst0 + i
            sheet.copy_col_format(src, dst)
            self.empty[dst] = self.empty.get(src)
            for r in list(sheet.order):
                if r in self.slot_rows:
                    style = self.empty.get(src)
                    if style is not None or sheet.style(r, src) is not None:
                        sheet.set_cell(r, dst, None, style)
                    continue
                style = sheet.style(r, src)
                value = None
                if r in self.header_rows and src in self.original_col and sheet.has_value(r, src) \
                        and "<f" not in sheet.rows[r].cells[src]:
                    g = self.original_col[src]
                    fmt = self.grid.number_format(r, g) if self.grid.formats.get((r, g)) else "General"
                    value = _value_like(self.grid.raw(r, g), "年度" in fmt or "ggg" in fmt, k)
                elif (r, src) in self.written:
                    value = _value_like(self.written[(r, src)], False, k)
                if style is None and value is None:
                    continue
                sheet.set_cell(r, dst, value, style)
                if value is not None:
                    self.written[(r, dst)] = value
        # header merges within the neighbour year are repeated for the new one
        for a, b, c, d in list(sheet.merges):
            if a in self.header_rows and src0 <= b and d <= src0 + n - 1:
                sheet.add_merge(a, b - src0 + dst0, c, d - src0 + dst0)

    def _outside(self, shift: ColShift) -> None:
        """Defined names, other sheets' and charts' formulas, and the drawing's anchors follow the columns."""
        job, zf = self.job, self.job.zf
        job.shift_references(self.title, shift)
        drawing = next((t for rtype, t in part_relationships(zf, job.parts[self.title]).values()
                        if rtype.endswith("/drawing") and t in zf.NameToInfo), None)
        if drawing:
            dx = job.replaced.get(drawing, zf.read(drawing)).decode("utf-8")
            new_dx = re.sub(r"(<(?:xdr:)?col>)(\d+)(</(?:xdr:)?col>)",
                            lambda m: f"{m.group(1)}{shift.col(int(m.group(2)) + 1) - 1}{m.group(3)}", dx)
            if new_dx != dx:
                job.replaced[drawing] = new_dx.encode("utf-8")


