"""Where things sit on a worksheet: column and row sizes, and drawing anchors turned into cell coordinates.

Objects are placed in fractional 0-based columns and rows (3.25 = a quarter into column D)
using the sheet's own column widths and row heights, the way Excel lays them out: a column
``w`` characters wide is trunc(((256·w + trunc(128/d))/256)·d) px, where ``d`` is the
maximum digit width of the workbook's default font (7 px for Calibri 11, 8 for
游ゴシック/ＭＳ Ｐゴシック 11, 9 for Meiryo UI 11); 1 px = 9525 EMU, 1 pt = 12700 EMU; hidden
columns and rows have no size. Because ``d`` cannot be measured without the font, it is
taken from a small table (:func:`default_digit_width`) and then checked against the
absolute positions Excel stores beside each anchor (:func:`calibrated_digit_width`).

Sheet parts are streamed with an expat parser carrying defusedxml's guards and only the
column and row attributes are kept, reading rows only as far down as a drawing reaches.
"""

from __future__ import annotations

import math
import zipfile
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.parsers import expat

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from dxroadmap.io.xlsx.package.ns import NS_XDR, REL_STYLES
from dxroadmap.io.xlsx.package.parts import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, part_relationships, unsafe_xml_error, workbook_part

__all__ = [
    "EMU_PER_PX", "EMU_PER_PT", "MAX_DIGIT_WIDTH", "DEFAULT_ROW_PT", "PARSE_ERRORS", "column_pixels", "EmuAxis",
    "SheetGeometry", "SheetLayout", "guarded_expat", "finite_float", "xml_int", "attr_int", "anchor_box",
    "default_digit_width", "calibrated_digit_width",
]

EMU_PER_PX = 9525
EMU_PER_PT = 12700
MAX_DIGIT_WIDTH = 7          # px, Calibri 11 (the README's "7·chars + 5")
DEFAULT_ROW_PT = 15.0

_X = f"{{{NS_XDR}}}"

PARSE_ERRORS = (DefusedXmlException, DET.ParseError, expat.ExpatError, LookupError, ValueError, zipfile.BadZipFile,
                zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


def column_pixels(width: float, mdw: int = MAX_DIGIT_WIDTH) -> int:
    """Excel's pixel width of a column ``width`` characters wide, for a font whose digits are ``mdw`` px."""
    return max(0, math.trunc(((256 * width + math.trunc(128 / mdw)) / 256) * mdw))


class EmuAxis:
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

    def locate(self, frac: float) -> tuple[int, int]:
        """(index, offset EMU) of a fractional index: the inverse of :meth:`frac`, as a drawing marker writes it."""
        frac = max(0.0, frac)
        index = min(int(math.floor(frac)), self.limit - 1)
        start = self.start(index)
        size = self.start(index + 1) - start
        return index, int(round((frac - index) * size))

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
class SheetGeometry:
    """The column and row axes of one sheet, for placing anchors."""

    cols: EmuAxis
    rows: EmuAxis


def finite_float(text: str | None, default: float | None = None) -> float | None:
    """A finite number from an attribute, else ``default`` (NaN and infinities are refused)."""
    try:
        value = float(text) if text is not None else default
    except (ValueError, TypeError):
        return default
    return value if value is None or math.isfinite(value) else default


def guarded_expat(start) -> "expat.XMLParserType":
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


class SheetLayout:
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
            self._parser = guarded_expat(self.start)
            while not self._in_data and self._pump():
                pass
        except DefusedXmlException:
            self.close()
            raise unsafe_xml_error(label, part) from None
        except PARSE_ERRORS:
            self.close()

    # parser handlers ----------------------------------------------------
    def start(self, name: str, attrib: dict[str, str]) -> None:
        end = name[-2:]
        if end == "}c" or end == "}v" or end == "}f":
            return            # cells, values, formulas: the bulk of a sheet, never needed here
        tag = name[name.rfind("}") + 1:]
        if tag == "row":
            r = finite_float(attrib.get("r"))
            row = int(r) - 1 if r else self._next_row
            self._next_row = row + 1
            self._last_read = max(self._last_read, row)
            ht = finite_float(attrib.get("ht"))
            if attrib.get("hidden") in ("1", "true"):
                self.row_sizes[row] = 0
            elif ht is not None:
                self.row_sizes[row] = round(ht * EMU_PER_PT)
            elif self.rows_hidden_by_default:
                self.row_sizes[row] = round(self.default_row_pt * EMU_PER_PT)
        elif tag == "sheetData":
            self._in_data = True
        elif tag == "col" and not self._in_data:
            lo = int(finite_float(attrib.get("min"), 1) or 1)
            hi = int(finite_float(attrib.get("max"), lo) or lo)
            lo, hi = max(1, lo), min(EXCEL_MAX_COLS, max(lo, hi))
            self.col_ranges.append((lo, hi, finite_float(attrib.get("width")), attrib.get("hidden") in ("1", "true")))
        elif tag == "sheetFormatPr":
            self.base_width = finite_float(attrib.get("baseColWidth"), 8.0) or 8.0
            self.default_width = finite_float(attrib.get("defaultColWidth"))
            self.default_row_pt = finite_float(attrib.get("defaultRowHeight"), DEFAULT_ROW_PT) or DEFAULT_ROW_PT
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

    def columns(self, mdw: int) -> EmuAxis:
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
        return EmuAxis(default, sizes, EXCEL_MAX_COLS)

    def rows(self) -> EmuAxis:
        default = 0 if self.rows_hidden_by_default else round(self.default_row_pt * EMU_PER_PT)
        return EmuAxis(default, self.row_sizes, EXCEL_MAX_ROWS, self._feed)

    def _feed(self, index: int) -> None:
        """Read <row> start tags until one after ``index`` (or the end of sheetData)."""
        try:
            while self._last_read <= index and self._pump():
                pass
        except DefusedXmlException:
            self.close()
            raise unsafe_xml_error(self.label, self.part) from None
        except PARSE_ERRORS:
            self.close()   # keep what was read: a damaged tail changes nothing above it


def _default_font(zf: zipfile.ZipFile, label: str) -> tuple[str, float] | None:
    """(name, size) of the first font in styles.xml — the Normal style's — read from the part's head."""
    wb = workbook_part(zf, label)
    styles = next((t for ty, t in part_relationships(zf, wb, label).values() if ty.endswith(REL_STYLES)),
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

    parser = guarded_expat(start)
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
        raise unsafe_xml_error(label, styles) from None
    except PARSE_ERRORS:
        pass
    if "name" not in found:
        return None
    return found["name"], finite_float(found.get("sz"), 11.0) or 11.0


def default_digit_width(zf: zipfile.ZipFile, label: str) -> int:
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


def calibrated_digit_width(layout: SheetLayout, pairs: list[tuple[int, int, int]], fallback: int) -> int:
    """The digit width that makes the anchors' cells agree with the EMU positions Excel stored.

    Excel writes both the cell anchor and the absolute xfrm of each top-level object; the
    column widths in pixels depend on the default font, which we cannot measure. ``pairs`` are
    (anchor column, column offset, absolute x) of object edges; the candidate under which the
    two agree (median error ≤ 1.5 px) wins; otherwise ``fallback``.
    """
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




# ---------------------------------------------------------------- anchors

def xml_int(elem: Element | None, default: int = 0) -> int:
    """The integer an element's text holds (``default`` when absent or not a number)."""
    if elem is None or elem.text is None:
        return default
    try:
        return int(float(elem.text.strip()))
    except (ValueError, OverflowError):
        return default


def attr_int(elem: Element | None, name: str, default: int = 0) -> int:
    """The integer attribute ``name`` of ``elem`` holds (``default`` when absent or not a number)."""
    if elem is None:
        return default
    try:
        return int(float(elem.get(name, default)))
    except (TypeError, ValueError, OverflowError):
        return default


def _marker(grid: SheetGeometry, elem: Element | None) -> tuple[int, int] | None:
    """Sheet EMU (x, y) of an xdr:from / xdr:to marker."""
    if elem is None:
        return None
    col = xml_int(elem.find(f"{_X}col"))
    row = xml_int(elem.find(f"{_X}row"))
    return (grid.cols.emu(col, xml_int(elem.find(f"{_X}colOff"))),
            grid.rows.emu(row, xml_int(elem.find(f"{_X}rowOff"))))


def anchor_box(grid: SheetGeometry, anchor: Element) -> tuple[float, float, float, float] | None:
    """Sheet-EMU box (x0, y0, x1, y1) of a two-cell, one-cell or absolute anchor (None for others)."""
    name = anchor.tag.rsplit("}", 1)[-1]
    if name == "twoCellAnchor":
        a = _marker(grid, anchor.find(f"{_X}from"))
        b = _marker(grid, anchor.find(f"{_X}to"))
        if a is None or b is None:
            return None
        return a[0], a[1], b[0], b[1]
    ext = anchor.find(f"{_X}ext")
    cx, cy = attr_int(ext, "cx"), attr_int(ext, "cy")
    if name == "oneCellAnchor":
        a = _marker(grid, anchor.find(f"{_X}from"))
        if a is None:
            return None
        return a[0], a[1], a[0] + cx, a[1] + cy
    if name == "absoluteAnchor":
        pos = anchor.find(f"{_X}pos")
        x, y = attr_int(pos, "x"), attr_int(pos, "y")
        return x, y, x + cx, y + cy
    return None
