"""Colours as plans store them (``#RRGGBB``) and the one rule for text drawn on a coloured bar.

The timeline, the printed sheet and the Excel workbook all ask :func:`text_color_on` which
colour a bar's label takes, so a bar reads the same on screen, on paper and in Excel; the
timeline and the printed sheet ask :func:`bar_text` what a bar says.
"""

from __future__ import annotations

from dxroadmap.model.plan import Phase, PhaseKind

__all__ = ["DARK_TEXT", "LIGHT_TEXT", "parse_hex", "relative_luminance", "contrast_ratio", "text_color_on",
           "bar_text"]

DARK_TEXT = "#1A1A1A"
LIGHT_TEXT = "#FFFFFF"


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#RRGGBB``, ``RRGGBB``, ``#RGB`` or ``AARRGGBB`` (Excel's ARGB) → (r, g, b) in 0–255.

    Raises ValueError for anything else.
    """
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    elif len(text) == 8:  # ARGB as Excel and openpyxl write it
        text = text[2:]
    if len(text) != 6:
        raise ValueError(f"not a colour: {color!r}")
    value = int(text, 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of ``color`` (0 black … 1 white)."""

    def lin(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = parse_hex(color)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 … 21)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def text_color_on(fill: str) -> str:
    """:data:`LIGHT_TEXT` or :data:`DARK_TEXT`, whichever contrasts more with ``fill``."""
    return LIGHT_TEXT if contrast_ratio(fill, LIGHT_TEXT) > contrast_ratio(fill, DARK_TEXT) else DARK_TEXT


def bar_text(phase: Phase) -> str:
    """What a phase's bar says, on screen and in print: its label, else its kind (検討, 導入…).

    A phase of kind その他 without a label says nothing: the legend names its colour.
    """
    if phase.label:
        return phase.label
    return "" if phase.kind is PhaseKind.CUSTOM else phase.kind.label_ja
