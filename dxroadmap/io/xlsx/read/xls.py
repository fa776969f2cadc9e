"""Legacy Excel 97–2003 workbooks (.xls, BIFF8) as the same sparse grids the .xlsx reader uses.

xlrd reads the cells, merged ranges, number formats, fills (solid pattern colours through the
workbook's palette), indents, hidden columns and sheet visibility; :class:`XlsGrid` exposes
them with the interface of :class:`~dxroadmap.io.xlsx.read.grid.SheetGrid`, so that the rest
of the reader does not know which format it reads. Shapes are not read from .xls files:
:attr:`XlsBook.sheets_with_drawings` names the sheets that have drawings so the reader can say
so. A password-protected .xls is refused as ``encrypted``; anything xlrd cannot parse as
``not-a-workbook``.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.read.grid import SHEET_MAX_COLS, SHEET_MAX_ROWS, Merge, SheetGrid, SheetTab

__all__ = ["XlsBook", "XlsGrid", "load_xls"]

_MSO_DRAWING = 0x00EC
_BOF_CODES = (0x0809, 0x0209, 0x0409, 0x0009)
_EOF = 0x000A
_VISIBILITY = {0: "visible", 1: "hidden", 2: "veryHidden"}
_NO_COLOUR = {64, 65, 0x7FFF}  # system foreground / background / automatic


def _not_a_workbook(path: Path) -> PlanReadError:
    return PlanReadError(
        "not-a-workbook",
        f"{path.name} is not an Excel workbook, or it is damaged; open it in Excel and save it as .xlsx.",
        f"{path.name} は Excel ブックではないか、壊れています。Excel で開いて .xlsx 形式で保存し直してください。")


def _encrypted(path: Path) -> PlanReadError:
    return PlanReadError(
        "encrypted",
        f"{path.name} is protected by a password; open it in Excel, remove the password and save it, then try again.",
        f"{path.name} はパスワードで保護されています。Excel で開いてパスワードを解除して保存してから読み込んでください。")


class XlsGrid(SheetGrid):
    """One .xls worksheet with the :class:`SheetGrid` interface (values, merges, fills, formats)."""

    def __init__(self, sheet: Any, book: Any) -> None:  # noqa: C901 - one pass over the sheet's cells
        import xlrd

        self.title = sheet.name
        self.values: dict[tuple[int, int], Any] = {}
        self.fills: dict[tuple[int, int], tuple] = {}
        self.formats: dict[tuple[int, int], int] = {}
        self.indents: dict[tuple[int, int], float] = {}
        self._palette: list[str] = []
        self._ws = None
        self.truncated = sheet.nrows > SHEET_MAX_ROWS or sheet.ncols > SHEET_MAX_COLS
        self._rows_idx = None
        self._fill_rows_idx = None
        self._format_strings: dict[int, str] = {k: f.format_str or "General" for k, f in book.format_map.items()}
        xfs = book.xf_list
        colours = book.colour_map
        fill_of_xf: dict[int, tuple | None] = {}
        max_row = max_col = 0
        for r in range(min(sheet.nrows, SHEET_MAX_ROWS)):
            types = sheet.row_types(r)
            values = sheet.row_values(r)
            for c in range(min(len(types), SHEET_MAX_COLS)):
                xf_index = sheet.cell_xf_index(r, c)
                key = fill_of_xf.get(xf_index, 0)
                if key == 0:
                    key = fill_of_xf[xf_index] = _fill_key(xfs[xf_index], colours) if xf_index < len(xfs) else None
                rc = (r + 1, c + 1)
                if key is not None:
                    self.fills[rc] = key
                    max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
                ctype, v = types[c], values[c]
                if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    continue
                if ctype == xlrd.XL_CELL_TEXT:
                    if not v.strip():
                        continue
                    xf = xfs[xf_index] if xf_index < len(xfs) else None
                    if xf is not None and xf.alignment.indent_level:
                        self.indents[rc] = xf.alignment.indent_level
                elif ctype == xlrd.XL_CELL_BOOLEAN:
                    v = bool(v)
                else:
                    xf = xfs[xf_index] if xf_index < len(xfs) else None
                    fmt = (self._format_strings.get(xf.format_key) if xf is not None else None) or "General"
                    if xf is not None and xf.format_key:
                        self.formats[rc] = xf.format_key
                    if ctype == xlrd.XL_CELL_DATE and "年度" not in fmt and "ggg" not in fmt:
                        try:
                            v = xlrd.xldate_as_datetime(v, book.datemode)
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            pass
                    elif isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
                        v = int(v)
                self.values[rc] = v
                max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
        self.max_row, self.max_col = max_row, max_col
        self.merges: list[Merge] = []
        self._merge_at: dict[tuple[int, int], Merge] = {}
        for rlo, rhi, clo, chi in sheet.merged_cells:
            if rlo >= SHEET_MAX_ROWS or clo >= SHEET_MAX_COLS or rhi - rlo < 1 or chi - clo < 1:
                continue
            m = Merge(rlo + 1, clo + 1, min(rhi, SHEET_MAX_ROWS), min(chi, SHEET_MAX_COLS))
            if m.width * m.height == 1:
                continue
            self.merges.append(m)
            if m.width * m.height <= 50000:
                key = self.fills.get((m.min_row, m.min_col))
                for r in range(m.min_row, m.max_row + 1):
                    for c in range(m.min_col, m.max_col + 1):
                        self._merge_at[r, c] = m
                        if key is not None:
                            self.fills[r, c] = key
                        else:
                            self.fills.pop((r, c), None)
            if (m.min_row, m.min_col) in self.values:
                self.max_row = max(self.max_row, m.max_row)
        self.hidden_cols: set[int] = set()
        self.widths: dict[int, float] = {}
        for c, info in sheet.colinfo_map.items():
            if c >= SHEET_MAX_COLS:
                continue
            if info.hidden:
                self.hidden_cols.add(c + 1)
            if info.width:
                self.widths[c + 1] = info.width / 256.0
        self.rows_with_content = sorted({r for r, _ in self.values} | {r for r, _ in self.fills})
        self._number_formats = None

    def number_format(self, r: int, c: int) -> str:
        fid = self.formats.get((r, c))
        return self._format_strings.get(fid, "General") if fid else "General"

    def color_of(self, key: tuple | None) -> str | None:
        if not key:
            return None
        if key[0] == "pattern":
            key = key[2:]
        return "#" + key[1] if key[0] == "rgb" else None


def _fill_key(xf: Any, colours: dict[int, tuple | None]) -> tuple | None:
    """("rgb", "RRGGBB") for a solid (or patterned) cell background; None for none or white."""
    bg = xf.background
    if not bg.fill_pattern:
        return None
    idx = bg.pattern_colour_index if bg.fill_pattern == 1 else (bg.pattern_colour_index or bg.background_colour_index)
    if idx in _NO_COLOUR:
        return None
    rgb = colours.get(idx)
    if not rgb:
        return None
    text = "%02X%02X%02X" % tuple(rgb)
    if text == "FFFFFF":
        return None
    return ("rgb", text) if bg.fill_pattern == 1 else ("pattern", f"biff{bg.fill_pattern}", "rgb", text)


def _sheets_with_drawings(book: Any) -> set[str]:
    """Sheets whose BIFF substream holds an MSODRAWING record (shapes, pictures, comments' boxes)."""
    mem = getattr(book, "mem", None)
    positions = getattr(book, "_sheet_abs_posn", None) or []
    out: set[str] = set()
    if not mem:
        return out
    for name, pos in zip(book.sheet_names(), positions):
        end = len(mem)
        depth = 0
        p = pos
        for _ in range(2_000_000):  # bounded walk over the records of one sheet
            if p + 4 > end:
                break
            code, length = struct.unpack_from("<HH", mem, p)
            if code in _BOF_CODES:
                depth += 1
            elif code == _EOF:
                depth -= 1
                if depth <= 0:
                    break
            elif code == _MSO_DRAWING:
                out.add(name)
                break
            p += 4 + length
    return out


class XlsBook:
    """A loaded .xls workbook: its tabs, and a grid per sheet built on first use."""

    def __init__(self, book: Any, drawings: set[str]) -> None:
        self._book = book
        self.sheets_with_drawings = drawings
        self.tabs = [SheetTab(s.name, _VISIBILITY.get(s.visibility, "hidden"), True) for s in book.sheets()]

    def grid(self, title: str) -> XlsGrid:
        return XlsGrid(self._book.sheet_by_name(title), self._book)


def load_xls(path: Path) -> XlsBook:
    """Read ``path`` (BIFF8) with xlrd; :class:`PlanReadError` ``encrypted`` or ``not-a-workbook``."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=_Silent())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise _encrypted(path) from None
        raise _not_a_workbook(path) from exc
    except MemoryError:
        raise PlanReadError("too-large", f"{path.name} is too large to import.",
                            f"{path.name} は大きすぎて読み込めません。") from None
    except Exception as exc:  # any other parser failure (CompDocError, struct.error …) is a damaged file
        raise _not_a_workbook(path) from exc
    try:
        drawings = _sheets_with_drawings(book)
        for k in range(book.nsheets):
            book.sheet_by_index(k)
    except xlrd.XLRDError as exc:
        raise _not_a_workbook(path) from exc
    except Exception as exc:  # a sheet xlrd cannot parse: the file is damaged
        raise _not_a_workbook(path) from exc
    book.release_resources()  # every sheet is loaded: the file's bytes are no longer needed
    return XlsBook(book, drawings)


class _Silent:
    """A log file that discards xlrd's warnings (they are not the user's business)."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None

