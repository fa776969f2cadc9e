"""Page setup for printed roadmap sheets: paper, orientation, fit, years, columns, margins.

Paper sizes are the ones Japanese offices print on. B4 is the JIS B4 (257 × 364 mm)
used in Japan, not Qt's ISO B4 (250 × 353 mm), so it is a custom page size.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize

from dxroadmap.model.plan import Plan
from dxroadmap.model.wareki import YearStyle

__all__ = ["PAPERS", "ORIENTATIONS", "FITS", "DateStyle", "PageSetup", "page_size", "paper_mm"]

PAPERS = ("A3", "A4", "B4")
ORIENTATIONS = ("landscape", "portrait")
FITS = ("width", "page")

# Portrait width × height in millimetres.
_PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "B4": (257.0, 364.0)}


class DateStyle(enum.Enum):
    """How the print date is written."""

    ERA = "era"  # 令和8年11月21日
    WESTERN = "western"  # 2026年11月21日


def paper_mm(paper: str, orientation: str = "portrait") -> tuple[float, float]:
    """Width and height of ``paper`` in millimetres in ``orientation``."""
    if paper not in _PAPER_MM:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be landscape or portrait, not {orientation!r}")
    w, h = _PAPER_MM[paper]
    return (h, w) if orientation == "landscape" else (w, h)


def page_size(paper: str) -> QPageSize:
    """The QPageSize of ``paper`` (A3, A4, or JIS B4 as a custom size)."""
    if paper == "A3":
        return QPageSize(QPageSize.PageSizeId.A3)
    if paper == "A4":
        return QPageSize(QPageSize.PageSizeId.A4)
    if paper == "B4":
        return QPageSize(QSizeF(*_PAPER_MM["B4"]), QPageSize.Unit.Millimeter, "B4 (JIS)",
                         QPageSize.SizeMatchPolicy.ExactMatch)
    raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")


@dataclass(frozen=True)
class PageSetup:
    """Everything that decides how a plan is laid out on paper.

    ``first_fy``/``last_fy`` default to the plan period. ``fit="width"`` scales the sheet
    to the page width and continues over as many pages as needed; ``fit="page"`` shrinks
    everything onto one page (one page per pillar with ``pillar_per_page``).
    ``show_summary``/``show_departments`` choose the optional columns; a column no
    initiative fills is left out anyway. Margins are millimetres: left, top, right, bottom.
    """

    paper: str = "A3"
    orientation: str = "landscape"
    fit: str = "width"
    first_fy: int | None = None
    last_fy: int | None = None
    show_summary: bool = True
    show_departments: bool = True
    pillar_per_page: bool = False
    margins_mm: tuple[float, float, float, float] = (10.0, 10.0, 10.0, 10.0)
    year_style: YearStyle = YearStyle.ERA_WESTERN
    date_style: DateStyle = DateStyle.ERA
    custom_mm: tuple[float, float] | None = None  # a printer's other paper (portrait w × h), overriding ``paper``

    def __post_init__(self) -> None:
        paper_mm(self.paper, self.orientation)  # validates both
        if self.fit not in FITS:
            raise ValueError(f"fit must be 'width' or 'page', not {self.fit!r}")
        if len(self.margins_mm) != 4 or any(not 0 <= m <= 50 for m in self.margins_mm):
            raise ValueError("margins must be four values between 0 and 50 mm")
        if self.first_fy is not None and self.last_fy is not None and self.first_fy > self.last_fy:
            raise ValueError("the first fiscal year is after the last one")
        if self.custom_mm is not None and (len(self.custom_mm) != 2 or any(not 50 <= v <= 2000 for v in self.custom_mm)):
            raise ValueError("a custom paper size must be two values between 50 and 2000 mm")

    @property
    def size_mm(self) -> tuple[float, float]:
        """Paper width and height in millimetres as oriented."""
        if self.custom_mm is not None:
            w, h = sorted(self.custom_mm)
            return (h, w) if self.orientation == "landscape" else (w, h)
        return paper_mm(self.paper, self.orientation)

    def years(self, plan: Plan) -> tuple[int, int]:
        """The first and last fiscal year printed (the plan period unless set)."""
        first = self.first_fy if self.first_fy is not None else plan.start_fy
        last = self.last_fy if self.last_fy is not None else plan.end_fy
        if last < first:
            last = first
        return first, last

    def page_layout(self) -> QPageLayout:
        """A QPageLayout with this paper and orientation and no printer margins (we draw our own)."""
        orientation = (QPageLayout.Orientation.Landscape if self.orientation == "landscape"
                       else QPageLayout.Orientation.Portrait)
        size = (QPageSize(QSizeF(*sorted(self.custom_mm)), QPageSize.Unit.Millimeter, "",
                          QPageSize.SizeMatchPolicy.FuzzyMatch)
                if self.custom_mm is not None else page_size(self.paper))
        return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)

    def with_(self, **changes) -> "PageSetup":
        """A copy with some fields changed (validated)."""
        return replace(self, **changes)
