"""Lanes: the one rule for stacking overlapping bars of a row (print, slides and web page alike)."""

from __future__ import annotations

from typing import Sequence

__all__ = ["assign_lanes"]


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
