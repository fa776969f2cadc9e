"""Qt's own texts (standard buttons, file dialogs, print preview) in the UI language.

Japanese comes from ``qtbase_ja`` in the PySide6 translations folder. That catalogue
leaves a few labels of Qt's file dialog in English (Look in, Files of type); a small
supplement, consulted only after ``qtbase_ja``, writes them in Japanese too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

__all__ = ["apply_qt_language", "FILE_DIALOG_JA"]

# (context, source) → Japanese, for what qtbase_ja does not translate
FILE_DIALOG_JA = {
    ("QFileDialog", "&Look in:"): "場所(&L):",
    ("QFileDialog", "Look in:"): "場所:",
    ("QFileDialogPrivate", "Look in:"): "場所:",
    ("QFileDialog", "Files of &type:"): "ファイルの種類(&T):",
    ("QFileDialog", "Files of type:"): "ファイルの種類:",
    ("QFileDialog", "File name:"): "ファイル名:",
    ("QFileDialog", "Computer"): "コンピューター",
    ("QFileDialog", "Directory"): "フォルダー",
}


class _Supplement(QTranslator):
    """Japanese for the strings listed in FILE_DIALOG_JA; nothing (so Qt keeps looking) for the rest."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1):  # noqa: ARG002
        return FILE_DIALOG_JA.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False


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
    # installed first, so consulted last: only where qtbase_ja has nothing
    supplement = _Supplement(app)
    app.installTranslator(supplement)
    _installed.append(supplement)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", folder):
        app.installTranslator(translator)
        _installed.append(translator)
        return True
    return False
