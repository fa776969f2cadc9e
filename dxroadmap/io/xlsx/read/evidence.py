"""Evidence for a time axis: how much of the table under it the axis explains.

Several rows of a sheet can look like a time axis (a year row, a month row under a title
that names the year, a row of dates). :func:`axis_evidence` measures each candidate on the
rows below it — how many rows carry marks (fills, text, arrows) in its columns, how many
of its columns are used at all, how regular its headings are — and :func:`best_axis` keeps
the one that explains most, with a sentence saying why, for the import preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.io.xlsx.read.axis import Axis
from dxroadmap.io.xlsx.read.grid import SheetGrid

__all__ = ["AxisEvidence", "axis_evidence", "best_axis"]


@dataclass
class AxisEvidence:
    """What one candidate axis explains on its sheet."""

    axis: Axis
    rows: int          # non-empty rows under the axis (up to the next axis or the end of the sheet)
    rows_marked: int   # of those, rows with a fill or text in the axis's columns
    cols_used: int     # axis columns holding any mark below the header
    reason: str = ""

    @property
    def score(self) -> float:
        covered = self.rows_marked / self.rows if self.rows else 0.0
        used = self.cols_used / len(self.axis.cols) if self.axis.cols else 0.0
        return self.rows_marked + covered + 0.5 * used


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
        rows += 1
        hit = [c for c in g.row_fills(r) if c in cols] + [c for c in g.row_cells(r) if c in cols]
        if hit:
            marked += 1
            used.update(hit)
    ev = AxisEvidence(axis, rows, marked, len(used))
    ev.reason = (f"time axis by {axis.granularity} on row {axis.year_row}: {marked} of {rows} rows below it have "
                 f"bars or marks in its {len(axis.cols)} columns")
    return ev


def best_axis(g: SheetGrid, candidates: list[Axis]) -> AxisEvidence | None:
    """The candidate that explains most rows (ties: the finer axis, then the upper one)."""
    scored = [axis_evidence(g, a) for a in candidates if a.cols]
    if not scored:
        return None
    return max(scored, key=lambda e: (e.score, len(e.axis.cols), -e.axis.year_row))
