"""The Japanese font printed sheets use, found through QFontDatabase.

Without a Japanese font Qt would print empty boxes (tofu) for every kanji, so we refuse
with a clear message instead.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from dxroadmap.io.errors import PlanWriteError

__all__ = ["CANDIDATES", "NoJapaneseFontError", "find_japanese_font", "make_font"]

# Preferred families, best first.
CANDIDATES = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAexゴシック", "IPAGothic",
              "Yu Gothic", "游ゴシック", "Meiryo", "メイリオ", "Hiragino Sans", "Source Han Sans JP")


class NoJapaneseFontError(PlanWriteError):
    """No installed font can draw Japanese text."""

    def __init__(self) -> None:
        super().__init__(
            "no-japanese-font",
            "No Japanese font installed: install fonts-noto-cjk (or IPAexGothic) and try again; "
            "without one the sheet would print empty boxes instead of Japanese text.",
            "日本語フォントがインストールされていません。fonts-noto-cjk（または IPAex ゴシック）を"
            "インストールしてからやり直してください。",
        )


def _installed_families() -> list[str]:
    """Families able to write Japanese (needs a QGuiApplication)."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))


_cache: dict[str, str] = {}


def find_japanese_font() -> str:
    """The family name of the best installed Japanese font; :class:`NoJapaneseFontError` if none."""
    families = _installed_families()
    if "family" in _cache and _cache["family"] in families:
        return _cache["family"]
    chosen = next((name for name in CANDIDATES if name in families), None)
    if chosen is None:
        # Any other family Qt says writes Japanese, preferring sans-serif ("Gothic") faces.
        ranked = sorted(families, key=lambda f: (not any(w in f for w in ("Gothic", "ゴシック", "Sans")), f))
        chosen = ranked[0] if ranked else None
    if chosen is None:
        raise NoJapaneseFontError()
    _cache["family"] = chosen
    return chosen


def make_font(family: str, size: float, bold: bool = False) -> QFont:
    """A font ``size`` layout units high (pixel size, so metrics do not depend on screen DPI)."""
    font = QFont(family)
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(False)
    return font
