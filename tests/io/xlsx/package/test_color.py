"""The one theme parser and the colour arithmetic shared by the cell and drawing readers."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from dxroadmap.io.xlsx.package.color import (
    DEFAULT_THEME,
    THEME_SLOTS,
    apply_mods,
    apply_tint,
    element_rgb,
    palette_of,
    theme_from_xml,
    to_hex,
)
from dxroadmap.io.xlsx.read.grid import theme_palette

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
THEME = f"""<a:theme xmlns:a="{A}"><a:themeElements><a:clrScheme name="x">
  <a:dk1><a:sysClr val="windowText" lastClr="111111"/></a:dk1>
  <a:lt1><a:sysClr val="window" lastClr="FEFEFE"/></a:lt1>
  <a:dk2><a:srgbClr val="1f497d"/></a:dk2>
  <a:accent1><a:srgbClr val="ZZZZZZ"/></a:accent1>
  <a:accent2><a:srgbClr val="C0504D"/></a:accent2>
</a:clrScheme></a:themeElements></a:theme>""".encode()


def test_theme_slots_from_the_theme_part():
    theme = theme_from_xml(THEME)
    assert theme == {"dk1": "111111", "lt1": "FEFEFE", "dk2": "1F497D", "accent2": "C0504D"}   # bad hex left out
    palette = palette_of(theme)
    assert palette[:6] == ["FEFEFE", "111111", DEFAULT_THEME["lt2"], "1F497D", DEFAULT_THEME["accent1"], "C0504D"]
    assert len(palette) == len(THEME_SLOTS)


def test_a_missing_or_broken_theme_gives_office_defaults():
    assert theme_palette(None) == [DEFAULT_THEME[s] for s in THEME_SLOTS]
    assert theme_palette(b"<not xml") == theme_palette(None)
    assert theme_palette(THEME)[3] == "1F497D"


def test_cell_tint_lightens_and_darkens_by_luminance():
    assert apply_tint("4472C4", 0.0) == "4472C4"
    assert apply_tint("000000", 0.5) == "808080"
    assert apply_tint("FFFFFF", -0.5) == "808080"
    assert apply_tint("4472C4", 0.3999) == "8FAADC"     # Excel shows 8EA9DB ("accent 1, lighter 40%"): one off
    assert apply_tint("4472C4", -0.2499) == "2F5597"    # Excel's "accent 1, darker 25%"


def test_drawing_colour_transforms():
    def colour(xml: str, theme=None, placeholder=None):
        return to_hex(element_rgb(fromstring(f'<p xmlns:a="{A}">{xml}</p>'), theme or {}, placeholder))

    theme = {"accent1": "4472C4", "dk1": "000000", "lt1": "FFFFFF"}
    assert colour('<a:schemeClr val="accent1"/>', theme) == "#4472C4"
    assert colour('<a:schemeClr val="tx1"/>', theme) == "#000000"          # tx1 is dk1
    assert colour('<a:schemeClr val="accent1"><a:lumMod val="60000"/><a:lumOff val="40000"/></a:schemeClr>',
                  theme) == "#8FAADC"                                         # "lighter 40%" as DrawingML writes it
    assert colour('<a:srgbClr val="FF0000"><a:shade val="50000"/></a:srgbClr>') == "#800000"
    assert colour('<a:srgbClr val="000000"><a:tint val="50000"/></a:srgbClr>') == "#808080"
    assert colour('<a:prstClr val="navy"/>') == "#000080"
    assert colour('<a:sysClr val="window"/>') == "#FFFFFF"
    assert colour('<a:schemeClr val="phClr"/>', theme, "#123456") == "#123456"
    assert colour('<a:schemeClr val="accent9"/>', theme) is None
    assert colour("") is None
    assert apply_mods((0.2, 0.4, 0.6), fromstring("<m/>")) == (0.2, 0.4, 0.6)
