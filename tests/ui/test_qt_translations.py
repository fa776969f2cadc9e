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
