"""``dxroadmap [FILE]`` starts the editor: the file opens, a bad file gives a dialog, exit status 0."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dxroadmap.io.plan_json import write_plan_json
from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.ui.app import japanese_font_family, run
from dxroadmap.ui.main_window import MainWindow
from dxroadmap.ui.strings import set_language


@pytest.fixture
def isolated(tmp_path, monkeypatch, qapp):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("DXROADMAP_DATA_DIR", str(tmp_path / "data"))  # run() offers this folder's crash autosaves
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    yield shown
    set_language("ja")


def run_and_close(path):
    """run(path), closing the window once it is up; returns (exit status, what the window showed)."""
    seen = {}

    def close():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, close)
            return
        window = windows[0]
        seen["title"] = window.windowTitle()
        seen["rows"] = len(window.rows())
        window.document.undo_stack.setClean()
        window.close()

    QTimer.singleShot(50, close)
    return run(path), seen


def test_run_opens_the_file_and_returns_zero(isolated, tmp_path):
    path = tmp_path / "町の計画.json"
    write_plan_json(Plan(title="町の計画", pillars=[Pillar("方針", [Initiative("取組")])]), path)
    status, seen = run_and_close(str(path))
    assert status == 0
    assert seen == {"title": "町の計画.json[*] — dxroadmap", "rows": 2}
    assert QApplication.instance().organizationName() == "dxroadmap"
    assert QApplication.instance().applicationName() == "dxroadmap"
    assert not isolated


def test_run_with_a_bad_file_explains_it_and_still_opens_the_editor(isolated, tmp_path):
    bad = tmp_path / "壊れた.json"
    bad.write_text("not json", encoding="utf-8")
    status, seen = run_and_close(str(bad))
    assert status == 0
    assert seen["title"] == "無題[*] — dxroadmap"
    assert len(isolated) == 1 and "壊れた.json" in isolated[0]


def test_a_japanese_font_is_chosen_when_installed(qapp):
    if not Path("/usr/share/fonts/opentype/noto").exists():
        pytest.skip("Noto CJK is not installed")
    assert japanese_font_family() == "Noto Sans CJK JP"


def test_the_screenshot_command_makes_the_import_preview(tmp_path, qapp):
    from pathlib import Path

    import pytest
    from PySide6.QtGui import QImage

    from dxroadmap.ui.screenshot import main

    shapes = Path("/work/shared/fixtures/s06_shapes_matsumae.xlsx")
    if not shapes.exists():
        pytest.skip("shared fixtures not present")
    main([str(shapes), str(tmp_path / "preview.png"), "900", "600", "--import-preview"])
    image = QImage(str(tmp_path / "preview.png"))
    assert image.width() == 900 and image.height() >= 600  # the dialog keeps its minimum height
