"""Sheets for the reader's unit tests, built in memory from literal rows (no workbook file)."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import openpyxl

from dxroadmap.io.xlsx.read.grid import SheetGrid, theme_palette


def literal_grid(rows: Sequence[Sequence[Any]], merges: Iterable[str] = (), formats: dict[str, str] | None = None,
                 title: str = "計画") -> SheetGrid:
    """A :class:`SheetGrid` of ``rows`` (row 1 first, column A first), with merged ranges and number formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    return SheetGrid(ws, theme_palette(None))
