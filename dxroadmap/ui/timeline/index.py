"""Row-sorted arrays of the bars and milestones on the timeline (no Qt).

The timeline paints and hit-tests from here, never by walking the plan: phases and
milestones are held in CSR form — per-row offsets into flat numpy arrays sorted by
row and start — so finding what lies in rows r0..r1 is a slice, and changing one
initiative's schedule splices only that row's entries.

Phases that overlap within one row are put in lanes (greedy interval packing) and
drawn as thinner stacked bars, so no bar ever hides another.
"""

from __future__ import annotations

import numpy as np

from dxroadmap.model.plan import Initiative, Milestone, Phase
from dxroadmap.model.rows import Row

__all__ = ["ScheduleIndex"]

_NO_NEXT = np.iinfo(np.int64).max


def _lanes(starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Lane of each interval (sorted by start) and the start of the next bar in the same lane."""
    lane_end: list[int] = []
    lane_last: list[int] = []  # index of the last interval placed in each lane
    lanes = [0] * len(starts)
    nxt = [_NO_NEXT] * len(starts)
    for i, (s, e) in enumerate(zip(starts, ends)):
        for lane, last_end in enumerate(lane_end):  # noqa: B007 (the lane found is used after the loop)
            if last_end < s:
                break
        else:
            lane = len(lane_end)
            lane_end.append(e)
            lane_last.append(-1)
        lanes[i] = lane
        if lane_last[lane] >= 0:
            nxt[lane_last[lane]] = s
        lane_end[lane] = e
        lane_last[lane] = i
    return lanes, nxt


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
        self.m_ptr = np.zeros(1, dtype=np.int64)
        self.m_month = np.zeros(0, dtype=np.int64)
        self.m_items: list[Milestone] = []

    @staticmethod
    def _row_entries(row: Row) -> tuple[list, list, list, list, list, int, list, list]:
        if row.kind != "initiative":
            return [], [], [], [], [], 1, [], []
        init: Initiative = row.obj  # type: ignore[assignment]
        phases = sorted(init.phases, key=lambda p: (p.start, p.end))
        starts = [p.start for p in phases]
        ends = [p.end for p in phases]
        lanes, nxt = _lanes(starts, ends)
        miles = sorted(init.milestones, key=lambda m: m.month)
        return phases, starts, ends, lanes, nxt, (max(lanes) + 1 if lanes else 1), miles, [m.month for m in miles]

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
        for i, row in enumerate(self.rows):
            ph, s, e, ln, nx, nl, mi, mo = self._row_entries(row)
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
        self.m_items = m_items

    def rebuild_row(self, i: int) -> None:
        """Re-read one row's phases and milestones from the plan (after a schedule edit)."""
        if not 0 <= i < len(self.rows):
            return
        a, b = int(self.p_ptr[i]), int(self.p_ptr[i + 1])
        for item in self.p_items[a:b]:
            self._item_row.pop(item, None)
        ma, mb = int(self.m_ptr[i]), int(self.m_ptr[i + 1])
        for item in self.m_items[ma:mb]:
            self._item_row.pop(item, None)
        ph, s, e, ln, nx, nl, mi, mo = self._row_entries(self.rows[i])

        def splice(arr: np.ndarray, lo: int, hi: int, new: list) -> np.ndarray:
            return np.concatenate((arr[:lo], np.asarray(new, dtype=np.int64), arr[hi:]))

        self.p_start = splice(self.p_start, a, b, s)
        self.p_end = splice(self.p_end, a, b, e)
        self.p_lane = splice(self.p_lane, a, b, ln)
        self.p_next = splice(self.p_next, a, b, nx)
        self.p_items[a:b] = ph
        self.p_ptr[i + 1:] += len(ph) - (b - a)
        self.row_lanes[i] = nl
        self.m_month = splice(self.m_month, ma, mb, mo)
        self.m_items[ma:mb] = mi
        self.m_ptr[i + 1:] += len(mi) - (mb - ma)
        for item in ph:
            self._item_row[item] = i
        for item in mi:
            self._item_row[item] = i

    # ------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def phase_count(self) -> int:
        return len(self.p_items)

    @property
    def milestone_count(self) -> int:
        return len(self.m_items)

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
