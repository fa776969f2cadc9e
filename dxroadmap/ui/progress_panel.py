"""The inspector's 進捗 section: one initiative's progress for a chosen fiscal year, and its KPI table.

A 年度 picker (the plan period; by default the latest year the initiative has progress
for, else the plan's first year — never today's date), the status as a list
(未記入 removes the year's entry), the grade (評価 A–D), 実績 and 今後の方向性 texts and
the month it was updated (YYYY-MM). Below, the KPIs: name, unit, baseline year and
value, the target and the actual of the chosen year, and the achievement (read-only,
with ↑ when higher is better, ↓ when lower is). Every edit is one undo step through
the Document (:class:`~dxroadmap.model.operations.SetProgress` /
:class:`~dxroadmap.model.operations.SetKpis`); typing in one text merges into one step.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.model import operations as ops
from dxroadmap.model.plan import Initiative
from dxroadmap.model.progress import (
    GRADE_JA,
    GRADES,
    STATUS_SYMBOL,
    STATUSES,
    Baseline,
    Kpi,
    ProgressEntry,
    achievement,
    parse_value,
)
from dxroadmap.model.wareki import YearStyle, format_fiscal_year, parse_fiscal_year
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import tr

__all__ = ["ProgressPanel", "default_fiscal_year", "KPI_COLUMNS"]

# KPI table columns (keys of the catalogue); the last one is read-only.
KPI_COLUMNS = ("prog.kpi.name", "prog.kpi.unit", "prog.kpi.base_fy", "prog.kpi.base", "prog.kpi.target",
               "prog.kpi.actual", "prog.kpi.achievement")
COL_NAME, COL_UNIT, COL_BASE_FY, COL_BASE, COL_TARGET, COL_ACTUAL, COL_ACHIEVED = range(7)
_YM_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def default_fiscal_year(initiative: Initiative, start_fy: int) -> int:
    """The year the section opens on: the latest with progress, else the plan's first year."""
    return max(initiative.progress) if initiative.progress else start_fy


def _year_text(fy: int, style: YearStyle) -> str:
    try:
        return format_fiscal_year(fy, style)
    except ValueError:
        return f"{fy}年度"


def _value_text(value: Any) -> str:
    """A KPI value as typed back into a cell (no thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) else f"{value:.10g}"


class ProgressPanel(QWidget):
    """進捗 and KPIs of one initiative for one fiscal year, edited through ``document``."""

    fiscalYearChanged = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.initiative: Initiative | None = None
        self.fy: int = document.plan.start_fy
        self._chosen_fy: int | None = None  # a year the user picked stays picked across selections
        self._updating = False
        self._year_style = YearStyle.ERA_WESTERN
        self._labels: list[tuple[QLabel, str]] = []

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setContentsMargins(0, 0, 0, 0)

        self.year = QComboBox()
        self.year.activated.connect(self._year_picked)
        self.status = QComboBox()
        self.status.activated.connect(self._status_picked)
        self.grade = QComboBox()
        self.grade.activated.connect(self._grade_picked)
        self.actual = self._plain()
        self.actual.textChanged.connect(lambda: self._text_changed("actual", self.actual.toPlainText()))
        self.next = self._plain()
        self.next.textChanged.connect(lambda: self._text_changed("next", self.next.toPlainText()))
        self.updated = QLineEdit()
        self.updated.setPlaceholderText("YYYY-MM")
        self.updated.setMaxLength(7)
        self.updated.editingFinished.connect(self._updated_finished)
        for key, widget in (("prog.year", self.year), ("prog.status", self.status), ("prog.grade", self.grade),
                            ("prog.actual", self.actual), ("prog.next", self.next), ("prog.updated", self.updated)):
            label = QLabel()
            label.setBuddy(widget)
            self._labels.append((label, key))
            form.addRow(label, widget)

        self.kpi_label = QLabel()
        self.kpi_label.setFont(font)
        self.kpis = QTableWidget(0, len(KPI_COLUMNS))
        self.kpis.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.kpis.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.kpis.verticalHeader().setVisible(False)
        self.kpis.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.kpis.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.kpis.setMinimumHeight(120)
        self.kpis.setWordWrap(True)
        self.kpis.itemChanged.connect(self._kpi_item_changed)
        self.add_kpi = QPushButton()
        self.remove_kpi = QPushButton()
        self.add_kpi.clicked.connect(self._add_kpi)
        self.remove_kpi.clicked.connect(self._remove_kpi)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_kpi)
        buttons.addWidget(self.remove_kpi)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.kpi_label)
        layout.addWidget(self.kpis)
        layout.addLayout(buttons)

        document.itemChanged.connect(self._item_changed)
        document.structureChanged.connect(self._fill_years)
        self.retranslate()

    @staticmethod
    def _plain() -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(70)
        return edit

    # ------------------------------------------------------------ showing

    def retranslate(self) -> None:
        self.title.setText(tr("prog.section"))
        self.kpi_label.setText(tr("prog.kpis"))
        for label, key in self._labels:
            label.setText(tr(key))
        self._updating = True
        try:
            self.status.clear()
            self.status.addItem(tr("prog.status.none"), None)
            for s in STATUSES:
                self.status.addItem(f"{STATUS_SYMBOL[s]} {tr('prog.status.' + s)}", s)
            self.grade.clear()
            self.grade.addItem(tr("prog.grade.none"), None)
            for g in GRADES:
                self.grade.addItem(f"{g}（{GRADE_JA[g]}）", g)
        finally:
            self._updating = False
        self.kpis.setHorizontalHeaderLabels([tr(k) for k in KPI_COLUMNS])
        self.add_kpi.setText(tr("prog.kpi.add"))
        self.remove_kpi.setText(tr("prog.kpi.remove"))
        self.refresh()

    def set_year_style(self, style: YearStyle) -> None:
        self._year_style = style
        self._fill_years(force=True)

    def show_initiative(self, initiative: Initiative | None) -> None:
        """Show ``initiative``'s progress (on the year the user picked, else its default year)."""
        self.initiative = initiative
        if initiative is not None:
            plan = self.document.plan
            fy = self._chosen_fy if self._chosen_fy is not None else default_fiscal_year(initiative, plan.start_fy)
            self._set_fy(fy)
        self.refresh()

    def set_fiscal_year(self, fy: int) -> None:
        """Show year ``fy`` (as if picked)."""
        self._chosen_fy = fy
        self._set_fy(fy)
        self.refresh()

    def _set_fy(self, fy: int) -> None:
        changed = fy != self.fy
        self.fy = fy
        self._fill_years()
        if changed:
            self.fiscalYearChanged.emit(fy)

    def _fill_years(self, force: bool = False) -> None:
        plan = self.document.plan
        first, last = min(plan.start_fy, plan.end_fy), max(plan.start_fy, plan.end_fy)
        known = set(self.initiative.progress) if self.initiative is not None else set()
        years = sorted(set(range(first, last + 1)) | known | {self.fy})
        current = [self.year.itemData(i) for i in range(self.year.count())]
        was, self._updating = self._updating, True  # also called from refresh, which is updating already
        try:
            if force or current != years:
                self.year.clear()
                for y in years:
                    self.year.addItem(_year_text(y, self._year_style), y)
            self.year.setCurrentIndex(years.index(self.fy))
        finally:
            self._updating = was

    def entry(self) -> ProgressEntry | None:
        """The shown initiative's entry for the shown year (``None`` when it has none)."""
        return self.initiative.progress.get(self.fy) if self.initiative is not None else None

    def _item_changed(self, obj: object) -> None:
        if obj is self.initiative and self.initiative is not None:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the fields and the KPI table (rewrites only what differs)."""
        init = self.initiative
        self.setEnabled(init is not None)
        if init is None:
            return
        self._updating = True
        try:
            self._fill_years()
            entry = self.entry()
            self.status.setCurrentIndex(self.status.findData(entry.status) if entry else 0)
            self.grade.setCurrentIndex(self.grade.findData(entry.grade) if entry and entry.grade else 0)
            for edit, value in ((self.actual, entry.actual if entry else ""), (self.next, entry.next if entry else "")):
                if edit.toPlainText() != value:
                    edit.setPlainText(value)
            if not self.updated.hasFocus() or _YM_RE.match(self.updated.text()):
                value = entry.updated or "" if entry else ""
                if self.updated.text() != value:
                    self.updated.setText(value)
            self.updated.setStyleSheet("")
            self._fill_kpis()
        finally:
            self._updating = False

    def _fill_kpis(self) -> None:
        kpis = self.initiative.kpis if self.initiative is not None else []
        fy = self.fy
        self.kpis.blockSignals(True)
        try:
            if self.kpis.rowCount() != len(kpis):
                self.kpis.setRowCount(len(kpis))
            for r, kpi in enumerate(kpis):
                ratio = achievement(kpi, fy)
                arrow = "↓" if kpi.effective_direction() == "lower" else "↑"
                achieved = "" if ratio is None else ("∞" if math.isinf(ratio) else f"{ratio * 100:.0f}%")
                texts = (kpi.name, kpi.unit,
                         "" if kpi.baseline is None or kpi.baseline.fy is None else str(kpi.baseline.fy),
                         "" if kpi.baseline is None else _value_text(kpi.baseline.value),
                         _value_text(kpi.targets.get(fy)), _value_text(kpi.actuals.get(fy)),
                         f"{arrow} {achieved}".strip())
                for c, text in enumerate(texts):
                    item = self.kpis.item(r, c)
                    if item is None:
                        item = QTableWidgetItem()
                        if c == COL_ACHIEVED:
                            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                        self.kpis.setItem(r, c, item)
                    if item.text() != text:
                        item.setText(text)
                tip = tr("prog.kpi.higher") if arrow == "↑" else tr("prog.kpi.lower")
                self.kpis.item(r, COL_ACHIEVED).setToolTip(tip)
        finally:
            self.kpis.blockSignals(False)

    # ------------------------------------------------------------ edits

    def _run_progress(self, entry: ProgressEntry | None, text: str, merge: str | None = None) -> None:
        init = self.initiative
        if init is None:
            return
        key = (init.uid, "progress", self.fy, merge) if merge else None
        self.document.run(ops.SetProgress(init, self.fy, entry), text, key)

    def _edited_entry(self) -> ProgressEntry:
        entry = self.entry()
        return copy.deepcopy(entry) if entry is not None else ProgressEntry()

    def _year_picked(self, *_: Any) -> None:
        if self._updating:
            return
        self.set_fiscal_year(int(self.year.currentData()))

    def _status_picked(self, *_: Any) -> None:
        if self._updating or self.initiative is None:
            return
        status = self.status.currentData()
        if status is None:
            if self.entry() is not None:
                self._run_progress(None, "進捗の削除")
            return
        entry = self._edited_entry()
        if self.entry() is not None and entry.status == status:
            return
        entry.status = status
        self._run_progress(entry, "進捗状況の変更")

    def _grade_picked(self, *_: Any) -> None:
        if self._updating or self.initiative is None:
            return
        grade = self.grade.currentData()
        entry = self._edited_entry()
        if self.entry() is not None and entry.grade == grade:
            return
        entry.grade = grade
        self._run_progress(entry, "評価の変更")

    def _text_changed(self, attr: str, value: str) -> None:
        if self._updating or self.initiative is None:
            return
        entry = self._edited_entry()
        if self.entry() is not None and getattr(entry, attr) == value:
            return
        setattr(entry, attr, value)
        self._run_progress(entry, "実績の変更" if attr == "actual" else "今後の方向性の変更", merge=attr)

    def _updated_finished(self) -> None:
        if self._updating or self.initiative is None:
            return
        text = self.updated.text().strip()
        if text and not _YM_RE.match(text):
            self.updated.setStyleSheet("QLineEdit { background: #FCE4D6; }")
            self.updated.setToolTip(tr("prog.updated_invalid"))
            return
        self.updated.setStyleSheet("")
        self.updated.setToolTip("")
        value = text or None
        current = self.entry()
        if (current.updated if current else None) == value:
            return
        entry = self._edited_entry()
        entry.updated = value
        self._run_progress(entry, "更新年月の変更")

    def _run_kpis(self, kpis: list[Kpi], text: str) -> None:
        if self.initiative is not None:
            self.document.run(ops.SetKpis(self.initiative, kpis), text)

    def _add_kpi(self) -> None:
        if self.initiative is None:
            return
        self._run_kpis([*self.initiative.kpis, Kpi(tr("prog.kpi.new"))], "指標の追加")
        row = len(self.initiative.kpis) - 1
        self.kpis.setCurrentCell(row, COL_NAME)
        self.kpis.setFocus()

    def _remove_kpi(self) -> None:
        if self.initiative is None:
            return
        row = self.kpis.currentRow()
        if not 0 <= row < len(self.initiative.kpis):
            return
        kpis = list(self.initiative.kpis)
        del kpis[row]
        self._run_kpis(kpis, "指標の削除")

    def _kpi_item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating or self.initiative is None:
            return
        row, col = item.row(), item.column()
        if not 0 <= row < len(self.initiative.kpis) or col == COL_ACHIEVED:
            return
        kpis = [copy.deepcopy(k) for k in self.initiative.kpis]
        kpi = kpis[row]
        text = item.text().strip()
        fy = self.fy
        if col == COL_NAME:
            if not text:
                self._fill_kpis()  # a KPI keeps a name
                return
            kpi.name = text
        elif col == COL_UNIT:
            kpi.unit = text
        elif col == COL_BASE_FY:
            if not text:
                base_fy = None
            else:
                base_fy = int(text) if re.fullmatch(r"\d{4}", text) else parse_fiscal_year(text)
                if base_fy is None:
                    self._fill_kpis()  # not a year: show the stored one again
                    return
            kpi.baseline = Baseline(base_fy, kpi.baseline.value) if kpi.baseline is not None else (
                Baseline(base_fy, "") if base_fy is not None else None)
        elif col == COL_BASE:
            kpi.baseline = Baseline(kpi.baseline.fy if kpi.baseline else None, parse_value(text)) if text else None
        elif col in (COL_TARGET, COL_ACTUAL):
            values = kpi.targets if col == COL_TARGET else kpi.actuals
            if text:
                values[fy] = parse_value(text)
            else:
                values.pop(fy, None)
            ordered = dict(sorted(values.items()))
            values.clear()
            values.update(ordered)
        if kpis[row] == self.initiative.kpis[row]:
            return
        text_key = {COL_TARGET: "目標値の変更", COL_ACTUAL: "実績値の変更"}.get(col, "指標の変更")
        self._run_kpis(kpis, text_key)
