"""Autoshapes, connectors, text boxes and pictures of each worksheet, placed on the cell grid.

openpyxl drops drawings when it loads a workbook, so this module reads the DrawingML parts
itself: workbook.xml → its relationships → each sheet part → the sheet's relationships →
its drawing part(s). Every object is placed in fractional 0-based columns and rows (3.25 =
a quarter into column D) using the sheet's own column widths and row heights, the way Excel
lays them out: a column ``w`` characters wide is trunc(((256·w + trunc(128/d))/256)·d) px,
where ``d`` is the maximum digit width of the workbook's default font (7 px for Calibri 11,
8 for 游ゴシック/ＭＳ Ｐゴシック 11, 9 for Meiryo UI 11); 1 px = 9525 EMU, 1 pt = 12700 EMU;
hidden columns and rows have no size. Because ``d`` cannot be measured without the font,
it is taken from a small table and then checked against the absolute positions Excel
stores beside each anchor (see :func:`_calibrated_digit_width`).

XML: drawings, rels, the theme and styles go through defusedxml; sheet parts are streamed
with an expat parser carrying defusedxml's guards and only the column and row attributes
are kept, reading rows only as far down as the drawing reaches. Shapes per drawing are
capped. Call :func:`dxroadmap.io.xlsx.package.preflight.check_workbook` first.
"""

from __future__ import annotations

import colorsys
import io
import math
import os
import zipfile
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.parsers import expat

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.package.preflight import (
    MAX_COLS,
    MAX_ROWS,
    part_relationships,
    read_xml_part,
    workbook_part,
    workbook_sheets,
)

__all__ = ["Shape", "read_sheet_shapes", "MAX_SHAPES_PER_DRAWING", "MAX_SHAPES_PER_WORKBOOK"]

MAX_SHAPES_PER_DRAWING = 20_000
MAX_SHAPES_PER_WORKBOOK = 100_000
MAX_DRAWING_PART = 32 << 20          # one drawing part (20,000 shapes take ~30 MB)
MAX_DRAWING_BYTES = 256 << 20        # all drawing parts of a workbook
MAX_GROUP_DEPTH = 32
EMU_PER_PX = 9525
EMU_PER_PT = 12700
MAX_DIGIT_WIDTH = 7          # px, Calibri 11 (the README's "7·chars + 5")
DEFAULT_ROW_PT = 15.0

NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_DRAWING = "/drawing"
REL_THEME = "/theme"

# Namespaces whose mc:Choice content we understand (everything else takes mc:Fallback).
_KNOWN_NS = {
    NS_XDR, NS_A, NS_MC,
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.microsoft.com/office/drawing/2010/main",          # a14
    "http://schemas.microsoft.com/office/drawing/2014/main",          # a16
}

_X = f"{{{NS_XDR}}}"
_A = f"{{{NS_A}}}"
_MC = f"{{{NS_MC}}}"
_LINE_PRESETS = {"line", "straightConnector1"} | {f"{k}Connector{n}" for k in ("bent", "curved") for n in range(2, 6)}


@dataclass(frozen=True)
class Shape:
    """One drawing object of a sheet, placed on the grid.

    ``col0 <= col1`` and ``row0 <= row1`` always (flips and rotation already applied).
    For lines and connectors ``head_end`` is an arrowhead at the end that lies at the left
    (``col0``; the top for a vertical line) and ``tail_end`` one at the other end, whatever
    the flips and rotation in the file.
    """

    kind: str        # DrawingML prst geometry ("rect", "rightArrow", "line"…); "textbox", "picture",
                     # "custom" (custGeom), "graphicFrame" (charts and other frames)
    text: str        # all paragraphs' text joined with "\n", stripped
    col0: float      # 0-based fractional column of the left edge (3.25 = ¼ into column D)
    col1: float      # right edge
    row0: float      # top edge (0-based fractional row)
    row1: float      # bottom edge
    fill: str | None  # "#RRGGBB"; schemeClr resolved via the theme; None for no fill
    head_end: bool   # arrowhead at the line's head (see the class docstring)
    tail_end: bool
    in_group: bool
    hidden: bool     # cNvPr hidden="1" (or inside a hidden group)
    line: str | None = None  # outline / line colour "#RRGGBB", None when there is none


# ---------------------------------------------------------------- sheet grid

def column_pixels(width: float, mdw: int = MAX_DIGIT_WIDTH) -> int:
    """Excel's pixel width of a column ``width`` characters wide, for a font whose digits are ``mdw`` px."""
    return max(0, math.trunc(((256 * width + math.trunc(128 / mdw)) / 256) * mdw))


class _Axis:
    """Sizes (EMU) of columns or rows with lazily built prefix sums, for index ↔ EMU conversion.

    ``feed(i)``, when given, is called before the sizes of indexes up to ``i`` are used, so
    row heights can be streamed from the sheet only as far as a drawing needs them.
    """

    def __init__(self, default: int, sizes: dict[int, int], limit: int, feed=None) -> None:
        self.default = default
        self.sizes = sizes
        self.limit = limit
        self.feed = feed
        self.prefix = [0]   # prefix[i] = EMU of the start of index i

    def _extend_to(self, index: int) -> None:
        index = min(index, self.limit)
        prefix = self.prefix
        if len(prefix) > index:
            return
        if self.feed is not None:
            self.feed(index)
        sizes, default = self.sizes, self.default
        while len(prefix) <= index:
            prefix.append(prefix[-1] + sizes.get(len(prefix) - 1, default))

    def start(self, index: int) -> int:
        index = max(0, min(int(index), self.limit))
        self._extend_to(index)
        return self.prefix[index]

    def emu(self, index: int, offset: int) -> int:
        return self.start(index) + offset

    def frac(self, emu: float) -> float:
        """Fractional index of an EMU position (zero-size indexes are skipped over)."""
        if emu <= 0:
            return 0.0
        prefix = self.prefix
        while prefix[-1] <= emu and len(prefix) <= self.limit:
            self._extend_to(min(self.limit, len(prefix) * 2 + 64))
        i = bisect_right(prefix, emu) - 1          # last start <= emu
        if i >= len(prefix) - 1:                   # beyond the grid
            i = len(prefix) - 1
            size = self.sizes.get(i, self.default) or 1
            return i + (emu - prefix[i]) / size
        size = prefix[i + 1] - prefix[i]
        return i + ((emu - prefix[i]) / size if size else 0.0)


@dataclass
class _Grid:
    cols: _Axis
    rows: _Axis


def _float(text: str | None, default: float | None = None) -> float | None:
    """A finite number from an attribute, else ``default`` (NaN and infinities are refused)."""
    try:
        value = float(text) if text is not None else default
    except (ValueError, TypeError):
        return default
    return value if value is None or math.isfinite(value) else default


_PARSE_ERRORS = (DefusedXmlException, DET.ParseError, expat.ExpatError, LookupError, ValueError, zipfile.BadZipFile,
                 zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


def _unsafe_part(label: str, part: str) -> PlanReadError:
    return PlanReadError(
        "not-a-workbook",
        f"{label} is not an Excel workbook (.xlsx): its part {part} contains XML declarations (DTD or "
        "entities) that Excel never writes, so it was refused for safety.",
        f"{label} は Excel ブック（.xlsx）ではありません。内部の {part} に Excel が書かない XML 宣言"
        "（DTD・エンティティ）があるため、安全のため読み込みません。")


def _guarded_expat(start) -> "expat.XMLParserType":
    """An expat parser with defusedxml's guards: DTDs, entity declarations and external references raise."""
    parser = expat.ParserCreate(namespace_separator="}")

    def doctype(name, sysid, pubid, has_internal_subset):
        raise DTDForbidden(name, sysid, pubid)

    def entity(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)

    def unparsed(name, base, sysid, pubid, notation_name):
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)

    def external(context, base, sysid, pubid):
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = unparsed
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.buffer_text = True
    return parser


class _SheetLayout:
    """Column widths (read up to <sheetData>) and row heights (streamed on demand) of one sheet part.

    The part is fed in 64 kB chunks to an expat parser guarded exactly as defusedxml guards
    it (any DTD, entity declaration or external reference raises defusedxml's own
    exceptions); only the start tags of sheetFormatPr, col and row are looked at, so no
    element tree is built for the cells (the pure-Python defusedxml tree builder is ~5× slower).
    """

    CHUNK = 64 << 10

    def __init__(self, zf: zipfile.ZipFile, part: str, label: str = "workbook") -> None:
        self.part, self.label = part, label
        self.base_width = 8.0
        self.default_width: float | None = None      # characters, from defaultColWidth
        self.default_row_pt = DEFAULT_ROW_PT
        self.rows_hidden_by_default = False
        self.col_ranges: list[tuple[int, int, float | None, bool]] = []   # (min, max, width, hidden)
        self.row_sizes: dict[int, int] = {}
        self._next_row = 0
        self._last_read = -1
        self._in_data = False
        self._done = False
        self._handle = None
        self._parser = None
        try:
            self._handle = zf.open(part)
            self._parser = _guarded_expat(self.start)
            while not self._in_data and self._pump():
                pass
        except DefusedXmlException:
            self.close()
            raise _unsafe_part(label, part) from None
        except _PARSE_ERRORS:
            self.close()

    # parser handlers ----------------------------------------------------
    def start(self, name: str, attrib: dict[str, str]) -> None:
        end = name[-2:]
        if end == "}c" or end == "}v" or end == "}f":
            return            # cells, values, formulas: the bulk of a sheet, never needed here
        tag = name[name.rfind("}") + 1:]
        if tag == "row":
            r = _float(attrib.get("r"))
            row = int(r) - 1 if r else self._next_row
            self._next_row = row + 1
            self._last_read = max(self._last_read, row)
            ht = _float(attrib.get("ht"))
            if attrib.get("hidden") in ("1", "true"):
                self.row_sizes[row] = 0
            elif ht is not None:
                self.row_sizes[row] = round(ht * EMU_PER_PT)
            elif self.rows_hidden_by_default:
                self.row_sizes[row] = round(self.default_row_pt * EMU_PER_PT)
        elif tag == "sheetData":
            self._in_data = True
        elif tag == "col" and not self._in_data:
            lo = int(_float(attrib.get("min"), 1) or 1)
            hi = int(_float(attrib.get("max"), lo) or lo)
            lo, hi = max(1, lo), min(MAX_COLS, max(lo, hi))
            self.col_ranges.append((lo, hi, _float(attrib.get("width")), attrib.get("hidden") in ("1", "true")))
        elif tag == "sheetFormatPr":
            self.base_width = _float(attrib.get("baseColWidth"), 8.0) or 8.0
            self.default_width = _float(attrib.get("defaultColWidth"))
            self.default_row_pt = _float(attrib.get("defaultRowHeight"), DEFAULT_ROW_PT) or DEFAULT_ROW_PT
            self.rows_hidden_by_default = attrib.get("zeroHeight") in ("1", "true")

    def close(self) -> None:
        self._done = True
        self._parser = None
        if self._handle is not None:
            try:
                self._handle.close()
            except OSError:
                pass
            self._handle = None

    # --------------------------------------------------------------------
    def _pump(self) -> bool:
        """Feed one chunk; False once the part (or its sheetData) is finished."""
        if self._done or self._parser is None or self._handle is None:
            return False
        chunk = self._handle.read(self.CHUNK)
        if not chunk:
            self.close()
            return False
        self._parser.Parse(chunk, False)
        return not self._done

    def columns(self, mdw: int) -> _Axis:
        if self.default_width is not None:
            default_px = column_pixels(self.default_width, mdw)
        else:
            default_px = math.ceil((self.base_width * mdw + 5) / 8) * 8
        default = default_px * EMU_PER_PX
        sizes: dict[int, int] = {}
        for lo, hi, width, hidden in self.col_ranges:
            size = 0 if hidden else default if width is None else column_pixels(width, mdw) * EMU_PER_PX
            if size != default:
                sizes.update((c, size) for c in range(lo - 1, hi))
            else:
                for c in range(lo - 1, hi):
                    sizes.pop(c, None)
        return _Axis(default, sizes, MAX_COLS)

    def rows(self) -> _Axis:
        default = 0 if self.rows_hidden_by_default else round(self.default_row_pt * EMU_PER_PT)
        return _Axis(default, self.row_sizes, MAX_ROWS, self._feed)

    def _feed(self, index: int) -> None:
        """Read <row> start tags until one after ``index`` (or the end of sheetData)."""
        try:
            while self._last_read <= index and self._pump():
                pass
        except DefusedXmlException:
            self.close()
            raise _unsafe_part(self.label, self.part) from None
        except _PARSE_ERRORS:
            self.close()   # keep what was read: a damaged tail changes nothing above it


def _default_font(zf: zipfile.ZipFile, label: str) -> tuple[str, float] | None:
    """(name, size) of the first font in styles.xml — the Normal style's — read from the part's head."""
    wb = workbook_part(zf, label)
    styles = next((t for ty, t in part_relationships(zf, wb, label).values() if ty.endswith("/styles")),
                  None) if wb else None
    if styles is None or styles not in zf.NameToInfo:
        return None
    found: dict[str, str] = {}
    state = {"in_font": False, "done": False}

    def start(name: str, attrib: dict[str, str]) -> None:
        tag = name[name.rfind("}") + 1:]
        if tag == "font" and not state["done"]:
            state["in_font"] = True
        elif state["in_font"] and tag in ("name", "sz") and "val" in attrib:
            found[tag] = attrib["val"]
        if tag in ("fills", "cellXfs", "numFmts") and state["in_font"]:
            state["done"] = True

    def end(name: str) -> None:
        if name[name.rfind("}") + 1:] == "font" and state["in_font"]:
            state["in_font"], state["done"] = False, True

    parser = _guarded_expat(start)
    parser.EndElementHandler = end
    try:
        with zf.open(styles) as handle:
            for _ in range(64):                      # at most 4 MB of styles before the first font
                chunk = handle.read(65536)
                if not chunk:
                    break
                parser.Parse(chunk, False)
                if state["done"]:
                    break
    except DefusedXmlException:
        raise _unsafe_part(label, styles) from None
    except _PARSE_ERRORS:
        pass
    if "name" not in found:
        return None
    return found["name"], _float(found.get("sz"), 11.0) or 11.0


def _default_digit_width(zf: zipfile.ZipFile, label: str) -> int:
    """Maximum digit width (px) of the workbook's default font (7 = Calibri 11, also the fallback)."""
    font = _default_font(zf, label)
    if font is None:
        return MAX_DIGIT_WIDTH
    name = font[0].replace(" ", "").replace("\u3000", "").lower()
    at_11 = next((px for key, px in _DIGIT_WIDTH_AT_11 if key in name), MAX_DIGIT_WIDTH)
    return max(1, round(at_11 * font[1] / 11))


# Maximum digit width at 11 pt of common default fonts (Excel's column unit depends on it).
_DIGIT_WIDTH_AT_11 = (("meiryo", 9), ("メイリオ", 9), ("yugothic", 8), ("游ゴシック", 8), ("yumincho", 8),
                      ("游明朝", 8), ("ｍｓｐゴシック", 8), ("msｐゴシック", 8), ("mspgothic", 8), ("ｍｓゴシック", 8),
                      ("msgothic", 8), ("ｍｓｐ明朝", 8), ("ｍｓ明朝", 8), ("calibri", 7), ("aptos", 7), ("arial", 7),
                      ("ゴシック", 8), ("明朝", 8), ("gothic", 8), ("mincho", 8))


def _calibrated_digit_width(layout: _SheetLayout, root: Element, prefixes: dict[str, str], fallback: int) -> int:
    """The digit width that makes the anchors' cells agree with the EMU positions Excel stored.

    Excel writes both the cell anchor and the absolute xfrm of each top-level object; the
    column widths in pixels depend on the default font, which we cannot measure. The
    candidate under which the two agree (median error ≤ 1.5 px) wins; otherwise ``fallback``.
    """
    pairs: list[tuple[int, int, int]] = []     # (marker col, colOff, xfrm x) for left and right edges
    for anchor in _expand(list(root), prefixes):
        if anchor.tag != f"{_X}twoCellAnchor":
            continue
        for obj in _expand(list(anchor), prefixes):
            props = obj.find(f"{_X}spPr")
            if props is None:
                props = obj.find(f"{_X}grpSpPr")
            xf = _xfrm(props) if props is not None else None
            if xf is None or xf[4] % 180:
                continue
            frm, to = anchor.find(f"{_X}from"), anchor.find(f"{_X}to")
            if frm is None or to is None:
                continue
            pairs.append((_int(frm.find(f"{_X}col")), _int(frm.find(f"{_X}colOff")), xf[0][0]))
            pairs.append((_int(to.find(f"{_X}col")), _int(to.find(f"{_X}colOff")), xf[0][0] + xf[1][0]))
            break
        if len(pairs) >= 400:
            break
    if not pairs or all(x == 0 for _, _, x in pairs):
        return fallback
    best = (math.inf, fallback)
    for mdw in sorted(range(5, 17), key=lambda m: (m != fallback, m)):
        cols = layout.columns(mdw)
        errors = sorted(abs(cols.emu(c, off) - x) for c, off, x in pairs)
        median = errors[len(errors) // 2] / EMU_PER_PX
        if median < best[0]:
            best = (median, mdw)
    return best[1] if best[0] <= 1.5 else fallback


# ---------------------------------------------------------------- colours

_SCHEME_ALIAS = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}
_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
           "yellow": "FFFF00", "gray": "808080", "grey": "808080", "orange": "FFA500", "cyan": "00FFFF",
           "magenta": "FF00FF", "lime": "00FF00", "navy": "000080", "silver": "C0C0C0"}


def _theme_colours(zf: zipfile.ZipFile, label: str) -> dict[str, str]:
    wb = workbook_part(zf, label)
    if wb is None:
        return {}
    theme = next((t for ty, t in part_relationships(zf, wb, label).values() if ty.endswith(REL_THEME)), None)
    root = read_xml_part(zf, theme, label=label) if theme else None
    out: dict[str, str] = {}
    if root is None:
        return out
    scheme = root.find(f".//{_A}clrScheme")
    if scheme is None:
        return out
    for slot in scheme:
        name = slot.tag.rsplit("}", 1)[-1]
        for c in slot:
            val = c.get("lastClr") if c.tag == f"{_A}sysClr" else c.get("val")
            if val and len(val) == 6:
                out[name] = val.upper()
            break
    return out


def _apply_mods(rgb: tuple[float, float, float], mods: Element) -> tuple[float, float, float]:
    r, g, b = rgb
    for mod in mods:
        name = mod.tag.rsplit("}", 1)[-1]
        val = (_float(mod.get("val"), 100000) or 0) / 100000
        if name in ("lumMod", "lumOff"):
            h, l, s = colorsys.rgb_to_hls(r, g, b)
            l = l * val if name == "lumMod" else l + val
            r, g, b = colorsys.hls_to_rgb(h, min(max(l, 0.0), 1.0), s)
        elif name == "shade":
            r, g, b = r * val, g * val, b * val
        elif name == "tint":
            r, g, b = (c + (1 - c) * (1 - val) for c in (r, g, b))
    return tuple(min(max(c, 0.0), 1.0) for c in (r, g, b))  # type: ignore[return-value]


def _rgb(parent: Element | None, theme: dict[str, str],
         placeholder: str | None = None) -> tuple[float, float, float] | None:
    """RGB (0..1) of the first colour element under ``parent`` (None if there is none)."""
    if parent is None:
        return None
    for c in parent:
        name = c.tag.rsplit("}", 1)[-1]
        hexval: str | None = None
        if name == "srgbClr":
            hexval = c.get("val")
        elif name == "sysClr":
            hexval = c.get("lastClr") or {"windowText": "000000", "window": "FFFFFF"}.get(c.get("val", ""))
        elif name == "schemeClr":
            val = c.get("val", "")
            if val == "phClr":
                hexval = placeholder.lstrip("#") if placeholder else None
            else:
                hexval = theme.get(_SCHEME_ALIAS.get(val, val))
        elif name == "prstClr":
            hexval = _PRESET.get(c.get("val", ""))
        elif name == "scrgbClr":
            parts = [(_float(c.get(k), 0) or 0) / 100000 for k in ("r", "g", "b")]
            hexval = "".join(f"{round(min(max(p, 0), 1) ** (1 / 2.2) * 255):02X}" for p in parts)
        else:
            continue
        if not hexval or len(hexval) != 6:
            return None
        try:
            rgb = tuple(int(hexval[i:i + 2], 16) / 255 for i in (0, 2, 4))
        except ValueError:
            return None
        return _apply_mods(rgb, c)  # type: ignore[arg-type]
    return None


def _hex(rgb: tuple[float, float, float] | None) -> str | None:
    return None if rgb is None else "#{:02X}{:02X}{:02X}".format(*(round(v * 255) for v in rgb))


def _colour(parent: Element | None, theme: dict[str, str], placeholder: str | None = None) -> str | None:
    """The "#RRGGBB" of the first colour element under ``parent`` (None if there is none)."""
    return _hex(_rgb(parent, theme, placeholder))


def _gradient_colour(grad: Element, theme: dict[str, str]) -> str | None:
    """The average colour a gradient shows (stops weighted by the length they cover)."""
    stops = []
    for gs in grad.iter(f"{_A}gs"):
        rgb = _rgb(gs, theme)
        if rgb is not None:
            stops.append((min(max((_float(gs.get("pos"), 0) or 0) / 100000, 0.0), 1.0), rgb))
    if not stops:
        return None
    stops.sort(key=lambda s: s[0])
    stops = [(0.0, stops[0][1])] + stops + [(1.0, stops[-1][1])]
    total = [0.0, 0.0, 0.0]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        for i in range(3):
            total[i] += (p1 - p0) * (c0[i] + c1[i]) / 2
    return _hex((total[0], total[1], total[2]))


def _fill_of(props: Element | None, style: Element | None, theme: dict[str, str],
             group_fill: str | None) -> str | None:
    if props is not None:
        for child in props:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "noFill":
                return None
            if name == "solidFill":
                return _colour(child, theme)
            if name == "gradFill":
                return _gradient_colour(child, theme)
            if name == "pattFill":
                return _colour(child.find(f"{_A}fgClr"), theme)
            if name == "grpFill":
                return group_fill
            if name == "blipFill":
                return None
    if style is not None:
        ref = style.find(f"{_A}fillRef")
        if ref is not None and (_float(ref.get("idx"), 0) or 0) > 0:
            return _colour(ref, theme)
    return None


def _line_of(props: Element | None, style: Element | None, theme: dict[str, str]) -> str | None:
    ln = props.find(f"{_A}ln") if props is not None else None
    if ln is not None:
        if ln.find(f"{_A}noFill") is not None:
            return None
        solid = ln.find(f"{_A}solidFill")
        if solid is not None:
            return _colour(solid, theme)
        grad = ln.find(f"{_A}gradFill")
        if grad is not None:
            return _gradient_colour(grad, theme)
    if style is not None:
        ref = style.find(f"{_A}lnRef")
        if ref is not None and (_float(ref.get("idx"), 0) or 0) > 0:
            return _colour(ref, theme)
    return None


# ---------------------------------------------------------------- drawing parts

def _parse_drawing(zf: zipfile.ZipFile, part: str, label: str) -> tuple[Element | None, dict[str, str]]:
    """The drawing's root and every namespace prefix it declares (for mc:Choice Requires)."""
    info = zf.NameToInfo.get(part)
    if info is None:
        return None, {}
    if info.file_size > MAX_DRAWING_PART:
        raise PlanReadError("too-large", f"{label} is too large to open safely: its drawing {part} is too big.",
                            f"{label} は大きすぎるため安全に開けません（図形の部品 {part} が大きすぎます）。")
    prefixes: dict[str, str] = {}
    root = None
    try:
        with zf.open(info) as handle:
            data = handle.read(MAX_DRAWING_PART + 1)
        for event, item in DET.iterparse(io.BytesIO(data), events=("start-ns", "start"), forbid_dtd=True):
            if event == "start-ns":
                prefix, uri = item
                prefixes.setdefault(prefix, uri)
            elif root is None:
                root = item
        # iterparse leaves the full tree under the first element
    except DefusedXmlException:
        raise _unsafe_part(label, part) from None
    except _PARSE_ERRORS:
        return None, {}
    return root, prefixes


def _expand(children, prefixes: dict[str, str], depth: int = 0):
    """Children with mc:AlternateContent replaced by its understood Choice (or its Fallback)."""
    for child in children:
        if child.tag != f"{_MC}AlternateContent":
            yield child
            continue
        if depth >= 8:        # nested alternate content deeper than any writer makes: skipped
            continue
        chosen = None
        for branch in child:
            if branch.tag == f"{_MC}Choice":
                needs = (branch.get("Requires") or "").split()
                if all(prefixes.get(p) in _KNOWN_NS for p in needs):
                    chosen = branch
                    break
            elif branch.tag == f"{_MC}Fallback":
                chosen = branch
                break
        if chosen is not None:
            yield from _expand(list(chosen), prefixes, depth + 1)


def _int(elem: Element | None, default: int = 0) -> int:
    if elem is None or elem.text is None:
        return default
    try:
        return int(float(elem.text.strip()))
    except (ValueError, OverflowError):
        return default


def _attr_int(elem: Element | None, name: str, default: int = 0) -> int:
    if elem is None:
        return default
    try:
        return int(float(elem.get(name, default)))
    except (TypeError, ValueError, OverflowError):
        return default


def _marker(grid: _Grid, elem: Element | None) -> tuple[int, int] | None:
    """Sheet EMU (x, y) of an xdr:from / xdr:to marker."""
    if elem is None:
        return None
    col = _int(elem.find(f"{_X}col"))
    row = _int(elem.find(f"{_X}row"))
    return (grid.cols.emu(col, _int(elem.find(f"{_X}colOff"))),
            grid.rows.emu(row, _int(elem.find(f"{_X}rowOff"))))


def _anchor_box(grid: _Grid, anchor: Element) -> tuple[float, float, float, float] | None:
    name = anchor.tag.rsplit("}", 1)[-1]
    if name == "twoCellAnchor":
        a = _marker(grid, anchor.find(f"{_X}from"))
        b = _marker(grid, anchor.find(f"{_X}to"))
        if a is None or b is None:
            return None
        return a[0], a[1], b[0], b[1]
    ext = anchor.find(f"{_X}ext")
    cx, cy = _attr_int(ext, "cx"), _attr_int(ext, "cy")
    if name == "oneCellAnchor":
        a = _marker(grid, anchor.find(f"{_X}from"))
        if a is None:
            return None
        return a[0], a[1], a[0] + cx, a[1] + cy
    if name == "absoluteAnchor":
        pos = anchor.find(f"{_X}pos")
        x, y = _attr_int(pos, "x"), _attr_int(pos, "y")
        return x, y, x + cx, y + cy
    return None


def _xfrm(props: Element | None):
    """(off, ext, chOff, chExt, rot°, flipH, flipV) of a shape's or group's a:xfrm."""
    xfrm = props.find(f"{_A}xfrm") if props is not None else None
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{_A}off"), xfrm.find(f"{_A}ext")
    ch_off, ch_ext = xfrm.find(f"{_A}chOff"), xfrm.find(f"{_A}chExt")
    return ((_attr_int(off, "x"), _attr_int(off, "y")), (_attr_int(ext, "cx"), _attr_int(ext, "cy")),
            (_attr_int(ch_off, "x"), _attr_int(ch_off, "y")) if ch_off is not None else None,
            (_attr_int(ch_ext, "cx"), _attr_int(ch_ext, "cy")) if ch_ext is not None else None,
            _attr_int(xfrm, "rot") / 60000.0,
            xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true"))


def _text_of(body: Element | None) -> str:
    if body is None:
        return ""
    paragraphs = []
    for p in body.iter(f"{_A}p"):
        parts = []
        for item in p:
            name = item.tag.rsplit("}", 1)[-1]
            if name in ("r", "fld"):
                t = item.find(f"{_A}t")
                if t is not None and t.text:
                    parts.append(t.text)
            elif name == "br":
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs).strip()


class _Reader:
    """Turns one drawing part into :class:`Shape` objects (bounded)."""

    def __init__(self, grid: _Grid, theme: dict[str, str], prefixes: dict[str, str]) -> None:
        self.grid = grid
        self.theme = theme
        self.prefixes = prefixes
        self.shapes: list[Shape] = []

    def full(self) -> bool:
        return len(self.shapes) >= MAX_SHAPES_PER_DRAWING

    def anchor(self, anchor: Element) -> None:
        box = _anchor_box(self.grid, anchor)
        if box is None:
            return
        for obj in _expand(list(anchor), self.prefixes):
            name = obj.tag.rsplit("}", 1)[-1]
            if name in ("sp", "cxnSp", "pic", "graphicFrame", "grpSp"):
                self.object(obj, box, None, 0, False, None)
                return

    def object(self, obj: Element, box, transform, depth: int, hidden_parent: bool,
               group_fill: str | None) -> None:
        """``box``: sheet-EMU box of a top-level object; ``transform``: child-space → sheet EMU for group children."""
        if self.full() or depth > MAX_GROUP_DEPTH:
            return
        name = obj.tag.rsplit("}", 1)[-1]
        nv = next((c for c in obj if c.tag.startswith(_X) and c.tag.endswith("Pr") and c.tag[len(_X):].startswith("nv")),
                  None)
        c_nv = nv.find(f"{_X}cNvPr") if nv is not None else None
        hidden = hidden_parent or (c_nv is not None and c_nv.get("hidden") in ("1", "true"))
        props_tag = {"grpSp": "grpSpPr", "graphicFrame": "xfrm"}.get(name, "spPr")
        props = obj.find(f"{_X}{props_tag}")
        if name == "graphicFrame":
            xf = None
            frame = obj.find(f"{_X}xfrm")
            if frame is not None:
                holder = Element("holder")
                holder.append(Element(f"{_A}xfrm", frame.attrib))
                holder[0].extend(list(frame))
                xf = _xfrm(holder)
        else:
            xf = _xfrm(props)

        # where the object sits, in sheet EMU, before rotation/flip
        if transform is None:
            x0, y0, x1, y1 = box
        else:
            if xf is None:
                return
            (ox, oy), (cx, cy) = xf[0], xf[1]
            ax, bx, ay, by = transform
            x0, y0, x1, y1 = ax * ox + bx, ay * oy + by, ax * (ox + cx) + bx, ay * (oy + cy) + by

        if name == "grpSp":
            if xf is None:
                return
            ch_off, ch_ext = xf[2] or xf[0], xf[3] or xf[1]
            # child space → this group's box in sheet EMU (a flipped group mirrors its children;
            # group rotation is not applied)
            sx = (x1 - x0) / ch_ext[0] if ch_ext[0] else 1.0
            sy = (y1 - y0) / ch_ext[1] if ch_ext[1] else 1.0
            ax, bx = (-sx, x1 + ch_off[0] * sx) if xf[5] else (sx, x0 - ch_off[0] * sx)
            ay, by = (-sy, y1 + ch_off[1] * sy) if xf[6] else (sy, y0 - ch_off[1] * sy)
            child_transform = (ax, bx, ay, by)
            gfill = _fill_of(props, None, self.theme, group_fill)
            for child in _expand(list(obj), self.prefixes):
                cname = child.tag.rsplit("}", 1)[-1]
                if cname in ("sp", "cxnSp", "pic", "graphicFrame", "grpSp"):
                    self.object(child, None, child_transform, depth + 1, hidden, gfill)
                    if self.full():
                        return
            return

        rot, flip_h, flip_v = (xf[4], xf[5], xf[6]) if xf is not None else (0.0, False, False)
        geom = props.find(f"{_A}prstGeom") if props is not None else None
        style = obj.find(f"{_X}style")
        if name == "pic":
            kind = "picture"
        elif name == "graphicFrame":
            kind = "graphicFrame"
        elif name == "sp" and nv is not None and nv.find(f"{_X}cNvSpPr") is not None \
                and nv.find(f"{_X}cNvSpPr").get("txBox") in ("1", "true"):
            kind = "textbox"
        elif geom is not None:
            kind = geom.get("prst") or "custom"
        elif props is not None and props.find(f"{_A}custGeom") is not None:
            kind = "custom"
        else:
            kind = "line" if name == "cxnSp" else "rect"
        is_line = name == "cxnSp" or kind in _LINE_PRESETS

        ln = props.find(f"{_A}ln") if props is not None else None

        def has_end(tag: str) -> bool:
            end = ln.find(f"{_A}{tag}") if ln is not None else None
            return end is not None and end.get("type", "none") != "none"

        head, tail = has_end("headEnd"), has_end("tailEnd")
        cxm, cym = (x0 + x1) / 2, (y0 + y1) / 2
        if is_line:
            sx0, sx1 = (x1, x0) if flip_h else (x0, x1)
            sy0, sy1 = (y1, y0) if flip_v else (y0, y1)
            start, end = (sx0, sy0), (sx1, sy1)
            if rot % 360:
                start, end = _rotate(start, cxm, cym, rot), _rotate(end, cxm, cym, rot)
            if (start[0] > end[0] + 0.5) or (abs(start[0] - end[0]) <= 0.5 and start[1] > end[1]):
                start, end, head, tail = end, start, tail, head
            x0, x1 = sorted((start[0], end[0]))
            y0, y1 = sorted((start[1], end[1]))
        else:
            if 45 <= rot % 180 < 135:
                hw, hh = abs(x1 - x0) / 2, abs(y1 - y0) / 2
                x0, x1, y0, y1 = cxm - hh, cxm + hh, cym - hw, cym + hw
            x0, x1 = sorted((x0, x1))
            y0, y1 = sorted((y0, y1))
            if flip_h:
                head, tail = tail, head
        body = obj.find(f"{_X}txBody")
        cols, rows = self.grid.cols, self.grid.rows
        fill = None if is_line or name in ("pic", "graphicFrame") else _fill_of(props, style, self.theme, group_fill)
        line = _line_of(props, style, self.theme) if name != "graphicFrame" else None
        self.shapes.append(Shape(
            kind=kind, text=_text_of(body),
            col0=cols.frac(x0), col1=cols.frac(x1), row0=rows.frac(y0), row1=rows.frac(y1),
            fill=fill, head_end=head, tail_end=tail, in_group=transform is not None, hidden=hidden, line=line))


def _rotate(point: tuple[float, float], cx: float, cy: float, degrees: float) -> tuple[float, float]:
    t = math.radians(degrees)   # DrawingML rotates clockwise with y pointing down
    dx, dy = point[0] - cx, point[1] - cy
    return cx + dx * math.cos(t) - dy * math.sin(t), cy + dx * math.sin(t) + dy * math.cos(t)


def read_sheet_shapes(path: str | os.PathLike) -> dict[str, list[Shape]]:
    """Every drawing object of every worksheet, keyed by worksheet title (sheets without any left out).

    Objects come in document order (their z-order, back to front). Pictures, text boxes, charts
    and hidden objects are included and marked; a drawing holds at most
    :data:`MAX_SHAPES_PER_DRAWING` objects. Raises :class:`PlanReadError` only for unsafe or
    oversized parts; a damaged drawing yields no shapes for its sheet.
    """
    path = Path(path)
    label = path.name
    try:
        return _read_all(path, label)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        if isinstance(exc, RecursionError):
            reason = ("its drawings are nested too deeply.", "図形の入れ子が深すぎます。")
        else:
            reason = ("the file is damaged or incomplete.", "ファイルが壊れているか途中で切れています。")
        raise PlanReadError("not-a-workbook", f"The drawings of {label} cannot be read: {reason[0]}",
                            f"{label} の図形を読み込めません。{reason[1]}") from None


def _read_all(path: Path, label: str) -> dict[str, list[Shape]]:
    out: dict[str, list[Shape]] = {}
    parsed_bytes = 0
    total = 0
    with zipfile.ZipFile(path) as zf:
        theme = _theme_colours(zf, label)
        font_mdw = _default_digit_width(zf, label)
        for sheet in workbook_sheets(zf, label):
            drawings = sorted({target for rtype, target in part_relationships(zf, sheet.part, label).values()
                               if rtype.endswith(REL_DRAWING) and target in zf.NameToInfo})
            shapes: list[Shape] = []
            for drawing in drawings:
                parsed_bytes += zf.NameToInfo[drawing].file_size
                if parsed_bytes > MAX_DRAWING_BYTES:
                    raise _too_many(label, "its drawings are too large in all.", "図形の部品が全体で大きすぎます。")
                root, prefixes = _parse_drawing(zf, drawing, label)
                if root is None:
                    continue
                layout = _SheetLayout(zf, sheet.part, label)
                try:
                    mdw = _calibrated_digit_width(layout, root, prefixes, font_mdw)
                    reader = _Reader(_Grid(layout.columns(mdw), layout.rows()), theme, prefixes)
                    for anchor in _expand(list(root), prefixes):
                        reader.anchor(anchor)
                        if reader.full():
                            break
                finally:
                    layout.close()
                del root
                shapes.extend(reader.shapes)
                total += len(reader.shapes)
                if total > MAX_SHAPES_PER_WORKBOOK:
                    raise _too_many(label, f"it holds more than {MAX_SHAPES_PER_WORKBOOK:,} drawn shapes.",
                                    f"図形が {MAX_SHAPES_PER_WORKBOOK:,} 個を超えています。")
            if shapes:
                out[sheet.title] = shapes
    return out


def _too_many(label: str, en: str, ja: str) -> PlanReadError:
    return PlanReadError("too-large", f"{label} is too large to open safely: {en}",
                         f"{label} は大きすぎるため安全に開けません。{ja}")
