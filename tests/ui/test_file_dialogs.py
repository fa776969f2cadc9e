"""Qt's own file dialog is readable: long Japanese names not cut, columns fitted, a usable size."""

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeView

from dxroadmap.ui.app import make_application

LONG = "松前町ＤＸ推進計画ロードマップ（令和5年度～令和9年度）.xlsx"


def test_the_widget_file_dialog_shows_long_japanese_names_whole(qtbot, tmp_path):
    (tmp_path / LONG).write_bytes(b"")
    (tmp_path / "森町.json").write_bytes(b"{}")
    make_application()  # installs the tuner, as the editor does
    seen = {}

    def look():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible())
        tree = dialog.findChild(QTreeView, "treeView")
        qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) >= 2, timeout=5000)
        QApplication.processEvents()
        qtbot.wait(400)  # the tuner fits the columns again once the rows are in
        screen = dialog.screen().availableGeometry()
        seen.update(width=dialog.width(), height=dialog.height(), screen=screen,
                    mode=dialog.viewMode(), name_col=tree.header().sectionSize(0),
                    type_col=tree.header().sectionSize(2),
                    need=QFontMetrics(tree.font()).horizontalAdvance(LONG), view=tree.viewport().width())
        dialog.reject()

    QTimer.singleShot(300, look)
    QFileDialog.getOpenFileName(None, "開く", str(tmp_path), "ロードマップ (*.xlsx *.json)",
                                options=QFileDialog.Option.DontUseNativeDialog)
    assert seen, "the dialog never showed"
    assert seen["width"] >= min(960, int(seen["screen"].width() * 0.9)) - 1
    assert seen["mode"] == QFileDialog.ViewMode.Detail
    # the long name is whole, or takes the most the list can give it
    assert seen["name_col"] >= min(seen["need"] + 20, int(seen["view"] * 0.6)) - 2
    assert seen["type_col"] > 60
