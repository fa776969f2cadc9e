"""Start the editor: ``run(path)`` makes the QApplication, the main window, opens ``path`` and runs."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

__all__ = ["run", "make_application", "japanese_font_family"]

_JAPANESE_FAMILIES = ("Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI", "Meiryo UI", "Meiryo", "Hiragino Sans",
                      "IPAexGothic", "IPAGothic", "TakaoGothic", "VL Gothic")


def japanese_font_family() -> str | None:
    """The first installed font family that draws Japanese well (Noto Sans CJK JP when present)."""
    families = set(QFontDatabase.families())
    return next((f for f in _JAPANESE_FAMILIES if f in families), None)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists) with dxroadmap's names and a Japanese UI font."""
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("dxroadmap")
    app.setOrganizationName("dxroadmap")
    app.setApplicationDisplayName("dxroadmap")
    family = japanese_font_family()
    if family:
        font = QFont(app.font())
        font.setFamilies([family, *font.families()])
        app.setFont(font)
    from dxroadmap.ui.file_dialogs import install_file_dialog_tuning

    install_file_dialog_tuning(app)
    return app


def run(path: str | None = None) -> int:
    """Open the editor (with ``path`` if given) and run until the window closes; returns the exit status."""
    app = make_application()
    from dxroadmap.ui.main_window import MainWindow
    from dxroadmap.ui.preferences import load_preferences, settings
    from dxroadmap.ui.strings import set_language

    prefs = load_preferences()
    set_language(prefs.language)
    window = MainWindow(prefs=prefs)
    geometry = settings().value("window/geometry")
    if not isinstance(geometry, QByteArray) or geometry.isEmpty():
        window.resize(1500, 900)
    window.show()
    from dxroadmap.ui.file_guard import offer_recoveries

    restored = offer_recoveries(window)  # autosaves of a crashed session first
    if path and not (restored and window.file_guard.path is not None and Path(path).resolve() == Path(window.file_guard.path).resolve()):
        (window.open_file if restored else window.load_file)(path)
    return int(app.exec())
