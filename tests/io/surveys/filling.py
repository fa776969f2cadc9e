"""Filling a survey workbook with openpyxl the way a person does in Excel (helpers for the survey tests)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

HEADER_WORDS = ("取組名", "状況")


def open_survey(path: Path):
    wb = openpyxl.load_workbook(path)
    return wb, wb.worksheets[0]


def header_row(ws) -> int:
    for row in ws.iter_rows():
        words = {c.value for c in row}
        if all(w in words for w in HEADER_WORDS):
            return row[0].row
    raise AssertionError("no header")


def column(ws, word: str) -> int:
    h = header_row(ws)
    for c in ws[h]:
        if isinstance(c.value, str) and (c.value == word or c.value.startswith(word) or
                                         (word == "実績" and c.value.endswith("実績"))):
            return c.column
    raise AssertionError(word)


def row_of(ws, initiative_id: str) -> int:
    for c in ws["A"]:
        if c.value == initiative_id:
            return c.row
    raise AssertionError(initiative_id)


def write(ws, initiative_id: str, word: str, text: str) -> None:
    ws.cell(row_of(ws, initiative_id), column(ws, word)).value = text


def filled_columns(ws, row: int) -> list[int]:
    return [c.column for c in ws[row] if c.fill.fill_type == "solid" and c.column < column(ws, "状況")
            and c.column > column(ws, "現在の工程")]


def insert_row(ws, at: int) -> None:
    """Insert a row as Excel does: cells below, merged ranges and validations move down."""
    ws.insert_rows(at)
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= at:
            rng.shift(0, 1)
    for dv in ws.data_validations.dataValidation:
        for rng in list(dv.sqref.ranges):
            if rng.min_row >= at:
                rng.shift(0, 1)
