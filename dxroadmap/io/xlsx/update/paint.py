"""Bars and milestones drawn into an initiative's rows in the sheet's own encoding.

:func:`paint_slot` clears the time cells of an initiative's rows (each back to the style
an empty time cell has in that column, merged ranges inside removed) and draws the
initiative's phases and milestones:

* ``fill`` — cells in the style of an existing bar of the same colour, else of the same
  kind of phase, else the sheet's commonest bar style; the label (when the form shows
  labels) in the first cell;
* ``merge`` — the same, merged across the bar's columns;
* ``text`` — the label in the label style, then ``━`` cells and a closing ``→``;
* milestones — ``◆label`` in the milestone style;
* ``shapes`` — the bar and milestone shapes of the sheet's drawing moved, resized,
  relabelled, copied or removed (:class:`~dxroadmap.io.xlsx.update.shapes.ShapeCanvas`,
  held by the layout as ``canvas``); cells are not painted.

Bars are placed at the form's resolution (a bar from July to February in a quarter grid
covers the Q2…Q4 columns) on the first of the initiative's rows where they do not touch
another bar that the reader would join them to (shapes: on the first row where they do not
overlap another bar). What the form cannot show becomes an :class:`Issue`.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.io.xlsx.update.layout import SheetLayout
from dxroadmap.io.xlsx.update.shapes import ShapeItem
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.model.fiscal import format_ym
from dxroadmap.model.plan import Initiative, PhaseKind, guess_kind

__all__ = ["Issue", "form_view", "lanes_needed", "paint_slot", "LINE", "END"]

LINE, END, MARK = "━", "→", "◆"


@dataclass
class Issue:
    """Something the form cannot show, in English and Japanese.

    ``years``: it is about fiscal years the form lacks (``update --extend`` can add them).
    """

    en: str
    ja: str
    years: bool = False

    def __str__(self) -> str:
        return self.en


@dataclass
class _Item:
    first: int
    last: int
    label: str | None
    style: int | None
    milestone: bool = False
    color: str | None = None
    kind: PhaseKind | None = None


def form_view(lay: SheetLayout, init: Initiative | None) -> tuple:
    """What the form shows of an initiative's schedule: bars and marks as time-column spans."""
    if init is None:
        return ()
    def col(month: int) -> int:
        i = lay.column_of(month)
        return -1 if i is None else i
    bars = tuple(sorted((col(p.start), col(p.end), p.label or "") for p in init.phases))
    marks = tuple(sorted((col(m.month), m.label or "") for m in init.milestones))
    return bars, marks


def _items(lay: SheetLayout, init: Initiative, issues: list[Issue] | None) -> list[_Item]:
    out: list[_Item] = []
    n = len(lay.time_cols)
    first_month, last_month = lay.time_cols[0].start, max(t.end for t in lay.time_cols)
    for p in init.phases:
        a, b = lay.column_of(p.start), lay.column_of(p.end)
        if p.end < first_month or p.start > last_month:
            if issues is not None:
                issues.append(Issue(f"“{init.name}”: the bar {format_ym(p.start)}–{format_ym(p.end)} lies outside the "
                                    f"form's years", f"「{init.name}」の {format_ym(p.start)}～{format_ym(p.end)} の"
                                    f"バーは様式の年度の外にあります", years=True))
            continue
        if a is None or b is None:
            if issues is not None:
                issues.append(Issue(f"“{init.name}”: the bar {format_ym(p.start)}–{format_ym(p.end)} runs past the "
                                    f"form's years and is cut at its edge",
                                    f"「{init.name}」の {format_ym(p.start)}～{format_ym(p.end)} のバーは様式の年度を"
                                    f"はみ出すため端で切れます", years=True))
            a = 0 if a is None else a
            b = n - 1 if b is None else b
        label = p.label
        if label and not lay.labels:
            if issues is not None:
                issues.append(Issue(f"“{init.name}”: the form shows no labels on its bars ({label})",
                                    f"「{init.name}」：この様式のバーには文字がありません（{label}）"))
            label = None
        style = None
        if p.color and p.color.upper() in lay.style_by_color:
            style = lay.style_by_color[p.color.upper()]
        elif guess_kind(p.label) in lay.style_by_kind:
            style = lay.style_by_kind[guess_kind(p.label)]
        else:
            style = lay.bar_style
        kind = p.kind if p.kind != PhaseKind.CUSTOM else guess_kind(p.label)
        out.append(_Item(a, b, label, style, color=p.color, kind=kind))
    for m in init.milestones:
        i = lay.column_of(m.month)
        if i is None:
            if issues is not None:
                issues.append(Issue(f"“{init.name}”: the milestone {format_ym(m.month)} lies outside the form's years",
                                    f"「{init.name}」の {format_ym(m.month)} のマイルストーンは様式の年度の外にあります",
                                    years=True))
            continue
        out.append(_Item(i, i, MARK + (m.label or ""), lay.milestone_style, True))
    out.sort(key=lambda x: (x.first, x.last))
    return out


def _fits(lay: SheetLayout, lane: list[_Item], item: _Item) -> bool:
    if not lane:
        return True
    prev = lane[-1]
    if item.first > prev.last + 1:
        return True
    if item.first <= prev.last:
        return False
    # touching: the reader starts a new bar at a label, a mark, a change of fill or a merge
    if item.milestone or prev.milestone or lay.encoding in ("merge", "text"):
        return bool(item.label) or item.milestone or lay.encoding == "merge"
    return bool(item.label) or item.style != prev.style


def _lanes(lay: SheetLayout, items: list[_Item]) -> list[list[_Item]]:
    lanes: list[list[_Item]] = []
    for item in items:
        for lane in lanes:
            if _fits(lay, lane, item):
                lane.append(item)
                break
        else:
            lanes.append([item])
    return lanes


def lanes_needed(lay: SheetLayout, init: Initiative) -> int:
    """How many rows the initiative's bars need in this form."""
    if not lay.time_cols or lay.encoding in ("shapes", "none"):
        return 1
    return len(_lanes(lay, _items(lay, init, None)))


def paint_slot(sheet: SheetXml, lay: SheetLayout, rows: list[int], init: Initiative | None,
               issues: list[Issue]) -> None:
    """Clear the time cells of ``rows`` and draw ``init``'s schedule there (``None``: just clear)."""
    if not lay.time_cols:
        if init is not None and (init.phases or init.milestones):
            issues.append(Issue(f"“{init.name}”: the form has no time columns for its schedule",
                                f"「{init.name}」：様式に年度の列がなくスケジュールを表せません"))
        return
    if lay.encoding == "shapes":
        if lay.canvas is None:
            if init is not None:
                issues.append(Issue(f"“{init.name}”: its bars are drawn as shapes, which this version does not move",
                                    f"「{init.name}」のバーは図形で描かれており、この版では動かせません"))
            return
        items = _items(lay, init, issues) if init is not None else []
        shape_items = [ShapeItem(i.first, i.last, (i.label or "")[len(MARK):] or None if i.milestone else i.label,
                                 i.milestone, i.color, i.kind) for i in items]
        lay.canvas.paint(rows, shape_items, issues, init.name if init is not None else "", Issue)
        return
    cols = {t.col for t in lay.time_cols}
    # bars merged into columns beside the time columns (a hidden earlier year) go with them
    beside = {c for m in sheet.merges if m[0] in rows and m[2] in rows and m[1] <= max(cols) and m[3] >= min(cols)
              for c in range(m[1], m[3] + 1) if c not in cols and c not in lay.roles}
    gone = sheet.remove_merges_in(set(rows), cols | beside)
    first_empty = lay.empty_style.get(lay.time_cols[0].col)
    for m in gone:
        for r in range(m[0], m[2] + 1):
            for c in range(m[1], m[3] + 1):
                if c not in cols:
                    sheet.set_cell(r, c, None, first_empty)
    for r in rows:
        for t in lay.time_cols:
            if sheet.style(r, t.col) is not None or lay.empty_style.get(t.col):
                sheet.set_cell(r, t.col, None, lay.empty_style.get(t.col))
    if init is None:
        return
    lanes = _lanes(lay, _items(lay, init, issues))
    if len(lanes) > len(rows):
        issues.append(Issue(f"“{init.name}”: its bars overlap and need {len(lanes)} rows, the form gives it {len(rows)}",
                            f"「{init.name}」のバーが重なり {len(lanes)} 行必要ですが、様式では {len(rows)} 行です"))
        lanes = lanes[:len(rows)]
    for r, lane in zip(rows, lanes):
        for item in lane:
            _draw(sheet, lay, r, item)


def _draw(sheet: SheetXml, lay: SheetLayout, r: int, item: _Item) -> None:
    c = [lay.time_cols[i].col for i in range(item.first, item.last + 1)]
    if item.milestone:
        sheet.set_cell(r, c[0], item.label, item.style)
        return
    if lay.encoding == "text":
        for k, col in enumerate(c):
            if k == 0 and item.label:
                sheet.set_cell(r, col, item.label, lay.label_style)
            else:
                sheet.set_cell(r, col, END if k == len(c) - 1 else LINE, lay.line_style)
        return
    for k, col in enumerate(c):
        sheet.set_cell(r, col, item.label if k == 0 and item.label else None, item.style)
    if lay.encoding == "merge" and len(c) > 1:
        sheet.add_merge(r, c[0], r, c[-1])
