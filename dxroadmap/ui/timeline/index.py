"""Row-sorted arrays of the bars and milestones on the timeline, and where each row sits (no Qt).

The timeline paints and hit-tests from here, never by walking the plan: phases and
milestones are held in CSR form — per-row offsets into flat numpy arrays sorted by
row and start — so finding what lies in rows r0..r1 is a slice, and changing one
initiative's schedule splices only that row's entries.

A row is as many lanes tall as :func:`dxroadmap.model.lanes.row_lanes` says — one per
stack of overlapping bars, and one above them when a milestone finds no gap among the
bars — so no bar hides another and no milestone covers a bar's label. The tree sizes its
rows by the same rule. The timeline's y axis counts lanes: row ``i`` covers
``[row_top[i], row_top[i + 1])``.
"""

from __future__ import annotations

import numpy as np

from dxroadmap.model.lanes import row_lanes
from dxroadmap.model.plan import Initiative, Milestone, Phase
from dxroadmap.model.rows import Row

__all__ = ["ScheduleIndex", "lanes_of"]

_NO_NEXT = np.iinfo(np.int64).max


def lanes_of(obj: object) -> int:
    """How many lanes the display row of ``obj`` (a pillar or an initiative) needs."""
    if not isinstance(obj, Initiative) or not (obj.phases or obj.milestones):
        return 1
    phases = sorted(obj.phases, key=lambda p: (p.start, p.end))
    return row_lanes([(p.start, p.end) for p in phases], sorted(m.month for m in obj.milestones)).count


def _next_in_lane(starts: list[int], lanes: list[int], n_lanes: int) -> list[int]:
    """For each interval (sorted by start), the start of the next one in the same lane."""
    nxt = [int(_NO_NEXT)] * len(starts)
    last: list[int] = [-1] * n_lanes
    for i, lane in enumerate(lanes):
        if last[lane] >= 0:
            nxt[last[lane]] = starts[i]
        last[lane] = i
    return nxt


class ScheduleIndex:
    """Phases and milestones of the display rows, as arrays sorted by (row, start)."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self._row_of: dict[object, int] = {}
        self._item_row: dict[object, int] = {}
        self._set_rows_empty()

    # ------------------------------------------------------------ building

    def _set_rows_empty(self) -> None:
        self.p_ptr = np.zeros(1, dtype=np.int64)
        self.p_start = np.zeros(0, dtype=np.int64)
        self.p_end = np.zeros(0, dtype=np.int64)
        self.p_lane = np.zeros(0, dtype=np.int64)
        self.p_next = np.zeros(0, dtype=np.int64)  # start of the next bar in the same lane
        self.p_items: list[Phase] = []
        self.row_lanes = np.ones(0, dtype=np.int64)
        self.row_top = np.zeros(1, dtype=np.float64)  # lane units; row_top[-1] is the total height
        self.m_ptr = np.zeros(1, dtype=np.int64)
        self.m_month = np.zeros(0, dtype=np.int64)
        self.m_lane = np.zeros(0, dtype=np.int64)
        self.m_next = np.zeros(0, dtype=np.int64)  # start of the next bar after it in its lane
        self.m_items: list[Milestone] = []

    @staticmethod
    def _row_entries(row: Row) -> tuple[list, list, list, list, list, int, list, list, list, list]:
        if row.kind != "initiative":
            return [], [], [], [], [], 1, [], [], [], []
        init: Initiative = row.obj  # type: ignore[assignment]
        phases = sorted(init.phases, key=lambda p: (p.start, p.end))
        starts = [p.start for p in phases]
        ends = [p.end for p in phases]
        miles = sorted(init.milestones, key=lambda m: m.month)
        months = [m.month for m in miles]
        layout = row_lanes(list(zip(starts, ends)), months)
        lanes = list(layout.phase_lanes)
        nxt = _next_in_lane(starts, lanes, layout.count)
        m_lanes = list(layout.milestone_lanes)
        m_next = []
        for month, lane in zip(months, m_lanes):
            m_next.append(min((s for s, ln in zip(starts, lanes) if ln == lane and s > month), default=int(_NO_NEXT)))
        return phases, starts, ends, lanes, nxt, layout.count, miles, months, m_lanes, m_next

    def _set_tops(self) -> None:
        self.row_top = np.concatenate(([0.0], np.cumsum(self.row_lanes, dtype=np.float64)))

    def set_rows(self, rows: list[Row]) -> None:
        """Index every row (one pass over the plan)."""
        self.rows = list(rows)
        self._row_of = {row.obj: i for i, row in enumerate(self.rows)}
        self._item_row = {}
        p_counts, m_counts, row_lanes = [], [], []
        p_items: list[Phase] = []
        starts: list[int] = []
        ends: list[int] = []
        lanes: list[int] = []
        nexts: list[int] = []
        m_items: list[Milestone] = []
        months: list[int] = []
        m_lanes: list[int] = []
        m_nexts: list[int] = []
        for i, row in enumerate(self.rows):
            ph, s, e, ln, nx, nl, mi, mo, ml, mn = self._row_entries(row)
            p_counts.append(len(ph))
            m_counts.append(len(mi))
            row_lanes.append(nl)
            p_items.extend(ph)
            starts.extend(s)
            ends.extend(e)
            lanes.extend(ln)
            nexts.extend(nx)
            m_items.extend(mi)
            months.extend(mo)
            m_lanes.extend(ml)
            m_nexts.extend(mn)
            for item in ph:
                self._item_row[item] = i
            for item in mi:
                self._item_row[item] = i
        self.p_ptr = np.concatenate(([0], np.cumsum(p_counts, dtype=np.int64))).astype(np.int64)
        self.p_start = np.asarray(starts, dtype=np.int64)
        self.p_end = np.asarray(ends, dtype=np.int64)
        self.p_lane = np.asarray(lanes, dtype=np.int64)
        self.p_next = np.asarray(nexts, dtype=np.int64)
        self.p_items = p_items
        self.row_lanes = np.asarray(row_lanes, dtype=np.int64)
        self.m_ptr = np.concatenate(([0], np.cumsum(m_counts, dtype=np.int64))).astype(np.int64)
        self.m_month = np.asarray(months, dtype=np.int64)
        self.m_lane = np.asarray(m_lanes, dtype=np.int64)
        self.m_next = np.asarray(m_nexts, dtype=np.int64)
        self.m_items = m_items
        self._set_tops()

    def rebuild_row(self, i: int) -> bool:
        """Re-read one row's phases and milestones from the plan (after a schedule edit).

        Returns whether the row's height (its lanes) changed, which moves every row below it.
        """
        if not 0 <= i < len(self.rows):
            return False
        a, b = int(self.p_ptr[i]), int(self.p_ptr[i + 1])
        for item in self.p_items[a:b]:
            self._item_row.pop(item, None)
        ma, mb = int(self.m_ptr[i]), int(self.m_ptr[i + 1])
        for item in self.m_items[ma:mb]:
            self._item_row.pop(item, None)
        ph, s, e, ln, nx, nl, mi, mo, ml, mn = self._row_entries(self.rows[i])

        def splice(arr: np.ndarray, lo: int, hi: int, new: list) -> np.ndarray:
            return np.concatenate((arr[:lo], np.asarray(new, dtype=np.int64), arr[hi:]))

        self.p_start = splice(self.p_start, a, b, s)
        self.p_end = splice(self.p_end, a, b, e)
        self.p_lane = splice(self.p_lane, a, b, ln)
        self.p_next = splice(self.p_next, a, b, nx)
        self.p_items[a:b] = ph
        self.p_ptr[i + 1:] += len(ph) - (b - a)
        resized = int(self.row_lanes[i]) != nl
        self.row_lanes[i] = nl
        if resized:
            self._set_tops()
        self.m_month = splice(self.m_month, ma, mb, mo)
        self.m_lane = splice(self.m_lane, ma, mb, ml)
        self.m_next = splice(self.m_next, ma, mb, mn)
        self.m_items[ma:mb] = mi
        self.m_ptr[i + 1:] += len(mi) - (mb - ma)
        for item in ph:
            self._item_row[item] = i
        for item in mi:
            self._item_row[item] = i
        return resized

    # ------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def phase_count(self) -> int:
        return len(self.p_items)

    @property
    def milestone_count(self) -> int:
        return len(self.m_items)

    @property
    def height(self) -> float:
        """All rows, in lanes."""
        return float(self.row_top[-1])

    def row_at(self, y: float) -> int:
        """The row at ``y`` (in lanes from the top); -1 above the first row, ``len`` below the last."""
        if y < 0:
            return -1
        return int(np.searchsorted(self.row_top, y, side="right")) - 1

    def rows_between(self, y0: float, y1: float) -> tuple[int, int]:
        """Rows ``r0..r1-1`` that meet the band ``[y0, y1]`` (lanes), clipped to the rows there are."""
        n = len(self.rows)
        r0 = min(max(self.row_at(y0), 0), n)
        r1 = min(max(self.row_at(y1) + 1, 0), n)
        return r0, r1

    def row_y(self, pos: float) -> float:
        """A row position (row index plus a fraction of that row) in lanes from the top."""
        n = len(self.rows)
        if n == 0:
            return pos
        r = min(max(int(np.floor(pos)), 0), n - 1)
        return float(self.row_top[r]) + (pos - r) * float(self.row_lanes[r])

    def row_of(self, obj: object) -> int | None:
        """The display row of a pillar, initiative, phase or milestone (``None`` if not shown)."""
        row = self._row_of.get(obj)
        if row is None:
            row = self._item_row.get(obj)
        return row

    def phases_in(self, r0: int, r1: int, x0: float, x1: float) -> np.ndarray:
        """Indexes (into the flat arrays) of phases in rows r0..r1-1 overlapping months [x0, x1)."""
        r0, r1 = max(r0, 0), min(r1, len(self.rows))
        if r1 <= r0:
            return np.zeros(0, dtype=np.int64)
        a, b = int(self.p_ptr[r0]), int(self.p_ptr[r1])
        idx = np.arange(a, b, dtype=np.int64)
        mask = (self.p_end[a:b] + 1 > x0) & (self.p_start[a:b] < x1)
        return idx[mask]

    def milestones_in(self, r0: int, r1: int, x0: float, x1: float) -> np.ndarray:
        r0, r1 = max(r0, 0), min(r1, len(self.rows))
        if r1 <= r0:
            return np.zeros(0, dtype=np.int64)
        a, b = int(self.m_ptr[r0]), int(self.m_ptr[r1])
        idx = np.arange(a, b, dtype=np.int64)
        mask = (self.m_month[a:b] + 1 > x0) & (self.m_month[a:b] < x1)
        return idx[mask]

    def phase_row(self, k: int) -> int:
        """The row of flat phase entry ``k``."""
        return int(np.searchsorted(self.p_ptr, k, side="right") - 1)

    def milestone_row(self, k: int) -> int:
        return int(np.searchsorted(self.m_ptr, k, side="right") - 1)

    def row_phase_range(self, i: int) -> range:
        return range(int(self.p_ptr[i]), int(self.p_ptr[i + 1]))

    def row_milestone_range(self, i: int) -> range:
        return range(int(self.m_ptr[i]), int(self.m_ptr[i + 1]))

    def phase_index(self, phase: Phase) -> int | None:
        """The flat entry of ``phase`` (``None`` if not indexed)."""
        row = self._item_row.get(phase)
        if row is None:
            return None
        for k in self.row_phase_range(row):
            if self.p_items[k] is phase:
                return k
        return None

    def milestone_index(self, milestone: Milestone) -> int | None:
        row = self._item_row.get(milestone)
        if row is None:
            return None
        for k in self.row_milestone_range(row):
            if self.m_items[k] is milestone:
                return k
        return None
