"""Reopening a workbook dxroadmap saved, after a colleague edited its roadmap sheet in Excel.

The hidden data sheet holds the plan exactly as saved (the *base*). When the roadmap sheet
no longer matches the fingerprint saved with it, the sheet as it is now is compared with
the same sheet as dxroadmap wrote it — the base re-rendered in memory at the sheet's own
column resolution — both read the same way, cell by cell: rows (matched by the hidden id
column, so moved and inserted rows are still recognised), names, summaries, departments,
filled bars and ◆ milestones. Only what differs becomes an edit of the base: a bar that
still covers the same columns has not moved, so its exact months stay; a bar moved by whole
columns keeps its months relative to them. Everything the sheet does not show (KPI, notes,
priority items, kinds, colours, ids, sub-month dates) is kept. The edits are returned as
:class:`dxroadmap.model.diff.Change` lists, so the caller can show them (the GUI asks, the
command line prints them) and :func:`dxroadmap.model.merge.apply_changes` makes the plan.

When the sheet cannot be compared (no id column: a workbook saved before ids existed;
a changed column header), :func:`reopen_workbook` says so and the caller reads the visible
sheet as it would any office's workbook.
"""

from __future__ import annotations

import copy
import datetime as _dt
import os
import zipfile
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as DefusedET

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.datasheet import read_data_sheet
from dxroadmap.io.xlsx.export import (
    FIRST_TIME_COL,
    LABEL_COLUMNS,
    RESOLUTIONS,
    build_workbook,
    placements,
    sheet_text,
    time_columns,
)
from dxroadmap.io.xlsx.read.results import ImportResult
from dxroadmap.model.diff import Change, diff_plans, name_key
from dxroadmap.model.ids import is_stable_id
from dxroadmap.model.merge import apply_changes
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan, guess_kind

__all__ = ["Reopened", "ReopenedResult", "reopen_workbook", "read_saved_workbook", "compare_roadmap_sheets",
           "EDITED_WARNING", "last_saved_by", "attach_sheet_ids"]

_MAX_HEADER_SEARCH = 40
EDITED_WARNING = "The roadmap sheet was edited after dxroadmap saved this workbook; "  # how that warning begins


@dataclass
class Reopened:
    """The outcome: ``plan`` (``None`` when the sheet could not be compared), the edits found, warnings."""

    plan: Plan | None
    base: Plan | None
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReopenedResult(ImportResult):
    """An :class:`ImportResult` for a workbook dxroadmap saved: the base plan and the sheet's edits.

    ``plan`` has every change applied; ``base`` is the plan as saved, so a person may accept
    only some of ``changes`` (``apply_changes(base, accepted)``).
    """

    base: Plan | None = None
    changes: list[Change] = field(default_factory=list)


# ------------------------------------------------------------------ reading a roadmap sheet as dxroadmap lays it out


@dataclass
class _Bar:
    lane: int
    first: int  # time column index (0 = the first time column)
    last: int
    text: str
    rgb: str


@dataclass
class _Mark:
    lane: int
    col: int
    text: str


@dataclass
class _Row:
    kind: str  # "pillar" or "initiative"
    row: int
    name: str
    summary: str = ""
    departments: str = ""
    depth: int = 0
    id: str = ""
    bars: list[_Bar] = field(default_factory=list)
    marks: list[_Mark] = field(default_factory=list)


class _SheetShape(Exception):
    """The sheet's head is not the one dxroadmap wrote (columns inserted or removed)."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rgb(cell: Any) -> str | None:
    """The solid fill of a cell as ``RRGGBB`` (or ``theme:N``), ``None`` when it has none."""
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    color = fill.fgColor
    if color is None:
        return None
    if color.type == "rgb" and isinstance(color.rgb, str):
        rgb = color.rgb[-6:].upper()
        return None if rgb == "FFFFFF" else rgb
    if color.type == "theme":
        return f"theme:{color.theme}:{round(color.tint or 0, 3)}"
    if color.type == "indexed":
        return None if color.indexed in (64, 65) else f"indexed:{color.indexed}"
    return None


def _header_row(ws: Any) -> int:
    for r in range(1, _MAX_HEADER_SEARCH + 1):
        if tuple(_text(ws.cell(r, c).value) for c in range(1, 4)) == LABEL_COLUMNS:
            return r
    raise _SheetShape("no 取組内容 / 概要 / 関係部門 header")


def _read_sheet(ws: Any, n_cols: int, step: int) -> tuple[list[str], list[_Row]]:
    """The header texts (for comparing the sheets' shapes) and the rows of a roadmap sheet."""
    head = _header_row(ws)
    last_col = FIRST_TIME_COL + n_cols - 1
    id_col = last_col + 1
    head_rows = [head] + ([head + 1] if step < 12 else [])
    header = [_text(ws.cell(r, c).value) for r in head_rows for c in range(1, id_col + 1)]
    start = head_rows[-1] + 1

    top_left: dict[tuple[int, int], Any] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        if rng.max_row < start:
            continue
        top_left[(rng.min_row, rng.min_col)] = rng
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, min(rng.max_col, id_col) + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))

    rows: list[_Row] = []
    r, max_row = start, ws.max_row
    while r <= max_row:
        if (r, 1) in covered:
            r += 1
            continue
        a = ws.cell(r, 1)
        rng = top_left.get((r, 1))
        name = _text(a.value)
        if rng is not None and rng.max_col > 3:
            rows.append(_Row("pillar", r, name))
            r += 1
            continue
        if _text(ws.cell(r, 3).value) == "凡例" and not name and not _text(ws.cell(r, 2).value):
            break  # the legend below the table
        last = rng.max_row if rng is not None else r
        entry = _Row("initiative", r, name, _text(ws.cell(r, 2).value), _text(ws.cell(r, 3).value),
                     int((a.alignment.indent or 0) // 2) if a.alignment is not None else 0,
                     _text(ws.cell(r, id_col).value).strip())
        for lane, rr in enumerate(range(r, last + 1)):
            c = FIRST_TIME_COL
            while c <= last_col:
                if (rr, c) in covered:
                    c += 1
                    continue
                cell = ws.cell(rr, c)
                span = top_left.get((rr, c))
                c1 = min(span.max_col, last_col) if span is not None else c
                rgb = _rgb(cell)
                text = _text(cell.value)
                if rgb is not None:
                    prev = entry.bars[-1] if entry.bars else None
                    if prev and prev.lane == lane and prev.last == c - FIRST_TIME_COL - 1 and prev.rgb == rgb and not text:
                        prev.last = c1 - FIRST_TIME_COL  # a fill extended by hand
                    else:
                        entry.bars.append(_Bar(lane, c - FIRST_TIME_COL, c1 - FIRST_TIME_COL, text, rgb))
                elif text.startswith("◆"):
                    entry.marks.append(_Mark(lane, c - FIRST_TIME_COL, text[1:]))
                c = c1 + 1
        if entry.name or entry.summary or entry.departments or entry.bars or entry.marks or entry.id:
            rows.append(entry)
        r = last + 1
    return header, rows


# ------------------------------------------------------------------ turning the differences into edits


def _departments(text: str) -> list[str]:
    return [d.strip() for d in text.split("\n") if d.strip()]


def _join_departments(items: list[str]) -> str:
    return "\n".join(sheet_text(d) for d in items)


class _Editor:
    """Applies what differs between the written sheet and the sheet now to a copy of the base."""

    def __init__(self, base: Plan, columns: str) -> None:
        self.plan = copy.deepcopy(base)
        self.columns = time_columns(base, columns)
        self.step = RESOLUTIONS[columns]
        self.by_id = {i.id: i for _, i in self.plan.walk() if i.id}

    def span_of(self, first: int, last: int) -> tuple[int, int]:
        return self.columns[first][0], self.columns[last][1]

    def new_phase(self, bar: _Bar) -> Phase:
        start, end = self.span_of(bar.first, bar.last)
        label = bar.text or None
        kind = guess_kind(label)
        color = f"#{bar.rgb}" if len(bar.rgb) == 6 and bar.rgb != kind.default_color.lstrip("#").upper() else None
        if color and kind is PhaseKind.CUSTOM:
            kind = next((k for k in PhaseKind if k.default_color.lstrip("#").upper() == bar.rgb), kind)
            color = None if kind.default_color.lstrip("#").upper() == bar.rgb else color
        return Phase(start=start, end=end, label=label, kind=kind, color=color)

    def new_initiative(self, row: _Row) -> Initiative:
        init = Initiative(name=row.name, summary=row.summary, departments=_departments(row.departments))
        init.phases = [self.new_phase(b) for b in row.bars]
        init.milestones = [Milestone(month=self.columns[m.col][0], label=m.text or None) for m in row.marks]
        return init

    def update(self, init: Initiative, was: _Row, now: _Row) -> None:
        if now.name != was.name:
            init.name = now.name
        if now.summary != was.summary:
            init.summary = now.summary
        if now.departments != was.departments:
            init.departments = _departments(now.departments)
        placed = {}
        for item, lane, first, last in placements(init, self.columns):
            placed[(type(item), lane, first, last)] = item
        self.update_bars(init, was, now, placed)
        self.update_marks(init, was, now, placed)

    def update_bars(self, init: Initiative, was: _Row, now: _Row, placed: dict) -> None:
        old = [(b, placed.get((Phase, b.lane, b.first, b.last))) for b in was.bars]
        old = [(b, p) for b, p in old if p is not None]
        new = list(now.bars)
        pairs: list[tuple[_Bar, Phase, _Bar]] = []
        rules = (
            lambda o, n: (o.lane, o.first, o.last, o.text) == (n.lane, n.first, n.last, n.text),
            lambda o, n: (o.first, o.last, o.text) == (n.first, n.last, n.text),
            lambda o, n: o.text == n.text and o.lane == n.lane and o.rgb == n.rgb,
            lambda o, n: o.text == n.text and o.rgb == n.rgb,
            lambda o, n: (o.lane, o.first, o.last) == (n.lane, n.first, n.last),
            lambda o, n: o.lane == n.lane and o.rgb == n.rgb and min(o.last, n.last) >= max(o.first, n.first),
        )
        for rule in rules:
            for o, phase in list(old):
                hit = next((n for n in new if rule(o, n)), None)
                if hit is not None:
                    pairs.append((o, phase, hit))
                    old.remove((o, phase))
                    new.remove(hit)
        gone = {id(p) for _, p in old}
        init.phases = [p for p in init.phases if id(p) not in gone]
        for o, phase, n in pairs:
            if (o.first, o.last) != (n.first, n.last):
                if n.first - o.first == n.last - o.last:
                    shift = (n.first - o.first) * self.step
                    phase.start, phase.end = phase.start + shift, phase.end + shift
                else:
                    if n.first != o.first:
                        phase.start = self.columns[n.first][0]
                    if n.last != o.last:
                        phase.end = self.columns[n.last][1]
                    if phase.end < phase.start:
                        phase.start, phase.end = self.span_of(n.first, n.last)
            if n.text != o.text:
                phase.label = n.text or (None if phase.label is None else "")
        init.phases.extend(self.new_phase(b) for b in new)

    def update_marks(self, init: Initiative, was: _Row, now: _Row, placed: dict) -> None:
        old = [(m, placed.get((Milestone, m.lane, m.col, m.col))) for m in was.marks]
        old = [(m, ms) for m, ms in old if ms is not None]
        new = list(now.marks)
        pairs = []
        for rule in (lambda o, n: (o.col, o.text) == (n.col, n.text), lambda o, n: o.text == n.text,
                     lambda o, n: o.col == n.col):
            for o, ms in list(old):
                hit = next((n for n in new if rule(o, n)), None)
                if hit is not None:
                    pairs.append((o, ms, hit))
                    old.remove((o, ms))
                    new.remove(hit)
        gone = {id(ms) for _, ms in old}
        init.milestones = [ms for ms in init.milestones if id(ms) not in gone]
        for o, ms, n in pairs:
            if n.col != o.col:
                ms.month += (n.col - o.col) * self.step
            if n.text != o.text:
                ms.label = n.text or (None if ms.label is None else "")
        init.milestones.extend(Milestone(month=self.columns[m.col][0], label=m.text or None) for m in new)

    def rebuild(self, was_rows: list[_Row], now_rows: list[_Row]) -> Plan:
        """The edited plan: the tree as the sheet now orders it, each item updated from its row."""
        was_by_id = {r.id: r for r in was_rows if r.kind == "initiative" and r.id}
        base_pillars = list(self.plan.pillars)
        was_pillars = [r for r in was_rows if r.kind == "pillar"]
        now_pillars = [r for r in now_rows if r.kind == "pillar"]
        # pillars: by position when the count is unchanged, else by name
        pillar_for: dict[int, tuple[_Row, Pillar]] = {}
        if len(now_pillars) == len(was_pillars) == len(base_pillars):
            for k, row in enumerate(now_pillars):
                pillar_for[id(row)] = (was_pillars[k], base_pillars[k])
        elif len(was_pillars) == len(base_pillars):
            left = list(zip(was_pillars, base_pillars))
            for row in now_pillars:
                hit = next(((w, p) for w, p in left if name_key(w.name) == name_key(row.name)), None)
                if hit is not None:
                    left.remove(hit)
                    pillar_for[id(row)] = hit
        pillars: list[Pillar] = []
        used: set[str] = set()
        stack: list[Initiative] = []
        current: Pillar | None = None
        for row in now_rows:
            if row.kind == "pillar":
                was, current = pillar_for.get(id(row), (None, None))
                if current is None:
                    current = Pillar(name=row.name)
                elif was.name != row.name:
                    current.name = row.name
                current.initiatives = []
                pillars.append(current)
                stack = []
                continue
            if current is None:  # rows above the first pillar band
                current = Pillar(name="")
                pillars.append(current)
            init = self.by_id.get(row.id) if row.id not in used else None
            if init is not None and row.id in was_by_id:
                used.add(row.id)
                self.update(init, was_by_id[row.id], row)
                init.children = []
            else:
                init = self.new_initiative(row)
            depth = min(row.depth, len(stack))
            stack = stack[:depth]
            (stack[-1].children if stack else current.initiatives).append(init)
            stack.append(init)
        self.plan.pillars = pillars
        return self.plan


def compare_roadmap_sheets(base: Plan, columns: str, written: Any, now: Any) -> Plan:
    """``base`` edited by what differs between two renderings of its roadmap sheet.

    ``written`` is the sheet as dxroadmap wrote ``base`` at ``columns`` resolution; ``now`` the
    same sheet after a colleague's edits. Raises :class:`_SheetShape` when the sheets' heads differ.
    """
    n_cols = len(time_columns(base, columns))
    step = RESOLUTIONS[columns]
    head_was, rows_was = _read_sheet(written, n_cols, step)
    head_now, rows_now = _read_sheet(now, n_cols, step)
    if head_was != head_now:
        raise _SheetShape("the column header changed")
    if [(r.kind, r.id, r.name, r.summary, r.departments, r.depth, r.bars, r.marks) for r in rows_was] == \
            [(r.kind, r.id, r.name, r.summary, r.departments, r.depth, r.bars, r.marks) for r in rows_now]:
        return base
    editor = _Editor(base, columns)
    return editor.rebuild(rows_was, rows_now)


def reopen_workbook(wb: Any) -> Reopened | None:
    """The plan of a workbook dxroadmap saved, with a colleague's edits of the roadmap sheet.

    ``wb`` is an openpyxl workbook loaded in normal mode. ``None`` when it has no data sheet;
    :class:`PlanReadError` for a damaged or newer one (as :func:`read_data_sheet`). An edited
    sheet that cannot be compared gives ``Reopened(plan=None, …)`` with the reason in ``warnings``.
    """
    data = read_data_sheet(wb)
    if data is None:
        return None
    if not data.edited or data.roadmap_sheet is None:
        return Reopened(data.plan, data.plan)
    columns = data.columns
    if columns not in RESOLUTIONS or not any(i.id for _, i in data.plan.walk()) and data.plan.initiatives():
        return Reopened(None, data.plan, warnings=[_cannot_compare()])
    try:
        written = build_workbook(copy.deepcopy(data.plan), columns=columns)
        written_ws = written.worksheets[0]
        edited = compare_roadmap_sheets(data.plan, columns, written_ws, wb[data.roadmap_sheet])
    except (_SheetShape, PlanReadError, IndexError, KeyError, ValueError, TypeError, AttributeError):
        return Reopened(None, data.plan, warnings=[_cannot_compare()])
    if edited is data.plan:
        return Reopened(data.plan, data.plan)
    changes = diff_plans(data.plan, edited)
    plan = apply_changes(data.plan, changes)
    warnings = []
    if changes:
        warnings.append(f"{EDITED_WARNING}{len(changes)} change(s) "
                        f"were applied to the saved plan, and what the sheet does not show was kept "
                        f"（保存後にロードマップのシートが編集されていたため、{len(changes)} 件の変更を反映しました）.")
    return Reopened(plan, data.plan, changes, warnings)


def read_saved_workbook(wb: Any, warnings: list[str]) -> tuple[ReopenedResult | None, list[str]]:
    """What the workbook reader asks first: the plan a dxroadmap workbook holds, with its sheet's edits.

    Returns ``(result, [])`` for a workbook dxroadmap saved, ``(None, reasons)`` when the
    visible sheets must be read instead (``reasons`` for the person: a damaged data sheet,
    edits that cannot be compared), and ``(None, [])`` for any other workbook.
    """
    try:
        reopened = reopen_workbook(wb)
    except PlanReadError as exc:  # a damaged or newer data sheet: the visible roadmap is still there to read
        return None, [f"{exc.message('en')} The plan was read from the visible sheets instead "
                      f"（表示されているシートから読み取りました）."]
    if reopened is None:
        return None, []
    if reopened.plan is None:
        return None, reopened.warnings
    return ReopenedResult(reopened.plan, list(warnings) + reopened.warnings, [], "datasheet",
                          base=reopened.base, changes=reopened.changes), []


def _cannot_compare() -> str:
    return ("The roadmap sheet was edited after dxroadmap saved this workbook in a way that cannot be compared with "
            "the saved plan (for example, columns were inserted), so the hidden dxroadmap_data sheet no longer "
            "matches it. The plan was read from the visible sheets instead（表示されているシートから読み取りました）.")


def last_saved_by(path: str | os.PathLike) -> tuple[str, _dt.datetime | None]:
    """Who saved the workbook last and when (``docProps/core.xml``); ``("", None)`` when it does not say."""
    try:
        with zipfile.ZipFile(path) as package:
            root = DefusedET.fromstring(package.read("docProps/core.xml"))
    except Exception:  # noqa: BLE001 — a missing or odd core part only means we cannot say
        return "", None
    who, when = "", None
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        text = (element.text or "").strip()
        if tag == "lastModifiedBy":
            who = text
        elif tag == "modified" and text:
            try:
                when = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                when = None
    return who, when


def attach_sheet_ids(wb: Any, plan: Plan) -> int:
    """Give the initiatives of ``plan`` (read from the visible sheets) the ids of the hidden id column.

    For a roadmap sheet dxroadmap wrote whose data sheet is gone: each row's id sits in a hidden
    column right of the time columns (:func:`dxroadmap.io.xlsx.export.id_column`), so rows moved
    or inserted by hand keep theirs. Rows are paired with the initiatives in order, by name.
    Returns how many initiatives got an id.
    """
    rows: list[tuple[str, str]] = []  # (name in column A, id), top to bottom, over the sheets
    for ws in wb.worksheets:
        if not hasattr(ws, "iter_rows") or ws.sheet_state != "visible":
            continue
        try:
            _header_row(ws)  # only a sheet laid out as dxroadmap lays it out
        except _SheetShape:
            continue
        found = []
        for cells in ws.iter_rows(min_row=1, max_col=min(ws.max_column, 16384)):
            stable = [c.value for c in cells[3:] if isinstance(c.value, str) and c.value.startswith("i-")
                      and is_stable_id(c.value)]
            if len(stable) == 1:
                found.append((name_key(_text(cells[0].value)), stable[0]))
        rows.extend(found)
    if not rows:
        return 0
    taken = {i.id for _, i in plan.walk() if i.id}
    assigned, k = 0, 0
    for _, init in plan.walk():
        key = name_key(init.name)
        j = next((n for n in range(k, len(rows)) if rows[n][0] == key), None)
        if j is None:
            continue
        k = j + 1
        if not init.id and rows[j][1] not in taken:
            init.id = rows[j][1]
            taken.add(init.id)
            assigned += 1
    return assigned
