"""File › Print (with preview), Export PDF and Export Image: page setup dialog and the three entry points.

The main window calls :func:`print_preview`, :func:`export_pdf` and :func:`export_image`
with itself and the open plan. Pages are drawn by :mod:`dxroadmap.render`; this module
only asks the user (page setup, file name) and reports errors in a message box.
The page setup chosen is remembered for the rest of the session.

Strings live in ``_TEXT`` below (keyed "ja"/"en"), following the language of
:mod:`dxroadmap.ui.strings`.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.model.plan import Plan
from dxroadmap.model.wareki import YearStyle, format_fiscal_year
from dxroadmap.render.export import paint_sheet, sheet_for, write_pdf, write_png, write_svg
from dxroadmap.render.layout import format_print_date
from dxroadmap.render.page_setup import DateStyle, PageSetup
from dxroadmap.ui.strings import language

__all__ = ["PageSetupDialog", "print_preview", "export_pdf", "export_image"]

_TEXT = {
    "ja": {
        "setup.title": "ページ設定",
        "setup.pdf_title": "PDF に書き出し",
        "setup.image_title": "画像に書き出し",
        "paper": "用紙",
        "paper.B4": "B4（JIS）",
        "orientation": "向き",
        "landscape": "横",
        "portrait": "縦",
        "fit": "拡大縮小",
        "fit.width": "用紙の幅に合わせる（複数ページ）",
        "fit.page": "1 ページに収める",
        "years": "印刷する年度",
        "years.to": "〜",
        "columns": "表示する列",
        "col.name": "取組内容（常に表示）",
        "col.summary": "概要",
        "col.dept": "関係部門",
        "pillar_per_page": "基本方針ごとに改ページ",
        "year_style": "年度の表記",
        "date_style": "印刷日の表記",
        "format": "形式",
        "dpi": "解像度",
        "dpi.suffix": " dpi",
        "pages": "ページ数: {n}",
        "pages.images": "画像の枚数: {n}",
        "years.bad": "最初の年度が最後の年度より後になっています。",
        "preview.setup": "ロードマップのページ設定…",
        "save_pdf": "PDF に書き出し",
        "save_image": "画像に書き出し",
        "filter.pdf": "PDF (*.pdf)",
        "filter.png": "PNG 画像 (*.png)",
        "filter.svg": "SVG 画像 (*.svg)",
        "error.title": "書き出せませんでした",
        "error.print": "印刷できませんでした",
        "error.os": "{name} を書き込めませんでした（{reason}）。保存先のフォルダーと空き容量を確認してください。",
        "error.value": "設定が正しくありません: {reason}",
        "done.title": "書き出しました",
        "done.images": "{n} 枚の画像を書き出しました:\n{files}",
        "untitled": "ロードマップ",
    },
    "en": {
        "setup.title": "Page Setup",
        "setup.pdf_title": "Export PDF",
        "setup.image_title": "Export Image",
        "paper": "Paper",
        "paper.B4": "B4 (JIS)",
        "orientation": "Orientation",
        "landscape": "Landscape",
        "portrait": "Portrait",
        "fit": "Scaling",
        "fit.width": "Fit to paper width (several pages)",
        "fit.page": "Fit on one page",
        "years": "Fiscal years",
        "years.to": "to",
        "columns": "Columns",
        "col.name": "Initiative (always shown)",
        "col.summary": "Summary",
        "col.dept": "Departments",
        "pillar_per_page": "New page for each pillar",
        "year_style": "Fiscal year labels",
        "date_style": "Print date",
        "format": "Format",
        "dpi": "Resolution",
        "dpi.suffix": " dpi",
        "pages": "Pages: {n}",
        "pages.images": "Images: {n}",
        "years.bad": "The first fiscal year is after the last one.",
        "preview.setup": "Roadmap page setup…",
        "save_pdf": "Export PDF",
        "save_image": "Export Image",
        "filter.pdf": "PDF (*.pdf)",
        "filter.png": "PNG image (*.png)",
        "filter.svg": "SVG image (*.svg)",
        "error.title": "Could not export",
        "error.print": "Could not print",
        "error.os": "Could not write {name} ({reason}). Check the folder and the free disk space.",
        "error.value": "The settings are not valid: {reason}",
        "done.title": "Exported",
        "done.images": "Wrote {n} images:\n{files}",
        "untitled": "roadmap",
    },
}

_session: dict[str, object] = {}  # last page setup / dpi / image format, for this session


def _lang() -> str:
    lang = language()
    return lang if lang in _TEXT else "ja"


def _t(key: str, **fmt: object) -> str:
    text = _TEXT[_lang()].get(key) or _TEXT["ja"][key]
    return text.format(**fmt) if fmt else text


def _initial_setup(plan: Plan, image: bool = False) -> PageSetup:
    """The last setup used this session (images remember theirs apart; they start fitted to one page)."""
    setup = _session.get("image_setup" if image else "setup")
    if not isinstance(setup, PageSetup):
        setup = PageSetup(fit="page") if image else PageSetup()
    if _session.get("plan_uid") != plan.uid:  # a year range chosen for another plan does not apply
        setup = replace(setup, first_fy=None, last_fy=None)
    return setup


def _remember(plan: Plan, setup: PageSetup, image: bool = False) -> None:
    _session["image_setup" if image else "setup"] = setup
    _session["plan_uid"] = plan.uid


class PageSetupDialog(QDialog):
    """Paper, orientation, fit, year range, columns and pillar-per-page; for images also format and dpi."""

    def __init__(self, parent: QWidget | None, plan: Plan, setup: PageSetup, *, title: str | None = None,
                 image: bool = False, dpi: int = 150, image_format: str = "png") -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(title or _t("setup.title"))
        self._image = image
        form = QFormLayout()

        self.paper = QComboBox()
        for paper in ("A3", "A4", "B4"):
            self.paper.addItem(_t("paper.B4") if paper == "B4" else paper, paper)
        self.paper.setCurrentIndex(max(0, self.paper.findData(setup.paper)))
        form.addRow(_t("paper"), self.paper)

        self.orientation = QComboBox()
        for key in ("landscape", "portrait"):
            self.orientation.addItem(_t(key), key)
        self.orientation.setCurrentIndex(max(0, self.orientation.findData(setup.orientation)))
        form.addRow(_t("orientation"), self.orientation)

        self.fit = QComboBox()
        for key in ("width", "page"):
            self.fit.addItem(_t(f"fit.{key}"), key)
        self.fit.setCurrentIndex(max(0, self.fit.findData(setup.fit)))
        form.addRow(_t("fit"), self.fit)

        first, last = setup.years(plan)
        lo, hi = min(plan.start_fy, first) - 3, max(plan.end_fy, last) + 3
        self.first_fy, self.last_fy = QComboBox(), QComboBox()
        for box, value in ((self.first_fy, first), (self.last_fy, last)):
            for fy in range(lo, hi + 1):
                box.addItem(format_fiscal_year(fy) if fy >= 1926 else f"{fy}年度", fy)
            box.setCurrentIndex(box.findData(value))
            box.currentIndexChanged.connect(self._check)
        years = QHBoxLayout()
        years.addWidget(self.first_fy)
        years.addWidget(QLabel(_t("years.to")))
        years.addWidget(self.last_fy)
        form.addRow(_t("years"), years)

        columns = QVBoxLayout()
        name = QCheckBox(_t("col.name"))
        name.setChecked(True)
        name.setEnabled(False)
        self.show_summary = QCheckBox(_t("col.summary"))
        self.show_summary.setChecked(setup.show_summary)
        self.show_departments = QCheckBox(_t("col.dept"))
        self.show_departments.setChecked(setup.show_departments)
        for box in (name, self.show_summary, self.show_departments):
            columns.addWidget(box)
        form.addRow(_t("columns"), columns)

        self.year_style = QComboBox()
        sample_fy = plan.start_fy if plan.start_fy >= 1926 else 2023
        for style in (YearStyle.ERA_WESTERN, YearStyle.ERA, YearStyle.WESTERN, YearStyle.ERA_SHORT):
            self.year_style.addItem(format_fiscal_year(sample_fy, style), style)
        self.year_style.setCurrentIndex(max(0, self.year_style.findData(setup.year_style)))
        form.addRow(_t("year_style"), self.year_style)
        self.date_style = QComboBox()
        today = _dt.date.today()
        for style in (DateStyle.ERA, DateStyle.WESTERN):
            self.date_style.addItem(format_print_date(today, style), style)
        self.date_style.setCurrentIndex(max(0, self.date_style.findData(setup.date_style)))
        form.addRow(_t("date_style"), self.date_style)

        self.pillar_per_page = QCheckBox(_t("pillar_per_page"))
        self.pillar_per_page.setChecked(setup.pillar_per_page)
        form.addRow("", self.pillar_per_page)

        self.format = QComboBox()
        self.dpi = QSpinBox()
        if image:
            self.format.addItem("PNG", "png")
            self.format.addItem("SVG", "svg")
            self.format.setCurrentIndex(max(0, self.format.findData(image_format)))
            form.addRow(_t("format"), self.format)
            self.dpi.setRange(72, 600)
            self.dpi.setSingleStep(50)
            self.dpi.setSuffix(_t("dpi.suffix"))
            self.dpi.setValue(dpi)
            form.addRow(_t("dpi"), self.dpi)
            self.format.currentIndexChanged.connect(lambda: self.dpi.setEnabled(self.format.currentData() == "png"))
            self.dpi.setEnabled(self.format.currentData() == "png")

        self.pages = QLabel()
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(150)
        self._count_timer.timeout.connect(self._count_pages)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #C00000")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.pages)
        outer.addWidget(self.problem)
        outer.addWidget(self.buttons)
        for signal in (self.paper.currentIndexChanged, self.orientation.currentIndexChanged,
                       self.fit.currentIndexChanged, self.show_summary.toggled, self.show_departments.toggled,
                       self.pillar_per_page.toggled, self.year_style.currentIndexChanged):
            signal.connect(self._check)
        self._check()

    def _years_ok(self) -> bool:
        return self.first_fy.currentData() <= self.last_fy.currentData()

    def _check(self) -> None:
        ok = self._years_ok()
        self.problem.setText("" if ok else _t("years.bad"))
        self.problem.setVisible(not ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.pages.setText("")
        if ok:
            self._count_timer.start()  # counting pages lays the whole plan out: wait for the user to pause

    def _count_pages(self) -> None:
        if not self._years_ok():
            return
        try:
            n = len(sheet_for(self.plan, self.setup()).pages)
        except (PlanWriteError, ValueError):
            self.pages.setText("")
        else:
            self.pages.setText(_t("pages.images" if self._image else "pages", n=n))

    def setup(self) -> PageSetup:
        """The page setup as chosen."""
        first, last = self.first_fy.currentData(), self.last_fy.currentData()
        plan = self.plan
        return PageSetup(
            paper=self.paper.currentData(), orientation=self.orientation.currentData(), fit=self.fit.currentData(),
            first_fy=None if first == plan.start_fy and last == plan.end_fy else first,
            last_fy=None if first == plan.start_fy and last == plan.end_fy else last,
            show_summary=self.show_summary.isChecked(), show_departments=self.show_departments.isChecked(),
            pillar_per_page=self.pillar_per_page.isChecked(),
            year_style=self.year_style.currentData(), date_style=self.date_style.currentData(),
        )

    def chosen_dpi(self) -> int:
        return self.dpi.value()

    def chosen_format(self) -> str:
        return self.format.currentData() or "png"


def _show_error(parent: QWidget | None, title: str, exc: BaseException, target: Path | None = None) -> None:
    if isinstance(exc, PlanWriteError):
        text = exc.message(_lang())
    elif isinstance(exc, OSError):
        text = _t("error.os", name=target.name if target else "", reason=exc.strerror or str(exc))
    else:
        text = _t("error.value", reason=str(exc))
    QMessageBox.critical(parent, title, text)


def _default_name(plan: Plan, ext: str) -> str:
    base = (plan.title or _t("untitled")).strip()
    base = "".join("_" if c in '\\/:*?"<>|' else c for c in base)[:80] or "roadmap"
    return f"{base}{ext}"


def _ask_path(parent: QWidget | None, title: str, name: str, file_filter: str, ext: str,
              folder: str | os.PathLike | None = None) -> Path | None:
    """A file name for the export; the dialog opens in ``folder`` (the plan's own) when there is one."""
    start = str(Path(folder) / name) if folder and Path(folder).is_dir() else name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() != ext:
        path = path.with_name(path.name + ext)
    return path


class _Busy:
    def __enter__(self):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        return self

    def __exit__(self, *exc):
        QGuiApplication.restoreOverrideCursor()
        return False


def make_preview(parent: QWidget | None, plan: Plan) -> QPrintPreviewDialog | None:
    """The print-preview dialog for ``plan`` (not shown); ``None`` after an error message."""
    setup = _initial_setup(plan)
    try:
        sheet_for(plan, setup)  # fails early and clearly without a Japanese font
    except PlanWriteError as exc:
        _show_error(parent, _t("error.print"), exc)
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(setup.page_layout())
    printer.setFullPage(True)
    printer.setDocName(plan.title or _t("untitled"))
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle(plan.title or _t("untitled"))
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    state = {"setup": setup, "pages": 0}
    preview.setProperty("dxroadmap_pages", 0)

    def paint(device: QPrinter) -> None:
        try:
            state["pages"] = paint_sheet(device, plan, state["setup"])
            preview.setProperty("dxroadmap_pages", state["pages"])
        except (PlanWriteError, OSError, ValueError) as exc:
            _show_error(preview, _t("error.print"), exc)

    preview.paintRequested.connect(paint)

    def change_setup() -> None:
        dialog = PageSetupDialog(preview, plan, state["setup"])
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        new = dialog.setup()
        state["setup"] = new
        _remember(plan, new)
        printer.setPageLayout(new.page_layout())
        widget = preview.findChild(QPrintPreviewWidget)
        if widget is not None:
            widget.updatePreview()

    action = QAction(_t("preview.setup"), preview)
    action.triggered.connect(change_setup)
    toolbar = preview.findChild(QToolBar)
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(action)
    preview.setup_action = action  # type: ignore[attr-defined]
    return preview


def print_preview(parent: QWidget, plan: Plan) -> None:
    """File › Print: a print preview of the roadmap sheet, printing from there."""
    preview = make_preview(parent, plan)
    if preview is not None:
        preview.exec()
        preview.deleteLater()


def export_pdf(parent: QWidget, plan: Plan, folder: str | os.PathLike | None = None) -> None:
    """File › Export PDF: page setup, then a file name (in ``folder``, the plan's), then a vector PDF."""
    dialog = PageSetupDialog(parent, plan, _initial_setup(plan), title=_t("setup.pdf_title"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    setup = dialog.setup()
    _remember(plan, setup)
    path = _ask_path(parent, _t("save_pdf"), _default_name(plan, ".pdf"), _t("filter.pdf"), ".pdf", folder)
    if path is None:
        return
    try:
        with _Busy():
            write_pdf(plan, path, setup=setup)
    except (PlanWriteError, OSError, ValueError) as exc:
        _show_error(parent, _t("error.title"), exc, path)


def export_image(parent: QWidget, plan: Plan, folder: str | os.PathLike | None = None) -> None:
    """File › Export Image: .png at a chosen resolution or .svg (saved in ``folder``, the plan's, by default)."""
    dialog = PageSetupDialog(parent, plan, _initial_setup(plan, image=True), title=_t("setup.image_title"),
                             image=True, dpi=int(_session.get("dpi", 150)),
                             image_format=str(_session.get("image_format", "png")))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    setup, fmt, dpi = dialog.setup(), dialog.chosen_format(), dialog.chosen_dpi()
    _remember(plan, setup, image=True)
    _session.update(dpi=dpi, image_format=fmt)
    ext = f".{fmt}"
    path = _ask_path(parent, _t("save_image"), _default_name(plan, ext), _t(f"filter.{fmt}"), ext, folder)
    if path is None:
        return
    try:
        with _Busy():
            written = write_png(plan, path, dpi=dpi, setup=setup) if fmt == "png" else write_svg(plan, path, setup=setup)
    except (PlanWriteError, OSError, ValueError) as exc:
        _show_error(parent, _t("error.title"), exc, path)
        return
    if len(written) > 1:
        files = "\n".join(p.name for p in written[:8]) + ("\n…" if len(written) > 8 else "")
        QMessageBox.information(parent, _t("done.title"), _t("done.images", n=len(written), files=files))

