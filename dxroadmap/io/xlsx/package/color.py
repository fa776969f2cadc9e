"""Colours of an .xlsx package: the theme's colour scheme and the arithmetic that derives shades.

One parser for the theme part (``a:clrScheme`` → ``{slot: "RRGGBB"}``), used by the cell
reader (fills that name a theme slot and a tint) and the drawing reader (``a:schemeClr``
with ``lumMod``/``lumOff``/``shade``/``tint``). Luminance changes are made in HLS the way
Office makes them; a cell tint is a luminance change too (darker: ``lum·(1+tint)``,
lighter: ``lum·(1−tint)+tint``).
"""

from __future__ import annotations

import colorsys
import math
import re
import zipfile
from xml.etree.ElementTree import Element

from dxroadmap.io.xlsx.package.ns import NS_A, REL_THEME
from dxroadmap.io.xlsx.package.parts import part_relationships, read_xml_part, workbook_part

__all__ = [
    "THEME_SLOTS", "DEFAULT_THEME", "RGB", "parse_theme", "theme_from_xml", "read_theme", "palette_of",
    "apply_tint", "apply_mods", "element_rgb", "to_hex",
]

RGB = tuple[float, float, float]   # components 0..1

# Theme slots in the order cell fills number them (theme="0" is lt1 … theme="9" is accent6).
THEME_SLOTS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink")
# Office's default theme, used for the slots a workbook's theme does not give.
DEFAULT_THEME = dict(zip(THEME_SLOTS, ("FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5",
                                       "FFC000", "5B9BD5", "70AD47", "0563C1", "954F72")))

_A = f"{{{NS_A}}}"
_HEX6 = re.compile(r"[0-9A-Fa-f]{6}")
_SCHEME_ALIAS = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}
_SYSTEM = {"windowText": "000000", "window": "FFFFFF"}
_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
           "yellow": "FFFF00", "gray": "808080", "grey": "808080", "orange": "FFA500", "cyan": "00FFFF",
           "magenta": "FF00FF", "lime": "00FF00", "navy": "000080", "silver": "C0C0C0"}


# ---------------------------------------------------------------- the theme

def parse_theme(root: Element | None) -> dict[str, str]:
    """``{slot name: "RRGGBB"}`` of a theme part's colour scheme (slots without a usable colour left out)."""
    out: dict[str, str] = {}
    scheme = root.find(f".//{_A}clrScheme") if root is not None else None
    if scheme is None:
        return out
    for slot in scheme:
        if not len(slot):
            continue
        colour = slot[0]
        val = colour.get("lastClr") if colour.tag == f"{_A}sysClr" else colour.get("val")
        if val and _HEX6.fullmatch(val):
            out[slot.tag.rsplit("}", 1)[-1]] = val.upper()
    return out


def theme_from_xml(theme_xml: bytes | None) -> dict[str, str]:
    """:func:`parse_theme` of a theme part's bytes ({} when absent or broken)."""
    if not theme_xml:
        return {}
    import defusedxml.ElementTree as DET

    try:
        root = DET.fromstring(theme_xml, forbid_dtd=True)
    except Exception:  # a broken (or hostile) theme only costs exact colours
        return {}
    return parse_theme(root)


def read_theme(zf: zipfile.ZipFile, label: str) -> dict[str, str]:
    """:func:`parse_theme` of the workbook's theme part, found through the workbook's relationships."""
    wb = workbook_part(zf, label)
    if wb is None:
        return {}
    theme = next((t for ty, t in part_relationships(zf, wb, label).values() if ty.endswith(REL_THEME)), None)
    return parse_theme(read_xml_part(zf, theme, label=label) if theme else None)


def palette_of(theme: dict[str, str]) -> list[str]:
    """Theme colours in fill-index order (:data:`THEME_SLOTS`), Office's defaults where the theme gives none."""
    return [theme.get(slot, DEFAULT_THEME[slot]) for slot in THEME_SLOTS]


# ---------------------------------------------------------------- arithmetic

def _luminance(rgb: RGB, scale: float, offset: float = 0.0) -> RGB:
    """``rgb`` with its HLS luminance made ``lum·scale + offset`` (clamped to 0..1)."""
    h, lum, s = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(h, min(max(lum * scale + offset, 0.0), 1.0), s)


def apply_tint(rgb: str, tint: float) -> str:
    """A cell colour's tint (−1 darker … +1 lighter) applied to ``RRGGBB``, as ``RRGGBB``."""
    base = tuple(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    out = _luminance(base, 1 + tint) if tint < 0 else _luminance(base, 1 - tint, tint)  # type: ignore[arg-type]
    return "".join(f"{round(v * 255):02X}" for v in out)


def apply_mods(rgb: RGB, mods: Element) -> RGB:
    """The DrawingML colour transforms under a colour element (lumMod, lumOff, shade, tint) applied in order."""
    r, g, b = rgb
    for mod in mods:
        name = mod.tag.rsplit("}", 1)[-1]
        val = (_number(mod.get("val"), 100000)) / 100000
        if name == "lumMod":
            r, g, b = _luminance((r, g, b), val)
        elif name == "lumOff":
            r, g, b = _luminance((r, g, b), 1.0, val)
        elif name == "shade":
            r, g, b = r * val, g * val, b * val
        elif name == "tint":
            r, g, b = (c + (1 - c) * (1 - val) for c in (r, g, b))
    return tuple(min(max(c, 0.0), 1.0) for c in (r, g, b))  # type: ignore[return-value]


def _number(text: str | None, default: float) -> float:
    """A finite number from an attribute, else ``default``."""
    try:
        value = float(text) if text is not None else default
    except (ValueError, TypeError):
        return default
    return value if math.isfinite(value) else default


# ---------------------------------------------------------------- colour elements

def element_rgb(parent: Element | None, theme: dict[str, str], placeholder: str | None = None) -> RGB | None:
    """RGB (0..1) of the first DrawingML colour element under ``parent`` (None if there is none).

    ``schemeClr`` is looked up in ``theme`` (tx1/bg1/tx2/bg2 are dk1/lt1/dk2/lt2); ``phClr`` takes
    ``placeholder`` ("#RRGGBB", the colour of the style that refers to it).
    """
    if parent is None:
        return None
    for c in parent:
        name = c.tag.rsplit("}", 1)[-1]
        hexval: str | None = None
        if name == "srgbClr":
            hexval = c.get("val")
        elif name == "sysClr":
            hexval = c.get("lastClr") or _SYSTEM.get(c.get("val", ""))
        elif name == "schemeClr":
            val = c.get("val", "")
            if val == "phClr":
                hexval = placeholder.lstrip("#") if placeholder else None
            else:
                hexval = theme.get(_SCHEME_ALIAS.get(val, val))
        elif name == "prstClr":
            hexval = _PRESET.get(c.get("val", ""))
        elif name == "scrgbClr":
            parts = [_number(c.get(k), 0) / 100000 for k in ("r", "g", "b")]
            hexval = "".join(f"{round(min(max(p, 0), 1) ** (1 / 2.2) * 255):02X}" for p in parts)
        else:
            continue
        if not hexval or len(hexval) != 6:
            return None
        try:
            rgb = tuple(int(hexval[i:i + 2], 16) / 255 for i in (0, 2, 4))
        except ValueError:
            return None
        return apply_mods(rgb, c)  # type: ignore[arg-type]
    return None


def to_hex(rgb: RGB | None) -> str | None:
    """``#RRGGBB`` of an RGB (0..1) colour; None stays None."""
    return None if rgb is None else "#{:02X}{:02X}{:02X}".format(*(round(v * 255) for v in rgb))
