"""Qt's standard buttons follow the UI language (「キャンセル」, not "Cancel", in Japanese)."""

from PySide6.QtWidgets import QDialogButtonBox

from dxroadmap.ui.strings import set_language


def test_standard_buttons_follow_the_language(qapp):
    try:
        set_language("ja")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "").startswith("キャンセル")
        set_language("en")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"
    finally:
        set_language("ja")


def test_qt_file_dialog_is_wholly_japanese(qapp):
    """Qt's own file dialog: no English label left (Look in, Files of type) once the UI is Japanese."""
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QLibraryInfo
    from PySide6.QtWidgets import QFileDialog, QLabel

    assert (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_ja.qm").exists()
    try:
        set_language("ja")
        dialog = QFileDialog(None, "開く", "", "ロードマップ (*.json)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert labels and all(not any("a" <= ch.lower() <= "z" for ch in t.replace("&", "").split("(")[0])
                              for t in labels), labels
        assert "場所(&L):" in labels and "ファイルの種類(&T):" in labels
        # strings qtbase_ja does translate still come from it, and unknown ones stay as written
        assert QCoreApplication.translate("QFileDialog", "Detail View") != "Detail View"
        assert QCoreApplication.translate("NoSuchContext", "Plain words") == "Plain words"
        dialog.deleteLater()
        set_language("en")
        assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Look in:"
    finally:
        set_language("ja")
