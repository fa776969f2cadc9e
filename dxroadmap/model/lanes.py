"""Lanes: the one rule for stacking overlapping bars of a row (print, slides, web page and screen alike).

:func:`assign_lanes` stacks bars; :func:`row_lanes` lays out one display row of the editor's
timeline — its bars in those lanes, its milestones beside the bars or in a lane above them —
and says how many lanes the row needs. The tree and the timeline both size a row from it, so
the two sides stay aligned however crowded a row gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

__all__ = ["assign_lanes", "RowLanes", "row_lanes", "MILESTONE_ROOM"]

MILESTONE_ROOM = 3  # months a milestone needs free of bars, from its own month on, to sit among them


def assign_lanes(intervals: Sequence[tuple[float, float]]) -> list[int]:
    """Greedy lane per ``(start, end)`` interval, taken in the given order, so no two in a lane overlap.

    An interval may start where the previous one in its lane ended (``end <= start``).
    """
    ends: list[float] = []
    lanes: list[int] = []
    for a, b in intervals:
        for i, end in enumerate(ends):
            if end <= a:
                ends[i] = b
                lanes.append(i)
                break
        else:
            ends.append(b)
            lanes.append(len(ends) - 1)
    return lanes


@dataclass(frozen=True)
class RowLanes:
    """Where the bars and milestones of one row go: lane 0 is the top lane of the row."""

    count: int  # lanes the row needs (at least 1)
    phase_lanes: tuple[int, ...]  # per phase, in the order given
    milestone_lanes: tuple[int, ...]  # per milestone, in the order given


def row_lanes(spans: Sequence[tuple[int, int]], months: Sequence[int]) -> RowLanes:
    """Lanes of one display row: phases over months ``(start, end)`` (end included) and milestones.

    Phases take lanes by :func:`assign_lanes` in the order given (sort them by start, end).
    A milestone sits in the first bar lane that has no bar over its month nor over the
    :data:`MILESTONE_ROOM` − 1 months after it, so its diamond and the label beside it lie in a gap
    and cover no bar and no bar label. When no lane has such a gap the milestone goes to one lane
    above the bars (lane 0, every bar one lane down), as the printed sheet puts milestones above.
    """
    if not months and all(spans[i][0] > spans[i - 1][1] for i in range(1, len(spans))):
        return RowLanes(1, (0,) * len(spans), ())  # one bar after another (most rows): one lane
    bar_lanes = assign_lanes([(s, e + 1) for s, e in spans])
    n_bars = max(bar_lanes, default=0) + 1
    by_lane: list[list[tuple[int, int]]] = [[] for _ in range(n_bars)]
    for (s, e), lane in zip(spans, bar_lanes):
        by_lane[lane].append((s, e))
    placed: list[int] = []
    for month in months:
        last = month + MILESTONE_ROOM - 1
        lane = next((k for k, bars in enumerate(by_lane) if all(e < month or s > last for s, e in bars)), -1)
        placed.append(lane)
    above = 1 if any(lane < 0 for lane in placed) else 0
    return RowLanes(n_bars + above, tuple(lane + above for lane in bar_lanes),
                    tuple(lane + above for lane in placed))
