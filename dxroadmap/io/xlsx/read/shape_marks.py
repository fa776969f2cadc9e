"""Bars and milestones drawn as shapes over the grid: which shape is what, and which months it covers.

The shapes themselves are read from the drawing parts by :mod:`dxroadmap.io.xlsx.drawing.shapes`
(fractional 0-based grid positions). Here they become marks on rows:

- arrows, pentagons (homePlate), chevrons, rectangles and the like are bars; their left
  and right edges snap to the nearest column boundary of the visible time columns, so an
  edge that overshoots or undershoots a boundary by a fraction of a column still lands
  on the intended month;
- diamonds, stars and small circles are milestones at the start of the time column
  under their centre;
- lines and connectors with an arrowhead are bars; their label is the shape's text, or
  the text in the cell they start in, or the cell above them;
- text boxes, pictures and hidden shapes are not plan content themselves, but a text box lying
  on an unlabelled bar (or grouped with its rectangle) is that bar's label, and a text box
  just right of an unlabelled milestone diamond, on its row, is the milestone's label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from dxroadmap.io.xlsx.read.axis import TimeCol
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text

__all__ = ["ShapeBar", "ShapeMilestone", "BAR_KINDS", "MILESTONE_KINDS", "LINE_KINDS", "interpret_shapes"]

BAR_KINDS = frozenset({
    "rect", "roundRect", "homePlate", "chevron", "rightArrow", "leftArrow", "leftRightArrow", "notchedRightArrow",
    "stripedRightArrow", "pentagon", "flowChartProcess", "flowChartAlternateProcess", "parallelogram", "trapezoid",
    "snip1Rect", "snip2SameRect", "snip2DiagRect", "snipRoundRect", "round1Rect", "round2SameRect", "round2DiagRect",
    "plaque", "bevel", "rightArrowCallout", "leftRightArrowCallout", "flowChartPunchedTape", "flowChartTerminator",
    "hexagon", "octagon",
})
MILESTONE_KINDS = frozenset({
    "diamond", "flowChartDecision", "star4", "star5", "star6", "star7", "star8", "star10", "star12", "triangle",
    "flowChartMerge", "flowChartExtract", "downArrow", "ellipse", "flowChartConnector", "donut",
})
LINE_KINDS = frozenset({
    "line", "straightConnector1", "bentConnector2", "bentConnector3", "curvedConnector3", "connector",
})


@dataclass
class ShapeBar:
    row: int  # 1-based sheet row
    first: int  # index into the time columns
    last: int
    label: str | None
    color: str | None
    kind: str
    label_cell: tuple[int, int] | None = None  # a cell whose text became this bar's label
    shape: int = -1  # index of the shape in the list given (document order)
    label_shape: int | None = None  # index of a text box whose text became this bar's label


@dataclass
class ShapeMilestone:
    row: int
    index: int
    label: str | None
    shape: int = -1  # index of the shape in the list given (document order)
    label_shape: int | None = None  # index of a text box whose text became this mark's label


def _nearest(values: list[float], x: float) -> int:
    best, best_d = 0, math.inf
    for i, v in enumerate(values):
        d = abs(v - x)
        if d < best_d - 1e-9:
            best, best_d = i, d
    return best


def _index_at(cols: list[TimeCol], x: float) -> int | None:
    """Index of the time column containing 0-based fractional position ``x``."""
    c = int(math.floor(x)) + 1
    for i, t in enumerate(cols):
        if t.col == c:
            return i
    return None


def _box_text(box: Any) -> str:
    return " ".join((box.text or "").split())


def _box_on(boxes: list[tuple[int, Any]], x0: float, x1: float, y0: float, y1: float) -> tuple[str | None, int | None]:
    """The text (and index) of a text box whose centre lies on the bar spanning ``x0..x1`` × ``y0..y1``."""
    for k, b in boxes:
        cx, cy = (b.col0 + b.col1) / 2, (b.row0 + b.row1) / 2
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            return _box_text(b), k
    return None, None


def _box_beside(boxes: list[tuple[int, Any]], right: float, width: float, y0: float, y1: float
                ) -> tuple[str | None, int | None]:
    """The text (and index) of a text box starting just right of a milestone mark (within its own width or
    half a column), overlapping the mark vertically, with its middle on the mark's row."""
    best, best_d, best_k = None, math.inf, None
    row = math.floor((y0 + y1) / 2)
    for k, b in boxes:
        d = b.col0 - right
        if -width / 2 <= d <= max(width, 0.5) and b.row0 < y1 and b.row1 > y0 \
                and math.floor((b.row0 + b.row1) / 2) == row and d < best_d:
            best, best_d, best_k = _box_text(b), d, k
    return best, best_k


def interpret_shapes(shapes: Iterable[Any], cols: list[TimeCol], grid: SheetGrid, row_range: tuple[int, int]
                     ) -> tuple[list[ShapeBar], list[ShapeMilestone], list[str]]:
    """Bars and milestones among ``shapes`` inside rows ``row_range`` (1-based, inclusive) of a table."""
    bars: list[ShapeBar] = []
    marks: list[ShapeMilestone] = []
    notes: list[str] = []
    if not cols:
        return bars, marks, notes
    shapes = list(shapes)
    boxes = [(k, s) for k, s in enumerate(shapes)
             if s.kind == "textbox" and not getattr(s, "hidden", False) and (s.text or "").strip()]
    lefts = [t.col - 1 for t in cols]
    rights = [float(t.col) for t in cols]
    lo_x, hi_x = lefts[0], rights[-1]
    for k, s in enumerate(shapes):
        if getattr(s, "hidden", False) or s.kind in ("textbox", "picture"):
            continue
        cy = (s.row0 + s.row1) / 2
        row = int(math.floor(cy)) + 1
        if not row_range[0] <= row <= row_range[1]:
            continue
        x0, x1 = min(s.col0, s.col1), max(s.col0, s.col1)
        if x1 <= lo_x or x0 >= hi_x:
            continue
        text = " ".join((s.text or "").split()) or None
        kind = s.kind
        width = x1 - x0
        if kind in MILESTONE_KINDS and (kind != "ellipse" or width <= 0.9):
            idx = _index_at(cols, (x0 + x1) / 2)
            if idx is None:
                idx = _nearest([(a + b) / 2 for a, b in zip(lefts, rights)], (x0 + x1) / 2)
            box = None
            if text is None:
                text, box = _box_beside(boxes, x1, width, s.row0, s.row1)
            marks.append(ShapeMilestone(row, idx, text, k, box))
            continue
        is_line = kind in LINE_KINDS
        if is_line and not (getattr(s, "head_end", False) or getattr(s, "tail_end", False)) and width < 0.5:
            continue
        if not (kind in BAR_KINDS or is_line):
            notes.append(kind)
            continue
        if is_line and abs(s.row1 - s.row0) > 0.8:
            continue  # a vertical or diagonal line is a drawing, not a bar
        first = _nearest(lefts, x0)
        last = _nearest(rights, x1)
        if last < first:
            mid = _index_at(cols, (x0 + x1) / 2)
            if mid is None:
                continue
            first = last = mid
        label_cell = box = None
        if not text and not is_line:
            text, box = _box_on(boxes, x0, x1, s.row0, s.row1)
        if is_line and not text:
            for rr in (row, row - 1):
                for i in range(first, last + 1):
                    t = as_text(grid.value(rr, cols[i].col))
                    if t:
                        text, label_cell = t, grid.origin(rr, cols[i].col)
                        break
                if text:
                    break
        bars.append(ShapeBar(row, first, last, text, s.fill, kind, label_cell, k, box))
    return bars, marks, notes
