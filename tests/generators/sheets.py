"""A writer-neutral sheet (values, number formats, fills, merges) saved by openpyxl or xlsxwriter.

The layout generator describes each sheet once as a :class:`SheetSpec`; :func:`save_book`
writes the same cells with either library, so that both writers' quirks reach the reader
(openpyxl keeps styles on every cell of a merge, xlsxwriter writes inline shared strings
differently, dates and theme tints are encoded by each in its own way).
LibreOffice re-saves are made from these files by :func:`resave_with_libreoffice`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Fill", "SheetSpec", "save_book", "resave_with_libreoffice", "THEME_TINTS", "WRITERS"]

WRITERS = ("openpyxl", "xlsxwriter")

# xlsxwriter's theme shades 0..5 and the tints Excel's palette gives them.
THEME_TINTS = (0.0, 0.7999816888943144, 0.5999938962981048, 0.3999755851924192, -0.249977111117893, -0.499984740745262)


@dataclass(frozen=True)
class Fill:
    """A solid fill: ``rgb`` ("RRGGBB") or a theme colour (index 4–9) with a shade (0–5)."""

    rgb: str | None = None
    theme: int | None = None
    shade: int = 0


@dataclass
class SheetSpec:
    """One worksheet: 1-based ``(row, column)`` keys, as Excel numbers them."""

    title: str
    values: dict[tuple[int, int], object] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    fills: dict[tuple[int, int], Fill] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)

    def put(self, row: int, col: int, value: object, fmt: str | None = None) -> None:
        self.values[(row, col)] = value
        if fmt:
            self.formats[(row, col)] = fmt

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: object = None, fill: Fill | None = None) -> None:
        """Merge a range (value in its top-left cell; a fill on every cell, as Excel stores it)."""
        if value is not None:
            self.values[(r1, c1)] = value
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))
        if fill is not None:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.fills[(r, c)] = fill

    def keys(self) -> set[tuple[int, int]]:
        return set(self.values) | set(self.fills) | set(self.formats)


def _save_openpyxl(sheets: list[SheetSpec], path: Path) -> None:
    import openpyxl
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        for (r, c), value in spec.values.items():
            ws.cell(r, c, value)
        for (r, c), fmt in spec.formats.items():
            ws.cell(r, c).number_format = fmt
        for (r, c), fill in spec.fills.items():
            if fill.rgb:
                ws.cell(r, c).fill = PatternFill("solid", fgColor="FF" + fill.rgb)
            else:
                ws.cell(r, c).fill = PatternFill("solid", fgColor=Color(theme=fill.theme, tint=THEME_TINTS[fill.shade]))
        for r1, c1, r2, c2 in spec.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for c, width in spec.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width
    wb.save(path)


def _save_xlsxwriter(sheets: list[SheetSpec], path: Path) -> None:
    import xlsxwriter
    from xlsxwriter.color import Color

    wb = xlsxwriter.Workbook(str(path))
    formats: dict[tuple, object] = {}

    def fmt_of(fill: Fill | None, number_format: str | None):
        key = (fill, number_format)
        if key not in formats:
            props: dict[str, object] = {}
            if fill is not None:
                props["pattern"] = 1
                props["bg_color"] = "#" + fill.rgb if fill.rgb else Color.theme(fill.theme, fill.shade)
            if number_format:
                props["num_format"] = number_format
            formats[key] = wb.add_format(props) if props else None
        return formats[key]

    for spec in sheets:
        ws = wb.add_worksheet(spec.title)
        merged_cells: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in spec.merges:
            fmt = fmt_of(spec.fills.get((r1, c1)), spec.formats.get((r1, c1)))
            value = spec.values.get((r1, c1))
            if isinstance(value, (dt.date, dt.datetime)):
                ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None, fmt)
                ws.write_datetime(r1 - 1, c1 - 1, value, fmt)
            else:
                ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "" if value is None else value, fmt)
            merged_cells.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        for r, c in sorted(spec.keys() - merged_cells):
            value = spec.values.get((r, c))
            fmt = fmt_of(spec.fills.get((r, c)), spec.formats.get((r, c)))
            if isinstance(value, (dt.date, dt.datetime)):
                ws.write_datetime(r - 1, c - 1, value, fmt)
            elif value is None:
                ws.write_blank(r - 1, c - 1, None, fmt)
            else:
                ws.write(r - 1, c - 1, value, fmt)
        for c, width in spec.widths.items():
            ws.set_column(c - 1, c - 1, width)
    wb.close()


def save_book(sheets: list[SheetSpec], path: Path, writer: str) -> Path:
    """Write ``sheets`` to ``path`` with ``writer`` (one of :data:`WRITERS`)."""
    if writer == "openpyxl":
        _save_openpyxl(sheets, path)
    elif writer == "xlsxwriter":
        _save_xlsxwriter(sheets, path)
    else:
        raise ValueError(f"unknown writer {writer!r}")
    return path


def resave_with_libreoffice(paths: list[Path], out_dir: Path, timeout: float = 300) -> dict[Path, Path]:
    """Re-save workbooks through LibreOffice (one soffice run); {source: re-saved file} for those it wrote."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not paths:
        return {}
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), *map(str, paths)],
                   check=False, capture_output=True, timeout=timeout)
    done = {}
    for p in paths:
        target = out_dir / p.name
        if target.is_file():
            done[p] = target
    return done
