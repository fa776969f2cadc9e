"""A worksheet as the importer sees it: a sparse grid of values, merges, fills and hidden columns.

Built once per sheet from an openpyxl worksheet that was loaded with ``data_only=True``
(cached values, no formula is ever evaluated). Only cells that exist in the file are
visited, so a sheet claiming absurd dimensions costs nothing extra; ``SHEET_MAX_ROWS`` and
``SHEET_MAX_COLS`` bound what the importer looks at.

Fills are read through the workbook's style table (``cell._style.fillId``) rather than
``cell.fill``, which builds a proxy object per cell; that keeps the importer's cost a
small fraction of openpyxl's own load time.
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.package.color import apply_tint, palette_of, theme_from_xml

__all__ = ["SHEET_MAX_ROWS", "SHEET_MAX_COLS", "Merge", "SheetGrid", "FillKey", "theme_palette", "load_workbook",
           "SheetTab", "sheet_tabs", "sheet_grid", "workbook_palette"]

SHEET_MAX_ROWS = 20000   # rows of a sheet the importer reads (cells below are left out, with a warning)
SHEET_MAX_COLS = 2000    # columns of a sheet the importer reads
MAX_MERGED_CELLS = 2_000_000

FillKey = tuple  # ("rgb", "9BC2E6") | ("theme", 4, 0.4) | ("idx", 5) | ("pattern", name, ...)

# Fills that read as "no fill" on a white sheet.
_WHITE_RGB = {"FFFFFF"}


@dataclass(frozen=True)
class Merge:
    """A merged range, 1-based inclusive."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def width(self) -> int:
        return self.max_col - self.min_col + 1

    @property
    def height(self) -> int:
        return self.max_row - self.min_row + 1


def theme_palette(theme_xml: bytes | None) -> list[str]:
    """Theme colour slots in fill-index order (0 = lt1 … 9 = accent6) as ``RRGGBB``, from the theme part's bytes."""
    return palette_of(theme_from_xml(theme_xml))


def _not_a_workbook(path: Path) -> PlanReadError:
    return PlanReadError(
        "not-a-workbook",
        f"{path.name} is not an Excel workbook (.xlsx), or it is damaged; open it in Excel and save it as .xlsx.",
        f"{path.name} は Excel ブック（.xlsx）ではないか、壊れています。Excel で開いて .xlsx 形式で保存し直してください。")


def load_workbook(path: Path) -> Any:
    """The openpyxl workbook at ``path`` (checked by ``check_workbook`` first), loaded for reading.

    ``data_only=True`` (cached values: formulas are never evaluated) and ``keep_links=False``
    (external links are not followed). Any failure of the parser is a plain
    :class:`PlanReadError` (``too-large`` or ``not-a-workbook``), never a traceback.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True, keep_links=False)
    except MemoryError:
        raise PlanReadError("too-large", f"{path.name} is too large to import.",
                            f"{path.name} は大きすぎて読み込めません。") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError,
            IndexError, AttributeError, SyntaxError) as exc:
        raise _not_a_workbook(path) from exc
    except Exception as exc:  # any other parser failure is a damaged file, never a traceback
        if exc.__class__.__name__ in ("DefusedXmlException", "EntitiesForbidden", "DTDForbidden",
                                      "ExternalReferenceForbidden"):
            raise PlanReadError("not-a-workbook", f"{path.name} contains XML constructs that are refused for safety.",
                                f"{path.name} には安全のため読み込まない XML が含まれています。") from None
        raise _not_a_workbook(path) from exc


class SheetGrid:
    """Sparse read-only view of one worksheet."""

    def __init__(self, ws: Any, palette: list[str]) -> None:
        self.title: str = ws.title
        self.values: dict[tuple[int, int], Any] = {}
        self.fills: dict[tuple[int, int], FillKey] = {}
        self.formats: dict[tuple[int, int], int] = {}
        self.indents: dict[tuple[int, int], float] = {}
        self._palette = palette
        self._ws = ws
        self.truncated = False  # cells beyond SHEET_MAX_ROWS / SHEET_MAX_COLS were left out
        self._rows_idx: dict[int, list[int]] | None = None
        self._fill_rows_idx: dict[int, list[int]] | None = None
        wb = ws.parent
        fills = getattr(wb, "_fills", [])
        fill_keys: dict[int, FillKey | None] = {}
        alignments = getattr(wb, "_alignments", [])
        max_row = max_col = 0
        values = self.values
        fills_out = self.fills
        formats = self.formats
        for (r, c), cell in ws._cells.items():
            if r > SHEET_MAX_ROWS or c > SHEET_MAX_COLS:
                self.truncated = True
                continue
            v = cell._value
            style = cell._style
            if style is not None:
                fid = style.fillId
                if fid:
                    key = fill_keys.get(fid, 0)
                    if key == 0:
                        key = fill_keys[fid] = self._fill_key(fills[fid]) if fid < len(fills) else None
                    if key is not None:
                        fills_out[r, c] = key
                        if r > max_row:
                            max_row = r
                        if c > max_col:
                            max_col = c
            if v is None:
                continue
            if v.__class__ is str:
                if not v.strip():
                    continue
                if style is not None and style.alignmentId and style.alignmentId < len(alignments):
                    ind = alignments[style.alignmentId].indent
                    if ind:
                        self.indents[r, c] = ind
            elif style is not None and style.numFmtId:
                formats[r, c] = style.numFmtId
            values[r, c] = v
            if r > max_row:
                max_row = r
            if c > max_col:
                max_col = c
        self.max_row = max_row
        self.max_col = max_col
        # merged ranges: map every covered cell to its range (large ranges are kept aside)
        self.merges: list[Merge] = []
        self._merge_at: dict[tuple[int, int], Merge] = {}
        budget = MAX_MERGED_CELLS  # cells mapped for all merges together: bounded time and memory
        for mr in ws.merged_cells.ranges:
            m = Merge(mr.min_row, mr.min_col, min(mr.max_row, SHEET_MAX_ROWS), min(mr.max_col, SHEET_MAX_COLS))
            if m.min_row > SHEET_MAX_ROWS or m.min_col > SHEET_MAX_COLS:
                continue
            self.merges.append(m)
            area = m.width * m.height
            if area <= 50000 and budget >= area:
                budget -= area
                for r in range(m.min_row, m.max_row + 1):
                    for c in range(m.min_col, m.max_col + 1):
                        self._merge_at[r, c] = m
            # the top-left carries the style; openpyxl dropped the others
        for m in self.merges:
            key = self.fills.get((m.min_row, m.min_col))
            self.max_row = max(self.max_row, m.max_row if (m.min_row, m.min_col) in self.values else 0)
            if key is not None and self._merge_at.get((m.min_row, m.min_col)) is m:
                for r in range(m.min_row, m.max_row + 1):
                    for c in range(m.min_col, m.max_col + 1):
                        self.fills[r, c] = key
        self.hidden_cols: set[int] = set()
        self.widths: dict[int, float] = {}
        for dim in ws.column_dimensions.values():
            lo, hi = dim.min or 0, dim.max or 0
            if not lo or hi < lo:
                continue
            hi = min(hi, SHEET_MAX_COLS)
            for c in range(lo, hi + 1):
                if dim.hidden:
                    self.hidden_cols.add(c)
                if dim.width:
                    self.widths[c] = dim.width
        self.rows_with_content = sorted({r for r, _ in self.values} | {r for r, _ in self.fills})
        self._number_formats = getattr(wb, "_number_formats", None)

    # ---------------------------------------------------------------- fills

    def _fill_key(self, fill: Any) -> FillKey | None:
        ptype = getattr(fill, "patternType", None) or getattr(fill, "fill_type", None)
        if not ptype or ptype == "none":
            if getattr(fill, "type", None) == "gradient" or fill.__class__.__name__ == "GradientFill":
                stops = getattr(fill, "stop", None) or []
                if stops:
                    return self._color_key(stops[0].color, gradient=True)
            return None
        color = fill.fgColor if ptype == "solid" else (fill.fgColor or fill.bgColor)
        key = self._color_key(color)
        if key is None:
            return None
        if ptype != "solid":
            return ("pattern", ptype) + key
        return key

    def _color_key(self, color: Any, gradient: bool = False) -> FillKey | None:
        if color is None:
            return None
        ctype = color.type
        tint = round(float(color.tint or 0.0), 3)
        if ctype == "rgb":
            rgb = str(color.rgb or "")[-6:].upper()
            if not re.fullmatch(r"[0-9A-F]{6}", rgb) or rgb in _WHITE_RGB:
                return None
            return ("rgb", rgb)
        if ctype == "theme":
            theme = int(color.theme)
            if theme == 0 and tint == 0:
                return None  # "background 1": white
            return ("theme", theme, tint)
        if ctype == "indexed":
            idx = int(color.indexed)
            if idx in (9, 64, 65, 1):  # white, system foreground/background
                return None
            return ("idx", idx)
        return None

    def color_of(self, key: FillKey | None) -> str | None:
        """``#RRGGBB`` for a fill key, when it can be resolved."""
        if not key:
            return None
        if key[0] == "pattern":
            key = key[2:]
        if key[0] == "rgb":
            return "#" + key[1]
        if key[0] == "theme":
            idx = key[1]
            if 0 <= idx < len(self._palette):
                base = self._palette[idx]
                return "#" + (apply_tint(base, key[2]) if key[2] else base)
            return None
        if key[0] == "idx":
            from openpyxl.styles.colors import COLOR_INDEX

            if 0 <= key[1] < len(COLOR_INDEX):
                return "#" + COLOR_INDEX[key[1]][-6:]
        return None

    # ---------------------------------------------------------------- cells

    def merge_at(self, r: int, c: int) -> Merge | None:
        return self._merge_at.get((r, c))

    def origin(self, r: int, c: int) -> tuple[int, int]:
        """The cell whose value shows at (r, c): the top-left of its merge, or itself."""
        m = self._merge_at.get((r, c))
        return (m.min_row, m.min_col) if m else (r, c)

    def value(self, r: int, c: int) -> Any:
        """The value shown at (r, c) (a merged range shows its top-left value everywhere)."""
        return self.values.get(self.origin(r, c))

    def raw(self, r: int, c: int) -> Any:
        return self.values.get((r, c))

    def text(self, r: int, c: int) -> str:
        """The value at (r, c) as stripped text ("" when empty)."""
        return as_text(self.value(r, c))

    def number_format(self, r: int, c: int) -> str:
        fid = self.formats.get((r, c))
        if not fid:
            return "General"
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        if fid in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[fid]
        fmts = self._number_formats
        try:
            return fmts[fid - 164] if fmts is not None else "General"
        except (IndexError, TypeError):
            return "General"

    def fill(self, r: int, c: int) -> FillKey | None:
        return self.fills.get((r, c))

    def row_cells(self, r: int) -> list[int]:
        """Columns of row r that hold a value (top-left of merges only), left to right."""
        idx = self._rows_idx
        if idx is None:
            tmp: dict[int, list[int]] = {}
            for (rr, c) in self.values:
                tmp.setdefault(rr, []).append(c)
            idx = self._rows_idx = {rr: sorted(cs) for rr, cs in tmp.items()}
        return idx.get(r, [])

    def row_fills(self, r: int) -> list[int]:
        """Columns of row r that are filled, left to right."""
        idx = self._fill_rows_idx
        if idx is None:
            tmp: dict[int, list[int]] = {}
            for (rr, c) in self.fills:
                tmp.setdefault(rr, []).append(c)
            idx = self._fill_rows_idx = {rr: sorted(cs) for rr, cs in tmp.items()}
        return idx.get(r, [])


@dataclass(frozen=True)
class SheetTab:
    """A worksheet tab of a loaded workbook, as the reader needs to know it before reading cells."""

    title: str
    state: str        # "visible", "hidden" or "veryHidden"
    has_cells: bool   # False for a chart sheet


def sheet_tabs(wb: Any) -> list[SheetTab]:
    """The worksheets of an openpyxl workbook (from :func:`load_workbook`) in tab order."""
    return [SheetTab(ws.title, ws.sheet_state, hasattr(ws, "_cells")) for ws in wb.worksheets]


def workbook_palette(wb: Any) -> list[str]:
    """:func:`theme_palette` of a loaded workbook's theme."""
    return theme_palette(getattr(wb, "loaded_theme", None))


def sheet_grid(wb: Any, title: str, palette: list[str]) -> SheetGrid:
    """The :class:`SheetGrid` of sheet ``title`` of a loaded workbook."""
    return SheetGrid(wb[title], palette)


def as_text(v: Any) -> str:
    """A cell value as text, the way a person reads it (stripped)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, _dt.datetime):
        if v.hour == v.minute == v.second == 0:
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    return str(v)
