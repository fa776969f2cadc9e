"""The 重点取組事項 coverage matrix: the national items of the plan's version × the initiatives serving them.

Rows are the items of the national plan version the plan follows (with their category),
columns the initiatives tagged for at least one item; a cell holds ○ where the initiative
serves the item. Items no initiative serves are shaded and say 未対応. Clicking a cell (or an
initiative's heading) selects that initiative in the plan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from dxroadmap.model.national import coverage_report
from dxroadmap.model.plan import Initiative
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import national_category_text, national_item_text, tr

__all__ = ["CoverageDialog"]

_UNCOVERED = QColor("#F8CBAD")


class CoverageDialog(QDialog):
    """National items × initiatives, uncovered items highlighted."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.report = report = coverage_report(document.plan)
        self.setWindowTitle(tr("coverage.title", version=report.version.label))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        covered = sum(1 for row in report.rows if row.covered)
        summary = QLabel(tr("coverage.summary", total=len(report.rows), covered=covered))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.initiatives: list[Initiative] = []
        for row in report.rows:
            for init in row.initiatives:
                if init not in self.initiatives:
                    self.initiatives.append(init)
        fixed = 3  # category, item, count
        self.table = table = QTableWidget(len(report.rows), fixed + len(self.initiatives))
        table.setHorizontalHeaderLabels([tr("coverage.category"), tr("coverage.item"), tr("coverage.count")]
                                        + [report.initiative_label(i) for i in self.initiatives])
        for r, row in enumerate(report.rows):
            cells = [national_category_text(row.item.category), national_item_text(row.item),
                     str(len(row.initiatives)) if row.covered else tr("coverage.uncovered")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if not row.covered:
                    item.setBackground(QBrush(_UNCOVERED))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)
            for k, init in enumerate(self.initiatives):
                item = QTableWidgetItem("○" if init in row.initiatives else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if not row.covered:
                    item.setBackground(QBrush(_UNCOVERED))
                table.setItem(r, fixed + k, item)
        table.resizeColumnsToContents()
        table.cellClicked.connect(self._clicked)
        table.horizontalHeader().sectionClicked.connect(lambda column: self._clicked(-1, column))
        layout.addWidget(table)
        if report.unknown_text:
            note = QLabel(report.unknown_text)
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _clicked(self, _row: int, column: int) -> None:
        k = column - 3
        if 0 <= k < len(self.initiatives):
            self.document.select(self.initiatives[k])
