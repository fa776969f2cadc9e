"""What every timeline layer reads while painting: the index, selection, drag preview, zoom."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np

from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Milestone, Phase
from dxroadmap.model.rows import Row
from dxroadmap.model.wareki import YearStyle
from dxroadmap.ui.timeline.index import ScheduleIndex

__all__ = ["TimelineState", "today_position"]

MARGIN_MONTHS = 120  # how far beyond the plan period one may pan


def today_position(today: _dt.date | None = None) -> float:
    """Today as a month position: the month index plus the fraction of the month gone."""
    d = today or _dt.date.today()
    first = _dt.date(d.year, d.month, 1)
    nxt = _dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return month_index(d.year, d.month) + (d.day - 1) / (nxt - first).days


@dataclass
class TimelineState:
    """Shared, mutable view state; layers read it, the view and the controller write it."""

    index: ScheduleIndex = field(default_factory=ScheduleIndex)
    selection: object | None = None
    hover_item: object | None = None  # the phase or milestone under the pointer (drawn highlighted)
    # During a drag: the dragged item and its previewed span (phase) or month (milestone).
    preview_item: Phase | Milestone | None = None
    preview_span: tuple[int, int] = (0, 0)
    first_month: int = 0  # plan period, inclusive
    last_month: int = 0
    year_style: YearStyle = YearStyle.ERA_WESTERN
    lang: str = "ja"
    quarter_months: bool = False  # quarter headings as 4-6月 (as printed) rather than Q1
    today: float = field(default_factory=today_position)
    view_x0: float = 0.0  # visible month range (for labels that stick to the left edge)
    view_x1: float = 60.0
    row_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))  # 0 pillar, 1 initiative
    row_hue: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    row_parity: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    @property
    def x_min(self) -> float:
        return float(self.first_month - MARGIN_MONTHS)

    @property
    def x_max(self) -> float:
        return float(self.last_month + 1 + MARGIN_MONTHS)

    @property
    def row_count(self) -> int:
        return len(self.index.rows)

    def set_rows(self, rows: list[Row]) -> None:
        self.index.set_rows(rows)
        kinds, hues, parity = [], [], []
        pillar_no, since = -1, 0
        for row in rows:
            if row.kind == "pillar":
                pillar_no += 1
                since = 0
                kinds.append(0)
                parity.append(0)
            else:
                kinds.append(1)
                parity.append(since % 2)
                since += 1
            hues.append(max(pillar_no, 0))
        self.row_kind = np.asarray(kinds, dtype=np.int8)
        self.row_hue = np.asarray(hues, dtype=np.int64)
        self.row_parity = np.asarray(parity, dtype=np.int8)

    def span_of(self, phase: Phase) -> tuple[int, int]:
        """The span to draw: the drag preview for the dragged phase, else the model's."""
        if phase is self.preview_item:
            return self.preview_span
        return phase.start, phase.end

    def month_of(self, milestone: Milestone) -> int:
        if milestone is self.preview_item:
            return self.preview_span[0]
        return milestone.month

