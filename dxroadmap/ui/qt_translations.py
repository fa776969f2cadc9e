"""Qt's own texts (standard buttons, file dialogs, print preview) in the UI language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

__all__ = ["apply_qt_language"]

_installed: list[QTranslator] = []


def apply_qt_language(lang: str) -> bool:
    """Install Qt's translation for ``lang`` ("ja" | "en") in the running application.

    Returns whether a translation is active afterwards (English needs none). Without a
    QCoreApplication nothing happens.
    """
    app = QCoreApplication.instance()
    if app is None:
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang != "ja":
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", folder):
        app.installTranslator(translator)
        _installed.append(translator)
        return True
    return False
