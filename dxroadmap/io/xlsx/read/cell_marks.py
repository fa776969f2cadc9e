"""Bars and milestones drawn with cells: fills, merged cells, text arrows and ◆ marks.

Given one row and the time columns of its table, :func:`row_marks` walks the time
columns left to right and returns the bars (as first/last time-column positions, a
label and a colour) and the milestones it sees:

- a merged range is one bar, labelled by its top-left text; only its visible time
  columns count (a bar merged into a hidden column keeps its visible part);
- a run of filled cells of the same fill (RGB, theme colour *and* tint, indexed) is one
  bar; a cell with text starts a new bar, as does a change of fill;
- a label followed by ━ … → cells (or by one merged ━━━▶ cell) is one bar over all of
  them; ←─検討─→ is one bar labelled 検討;
- ◆label / ★ / ● cells are milestones at the start of their column's months.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.io.xlsx.read.axis import TimeCol
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.words import ends_with_arrow, is_arrow_text, milestone_label, starts_with_left_arrow, strip_arrows

__all__ = ["CellBar", "CellMilestone", "row_marks"]


@dataclass
class CellBar:
    first: int  # index into the time columns
    last: int
    label: str | None
    color: str | None
    source: str  # "merge" | "fill" | "text"


@dataclass
class CellMilestone:
    index: int  # index into the time columns
    label: str | None


_CACHE: dict[str, tuple] = {}


def _classify(text: str) -> tuple[str | None, bool, bool, bool, str]:
    """(milestone label or None, is arrow text, ends with →, starts with ←, label without arrows)."""
    hit = _CACHE.get(text)
    if hit is None:
        if len(_CACHE) > 20000:
            _CACHE.clear()
        hit = _CACHE[text] = (milestone_label(text), is_arrow_text(text), ends_with_arrow(text),
                              starts_with_left_arrow(text), strip_arrows(text))
    return hit


class _Run:
    __slots__ = ("first", "last", "label", "fill", "kind", "open_left", "closed")

    def __init__(self, first: int, label: str | None, fill, kind: str, open_left: bool = False) -> None:
        self.first = self.last = first
        self.label = label
        self.fill = fill
        self.kind = kind
        self.open_left = open_left
        self.closed = False


def row_marks(grid: SheetGrid, r: int, cols: list[TimeCol], column_fills: set | None = None
              ) -> tuple[list[CellBar], list[CellMilestone]]:
    """Bars and milestones on row ``r`` over the time columns ``cols``.

    ``column_fills`` holds (column, fill) pairs that shade whole columns (weekends,
    the current year); such fills are background, not bars.
    """
    bars: list[CellBar] = []
    marks: list[CellMilestone] = []
    run: _Run | None = None
    done_merges: set = set()

    def close() -> None:
        nonlocal run
        if run is not None:
            label = run.label.strip() if run.label else None
            bars.append(CellBar(run.first, run.last, label or None, grid.color_of(run.fill), run.kind))
        run = None

    i = 0
    n = len(cols)
    values_get = grid.values.get
    fills_get = grid.fills.get
    merge_get = grid._merge_at.get
    while i < n:
        c = cols[i].col
        m = merge_get((r, c))
        if m is not None and m.width > 1:
            if m in done_merges:
                i += 1
                continue
            done_merges.add(m)
            j = i
            while j + 1 < n and cols[j + 1].col <= m.max_col:
                j += 1
            if m.min_row != r:
                # a bar merged over several rows is read on its first row only
                i = j + 1
                continue
            text = as_text(values_get((m.min_row, m.min_col)))
            fill = fills_get((m.min_row, m.min_col))
            ms = _classify(text)[0] if text else None
            if ms is not None and not fill:
                close()
                marks.append(CellMilestone(i, ms or None))
            elif text or fill:
                if text and not fill and _classify(text)[1] and run is not None and run.kind == "text" \
                        and run.fill is None and run.label and run.last == i - 1:
                    # a label cell followed by one merged ━━━━▶ cell: one bar from the label to the head
                    run.last = j
                    close()
                    i = j + 1
                    continue
                close()
                label = None
                if text:
                    _ms, arrow, _e, _s, stripped = _classify(text)
                    label = None if arrow else stripped
                bars.append(CellBar(i, j, label or None, grid.color_of(fill), "merge"))
            else:
                close()
            i = j + 1
            continue
        v = values_get((r, c))
        fill = fills_get((r, c))
        if v is None and fill is None:
            if run is not None:
                close()
            i += 1
            continue
        text = v.strip() if v.__class__ is str else as_text(v)
        if fill is not None and column_fills and (c, fill) in column_fills:
            fill = None
        if text:
            ms, arrow, ends, starts_left, stripped = _classify(text)
            if ms is not None:
                close()
                label = ms or None
                if not label and i + 1 < n:
                    nxt = as_text(values_get((r, cols[i + 1].col)))
                    if nxt and not is_arrow_text(nxt) and milestone_label(nxt) is None \
                            and fills_get((r, cols[i + 1].col)) is None \
                            and not (i + 2 < n and is_arrow_text(as_text(values_get((r, cols[i + 2].col))))):
                        marks.append(CellMilestone(i, nxt))
                        i += 2
                        continue
                marks.append(CellMilestone(i, label))
                i += 1
                continue
            if arrow:
                if run is not None and run.last == i - 1:
                    run.last = i
                else:
                    close()
                    run = _Run(i, None, fill, "text", open_left=starts_left)
                if ends:
                    close()
            elif run is not None and run.open_left and run.label is None and run.last == i - 1:
                # the word inside ←── 検討 ──→
                run.label = stripped
                run.last = i
                if ends:
                    close()
            else:
                close()
                run = _Run(i, stripped or None, fill, "fill" if fill is not None else "text", open_left=starts_left)
                if ends and fill is None and stripped != text:
                    close()
            i += 1
            continue
        if fill is not None:
            if run is not None and run.kind == "fill" and run.fill == fill and run.last == i - 1:
                run.last = i
            elif run is not None and run.kind == "text" and run.fill is None and run.last == i - 1 and run.first == i - 1:
                # a label cell left of its filled cells: the label belongs to the fill
                run.kind, run.fill, run.last = "fill", fill, i
            else:
                close()
                run = _Run(i, None, fill, "fill")
        else:
            close()
        i += 1
    close()
    return bars, marks
