"""What the workbook importer returns and accepts: results, notices, row-by-row decisions, detections, overrides."""

from __future__ import annotations

from dataclasses import dataclass, field

from dxroadmap.model.plan import Plan

__all__ = ["Notice", "RowDecision", "ImportResult", "SheetOverrides", "SheetDetection", "Detection", "ROW_ROLES"]

ROW_ROLES = ("header", "pillar", "initiative", "child", "legend", "note", "ignored", "unplaced", "title", "cover")


@dataclass(frozen=True)
class Notice:
    """A warning for the person importing: a ``code`` and its ``params``, worded by the UI.

    The UI words it from its catalogue (``import.notice.<code>``); ``text`` is the English
    sentence used where the catalogue lacks the code (and by ``str()``).
    """

    code: str
    params: dict = field(default_factory=dict)
    text: str = ""

    def __str__(self) -> str:
        return self.text or self.code


@dataclass
class RowDecision:
    """What the reader made of one row: ``role`` (one of :data:`ROW_ROLES`) and why."""

    sheet: str
    row: int  # 1-based, as Excel numbers rows
    role: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row}: {self.role} — {self.reason}"


@dataclass
class ImportResult:
    """A plan read from a workbook, with the warnings a person should see and the reader's decisions.

    A warning is a :class:`Notice` or, while the reader's call sites move to codes, a plain sentence.
    """

    plan: Plan
    warnings: list[Notice | str] = field(default_factory=list)
    report: list[RowDecision] = field(default_factory=list)
    layout: str = ""

    def unplaced(self) -> list[RowDecision]:
        """Non-empty rows the reader could not place (never dropped silently)."""
        return [d for d in self.report if d.role == "unplaced"]


@dataclass
class SheetOverrides:
    """A person's corrections for one sheet.

    - ``skip``: do not read this sheet at all;
    - ``header_row``: the 1-based row holding the column headings (and the year headers,
      when there is a timeline);
    - ``time_columns``: 1-based column → (first month, last month) as month indexes
      (:func:`dxroadmap.model.fiscal.month_index`); replaces the detected time axis.
      An empty dict means "no timeline" (a list of initiatives);
    - ``column_roles``: 1-based column → role (``name``, ``summary``, ``departments``,
      ``pillar``, ``no``, ``notes``, ``priority``, ``kpi``, ``status``, ``start``/``end`` (date
      columns), ``period`` (a 実施時期 text such as 令和6年度～令和8年度), ``ignore``);
      replaces the detected role of those columns only.
    """

    skip: bool = False
    header_row: int | None = None
    time_columns: dict[int, tuple[int, int]] | None = None
    column_roles: dict[int, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not self.skip and self.header_row is None and self.time_columns is None and not self.column_roles


@dataclass
class SheetDetection:
    """What the reader found on one sheet (the GUI preview shows and edits these)."""

    title: str
    layout: str  # "year-fill", "quarter-fill", "month-text", "card", "shapes", "list-only", "cover", "none", …
    header_row: int | None = None
    data_start: int | None = None
    time_columns: dict[int, tuple[int, int]] = field(default_factory=dict)
    column_roles: dict[int, str] = field(default_factory=dict)
    granularity: str | None = None
    initiatives: int = 0
    reason: str = ""


@dataclass
class Detection:
    """Detection over a whole workbook: per-sheet findings, the result, and a signature of the headings."""

    sheets: list[SheetDetection]
    result: ImportResult | None
    signature: str = ""
    error: Exception | None = None

    def sheet(self, title: str) -> SheetDetection | None:
        return next((s for s in self.sheets if s.title == title), None)
