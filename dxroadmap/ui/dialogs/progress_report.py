"""File › 進捗状況一覧…: ask the fiscal year, paper and format, then the path, and write the report.

The writers are the command line's (``dxroadmap report progress``):
:func:`dxroadmap.io.xlsx.progress_report.write_progress_report` for .xlsx and
:func:`dxroadmap.render.progress_report.write_progress_pdf` for .pdf. The year offered
first is the latest one with progress (else the plan's first), as the report's own default.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QWidget

from dxroadmap.model.plan import Plan
from dxroadmap.model.progress import report_fiscal_year
from dxroadmap.model.wareki import YearStyle, format_fiscal_year
from dxroadmap.ui.strings import tr

__all__ = ["ProgressReportDialog", "write_report", "export_progress_report"]


def _year_text(fy: int, style: YearStyle) -> str:
    try:
        return format_fiscal_year(fy, style)
    except ValueError:
        return f"{fy}年度"


class ProgressReportDialog(QDialog):
    """The choices of a 進捗状況一覧: fiscal year, paper (A4/A3 landscape) and format (xlsx/pdf)."""

    def __init__(self, plan: Plan, parent: QWidget | None = None, style: YearStyle = YearStyle.ERA_WESTERN) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("report.title"))
        self.year = QComboBox()
        first, last = min(plan.start_fy, plan.end_fy), max(plan.start_fy, plan.end_fy)
        years = sorted(set(range(first, last + 1)) | {fy for _, i in plan.walk() for fy in i.progress})
        for fy in years:
            self.year.addItem(_year_text(fy, style), fy)
        self.year.setCurrentIndex(self.year.findData(report_fiscal_year(plan)))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.format = QComboBox()
        self.format.addItem(tr("report.format.xlsx"), "xlsx")
        self.format.addItem(tr("report.format.pdf"), "pdf")
        form = QFormLayout(self)
        form.addRow(tr("report.year"), self.year)
        form.addRow(tr("report.paper"), self.paper)
        form.addRow(tr("report.format"), self.format)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choices(self) -> tuple[int, str, str]:
        """(fiscal year, paper, format)."""
        return int(self.year.currentData()), self.paper.currentText(), str(self.format.currentData())


def write_report(plan: Plan, path: str | Path, fy: int, paper: str = "A4") -> Path:
    """Write the report to ``path`` (.xlsx or .pdf by its suffix) with the command line's writers."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from dxroadmap.render.progress_report import write_progress_pdf

        write_progress_pdf(plan, path, fy, paper=paper)
    elif path.suffix.lower() == ".xlsx":
        from dxroadmap.io.xlsx.progress_report import write_progress_report

        write_progress_report(plan, path, fy, paper=paper)
    else:
        raise ValueError(f"a progress report is written as .xlsx or .pdf, not {path.suffix!r}")
    return path


def export_progress_report(parent: QWidget | None, plan: Plan, folder: str | None = None,
                           style: YearStyle = YearStyle.ERA_WESTERN) -> Path | None:
    """Ask the choices and the path, write the report; the path written, or ``None`` when cancelled."""
    dialog = ProgressReportDialog(plan, parent, style)
    if not dialog.exec():
        return None
    fy, paper, fmt = dialog.choices()
    name = f"{plan.organization or plan.title or 'plan'}_進捗状況一覧_{fy}.{fmt}"
    start = str(Path(folder) / name) if folder else name
    path, _ = QFileDialog.getSaveFileName(parent, tr("report.save_title"), start, tr(f"report.filter.{fmt}"))
    if not path:
        return None
    if not path.lower().endswith(f".{fmt}"):
        path += f".{fmt}"
    return write_report(plan, path, fy, paper)
