"""Qt's own (non-native) file dialogs made readable: room for long Japanese file names.

Where the platform has no native file dialog (Linux desktops without a platform theme,
remote sessions), Qt shows its widget dialog: 644×416 pixels, the name column cut to
「松前町ＤＸ推進計画ロ…度）最終版.xlsx」, the type column to 「Mic…eet」, the sidebar's
「コンピューター」 clipped. :class:`FileDialogTuner` is an application-wide event filter
that, when such a dialog is first shown, gives it a readable size, the detail view and
columns sized to their contents (the name first, up to 60 % of the list) and a sidebar
wide enough for its entries. Native dialogs
(Windows, macOS) are never touched: they have no widgets to tune. Every static call
(``QFileDialog.getSaveFileName`` …) goes through it, so call sites stay plain.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QHeaderView, QListView, QSplitter, QTreeView

__all__ = ["FileDialogTuner", "install_file_dialog_tuning", "tune_file_dialog", "MIN_SIZE"]

MIN_SIZE = (960, 600)  # logical pixels; never more than 90 % of the screen
_TUNED = "dxroadmapTuned"


def tune_file_dialog(dialog: QFileDialog) -> bool:
    """Size ``dialog`` and its columns for reading; False (nothing done) for a native dialog."""
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is None:
        return False
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    w, h = MIN_SIZE
    if screen is not None:
        avail = screen.availableGeometry()
        w, h = min(w, int(avail.width() * 0.9)), min(h, int(avail.height() * 0.9))
    if dialog.width() < w or dialog.height() < h:
        dialog.resize(max(dialog.width(), w), max(dialog.height(), h))
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    header = tree.header()
    header.setMinimumSectionSize(60)
    header.setStretchLastSection(True)
    room = max(tree.viewport().width(), dialog.width() // 2)
    for column in range(header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        tree.resizeColumnToContents(column)
    # the name first: as wide as the longest name, up to 60 % of the list (a very long name scrolls)
    header.resizeSection(0, min(max(header.sectionSize(0), 240), int(room * 0.6)))
    sidebar = dialog.findChild(QListView, "sidebar")
    splitter = dialog.findChild(QSplitter, "splitter")
    if sidebar is not None and splitter is not None and splitter.count() == 2:
        need = min(sidebar.sizeHintForColumn(0) + 2 * sidebar.frameWidth() + 12, w // 3)
        sizes = splitter.sizes()
        if sizes[0] < need:
            splitter.setSizes([need, max(sum(sizes) - need, 1)])
    return True


class FileDialogTuner(QObject):
    """Tunes each widget-based QFileDialog once, when it is first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog) and not watched.property(_TUNED):
            watched.setProperty(_TUNED, True)
            tune_file_dialog(watched)
            # the model fills in asynchronously: fit the contents columns again once rows are there
            QTimer.singleShot(300, watched, lambda d=watched: tune_file_dialog(d))
        return False


_tuner: FileDialogTuner | None = None


def install_file_dialog_tuning(app: QApplication) -> FileDialogTuner:
    """Install the tuner on ``app`` (once); returns it."""
    global _tuner
    if _tuner is None or _tuner.parent() is not app:
        _tuner = FileDialogTuner(app)
        app.installEventFilter(_tuner)
    return _tuner
