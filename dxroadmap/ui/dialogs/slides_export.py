"""File › スライドに書き出し / Webページに書き出し: the roadmap as PowerPoint slides or one web page.

The slides are editable shapes (:mod:`dxroadmap.io.pptx_export`, through
:func:`dxroadmap.formats.write_any`): offices present the roadmap in PowerPoint and fix a
word there. :class:`SlidesDialog` asks how to split the slides (a pillar per slide, or
filled by rows), how many initiative rows a slide holds, and whether to add a cover slide;
the choices are remembered for the session. The web page needs no options.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from dxroadmap.formats import write_any
from dxroadmap.io.errors import PlanWriteError
from dxroadmap.model.plan import Plan
from dxroadmap.ui.strings import error_text, tr

__all__ = ["SlidesDialog", "export_slides", "export_web_page", "safe_file_stem"]

_session: dict[str, object] = {"paginate": "pillar", "rows": 0, "cover": True}


def safe_file_stem(plan: Plan) -> str:
    """The plan title as a file name (characters Windows refuses replaced), or a neutral word."""
    base = (plan.title or tr("print.untitled")).strip()
    return "".join("_" if c in '\\/:*?"<>|' else c for c in base)[:80] or "roadmap"


class SlidesDialog(QDialog):
    """How to cut the roadmap into 16:9 slides."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("slides.title"))
        form = QFormLayout(self)
        self.paginate = QComboBox()
        self.paginate.addItem(tr("slides.by_pillar"), "pillar")
        self.paginate.addItem(tr("slides.by_rows"), "rows")
        self.paginate.setCurrentIndex(max(0, self.paginate.findData(_session["paginate"])))
        form.addRow(tr("slides.paginate"), self.paginate)
        self.rows = QSpinBox()
        self.rows.setRange(0, 60)
        self.rows.setSpecialValueText(tr("slides.rows_auto"))
        self.rows.setValue(int(_session["rows"]))
        form.addRow(tr("slides.rows"), self.rows)
        self.cover = QCheckBox(tr("slides.cover"))
        self.cover.setChecked(bool(_session["cover"]))
        form.addRow("", self.cover)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("slides.next"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn.cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> dict[str, object]:
        """The keyword options of the slide writer."""
        rows = self.rows.value()
        return {"paginate": self.paginate.currentData(), "rows_per_slide": rows or None,
                "title_slide": self.cover.isChecked()}


def _ask(parent: QWidget | None, title: str, plan: Plan, ext: str, file_filter: str,
         folder: str | os.PathLike | None) -> Path | None:
    name = safe_file_stem(plan) + ext
    start = str(Path(folder) / name) if folder and Path(folder).is_dir() else name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ext else target.with_name(target.name + ext)


def _write(parent: QWidget | None, plan: Plan, target: Path, **options: object) -> bool:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        write_any(plan, target, **options)
    except (PlanWriteError, OSError, ValueError) as exc:
        QGuiApplication.restoreOverrideCursor()
        reason = error_text(exc) if isinstance(exc, PlanWriteError) else str(getattr(exc, "strerror", None) or exc)
        QMessageBox.critical(parent, tr("print.error.title"), tr("file.write_failed", name=target.name, reason=reason))
        return False
    QGuiApplication.restoreOverrideCursor()
    return True


def export_slides(parent: QWidget | None, plan: Plan, folder: str | os.PathLike | None = None) -> Path | None:
    """Ask for the slide options and a file name (in ``folder``, the plan's), then write the .pptx."""
    dialog = SlidesDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    options = dialog.options()
    _session.update(paginate=options["paginate"], rows=options["rows_per_slide"] or 0, cover=options["title_slide"])
    target = _ask(parent, tr("slides.save_title"), plan, ".pptx", tr("slides.filter"), folder)
    if target is None:
        return None
    return target if _write(parent, plan, target, **options) else None


def export_web_page(parent: QWidget | None, plan: Plan, folder: str | os.PathLike | None = None) -> Path | None:
    """Ask for a file name (in ``folder``, the plan's) and write the roadmap as one accessible web page."""
    target = _ask(parent, tr("web.save_title"), plan, ".html", tr("web.filter"), folder)
    if target is None:
        return None
    return target if _write(parent, plan, target) else None
