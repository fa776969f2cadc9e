"""Import preview: an office's Excel roadmap on the left, the plan the reader made of it on the right.

``run_import_dialog(parent, path) -> Plan | None`` loads the workbook (with a progress
dialog when it is large), runs the reader's detection and shows the sheet as a grid —
cells written as Excel shows them (a date serial with an era format reads 令和5年度),
header and time-axis rows marked, time columns and label columns tinted, and the bars
and milestones the reader found drawn over their rows (cell-drawn and shape workbooks
alike) — next to the detected plan as a tree and the rows the reader could not place. The user can correct the header row, the time
columns (first/last column, first fiscal year and step) and each column's role; the plan
updates at once. On OK the corrections are remembered under a signature of the workbook's
headings (QSettings), so the next workbook from the same office opens already corrected.

The dialog's texts come from the catalogue :mod:`dxroadmap.ui.strings` (keys ``import.*``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.workbook import Detection, SheetOverrides, WorkbookReader
from dxroadmap.model.fiscal import fiscal_year_of, format_ym, fy_first_month, month_index, year_month
from dxroadmap.model.plan import Plan
from dxroadmap.model.wareki import YearStyle, era_of_date, format_fiscal_year, parse_fiscal_year
from dxroadmap.ui.strings import error_text, has_text, language, notice_text, tr

__all__ = ["ImportDialog", "run_import_dialog", "office_signature", "load_with_progress", "ROLE_CHOICES"]


ROLE_CHOICES = ("auto", "name", "summary", "departments", "pillar", "no", "notes", "priority", "kpi", "status",
                "start", "end", "period", "ignore")
STEPS = (12, 6, 3, 1)
FY_NONE = 1900  # the first-year field's "nothing found" value, shown blank
LARGE_FILE_BYTES = 512 * 1024
GRID_ROWS = 3000
GRID_COLS = 400
SETTINGS_GROUP = "import/layouts"
ROLE_ROWS = 5  # rows of the column-role table always visible


def _dialog_size(parent: QWidget | None) -> tuple[int, int]:
    """1400 x 900, or nine tenths of the screen when it is smaller (never below 1000 x 680)."""
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    if screen is None:
        return 1200, 800
    avail = screen.availableGeometry()
    return max(1000, min(1400, int(avail.width() * 0.9))), max(680, min(900, int(avail.height() * 0.9)))


def layout_text(layout: str) -> str:
    """What the reader found, in the user's words ("month-fill" -> 月ごとの列・塗りつぶしのバー)."""
    if has_text(f"import.layout.{layout}"):
        return tr(f"import.layout.{layout}")
    parts = layout.split("-")
    if len(parts) == 2 and all(has_text(f"import.layout.{p}") for p in parts):
        return tr("import.layout.joiner").join(tr(f"import.layout.{p}") for p in parts)
    return layout


def _col_letter(c: int) -> str:
    out = ""
    while c > 0:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def office_signature(reader: WorkbookReader) -> str:
    """A hash of the headings of the workbook's first table: workbooks of the same office share it.

    Taken from the first visible sheet row that has three or more text cells; years and numbers
    are left out, so next year's workbook with the same columns has the same signature.
    """
    for title in reader.sheet_titles:
        ws = reader.wb[title]
        if ws.sheet_state != "visible" or not hasattr(ws, "_cells"):
            continue
        g = reader.grid(title)
        for r in sorted({r for r, _ in g.values})[:60]:
            words = []
            for c in g.row_cells(r):
                v = g.values[(r, c)]
                if isinstance(v, str) and v.strip() and parse_fiscal_year(v) is None and len(v) <= 30:
                    words.append("".join(v.split()))
            if len(words) >= 3:
                return hashlib.sha1("|".join(words).encode("utf-8")).hexdigest()[:16]
    return ""


def load_with_progress(parent: QWidget | None, path: str | os.PathLike) -> WorkbookReader | None:
    """Load a workbook; large files show a cancellable progress dialog. ``None`` when cancelled.

    :class:`PlanReadError` passes through for the caller to show.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < LARGE_FILE_BYTES:
        return WorkbookReader(path)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["reader"] = WorkbookReader(path)
        except BaseException as exc:  # handed to the GUI thread
            box["error"] = exc

    thread = threading.Thread(target=work, name="dxroadmap-import", daemon=True)
    progress = QProgressDialog(tr("import.loading", name=path.name), tr("import.cancel"), 0, 0, parent)
    progress.setWindowModality(Qt.WindowModal)
    progress.setMinimumDuration(0)
    progress.show()
    thread.start()
    app = QApplication.instance()
    while thread.is_alive():
        app.processEvents()
        if progress.wasCanceled():
            progress.close()
            return None
        time.sleep(0.02)
    progress.close()
    if "error" in box:
        raise box["error"]
    return box["reader"]


class _ColumnSpin(QSpinBox):
    """A column number shown as Excel's letters (A, B, … AA)."""

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt API)
        return _col_letter(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802
        n = 0
        for ch in text.strip().upper():
            if not "A" <= ch <= "Z":
                return self.value()
            n = n * 26 + ord(ch) - 64
        return n or self.value()

    def validate(self, text: str, pos: int):
        from PySide6.QtGui import QValidator

        t = text.strip().upper()
        if not t:
            return QValidator.Intermediate, text, pos
        return (QValidator.Acceptable if t.isalpha() and t.isascii() else QValidator.Invalid), text, pos


_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _year_tag(fy: int) -> str:
    return format_fiscal_year(fy, YearStyle.ERA_SHORT) if language() == "ja" else f"FY{fy}"


def _months_tag(m0: int, m1: int) -> str:
    if language() == "ja":
        return f"{m0}月" if m0 == m1 else f"{m0}-{m1}月"
    return _MONTH_EN[m0 - 1] if m0 == m1 else f"{_MONTH_EN[m0 - 1]}–{_MONTH_EN[m1 - 1]}"


def _span_tag(first: int, last: int) -> str:
    """What a time column covers, as the column heading shows it: R5 4-6月, R5 4月, R5–R6 (FY2023 Apr–Jun in English)."""
    fy0, fy1 = fiscal_year_of(first), fiscal_year_of(last)
    y0 = _year_tag(fy0)
    if fy0 != fy1:
        return f"{y0}–{_year_tag(fy1)}"
    if last - first == 11:
        return y0
    return f"{y0} {_months_tag(year_month(first)[1], year_month(last)[1])}"


# ---------------------------------------------------------------------- cells as Excel shows them

_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
_FORMAT_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].|ggg|gg|g|ee|e|yyyy|yy|mmmm|mmm|mm|m|dd|d|aaaa|aaa|'
                           r'hh|h|ss|s|.', re.IGNORECASE)
_WEEKDAY_JA = "月火水木金土日"


def _date_format(fmt: str) -> bool:
    """Whether a number format shows a date (y, m, d, g or e outside quotes and brackets)."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)
    return bare.lower() != "general" and re.search(r"[ymdge]", bare, re.IGNORECASE) is not None


def _format_date(day: _dt.datetime, fmt: str) -> str:
    """``day`` written by an Excel date format (era codes ggg/e included); the first section only."""
    section = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', fmt)[0]
    try:
        era, abbr, era_year = era_of_date(day.date())
    except ValueError:
        era, abbr, era_year = "", "", day.year
    out: list[str] = []
    after_hour = False
    for tok in _FORMAT_TOKEN.findall(section):
        low = tok.lower()
        if tok.startswith('"'):
            out.append(tok[1:-1])
        elif tok.startswith("\\"):
            out.append(tok[1:])
        elif tok.startswith("["):
            continue
        elif tok[0] in "_*":
            out.append(" " if tok[0] == "_" else "")
        elif low == "ggg":
            out.append(era)
        elif low == "gg":
            out.append(era[:1])
        elif low == "g":
            out.append(abbr)
        elif low == "ee":
            out.append(f"{era_year:02d}")
        elif low == "e":
            out.append(str(era_year))
        elif low == "yyyy":
            out.append(str(day.year))
        elif low == "yy":
            out.append(f"{day.year % 100:02d}")
        elif low in ("mmmm", "mmm"):
            out.append(_MONTH_EN[day.month - 1] if low == "mmm" else day.strftime("%B"))
        elif low in ("mm", "m"):
            value = day.minute if after_hour else day.month
            out.append(f"{value:02d}" if low == "mm" else str(value))
        elif low in ("dd", "d"):
            out.append(f"{day.day:02d}" if low == "dd" else str(day.day))
        elif low in ("aaaa", "aaa"):
            out.append(_WEEKDAY_JA[day.weekday()] + ("曜日" if low == "aaaa" else ""))
        elif low in ("hh", "h"):
            out.append(f"{day.hour:02d}" if low == "hh" else str(day.hour))
        elif low in ("ss", "s"):
            out.append(f"{day.second:02d}" if low == "ss" else str(day.second))
        else:
            out.append(tok)
        if low in ("hh", "h"):
            after_hour = True
        elif low not in (":",) and tok.strip():
            after_hour = after_hour and low in ("mm", "m")
    return "".join(out)


def _format_number(v: float, fmt: str) -> str:
    section = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', fmt)[0]
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]', "", section)
    decimals = len(m.group(1)) if (m := re.search(r"\.([0#]+)", bare)) else 0
    if "%" in bare:
        return f"{v * 100:.{decimals}f}%"
    if "," in bare and re.search(r"[0#]", bare):
        return f"{v:,.{decimals}f}"
    if re.search(r"0", bare) and decimals:
        return f"{v:.{decimals}f}"
    return as_text(v)


def excel_text(grid: SheetGrid, r: int, c: int) -> str:
    """The cell at (r, c) as Excel shows it: dates and era years by their number format, numbers by theirs."""
    v = grid.raw(r, c)
    if v is None or isinstance(v, (str, bool)):
        return as_text(v)
    fmt = grid.number_format(r, c) if grid.formats.get((r, c)) else "General"
    day: _dt.datetime | None = None
    if isinstance(v, _dt.datetime):
        day = v
    elif isinstance(v, _dt.date):
        day = _dt.datetime(v.year, v.month, v.day)
    elif isinstance(v, (int, float)) and _date_format(fmt) and 1 <= v <= 2958465:
        try:
            day = _EXCEL_EPOCH + _dt.timedelta(days=float(v))
        except OverflowError:
            day = None
    if day is not None:
        return _format_date(day, fmt) if _date_format(fmt) else as_text(day)
    if isinstance(v, (int, float)) and fmt != "General":
        return _format_number(float(v), fmt)
    return as_text(v)


# ---------------------------------------------------------------------- what the reader found, on the grid

@dataclass(frozen=True)
class PreviewMark:
    """A detected bar (``end`` > ``start``) or milestone on the sheet grid.

    ``row`` is the sheet row (1-based); ``start``/``end`` are fractional sheet columns
    (1.0 is the left edge of column A); a milestone has ``start == end``.
    """

    row: int
    start: float
    end: float
    color: str
    label: str
    milestone: bool = False


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _column_at(time_columns: dict[int, tuple[int, int]], month: int, edge_after: bool = False) -> float | None:
    """The fractional sheet column where ``month`` begins (or ends, with ``edge_after``)."""
    for c in sorted(time_columns):
        a, b = time_columns[c]
        if a <= month <= b:
            return c + (month - a + (1 if edge_after else 0)) / (b - a + 1)
    return None


def _clamped_span(time_columns: dict[int, tuple[int, int]], start: int, end: int) -> tuple[float, float] | None:
    cols = sorted(time_columns)
    if not cols:
        return None
    first, last = time_columns[cols[0]][0], time_columns[cols[-1]][1]
    lo, hi = max(start, first), min(end, last)
    if lo > hi:
        return None
    x0, x1 = _column_at(time_columns, lo), _column_at(time_columns, hi, edge_after=True)
    return (x0, x1) if x0 is not None and x1 is not None else None


def preview_marks(detection: Detection | None, sheet: str, grid: SheetGrid) -> list[PreviewMark]:
    """The bars and milestones of the detected plan on ``sheet``'s rows and time columns.

    Each initiative row the reader reported is matched to its initiative by name (the quoted
    name in the reader's note, or a cell of the row), so cell-drawn bars, drawn shapes and
    text bars all show where the reader put them.
    """
    if detection is None or detection.result is None:
        return []
    det = detection.sheet(sheet)
    if det is None or not det.time_columns:
        return []
    by_name: dict[str, list[Any]] = {}
    for _, init in detection.result.plan.walk():
        by_name.setdefault(_key(init.name), []).append(init)
    used: set[int] = set()
    marks: list[PreviewMark] = []
    rows = sorted((d.row, d.reason) for d in detection.result.report
                  if d.sheet == sheet and d.role in ("initiative", "child"))
    for row, reason in rows:
        names = re.findall(r"“(.+?)”", reason) + [grid.text(row, c) for c in grid.row_cells(row)]
        init = None
        for name in names:
            init = next((i for i in by_name.get(_key(name), []) if id(i) not in used), None)
            if init is not None:
                break
        if init is None:
            continue
        used.add(id(init))
        for ph in init.phases:
            span = _clamped_span(det.time_columns, ph.start, ph.end)
            if span:
                marks.append(PreviewMark(row, span[0], span[1], ph.color or "#9BC2E6", ph.label or ""))
        for ms in init.milestones:
            x = _column_at(det.time_columns, ms.month)
            if x is not None:
                marks.append(PreviewMark(row, x, x, "#C00000", ms.label or "", milestone=True))
    return marks


class _GridView(QTableView):
    """The sheet grid with the detected bars and milestones drawn over their cells."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks: list[PreviewMark] = []

    def set_marks(self, marks: list[PreviewMark]) -> None:
        self.marks = marks
        self.viewport().update()

    def _x(self, col: float) -> float:
        """Viewport x of a fractional sheet column (the right edge of the last column for any beyond it)."""
        c = int(col)
        last = self.model().columnCount()
        if c > last:
            return self.columnViewportPosition(last - 1) + self.columnWidth(last - 1)
        return self.columnViewportPosition(c - 1) + (col - c) * self.columnWidth(c - 1)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self.marks or self.model() is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        visible = self.viewport().rect()
        for mk in self.marks:
            r = mk.row - 1
            if r >= self.model().rowCount() or int(mk.start) - 1 >= self.model().columnCount():
                continue
            y, h = self.rowViewportPosition(r), self.rowHeight(r)
            if y + h < 0 or y > visible.height() or h <= 0:
                continue
            if mk.milestone:
                x = self._x(mk.start)
                size = min(h - 4, 12) / 2
                cy = y + h / 2
                poly = QPolygonF([QPointF(x, cy - size), QPointF(x + size, cy), QPointF(x, cy + size), QPointF(x - size, cy)])
                painter.setPen(QPen(QColor("#FFFFFF"), 1))
                painter.setBrush(QColor(mk.color))
                painter.drawPolygon(poly)
                if mk.label:
                    painter.setPen(QColor("#7F0000"))
                    painter.drawText(QRectF(x + size + 2, y, 400, h), Qt.AlignVCenter | Qt.AlignLeft, mk.label)
                continue
            x0, x1 = self._x(mk.start), self._x(mk.end)
            rect = QRectF(x0 + 1, y + 3, max(2.0, x1 - x0 - 2), max(4.0, h - 6))
            fill = QColor(mk.color)
            painter.setPen(QPen(fill.darker(160), 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            if mk.label and rect.width() > 16:
                painter.setPen(QColor("#1F1F1F"))
                text = painter.fontMetrics().elidedText(mk.label, Qt.ElideRight, int(rect.width() - 6))
                painter.drawText(rect.adjusted(3, 0, -3, 0), Qt.AlignVCenter | Qt.AlignLeft, text)
        painter.end()


class _GridModel(QAbstractTableModel):
    """The cells of one sheet, tinted: header rows grey, time columns blue, label columns by role."""

    def __init__(self, grid: SheetGrid, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.rows = min(max(grid.max_row, 1), GRID_ROWS)
        self.cols = min(max(grid.max_col, 1), GRID_COLS)
        self.header_row: int | None = None
        self.header_rows: set[int] = set()  # the time axis's other heading rows (months, quarters)
        self.time_cols: dict[int, tuple[int, int]] = {}
        self.role_cols: dict[int, str] = {}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.cols

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        r, c = index.row() + 1, index.column() + 1
        if role == Qt.DisplayRole:
            v = self.grid.values.get((r, c))
            return excel_text(self.grid, r, c).replace("\n", " ")[:60] if v is not None else None
        if role == Qt.BackgroundRole:
            if r == self.header_row or r in self.header_rows:
                return QBrush(QColor("#D9D9D9"))
            color = self.grid.color_of(self.grid.fills.get((r, c)))
            if color:
                return QBrush(QColor(color))
            if c in self.time_cols:
                return QBrush(QColor("#EEF4FB"))
            if c in self.role_cols:
                return QBrush(QColor("#FFF8E5"))
        if role == Qt.ToolTipRole:
            v = self.grid.values.get((r, c))
            return excel_text(self.grid, r, c) if v is not None else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            c = section + 1
            tag = ""
            if c in self.time_cols:
                tag = f" [{_span_tag(*self.time_cols[c])}]"
            elif c in self.role_cols:
                tag = f" [{tr('import.role.' + self.role_cols[c])}]"
            return _col_letter(c) + tag
        r = section + 1
        if r == self.header_row:
            return f"{r} {tr('import.mark.time')}"
        if r in self.header_rows:
            return f"{r} {tr('import.mark.header')}"
        return str(r)

    def set_marks(self, header_row: int | None, time_cols: dict[int, tuple[int, int]], role_cols: dict[int, str],
                  header_rows: set[int] | None = None) -> None:
        self.header_row, self.time_cols, self.role_cols = header_row, time_cols, role_cols
        self.header_rows = set(header_rows or ()) - {header_row}
        if self.rows and self.cols:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rows - 1, self.cols - 1))
        self.headerDataChanged.emit(Qt.Horizontal, 0, self.cols - 1)
        self.headerDataChanged.emit(Qt.Vertical, 0, self.rows - 1)


class ImportDialog(QDialog):
    """The import preview for one loaded workbook."""

    def __init__(self, reader: WorkbookReader, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.settings = settings if settings is not None else QSettings("dxroadmap", "dxroadmap")
        self.overrides: dict[str, SheetOverrides] = {}
        self.detection: Detection | None = None
        self._updating = False
        self.setWindowTitle(tr("import.title", name=reader.path.name))
        self.resize(*_dialog_size(parent))
        self.signature = office_signature(reader)

        # ---- left: the sheet
        self.sheet_combo = QComboBox()
        self.sheet_combo.addItems(reader.sheet_titles)
        self.grid_view = _GridView()
        self.grid_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.grid_view.horizontalHeader().setDefaultSectionSize(80)
        self.grid_view.verticalHeader().setDefaultSectionSize(20)
        left = QWidget()
        lv = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("import.sheet")))
        top.addWidget(self.sheet_combo, 1)
        self.skip_box = QCheckBox(tr("import.skip"))
        top.addWidget(self.skip_box)
        lv.addLayout(top)
        lv.addWidget(self.grid_view, 1)

        # ---- controls
        controls = QGroupBox(tr("import.time"))
        form = QFormLayout(controls)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, 100000)
        self.header_spin.setSpecialValueText(tr("import.auto"))
        form.addRow(tr("import.header_row"), self.header_spin)
        self.time_auto = QCheckBox(tr("import.time_auto"))
        self.time_auto.setChecked(True)
        form.addRow(self.time_auto)
        self.time_from = _ColumnSpin()
        self.time_to = _ColumnSpin()
        for spin in (self.time_from, self.time_to):
            # 0 is "nothing found": shown blank rather than as a made-up column A
            spin.setRange(0, 16384)
            spin.setSpecialValueText(" ")
        self.time_fy = QSpinBox()
        self.time_fy.setRange(FY_NONE, 2199)
        self.time_fy.setSpecialValueText(" ")
        self.time_step = QComboBox()
        for step in STEPS:
            self.time_step.addItem(tr(f"import.step.{step}"), step)
        form.addRow(tr("import.time_from"), self.time_from)
        form.addRow(tr("import.time_to"), self.time_to)
        form.addRow(tr("import.time_fy"), self.time_fy)
        form.addRow(tr("import.time_step"), self.time_step)
        self.roles_table = QTableWidget(0, 3)
        self.roles_table.setHorizontalHeaderLabels([tr("import.col"), tr("import.heading"), tr("import.role")])
        self.roles_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.roles_table.verticalHeader().setVisible(False)
        self.roles_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.roles_table.setColumnWidth(2, 180)  # "（自動）関係部門" whole
        # at least ROLE_ROWS rows of the role table stay visible, whatever the dialog's height
        row_h = self.roles_table.verticalHeader().defaultSectionSize()
        self.roles_table.setMinimumHeight(self.roles_table.horizontalHeader().sizeHint().height()
                                          + ROLE_ROWS * row_h + 2 * self.roles_table.frameWidth() + 2)
        roles_box = QGroupBox(tr("import.roles"))
        QVBoxLayout(roles_box).addWidget(self.roles_table)

        # ---- right: the plan
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("import.tree.name"), tr("import.tree.depts"), tr("import.tree.phases")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.refusal = QLabel()  # why a refused workbook cannot be imported, in plain words
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #9C0006;")
        self.refusal.hide()
        self.problems = QListWidget()
        self.problems.setWordWrap(True)  # reasons are sentences: show them whole, not cut at the edge
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.problems.setTextElideMode(Qt.ElideNone)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(self.notice)
        rv.addWidget(self.refusal)
        rv.addWidget(controls)
        rv.addWidget(roles_box, 2)
        rv.addWidget(QLabel(tr("import.plan")))
        rv.addWidget(self.summary)
        rv.addWidget(self.tree, 3)
        rv.addWidget(QLabel(tr("import.unplaced")))
        rv.addWidget(self.problems, 1)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(self.buttons)

        self._models: dict[str, _GridModel] = {}
        remembered = self._remembered()
        if remembered:
            self.overrides = remembered
            self.notice.setText(tr("import.remembered"))
        self.sheet_combo.currentTextChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(self._controls_changed)
        self.time_auto.toggled.connect(self._time_auto_toggled)
        self.time_auto.toggled.connect(self._controls_changed)
        for w in (self.time_from, self.time_to, self.time_fy):
            w.valueChanged.connect(self._controls_changed)
        self.time_step.currentIndexChanged.connect(self._controls_changed)
        self.skip_box.toggled.connect(self._controls_changed)
        self._rerun()
        first = next((s.title for s in (self.detection.sheets if self.detection else []) if s.initiatives), None)
        if first:
            self.sheet_combo.setCurrentText(first)
        self._sheet_changed(self.sheet_combo.currentText())

    # ------------------------------------------------------------------ state

    @property
    def current_sheet(self) -> str:
        return self.sheet_combo.currentText()

    def _sheet_detection(self):
        return self.detection.sheet(self.current_sheet) if self.detection else None

    def _model(self, title: str) -> _GridModel:
        m = self._models.get(title)
        if m is None:
            m = self._models[title] = _GridModel(self.reader.grid(title), self)
        return m

    def _sheet_changed(self, title: str) -> None:
        if not title:
            return
        self.grid_view.setModel(self._model(title))
        self._load_controls()

    def _load_controls(self) -> None:
        """Show the current sheet's overrides (or detection) in the controls without re-running."""
        self._updating = True
        try:
            ov = self.overrides.get(self.current_sheet) or SheetOverrides()
            det = self._sheet_detection()
            self.skip_box.setChecked(ov.skip)
            self.header_spin.setValue(ov.header_row or 0)
            self.time_auto.setChecked(ov.time_columns is None)
            cols = ov.time_columns if ov.time_columns is not None else (det.time_columns if det else {})
            if not cols:
                # nothing found: blank fields, not a made-up column A and 1989
                self.time_from.setValue(0)
                self.time_to.setValue(0)
                self.time_fy.setValue(FY_NONE)
            else:
                first = min(cols)
                self.time_from.setValue(first)
                self.time_to.setValue(max(cols))
                a, b = cols[first]
                fy = (a // 12) if a % 12 >= 3 else (a // 12) - 1
                self.time_fy.setValue(max(FY_NONE + 1, min(2199, fy)))
                size = b - a + 1
                idx = self.time_step.findData(size if size in STEPS else 12)
                self.time_step.setCurrentIndex(max(idx, 0))
            self._fill_roles()
            self._enable_time_fields()
        finally:
            self._updating = False
        self._mark_grid()

    def _enable_time_fields(self) -> None:
        """The time-column fields are edited once automatic detection is off; before, they only show it."""
        manual = not self.time_auto.isChecked()
        for w in (self.time_from, self.time_to, self.time_fy, self.time_step):
            w.setEnabled(manual)

    def _time_auto_toggled(self, auto: bool) -> None:
        if not auto and not self._updating and self.time_from.value() == 0:
            # switching to manual on a sheet where nothing was found: start from the heading row's cells
            self._updating = True
            try:
                grid = self.reader.grid(self.current_sheet)
                header = self.header_spin.value() or 1
                cells = grid.row_cells(header) or [1]
                self.time_from.setValue(cells[min(1, len(cells) - 1)])
                self.time_to.setValue(cells[-1])
                today = _dt.date.today()
                self.time_fy.setValue(fiscal_year_of(month_index(today.year, today.month)))
            finally:
                self._updating = False
        self._enable_time_fields()

    def _fill_roles(self) -> None:
        det = self._sheet_detection()
        ov = self.overrides.get(self.current_sheet) or SheetOverrides()
        grid = self.reader.grid(self.current_sheet)
        header = ov.header_row or (det.header_row if det else None) or 1
        time_cols = set(det.time_columns) if det else set()
        cols = sorted({c for c in grid.row_cells(header) if c not in time_cols} | set(det.column_roles if det else {})
                      | set(ov.column_roles))
        self.roles_table.setRowCount(len(cols))
        for i, c in enumerate(cols):
            self.roles_table.setItem(i, 0, _ro_item(_col_letter(c)))
            self.roles_table.setItem(i, 1, _ro_item(grid.text(header, c).replace("\n", " ")))
            combo = QComboBox()
            for role in ROLE_CHOICES:
                combo.addItem(tr(f"import.role.{role}"), role)
            chosen = ov.column_roles.get(c)
            combo.setCurrentIndex(ROLE_CHOICES.index(chosen) if chosen in ROLE_CHOICES else 0)
            detected = (det.column_roles.get(c) if det else None)
            if detected:
                combo.setItemText(0, f"{tr('import.role.auto')} {tr('import.role.' + detected)}")
            combo.setProperty("column", c)
            combo.currentIndexChanged.connect(self._controls_changed)
            self.roles_table.setCellWidget(i, 2, combo)

    def role_combo(self, column: int) -> QComboBox | None:
        """The role selector of a sheet column (1-based), for tests and keyboard users."""
        for i in range(self.roles_table.rowCount()):
            w = self.roles_table.cellWidget(i, 2)
            if w is not None and w.property("column") == column:
                return w
        return None

    def _controls_changed(self, *_args: Any) -> None:
        if self._updating:
            return
        ov = SheetOverrides(skip=self.skip_box.isChecked(), header_row=self.header_spin.value() or None)
        if not self.time_auto.isChecked():
            ov.time_columns = self._time_columns()
        for i in range(self.roles_table.rowCount()):
            w = self.roles_table.cellWidget(i, 2)
            if w is not None and w.currentData() != "auto":
                ov.column_roles[int(w.property("column"))] = w.currentData()
        if ov.is_empty():
            self.overrides.pop(self.current_sheet, None)
        else:
            self.overrides[self.current_sheet] = ov
        self._rerun()
        if not isinstance(self.sender(), QComboBox) or self.sender() is self.time_step:
            # the columns on offer follow the header row and time columns; a role change keeps the table
            self._updating = True
            try:
                self._fill_roles()
            finally:
                self._updating = False
        else:
            self._refresh_auto_labels()
        self._mark_grid()

    def _refresh_auto_labels(self) -> None:
        det = self._sheet_detection()
        for i in range(self.roles_table.rowCount()):
            w = self.roles_table.cellWidget(i, 2)
            if w is None:
                continue
            detected = det.column_roles.get(int(w.property("column"))) if det else None
            text = tr("import.role.auto") + (f" {tr('import.role.' + detected)}" if detected else "")
            w.setItemText(0, text)

    def _time_columns(self) -> dict[int, tuple[int, int]]:
        grid = self.reader.grid(self.current_sheet)
        step = int(self.time_step.currentData())
        month = fy_first_month(self.time_fy.value())
        out: dict[int, tuple[int, int]] = {}
        lo, hi = sorted((self.time_from.value(), self.time_to.value()))
        if lo < 1 or self.time_fy.value() == FY_NONE:
            return out
        for c in range(lo, hi + 1):
            if c in grid.hidden_cols:
                continue
            out[c] = (month, month + step - 1)
            month += step
        return out

    # ------------------------------------------------------------------ results

    def _rerun(self) -> None:
        self.detection = self.reader.detect(self.overrides)
        self._show_result()

    def _show_result(self) -> None:
        det = self.detection
        self.tree.clear()
        self.problems.clear()
        ok = det is not None and det.result is not None
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)
        reasons = [s.reason for s in (det.sheets if det else []) if s.layout == "refused" and s.reason]
        self.refusal.setVisible(not ok and bool(reasons))
        if not ok and reasons:
            self.refusal.setText(tr("import.refused", reason="; ".join(dict.fromkeys(reasons))))
        if not ok:
            self.summary.setText(tr("import.none"))
            if det is not None and det.error is not None:
                self.problems.addItem(error_text(det.error))
            return
        result = det.result
        plan = result.plan
        counts = plan.counts()
        self.summary.setText(tr("import.summary", layout=layout_text(result.layout), **counts))
        for pillar in plan.pillars:
            p_item = QTreeWidgetItem([pillar.name, "", ""])
            self.tree.addTopLevelItem(p_item)
            for init in pillar.initiatives:
                p_item.addChild(_init_item(init))
            p_item.setExpanded(True)
        for d in result.unplaced():
            self.problems.addItem(f"{d.sheet} {tr('import.row', row=d.row)}: {d.reason}")
        for w in result.warnings:
            self.problems.addItem(notice_text(w))

    def _mark_grid(self) -> None:
        det = self._sheet_detection()
        model = self._model(self.current_sheet)
        if det is None:
            model.set_marks(None, {}, {})
            self.grid_view.set_marks([])
            return
        header_rows = {d.row for d in (self.detection.result.report if self.detection and self.detection.result else [])
                       if d.sheet == self.current_sheet and d.role == "header"}
        model.set_marks(det.header_row, dict(det.time_columns), dict(det.column_roles),
                        header_rows if det.time_columns else set())
        self.grid_view.set_marks(preview_marks(self.detection, self.current_sheet, model.grid))

    def plan(self) -> Plan | None:
        """The detected plan (the reader already dropped a trailing plan period from its title)."""
        if self.detection is None or self.detection.result is None:
            return None
        return self.detection.result.plan

    # ------------------------------------------------------------------ memory per office

    def _remembered(self) -> dict[str, SheetOverrides]:
        if not self.signature:
            return {}
        raw = self.settings.value(f"{SETTINGS_GROUP}/{self.signature}")
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except (TypeError, ValueError):
            return {}
        out = {}
        titles = set(self.reader.sheet_titles)
        for title, d in data.items() if isinstance(data, dict) else ():
            if title not in titles or not isinstance(d, dict):
                continue
            try:
                tc = d.get("time_columns")
                out[title] = SheetOverrides(
                    skip=bool(d.get("skip")), header_row=d.get("header_row"),
                    time_columns=None if tc is None else {int(k): (int(v[0]), int(v[1])) for k, v in tc.items()},
                    column_roles={int(k): str(v) for k, v in (d.get("column_roles") or {}).items()})
            except (TypeError, ValueError, IndexError, AttributeError):
                continue
        return out

    def remember(self) -> None:
        """Store the current corrections for the next workbook with the same headings."""
        if not self.signature:
            return
        key = f"{SETTINGS_GROUP}/{self.signature}"
        if not self.overrides:
            self.settings.remove(key)
            return
        data = {title: {"skip": ov.skip, "header_row": ov.header_row,
                        "time_columns": None if ov.time_columns is None else {str(k): list(v) for k, v in ov.time_columns.items()},
                        "column_roles": {str(k): v for k, v in ov.column_roles.items()}}
                for title, ov in self.overrides.items()}
        self.settings.setValue(key, json.dumps(data, ensure_ascii=False))
        self.settings.sync()

    def accept(self) -> None:
        if self.plan() is None:
            return
        self.remember()
        super().accept()


def _ro_item(text: str):
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    return item


def _month_tag(m: int) -> str:
    """A month as the time-column headings write it: R5 4月 (FY2023 Apr in English)."""
    try:
        month = year_month(m)[1]
        return f"{_year_tag(fiscal_year_of(m))} {_months_tag(month, month)}"
    except ValueError:
        return format_ym(m)


def _init_item(init) -> QTreeWidgetItem:
    dash = "〜" if language() == "ja" else "–"
    phases = ", ".join(f"{p.label or '—'} {_month_tag(p.start)}{dash}{_month_tag(p.end)}" for p in init.phases)
    item = QTreeWidgetItem([init.name, "、".join(init.departments), phases])
    for child in init.children:
        item.addChild(_init_item(child))
    item.setExpanded(True)
    return item


def run_import_dialog(parent: QWidget | None, path: str, settings: QSettings | None = None) -> Plan | None:
    """Preview and correct the import of ``path``; the accepted plan, or ``None``."""
    try:
        reader = load_with_progress(parent, path)
    except PlanReadError as exc:
        # the same title, icon and wording as every other file that cannot be opened
        QMessageBox.critical(parent, tr("file.read_error_title"),
                             tr("file.read_failed", name=Path(path).name, reason=error_text(exc)))
        return None
    if reader is None:
        return None
    dialog = ImportDialog(reader, parent, settings)
    try:
        if dialog.exec() == QDialog.Accepted:
            return dialog.plan()
        return None
    finally:
        dialog.deleteLater()
