"""Import the Excel roadmaps offices already have, whatever their layout.

Entry points
------------
``import_workbook(path, overrides=None) -> ImportResult``
    Read ``path`` (.xlsx/.xlsm) with automatic detection (what ``dxroadmap convert``
    uses). The result carries the :class:`~dxroadmap.model.plan.Plan`, ``warnings`` a
    person should see (rounded day/week schedules, rows that could not be placed…),
    ``report`` — one :class:`RowDecision` per non-empty row (sheet, row, role among
    header/pillar/initiative/child/legend/note/ignored/unplaced/title/cover, and the
    reason) — and ``layout`` ("year-fill", "quarter-fill", "month-text", "card",
    "shapes", "list-only", "datasheet", …).

``detect(path, overrides=None) -> Detection``
    The same reading, returning per-sheet findings (:class:`SheetDetection`: header row,
    time columns as ``{column: (first month, last month)}``, column roles, layout) next to
    the result, and a ``signature`` of the heading texts so that a confirmed layout can
    be remembered per office.

``WorkbookReader(path)``
    Loads the workbook once; ``reader.detect(overrides)`` and ``reader.read(overrides)``
    can then be called again and again (the GUI preview re-runs detection on every
    correction without reloading). ``reader.grid(title)`` gives the sheet's cells.

Overrides
---------
``overrides`` maps a sheet title to :class:`SheetOverrides` (``skip``, ``header_row``,
``time_columns``, ``column_roles``); anything not overridden is detected as usual.
Rows and columns are 1-based, as Excel shows them; months are month indexes
(:func:`dxroadmap.model.fiscal.month_index`).

Refusals raise :class:`~dxroadmap.io.errors.PlanReadError` with ``reason``
``legacy-xls``, ``encrypted``, ``not-a-workbook``, ``too-large`` (from
:mod:`dxroadmap.io.xlsx.package.preflight`, run before openpyxl sees the file) or ``no-roadmap``,
and a one- or two-sentence message in Japanese and English.

Safety: the workbook is loaded once with ``data_only=True`` (cached values: formulas
are never evaluated) and ``keep_links=False`` (external links are not followed); the
importer only visits cells that exist and caps rows and columns
(:data:`dxroadmap.io.xlsx.read.grid.SHEET_MAX_ROWS`/``SHEET_MAX_COLS``). Shapes are read from the
drawing parts by :mod:`dxroadmap.io.xlsx.drawing.shapes` only when the file has drawings.
"""

from __future__ import annotations

import datetime as _dt
import gc
import hashlib
import os
import re
import zipfile
from pathlib import Path

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.datasheet import read_data_sheet_quickly
from dxroadmap.io.xlsx.drawing.shapes import read_sheet_shapes
from dxroadmap.io.xlsx.package.preflight import check_workbook
from dxroadmap.io.xlsx.read.axis import Axis, TimeCol, axis_from_row, find_axes
from dxroadmap.io.xlsx.read.cards import is_card_sheet, read_cards
from dxroadmap.io.xlsx.read.dates import period_from_text
from dxroadmap.io.xlsx.read.evidence import axis_evidence
from dxroadmap.io.xlsx.read.forms import not_a_roadmap
from dxroadmap.io.xlsx.read.grid import (
    SHEET_MAX_COLS,
    SHEET_MAX_ROWS,
    SheetGrid,
    as_text,
    load_workbook,
    sheet_grid,
    sheet_tabs,
    workbook_palette,
)
from dxroadmap.io.xlsx.read.headings import column_roles, find_list_header, guess_header_row, heading_role
from dxroadmap.io.xlsx.read.legend_block import LegendBlock, apply_legend_blocks, find_legend_block
from dxroadmap.io.xlsx.read.month_row import month_row_axes
from dxroadmap.io.xlsx.read.results import Detection, ImportResult, RowDecision, SheetDetection, SheetOverrides
from dxroadmap.io.xlsx.read.table import TableReader, TableResult
from dxroadmap.io.xlsx.read.words import is_note, norm
from dxroadmap.io.xlsx.read.xls import XlsBook, load_xls
from dxroadmap.io.xlsx.reopen import attach_sheet_ids, read_saved_workbook
from dxroadmap.model.fiscal import fiscal_year_of
from dxroadmap.model.plan import Pillar, Plan
from dxroadmap.model.titles import title_without_period
from dxroadmap.model.wareki import find_fiscal_year, parse_fiscal_period, parse_fiscal_year

__all__ = ["import_workbook", "detect", "WorkbookReader", "ImportResult", "RowDecision", "Detection",
           "SheetDetection", "SheetOverrides", "header_signature"]

Overrides = dict  # sheet title -> SheetOverrides

_MAX_UNPLACED_LINES = 20  # warnings naming rows not imported, one each; the rest are counted


def _no_roadmap(path: Path, detail: str = "") -> PlanReadError:
    en = f"No roadmap was found in {path.name}: no sheet has initiatives with fiscal-year columns or a list of initiatives."
    ja = f"{path.name} にロードマップが見つかりません。年度の列を持つ取組の表や、取組の一覧がどのシートにもありません。"
    if detail:
        en += f" ({detail})"
    return PlanReadError("no-roadmap", en, ja)


def _has_drawings(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.startswith("xl/drawings/") and n.endswith(".xml") and "/_rels/" not in n
                       for n in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _open_xls(path: Path) -> XlsBook:
    """A legacy .xls workbook read by xlrd; a password-protected one stays refused (``encrypted``)."""
    try:
        check_workbook(path)
    except PlanReadError as exc:
        if exc.reason != "legacy-xls":
            raise
    else:  # a zip package or anything else named .xls is not a BIFF workbook
        raise PlanReadError("not-a-workbook",
                            f"{path.name} is named .xls but is not an Excel 97–2003 workbook; save it again from Excel.",
                            f"{path.name} は拡張子が .xls ですが Excel 97–2003 形式のブックではありません。Excel で保存し直してください。")
    return load_xls(path)


class WorkbookReader:
    """One loaded workbook, read as a roadmap as many times as needed."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise PlanReadError("missing", f"There is no file {self.path}.", f"ファイル {self.path} がありません。")
        self._grids: dict[str, SheetGrid] = {}
        self.shapes: dict[str, list] = {}
        self.warnings: list[str] = []
        self._legends: dict[str, LegendBlock] = {}  # sheet title -> its 凡例 block (see legend_block)
        self._xls: XlsBook | None = None
        if self.path.suffix.lower() == ".xls":
            self._xls = _open_xls(self.path)
            self.wb = None
            self._tabs = self._xls.tabs
            self._palette = []
            for title in sorted(self._xls.sheets_with_drawings):
                self.warnings.append(f"{title}: shapes in an .xls workbook are not read; bars drawn as shapes on this sheet "
                                     f"were not imported (.xls の図形は読み込めません。図形で描いたバーは取り込まれていません).")
            return
        check_workbook(self.path)
        self.wb = load_workbook(self.path)
        self._tabs = sheet_tabs(self.wb)
        self._palette = workbook_palette(self.wb)
        if _has_drawings(self.path):
            try:
                self.shapes = read_sheet_shapes(self.path) or {}
            except PlanReadError:
                raise
            except Exception as exc:  # shapes are a bonus; cells still import
                self.warnings.append(f"Shapes could not be read ({exc.__class__.__name__}); bars drawn as shapes were skipped.")

    @property
    def sheet_titles(self) -> list[str]:
        return [tab.title for tab in self._tabs]

    def grid(self, title: str) -> SheetGrid:
        """The cells of sheet ``title`` (built on first use, then cached)."""
        g = self._grids.get(title)
        if g is None:
            if self._xls is not None:
                g = self._grids[title] = self._xls.grid(title)
            else:
                g = self._grids[title] = sheet_grid(self.wb, title, self._palette)
        return g

    # ------------------------------------------------------------------ reading

    def read(self, overrides: Overrides | None = None) -> ImportResult:
        """The plan, or :class:`PlanReadError` ``no-roadmap``."""
        det = self.detect(overrides)
        if det.error is not None:
            raise det.error
        assert det.result is not None
        return det.result

    def detect(self, overrides: Overrides | None = None) -> Detection:
        """Per-sheet findings and the resulting plan (``error`` set instead when there is no roadmap)."""
        # the reader makes many small objects and no cycles: pausing the cycle collector saves a third
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._detect(overrides)
        finally:
            if paused:
                gc.enable()

    def _detect(self, overrides: Overrides | None) -> Detection:
        overrides = overrides or {}
        self._legends = {}
        data_warning = []
        if not overrides and self.wb is not None:  # an .xls has no data sheet
            # a workbook dxroadmap saved: its data sheet, with what a colleague edited on the roadmap sheet
            saved, data_warning = read_saved_workbook(self.wb, self.warnings)
            if saved is not None:
                return Detection([SheetDetection(t, "datasheet") for t in self.sheet_titles], saved, "")
        sheets: list[SheetDetection] = []
        reads: list[tuple[SheetDetection, TableResult, list[Axis]]] = []
        report: list[RowDecision] = []
        warns: list[str] = list(self.warnings) + data_warning
        covers: list[SheetGrid] = []
        signature = ""
        for tab in self._tabs:
            title = tab.title
            if not tab.has_cells:
                sheets.append(SheetDetection(title, "none", reason="a chart sheet"))
                continue
            ov = overrides.get(title) or SheetOverrides()
            if ov.skip:
                sheets.append(SheetDetection(title, "skipped", reason="skipped by the user"))
                continue
            if tab.state != "visible" and not overrides.get(title):
                sheets.append(SheetDetection(title, "hidden", reason="a hidden sheet"))
                report.append(RowDecision(title, 1, "ignored", "the sheet is hidden"))
                continue
            grid = self.grid(title)
            if grid.truncated:
                warns.append(f"{title}: only the first {SHEET_MAX_ROWS:,} rows and {SHEET_MAX_COLS:,} columns were read "
                             f"(先頭の {SHEET_MAX_ROWS:,} 行・{SHEET_MAX_COLS:,} 列までを読み込みました).")
            try:
                det, res, axes = self._read_sheet(grid, ov, len(self._tabs) > 1)
            except (RecursionError, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
                # one sheet the reader trips over must not cost the others (nor show a traceback)
                warns.append(f"{title}: this sheet could not be read ({exc.__class__.__name__}) and was skipped "
                             f"(このシートは読み取れなかったため飛ばしました).")
                sheets.append(SheetDetection(title, "error", reason=exc.__class__.__name__))
                report.append(RowDecision(title, 1, "ignored", f"the reader failed on this sheet ({exc.__class__.__name__})"))
                continue
            sheets.append(det)
            report.extend(res.decisions if res else [])
            if res is not None and res.count:
                reads.append((det, res, axes))
                warns.extend(res.warnings)
                if not signature:
                    signature = header_signature(grid, det)
            else:
                covers.append(grid)
        if not reads:
            why = next((s.reason for s in sheets if s.reason and s.layout == "refused"), "")
            return Detection(sheets, None, signature, _no_roadmap(self.path, why))
        try:
            plan = self._assemble(reads, covers, warns, confirmed=bool(overrides))
        except PlanReadError as exc:
            return Detection(sheets, None, signature, exc)
        warns.extend(apply_legend_blocks(plan, [self._legends[d.title] for d, _r, _a in reads if d.title in self._legends]))
        if self.wb is not None:
            attach_sheet_ids(self.wb, plan)  # a sheet dxroadmap wrote keeps its rows' ids without its data sheet
        unplaced = [d for d in report if d.role == "unplaced"]
        for d in unplaced[:_MAX_UNPLACED_LINES]:
            warns.append(f"{d.sheet} row {d.row}: not imported — {d.reason} (取り込めなかった行)")
        if len(unplaced) > _MAX_UNPLACED_LINES:
            warns.append(f"… and {len(unplaced) - _MAX_UNPLACED_LINES} more rows not imported "
                         f"(ほかに {len(unplaced) - _MAX_UNPLACED_LINES} 行を取り込めませんでした)")
        main = max(reads, key=lambda x: x[1].count)[0]
        result = ImportResult(plan, _dedupe(warns), report, main.layout)
        return Detection(sheets, result, signature)

    # ------------------------------------------------------------------ one sheet

    def _read_sheet(self, g: SheetGrid, ov: SheetOverrides, many_sheets: bool
                    ) -> tuple[SheetDetection, TableResult | None, list[Axis]]:
        shapes = self.shapes.get(g.title) or []
        legend = find_legend_block(g, shapes)
        if legend is not None:  # the workbook's own 凡例: its swatch shapes are not bars
            self._legends[g.title] = legend
            shapes = [s for s in shapes if not any(s is x for x in legend.shapes)]
        axes: list[Axis]
        axis_why = ""
        if ov.time_columns is not None:
            if ov.time_columns:
                cols = [TimeCol(c, a, b) for c, (a, b) in sorted(ov.time_columns.items())]
                hr = ov.header_row or guess_header_row(g, [t.col for t in cols])
                sizes = {t.end - t.start + 1 for t in cols}
                gran = {1: "month", 3: "quarter", 6: "half", 12: "year"}.get(max(sizes), "month")
                axes = [Axis(hr, None, cols, gran, [hr])]
            else:
                axes = []
        elif ov.header_row is not None:
            a = axis_from_row(g, ov.header_row, min_years=1)
            axes = [a] if a and a.cols else []
        else:
            axes = [a for a in find_axes(g) if not _dates_under_date_headings(g, a)]
            if not axes:  # a 年間計画: months in the grid, the fiscal year in the title or sheet name
                axes, axis_why = month_row_axes(g)
        det = SheetDetection(g.title, "none")
        if axes and ov.header_row is None and ov.time_columns is None and is_card_sheet(g, axes):
            res = read_cards(g, axes, shapes)
            det.layout = "card"
            det.header_row = axes[0].year_row
            det.data_start = axes[0].last_header_row + 1
            det.time_columns = {t.col: (t.start, t.end) for t in axes[0].cols}
            det.column_roles = column_roles(g, axes[0].header_rows, axes[0].col_set)
            det.granularity = axes[0].granularity
            det.initiatives = res.count
            self._rounding_warning(g, axes, res)
            return det, res, axes
        if axes:
            res = TableResult()
            for k, a in enumerate(axes):
                nxt = axes[k + 1].header_rows[0] - 1 if k + 1 < len(axes) else g.max_row
                if shapes:
                    nxt = max(nxt, int(max(s.row1 for s in shapes)) + 1) if k + 1 == len(axes) else nxt
                rows = list(a.header_rows)
                # the heading nearest the data wins (a title above a stacked header is not a heading)
                roles = column_roles(g, list(reversed(rows)) + [a.year_row - 1], a.col_set)
                roles.update(ov.column_roles)
                roles = {c: r for c, r in roles.items() if r != "ignore"}
                if "name" not in roles.values() and "name" not in ov.column_roles.values():
                    # headings may sit on another row than the years
                    roles2 = column_roles(g, [a.year_row - 2, a.year_row + 1], a.col_set)
                    for c, r in roles2.items():
                        roles.setdefault(c, r)
                reader = TableReader(g, a, rows, roles, a.last_header_row + 1, nxt, shapes,
                                     self._sheet_pillar(g, a.year_row) if many_sheets else None,
                                     adjust_roles=not ov.column_roles)
                part = reader.read()
                for r in a.header_rows:
                    res.decisions.append(RowDecision(g.title, r, "header", f"time axis by {a.granularity}"))
                self._title_rows(g, a.year_row, res)
                res.entries.extend(part.entries)
                res.decisions.extend(part.decisions)
                res.warnings.extend(part.warnings)
                res.phases_from |= part.phases_from
                res.open_ended.extend(part.open_ended)
                res.count += part.count
                if k == 0:
                    det.header_row = a.year_row
                    det.data_start = a.last_header_row + 1
                    det.time_columns = {t.col: (t.start, t.end) for t in a.cols}
                    det.column_roles = dict(reader.roles)
                    det.granularity = a.granularity
            if res.count:
                a = axes[0]
                refusal = "" if ov.column_roles or ov.time_columns is not None else \
                    not_a_roadmap(g, a.year_row, a.col_set)
                if refusal:
                    det.layout, det.reason = "refused", refusal
                    refused = TableResult()
                    refused.decisions.append(RowDecision(g.title, a.year_row, "ignored", refusal))
                    return det, refused, []
                det.reason = "; ".join(x for x in (axis_why, axis_evidence(g, a).reason) if x)
                src = res.phases_from
                kind = "shapes" if "shape" in src else ("text" if "text" in src and "fill" not in src else
                                                        "dates" if src <= {"dates", "period"} else "fill")
                det.layout = f"{a.granularity}-{kind}"
                det.initiatives = res.count
                if "dates" in src and not any(x.rounded for x in axes):
                    # bars drawn only by conditional formatting: they came from the start/end date cells
                    res.warnings.append(f"{g.title}: bars were made from the start and end dates and rounded to whole "
                                        f"months (開始日・終了日から月単位のバーにしました).")
                self._rounding_warning(g, axes, res)
                return det, res, axes
        # ---- no timeline: a list of initiatives?
        if ov.header_row is not None:
            hr, roles = ov.header_row, column_roles(g, [ov.header_row], set())
        else:
            found = find_list_header(g)
            if found is None:
                det.layout = "cover" if g.values else "none"
                det.reason = "no time axis and no table of initiatives"
                res = TableResult()
                for r in sorted({r for r, _ in g.values})[:50]:
                    res.decisions.append(RowDecision(g.title, r, "cover" if many_sheets else "ignored",
                                                     "no roadmap table on this sheet"))
                return det, res, []
            hr, roles = found
        roles.update(ov.column_roles)
        roles = {c: r for c, r in roles.items() if r != "ignore"}
        figures = _figures_table(g, hr, roles) or not_a_roadmap(g, hr, set())
        det.header_row, det.data_start, det.column_roles = hr, hr + 1, dict(roles)
        if figures and not ov.column_roles:
            det.layout = "refused"
            det.reason = figures
            res = TableResult()
            res.decisions.append(RowDecision(g.title, hr, "ignored", figures))
            return det, res, []
        header_rows = [hr] + [r for r in (hr + 1,) if all(g.origin(r, c)[0] == hr for c in roles)]
        start = max(header_rows) + 1
        reader = TableReader(g, None, header_rows, roles, start, g.max_row, None,
                             self._sheet_pillar(g, hr) if many_sheets else None, adjust_roles=not ov.column_roles)
        res = reader.read()
        res.decisions.insert(0, RowDecision(g.title, hr, "header", "column headings (no timeline)"))
        self._title_rows(g, hr, res)
        det.layout = "list-only"
        if "period" in res.phases_from and "dates" not in res.phases_from:
            det.layout = "period-column"
        if "dates" in res.phases_from:
            det.layout = "date-columns"
            res.warnings.append(f"{g.title}: bars were made from the start and end dates and rounded to whole months "
                                f"(開始日・終了日から月単位のバーにしました).")
        det.column_roles = dict(reader.roles)
        det.initiatives = res.count
        return det, res, []

    def _title_rows(self, g: SheetGrid, header_row: int, res: TableResult) -> None:
        for r in sorted({r for r, _ in g.values if r < header_row}):
            if r not in {d.row for d in res.decisions}:
                res.decisions.append(RowDecision(g.title, r, "title", "above the table"))

    def _rounding_warning(self, g: SheetGrid, axes: list[Axis], res: TableResult) -> None:
        rounded = [a for a in axes if a.rounded]
        if rounded and res.count:
            res.warnings.append(f"{g.title}: the schedule is by {rounded[0].granularity}; "
                                f"bars were rounded to whole months (スケジュールを月単位に丸めました).")

    def _sheet_pillar(self, g: SheetGrid, header_row: int) -> str:
        """A sheet's own pillar name: its title, or the fuller heading above the table that ends with it."""
        title = g.title.strip()
        for r in range(1, header_row):
            for c in g.row_cells(r):
                t = as_text(g.values[(r, c)])
                m = re.search(r"[（(][0-9０-９一二三四五六七八九十]+[)）]\s*(.+)$", t)
                if m and norm(m.group(1)).startswith(norm(title)[:max(len(norm(title)) - 1, 1)]):
                    return m.group(1).strip()
        return title

    # ------------------------------------------------------------------ the plan

    def _assemble(self, reads, covers: list[SheetGrid], warns: list[str], confirmed: bool = False) -> Plan:
        pillars: dict[str, Pillar] = {}
        for _det, res, _axes in reads:
            for pname, init in res.entries:
                p = pillars.get(pname)
                if p is None:
                    p = pillars[pname] = Pillar(name=pname)
                p.initiatives.append(init)
        plan = Plan(pillars=list(pillars.values()))
        all_axes = [a for _d, _r, axes in reads for a in axes]
        period = None
        if all_axes:
            period = (min(a.start_fy for a in all_axes), max(a.end_fy for a in all_axes))
        else:
            for _d, res, _a in reads:
                g = self.grid(res.decisions[0].sheet) if res.decisions else None
                if g is not None:
                    period = period_from_text(g, (res.decisions[0].row if res.decisions else 10))
                if period:
                    break
            if period is None:
                for g in covers:
                    period = period_from_text(g, g.max_row + 1)
                    if period:
                        break
            if period is None:
                months = [m.month for _p, i in plan.walk() for m in i.milestones] + \
                         [x for _p, i in plan.walk() for ph in i.phases for x in (ph.start, ph.end)]
                if months:
                    period = (fiscal_year_of(min(months)), fiscal_year_of(max(months)))
            if period is None:  # never from today's date: the same file gives the same plan on any day
                period = self._years_named([self.grid(d.title) for d, _r, _a in reads] + covers)
                if period is None and confirmed:  # a list the person confirmed: the plan's default period, said so
                    default = Plan()
                    period = (default.start_fy, default.end_fy)
                    warns.append(f"The workbook names no fiscal year or date; the plan period was set to "
                                 f"{period[0]}–{period[1]} (年度の記載がないため、計画期間を仮に設定しました).")
                elif period is None:
                    raise _no_roadmap(self.path, "the workbook names no fiscal year or date, so the plan has no period")
                else:
                        warns.append(f"The workbook names no plan period; it was set to the fiscal years it mentions "
                                 f"({period[0]}–{period[1]}) (計画期間の記載がないため、ブックに書かれた年度から決めました).")
        # bars outside the columns' years (plan period) stretch the period rather than vanish
        months = [x for _p, i in plan.walk() for ph in i.phases for x in (ph.start, ph.end)]
        if months:
            period = (min(period[0], fiscal_year_of(min(months))), max(period[1], fiscal_year_of(max(months))))
        plan.start_fy, plan.end_fy = period
        for _d, res, _a in reads:
            for phase in res.open_ended:
                phase.end = max(phase.end, plan.last_month)
        title, org = self._title(reads, covers)
        # the printed heading states the period under the title anyway: drop a trailing one (GUI and CLI alike)
        plan.title, plan.organization = title_without_period(title, plan.start_fy, plan.end_fy), org
        return plan

    @staticmethod
    def _years_named(grids: list[SheetGrid]) -> tuple[int, int] | None:
        """The first and last fiscal year the sheets mention (titles, period lines, cells, dates, sheet names)."""
        years: set[int] = set()
        for g in grids:
            for t in [g.title] + [v for v in g.values.values() if isinstance(v, str) and len(v) <= 80]:
                period = parse_fiscal_period(t)
                if period is not None:
                    years.update(period)
                    continue
                fy = find_fiscal_year(t)
                if fy is not None:
                    years.add(fy)
            for v in g.values.values():
                if isinstance(v, (_dt.date, _dt.datetime)) and 1950 <= v.year <= 2150:
                    years.add(v.year if v.month >= 4 else v.year - 1)
        return (min(years), max(years)) if years else None

    def _title(self, reads, covers: list[SheetGrid]) -> tuple[str, str]:
        texts = []
        for g in covers[:1]:
            texts += [as_text(g.values[k]) for k in sorted(g.values)[:3]]
        for det, _res, _axes in reads[:1]:
            g = self.grid(det.title)
            hr = det.header_row or 2
            texts += [as_text(g.values[k]) for k in sorted(g.values) if k[0] < hr][:2]
        texts = [t for t in texts if t and not is_note(t)]
        title = texts[0].replace("\n", " ") if texts else self.path.stem
        org = ""
        for t in texts:
            m = re.match(r"^(.{1,12}?(?:都|道|府|県|市|区|町|村))(?:役場|役所|庁)?(?:ＤＸ|DX|デジタル|情報|の|　| )", t)
            if m:
                org = m.group(1)
                break
        return title, org


_FIGURE_WORDS = ("予算", "決算", "千円", "金額", "見込額", "費用", "単価", "数量", "合計額", "事業費", "円）", "円)")


def _figures_table(g: SheetGrid, hr: int, roles: dict[int, str]) -> str:
    """Why the table under ``hr`` is a table of figures (a budget), not a roadmap; "" when it is not."""
    heads = " ".join(as_text(g.values.get((hr, c))) for c in g.row_cells(hr))
    title = " ".join(as_text(v) for (r, _c), v in g.values.items() if r < hr)
    numbers = texts = 0
    for (r, c), v in g.values.items():
        if r <= hr or roles.get(c) == "no":
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            numbers += 1
        elif isinstance(v, str) and v.strip():
            texts += 1
    figure_words = any(w in heads or w in title for w in _FIGURE_WORDS)
    year_heads = sum(1 for c in g.row_cells(hr) if re.search(r"(年度|FY)", as_text(g.values.get((hr, c))))
                     and heading_role(as_text(g.values.get((hr, c)))) is None)
    if numbers and numbers >= 0.3 * (numbers + texts) and (figure_words or year_heads):
        return "a table of figures (budget or results by year), not a roadmap"
    if figure_words and numbers >= 0.5 * max(1, numbers + texts):
        return "a table of figures, not a roadmap"
    return ""


def _dates_under_date_headings(g: SheetGrid, axis: Axis) -> bool:
    """True when the "year row" of ``axis`` is a data row of a date table: its year cells stand under
    開始/終了/実施時期 headings (令和4年度 | 令和5年度 as one initiative's start and end)."""
    cols = [t.col for t in axis.cols if g.raw(axis.year_row, t.col) is not None]
    if not cols:
        return False
    under = 0
    for c in cols:
        for r in range(axis.year_row - 1, max(axis.year_row - 6, 0), -1):
            role = heading_role(as_text(g.value(r, c)))
            if role is not None:
                under += role in ("start", "end", "period")
                break
    return under >= max(1, (len(cols) + 1) // 2)


def header_signature(grid: SheetGrid, det: SheetDetection) -> str:
    """A short hash of a sheet's heading texts: the same office's workbooks share it."""
    if det.header_row is None:
        return ""
    words = [norm(as_text(grid.values.get((det.header_row, c)))) for c in grid.row_cells(det.header_row)]
    words = [w for w in words if w and parse_fiscal_year(w) is None]
    return hashlib.sha1("|".join(words).encode("utf-8")).hexdigest()[:16]


def _dedupe(items: list) -> list:
    seen, out = set(), []
    for x in items:
        key = x if isinstance(x, str) else (x.code, repr(sorted(x.params.items())))  # a Notice's params are a dict
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def detect(path: str | os.PathLike, overrides: Overrides | None = None) -> Detection:
    """Per-sheet findings and the plan for ``path`` (see the module docstring)."""
    return WorkbookReader(path).detect(overrides)


def import_workbook(path: str | os.PathLike, overrides: Overrides | None = None) -> ImportResult:
    """Read a roadmap workbook into a plan; :class:`PlanReadError` when it holds none.

    A workbook dxroadmap saved is read from its data sheet in openpyxl's read-only mode
    first (seconds faster than a full load on a large plan); a damaged data sheet falls
    through to the full reader, which reads the visible sheets and says so.
    """
    if not overrides and Path(path).exists() and Path(path).suffix.lower() != ".xls":
        check_workbook(Path(path))
        try:
            plan = read_data_sheet_quickly(path)
        except Exception:  # any trouble here: the full reader reads the file and explains it
            plan = None
        if plan is not None:
            return ImportResult(plan, [], [], "datasheet")
    return WorkbookReader(path).read(overrides)
