"""How an office workbook draws its roadmap, re-derived from what the reader found and from the grid.

The reader (:mod:`dxroadmap.io.xlsx.read.workbook`) says which sheets hold the roadmap, their
header rows, time columns and label-column roles, and row by row which initiative a row
belongs to (:class:`~dxroadmap.io.xlsx.read.results.RowDecision`). This module turns that
into what writing needs, without changing the reader:

* :class:`Slot` — the rows one initiative (or sub-action) occupies on one sheet, in the
  order the reader met them (the same order as ``plan.walk()`` with children); on a card
  sheet a card's slot is its title row followed by its own schedule rows (``card``);
* :class:`SheetLayout` — per roadmap sheet: time columns, role columns, how bars are drawn
  (``fill``, ``merge``, ``text`` arrows, ``shapes``), whether bars carry labels, and the
  cell styles to draw with: the style index of an existing bar cell per colour and per
  phase kind, of the text-arrow cells, of milestone cells, and of an empty time cell per
  column. Bar cells are found again with the reader's own :func:`row_marks`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dxroadmap.io.xlsx.read.axis import TimeCol
from dxroadmap.io.xlsx.read.cell_marks import row_marks
from dxroadmap.io.xlsx.read.grid import SheetGrid
from dxroadmap.io.xlsx.read.results import Detection, SheetDetection
from dxroadmap.io.xlsx.read.words import is_arrow_text
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.model.plan import PhaseKind, guess_kind

__all__ = ["Slot", "SheetLayout", "find_slots", "sheet_layout", "CELL_LAYOUTS"]

CELL_LAYOUTS = ("fill", "merge", "text", "none")
_CONTINUATION = ("second row of", "more bars of")
_CARD_TITLE, _CARD_OWN = "card title ", "the card "  # reasons of read.cards' RowDecisions


@dataclass
class Slot:
    """The rows of one initiative on ``sheet``; ``child`` for a sub-action.

    ``card``: a card's slot, whose first row is the card's title row (not a schedule row).
    """

    sheet: str
    rows: list[int]
    child: bool = False
    card: bool = False

    @property
    def schedule_rows(self) -> list[int]:
        """The rows holding the initiative's time cells."""
        return self.rows[1:] if self.card else self.rows


@dataclass
class SheetLayout:
    """What writing a roadmap sheet needs (see the module docstring)."""

    title: str
    detection: SheetDetection
    time_cols: list[TimeCol]
    roles: dict[int, str]
    encoding: str  # "fill" | "merge" | "text" | "shapes" | "none"
    labels: bool = False  # bars carry their labels
    style_by_color: dict[str, int] = field(default_factory=dict)
    style_by_kind: dict[PhaseKind, int] = field(default_factory=dict)
    bar_style: int | None = None  # the commonest bar style
    label_style: int | None = None  # text bars: the label cell
    line_style: int | None = None  # text bars: the ━/→ cells
    milestone_style: int | None = None
    empty_style: dict[int, int | None] = field(default_factory=dict)  # time column -> empty cell style
    canvas: Any = None  # shapes: the sheet's ShapeCanvas (dxroadmap.io.xlsx.update.shapes), set by the writer

    def role_col(self, role: str) -> int | None:
        return next((c for c, r in sorted(self.roles.items()) if r == role), None)

    def column_of(self, month: int) -> int | None:
        """Index into :attr:`time_cols` of the column showing ``month``; ``None`` off the form."""
        for i, t in enumerate(self.time_cols):
            if t.start <= month <= t.end:
                return i
        return None


def find_slots(det: Detection) -> list[Slot]:
    """The initiative rows the reader found, in reading order (continuation rows joined to their initiative)."""
    assert det.result is not None
    slots: list[Slot] = []
    for d in det.result.report:
        if d.role not in ("initiative", "child"):
            continue
        if d.role == "initiative" and d.reason.startswith(_CONTINUATION) and slots and slots[-1].sheet == d.sheet:
            slots[-1].rows.append(d.row)
            continue
        if d.role == "initiative" and d.reason.startswith(_CARD_OWN):  # a card's own schedule row
            card = next((s for s in reversed(slots) if s.card), None)
            if card is not None and card.sheet == d.sheet:
                card.rows.append(d.row)
                continue
        slots.append(Slot(d.sheet, [d.row], d.role == "child", d.role == "initiative" and d.reason.startswith(_CARD_TITLE)))
    return slots


def sheet_layout(grid: SheetGrid, sdet: SheetDetection, sheet: SheetXml, slots: list[Slot]) -> SheetLayout:
    """Learn the bar encoding and styles of one roadmap sheet from its initiative rows."""
    cols = [TimeCol(c, a, b) for c, (a, b) in sorted(sdet.time_columns.items())]
    lay = SheetLayout(sdet.title, sdet, cols, dict(sdet.column_roles), "none")
    if not cols:
        return lay
    if sdet.layout.endswith("-shapes") or sdet.layout == "shapes":
        lay.encoding = "shapes"
    rows = sorted({r for s in slots if s.sheet == sdet.title for r in s.schedule_rows})
    sources: Counter = Counter()
    bar_styles: Counter = Counter()
    lines: Counter = Counter()
    labels: Counter = Counter()
    marks: Counter = Counter()
    bar_cells: set[tuple[int, int]] = set()
    for r in rows:
        bars, ms = row_marks(grid, r, cols)
        for b in bars:
            if b.source == "fill" and any(is_arrow_text(grid.text(r, cols[i].col)) for i in range(b.first + 1, b.last + 1)):
                b.source = "text"  # a filled label cell followed by ━ → cells
            sources[b.source] += 1
            first = cols[b.first].col
            s = sheet.style(r, first)
            if b.label:
                lay.labels = True
            for i in range(b.first, b.last + 1):
                bar_cells.add((r, cols[i].col))
            if b.source == "text":
                if b.label:
                    labels[s] += 1
                for i in range(b.first + (1 if b.label else 0), b.last + 1):
                    lines[sheet.style(r, cols[i].col)] += 1
                continue
            if s is None:
                continue
            # a fill bar's body style (its second cell when the first one holds the label in another style)
            body = sheet.style(r, cols[b.last].col) if b.last > b.first and b.label else s
            bar_styles[body] += 1
            if b.color:
                lay.style_by_color.setdefault(b.color.upper(), body)
            kind = guess_kind(b.label)
            if b.label and kind != PhaseKind.CUSTOM:
                lay.style_by_kind.setdefault(kind, body)
        for m in ms:
            s = sheet.style(r, cols[m.index].col)
            marks[s] += 1
            bar_cells.add((r, cols[m.index].col))
    if lay.encoding != "shapes":
        if sdet.layout.endswith("-text") or (sources["text"] > sources["fill"] + sources["merge"]):
            lay.encoding = "text"  # the reader's own verdict first
        else:
            lay.encoding = "merge" if sources["merge"] > sources["fill"] else "fill"
    lay.bar_style = bar_styles.most_common(1)[0][0] if bar_styles else None
    lay.label_style = labels.most_common(1)[0][0] if labels else None
    lay.line_style = lines.most_common(1)[0][0] if lines else lay.label_style
    lay.milestone_style = marks.most_common(1)[0][0] if marks else lay.label_style
    for t in cols:
        counts: Counter = Counter(sheet.style(r, t.col) for r in rows
                                  if (r, t.col) not in bar_cells and grid.fills.get((r, t.col)) is None
                                  and grid.merge_at(r, t.col) is None)
        counts.pop(None, None)
        lay.empty_style[t.col] = counts.most_common(1)[0][0] if counts else None
    return lay
