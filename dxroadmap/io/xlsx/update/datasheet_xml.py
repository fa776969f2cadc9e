"""The hidden ``dxroadmap_data`` sheet as worksheet XML, laid out by :mod:`dxroadmap.io.xlsx.datasheet` itself.

:func:`~dxroadmap.io.xlsx.datasheet.write_data_sheet` and
:func:`~dxroadmap.io.xlsx.datasheet.stamp_roadmap_sheet` write into an openpyxl workbook.
Here they write into a small recorder with the same surface (``sheetnames``,
``create_sheet``, ``ws.cell(r, c).value``, ``column_dimensions``…), and the recorded
cells become a worksheet part. So the table format stays defined in one place: columns
or records that module adds later come along without a change here. The one thing not
carried over is Excel's quote prefix on texts starting with ``= + - @`` (it needs a new
cell style); the cells are inline strings, never formulas, either way.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from dxroadmap.io.xlsx.datasheet import SHEET_NAME, stamp_roadmap_sheet, write_data_sheet
from dxroadmap.io.xlsx.update.sheetxml import col_letter, col_number
from dxroadmap.model.plan import Plan

__all__ = ["data_sheet_xml"]


class _Cell:
    def __init__(self, col: int) -> None:
        self.value: Any = None
        self.data_type = "n"
        self.quotePrefix = False
        self.column_letter = col_letter(col)


class _Dim:
    width: float | None = None


class _Dims(dict):
    def __missing__(self, key: str) -> _Dim:
        value = self[key] = _Dim()
        return value


class _Sheet:
    def __init__(self, title: str) -> None:
        self.title = title
        self.sheet_state = "visible"
        self.freeze_panes: str | None = None
        self.cells: dict[tuple[int, int], _Cell] = {}
        self.column_dimensions = _Dims()

    def cell(self, row: int, column: int) -> _Cell:
        c = self.cells.get((row, column))
        if c is None:
            c = self.cells[row, column] = _Cell(column)
        return c


class _Book:
    def __init__(self, others: dict[str, Any]) -> None:
        self.others = others
        self.sheets: dict[str, _Sheet] = {}

    @property
    def sheetnames(self) -> list[str]:
        return list(self.others) + list(self.sheets)

    def create_sheet(self, title: str) -> _Sheet:
        ws = self.sheets[title] = _Sheet(title)
        return ws

    def __getitem__(self, title: str) -> Any:
        return self.sheets[title] if title in self.sheets else self.others[title]

    def __delitem__(self, title: str) -> None:
        self.sheets.pop(title, None)


def data_sheet_xml(plan: Plan, roadmap: tuple[str, Any] | None = None) -> str:
    """The worksheet XML of the data sheet holding ``plan``.

    ``roadmap`` = (title, openpyxl worksheet of the finished roadmap sheet, loaded with
    ``data_only=True``) stamps the data sheet with that sheet's fingerprint, so that a later
    edit of the roadmap sheet in Excel makes the reader read the visible sheet again.
    """
    book = _Book({roadmap[0]: roadmap[1]} if roadmap else {})
    write_data_sheet(book, plan)
    if roadmap:
        stamp_roadmap_sheet(book, roadmap[0])
    ws = book.sheets[SHEET_NAME]
    rows: dict[int, list[str]] = {}
    for (r, c) in sorted(ws.cells):
        cell = ws.cells[r, c]
        v = cell.value
        if v is None:
            continue
        ref = f"{col_letter(c)}{r}"
        if isinstance(v, bool):
            xml = f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
        elif isinstance(v, (int, float)):
            xml = f'<c r="{ref}"><v>{v}</v></c>'
        else:
            text = str(v)
            space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
            xml = f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
        rows.setdefault(r, []).append(xml)
    body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    widths = sorted(((k, d.width) for k, d in ws.column_dimensions.items() if d.width), key=lambda kw: len(kw[0]))
    cols = ""
    if widths:
        items = sorted((col_number(k), w) for k, w in widths)
        cols = "<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in items) + "</cols>"
    pane = ""
    if ws.freeze_panes:
        top = ws.freeze_panes
        split = int("".join(ch for ch in top if ch.isdigit())) - 1
        pane = (f'<pane ySplit="{split}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>{body}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '</worksheet>')
