"""Evidence for a time axis: how much of the table under it the axis explains.

:func:`axis_evidence` measures an axis on the rows below it — how many rows carry marks
(fills, text, arrows) in its columns and how many of its columns are used — and says so in
a sentence the import preview shows next to the detection.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.io.xlsx.read.axis import Axis
from dxroadmap.io.xlsx.read.grid import SheetGrid

__all__ = ["AxisEvidence", "axis_evidence"]

_MAX_ROWS = 300  # rows measured under an axis: enough to tell a schedule from a form, cheap on big sheets


@dataclass
class AxisEvidence:
    """What one candidate axis explains on its sheet."""

    axis: Axis
    rows: int          # non-empty rows under the axis (up to the next axis or the end of the sheet)
    rows_marked: int   # of those, rows with a fill or text in the axis's columns
    cols_used: int     # axis columns holding any mark below the header
    reason: str = ""


def axis_evidence(g: SheetGrid, axis: Axis, data_end: int | None = None) -> AxisEvidence:
    """Measure ``axis`` on the rows from its last header row to ``data_end``."""
    start = axis.last_header_row + 1
    end = data_end if data_end is not None else g.max_row
    cols = axis.col_set
    rows = marked = 0
    used: set[int] = set()
    for r in g.rows_with_content:
        if r < start or r > end:
            continue
        if rows >= _MAX_ROWS:
            break
        rows += 1
        hit = [c for c in g.row_fills(r) if c in cols] + [c for c in g.row_cells(r) if c in cols]
        if hit:
            marked += 1
            used.update(hit)
    ev = AxisEvidence(axis, rows, marked, len(used))
    ev.reason = (f"time axis by {axis.granularity} on row {axis.year_row}: {marked} of {rows} rows below it"
                 f"{' (the first ' + str(_MAX_ROWS) + ')' if rows >= _MAX_ROWS else ''} have bars or marks "
                 f"in its {len(axis.cols)} columns")
    return ev

