"""Preferences stored in QSettings (language, year style, quarter headings, snapping, autosave) and their dialog."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from dxroadmap.model.edits import Snap
from dxroadmap.model.wareki import YearStyle
from dxroadmap.ui.strings import LANGUAGES, language, tr

__all__ = ["Preferences", "load_preferences", "save_preferences", "PreferencesDialog", "settings",
           "recent_files", "add_recent_file", "clear_recent_files", "MAX_RECENT"]

MAX_RECENT = 10
_YEAR_STYLES = (YearStyle.ERA_WESTERN, YearStyle.ERA, YearStyle.ERA_SHORT, YearStyle.WESTERN)
QUARTER_LABELS = ("q", "months")  # the timeline's quarter headings: Q1 … Q4, or 4-6月 … 1-3月 as printed
_QUARTER_TEXT = {
    "ja": {"label": "四半期の見出し", "q": "Q1, Q2, Q3, Q4", "months": "4-6月, 7-9月（印刷と同じ）"},
    "en": {"label": "Quarter headings", "q": "Q1, Q2, Q3, Q4", "months": "Apr–Jun, Jul–Sep (as printed)"},
}


def _quarter_text(key: str) -> str:
    return _QUARTER_TEXT.get(language(), _QUARTER_TEXT["ja"])[key]


def settings() -> QSettings:
    """The application's settings (organisation and application name "dxroadmap")."""
    return QSettings("dxroadmap", "dxroadmap")


@dataclass
class Preferences:
    """What the user chose in the Preferences dialog."""

    language: str = "ja"
    year_style: YearStyle = YearStyle.ERA_WESTERN
    snap: Snap = Snap.MONTH
    autosave_minutes: int = 5  # 0 = off
    quarter_labels: str = "q"  # one of QUARTER_LABELS


def load_preferences() -> Preferences:
    """The stored preferences, with defaults for anything missing or unreadable."""
    s = settings()
    prefs = Preferences()
    lang = str(s.value("language", prefs.language))
    prefs.language = lang if lang in LANGUAGES else "ja"
    try:
        prefs.year_style = YearStyle(str(s.value("yearStyle", prefs.year_style.value)))
    except ValueError:
        pass
    prefs.snap = Snap.QUARTER if str(s.value("snap", "month")) == "quarter" else Snap.MONTH
    quarters = str(s.value("quarterLabels", prefs.quarter_labels))
    prefs.quarter_labels = quarters if quarters in QUARTER_LABELS else "q"
    try:
        prefs.autosave_minutes = max(0, min(120, int(s.value("autosaveMinutes", prefs.autosave_minutes))))
    except (TypeError, ValueError):
        pass
    return prefs


def save_preferences(prefs: Preferences) -> None:
    s = settings()
    s.setValue("language", prefs.language)
    s.setValue("yearStyle", prefs.year_style.value)
    s.setValue("snap", "quarter" if prefs.snap is Snap.QUARTER else "month")
    s.setValue("autosaveMinutes", int(prefs.autosave_minutes))
    s.setValue("quarterLabels", prefs.quarter_labels)
    s.sync()


def recent_files() -> list[str]:
    """Recently opened or saved files, newest first (at most MAX_RECENT)."""
    value = settings().value("recentFiles", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or []) if v][:MAX_RECENT]


def add_recent_file(path: str) -> list[str]:
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    s = settings()
    s.setValue("recentFiles", files)
    s.sync()
    return files


def clear_recent_files() -> None:
    s = settings()
    s.setValue("recentFiles", [])
    s.sync()


class PreferencesDialog(QDialog):
    """Language, 年度 style, drag snapping and the autosave interval."""

    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("pref.title"))
        form = QFormLayout()
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(tr(f"lang.{lang}"), lang)
        self.language.setCurrentIndex(LANGUAGES.index(prefs.language))
        self.year_style = QComboBox()
        for style in _YEAR_STYLES:
            self.year_style.addItem(tr(f"year.{style.value}"), style.value)
        self.year_style.setCurrentIndex(_YEAR_STYLES.index(prefs.year_style))
        self.quarter_labels = QComboBox()
        for key in QUARTER_LABELS:
            self.quarter_labels.addItem(_quarter_text(key), key)
        self.quarter_labels.setCurrentIndex(QUARTER_LABELS.index(prefs.quarter_labels)
                                            if prefs.quarter_labels in QUARTER_LABELS else 0)
        self.snap = QComboBox()
        self.snap.addItem(tr("pref.snap.month"), "month")
        self.snap.addItem(tr("pref.snap.quarter"), "quarter")
        self.snap.setCurrentIndex(1 if prefs.snap is Snap.QUARTER else 0)
        self.autosave = QSpinBox()
        self.autosave.setRange(0, 120)
        self.autosave.setSpecialValueText(tr("pref.autosave.off"))
        self.autosave.setSuffix(tr("pref.autosave.suffix"))
        self.autosave.setValue(prefs.autosave_minutes)
        for key, widget in (("pref.language", self.language), ("pref.year_style", self.year_style),
                            ("pref.snap", self.snap), ("pref.autosave", self.autosave)):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            form.addRow(label, widget)
            if widget is self.year_style:
                quarter_label = QLabel(_quarter_text("label"))
                quarter_label.setBuddy(self.quarter_labels)
                form.addRow(quarter_label, self.quarter_labels)
        note = QLabel(tr("pref.language_note"))
        note.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("OK")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn.cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        """The preferences as currently chosen in the dialog."""
        return Preferences(
            language=self.language.currentData(),
            year_style=YearStyle(self.year_style.currentData()),
            snap=Snap.QUARTER if self.snap.currentData() == "quarter" else Snap.MONTH,
            autosave_minutes=self.autosave.value(),
            quarter_labels=self.quarter_labels.currentData(),
        )
