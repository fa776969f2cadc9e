"""File › Print / Export PDF / Export Image as the main window calls them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from dxroadmap.render import fonts
from dxroadmap.ui import print_dialog
from dxroadmap.ui.print_dialog import PageSetupDialog, export_image, export_pdf, make_preview, print_preview

from ..render.plans import built_matsumae, generated


@pytest.fixture(autouse=True)
def _fresh_session():
    print_dialog._session.clear()
    yield
    print_dialog._session.clear()


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_preview_paints_every_page(qtbot, parent):
    plan = generated(60, pillars=2)
    preview = make_preview(parent, plan)
    assert isinstance(preview, QPrintPreviewDialog)
    qtbot.addWidget(preview)
    preview.show()  # non-modal here; the preview paints as it is shown
    qtbot.waitUntil(lambda: preview.property("dxroadmap_pages") > 1, timeout=10000)
    from dxroadmap.render.export import sheet_for

    assert preview.property("dxroadmap_pages") == len(sheet_for(plan).pages)
    preview.close()


def test_print_preview_opens_modal_and_closes(qtbot, parent):
    closed = []

    def close_it():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QPrintPreviewDialog):
            closed.append(dialog.property("dxroadmap_pages"))
            dialog.reject()
        else:
            QTimer.singleShot(50, close_it)

    QTimer.singleShot(50, close_it)
    print_preview(parent, built_matsumae())
    assert closed and closed[0] >= 1


def test_page_setup_dialog_builds_the_setup(qtbot, parent):
    plan = built_matsumae()
    dialog = PageSetupDialog(parent, plan, print_dialog._initial_setup(plan))
    qtbot.addWidget(dialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData("B4"))
    dialog.orientation.setCurrentIndex(dialog.orientation.findData("portrait"))
    dialog.show_summary.setChecked(False)
    dialog.pillar_per_page.setChecked(True)
    dialog.first_fy.setCurrentIndex(dialog.first_fy.findData(2024))
    dialog.year_style.setCurrentIndex(dialog.year_style.findText("R5"))
    setup = dialog.setup()
    assert setup.year_style.value == "era_short"
    assert (setup.paper, setup.orientation, setup.show_summary, setup.pillar_per_page) == ("B4", "portrait", False, True)
    assert setup.years(plan) == (2024, 2027)
    qtbot.waitUntil(lambda: dialog.pages.text() != "", timeout=5000)
    assert dialog.pages.text().endswith(" 4")  # four pillars, one page each
    dialog.last_fy.setCurrentIndex(dialog.last_fy.findData(2023))  # before the first year
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.problem.text()


def test_export_pdf_writes_the_chosen_file(qtbot, parent, tmp_path, monkeypatch):
    target = tmp_path / "roadmap"  # no extension typed: .pdf is added
    monkeypatch.setattr(PageSetupDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    export_pdf(parent, built_matsumae())
    out = tmp_path / "roadmap.pdf"
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        assert "1191 x 842" in info


def test_export_image_png_and_several_pages(qtbot, parent, tmp_path, monkeypatch):
    def accept_with(self):
        self.pillar_per_page.setChecked(True)
        self.dpi.setValue(72)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PageSetupDialog, "exec", accept_with)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "fig.png"), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    export_image(parent, built_matsumae())
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"fig-{k}.png" for k in range(1, 5)]
    assert shown and "fig-1.png" in shown[0]


def test_export_image_svg(qtbot, parent, tmp_path, monkeypatch):
    def accept_svg(self):
        self.format.setCurrentIndex(self.format.findData("svg"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PageSetupDialog, "exec", accept_svg)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "fig.svg"), ""))
    export_image(parent, generated(10))
    assert (tmp_path / "fig.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_errors_go_to_a_message_box(qtbot, parent, tmp_path, monkeypatch):
    monkeypatch.setattr(PageSetupDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "no-such-folder" / "x.pdf"), ""))
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: errors.append(a[2]))
    export_pdf(parent, generated(3))
    assert errors and "no-such-folder" in errors[0]

    errors.clear()
    monkeypatch.setattr(fonts, "_installed_families", lambda: [])
    monkeypatch.setattr(fonts, "_cache", {})
    assert make_preview(parent, generated(3)) is None
    assert errors and ("fonts-noto-cjk" in errors[0])
