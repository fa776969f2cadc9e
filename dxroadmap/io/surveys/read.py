"""Reading a returned survey workbook, also one a department edited carelessly.

Nothing is read from fixed cells: the identity comes from the hidden ``dxroadmap_survey``
sheet (found by its marker, whatever it is called), the table from the sheet and row whose
cells say 取組名 and 状況 (rows inserted above, a renamed sheet, columns added all move it),
each column from its header words, the quarter columns from the fiscal year and quarter
labels of the two header rows, and the initiative of each row from the id column (the
header ``ID``, or the column holding ids). A row without an id but with a name is a new
sub-action; text anywhere else (above the table, in columns that are not the survey's, in
rows without a name) is kept as a note for the secretariat and not applied.
"""

from __future__ import annotations

import datetime as _dt
import os
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from dxroadmap.io.surveys.layout import HEAD, INFO_MARKER, Quarter, quarter_label
from dxroadmap.io.xlsx.datasheet import SHEET_NAME as DATA_SHEET
from dxroadmap.model.ids import is_stable_id
from dxroadmap.model.wareki import parse_fiscal_year

__all__ = ["NotASurvey", "AnswerRow", "ReturnedSurvey", "read_returned"]

_QUARTER_OF_LABEL = {quarter_label(q): q for q in (1, 2, 3, 4)}
_BAR_MARKS = {"■", "●", "█", "━", "○", "□"}
_WHITE = {"FFFFFF", "FFFFFFFF", "00FFFFFF"}


class NotASurvey(Exception):
    """The file is not a survey we can read; ``reason`` says why (English and Japanese)."""

    def __init__(self, code: str, en: str, ja: str) -> None:
        super().__init__(en)
        self.code, self.en, self.ja = code, en, ja


@dataclass
class AnswerRow:
    """One row of the returned table: an initiative's id ("" for a new row) and what the cells say."""

    row: int
    id: str
    name: str
    values: dict[str, str] = field(default_factory=dict)  # status, actual, next, new_start, new_end, remarks
    filled: dict[Quarter, str] = field(default_factory=dict)  # painted quarter → its colour (RRGGBB, "" for ■)
    parent_row_id: str = ""  # for a new row: the id of the nearest row above that has one


@dataclass
class ReturnedSurvey:
    """A returned survey: its identity, rows, stray texts, and when it was last saved."""

    path: Path
    identity: dict[str, str]
    rows: list[AnswerRow]
    stray: list[str]
    modified: str  # ISO time from docProps/core.xml ("" when not recorded)
    sheet: str


def _norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _fill_colour(cell: Any) -> str | None:
    """The colour a cell is painted with (``RRGGBB``, or ``theme3+0.4``…); ``None`` when it is not painted."""
    fill = getattr(cell, "fill", None)
    if fill is None or fill.fill_type != "solid":
        return None
    color = fill.fgColor
    if color is None:
        return None
    if color.type == "rgb":
        ok = isinstance(color.rgb, str) and color.rgb.upper() not in _WHITE and color.rgb != "00000000"
        return color.rgb[-6:].upper() if ok else None
    if color.type == "theme":
        return None if color.theme in (0, 1) and not color.tint else f"theme{color.theme}{color.tint:+}"
    if color.type == "indexed" and color.indexed not in (9, 64, 65):
        return f"indexed{color.indexed}"
    return None


def _identity(wb: Any) -> tuple[dict[str, str], str]:
    for ws in wb.worksheets:
        pairs: dict[str, str] = {}
        for row in ws.iter_rows(min_row=1, max_row=30, max_col=2, values_only=True):
            if row and isinstance(row[0], str):
                pairs[row[0]] = _text(row[1] if len(row) > 1 else None)
        if pairs.get("marker") == INFO_MARKER:
            return pairs, ws.title
    return {}, ""


def _header_key(text: str) -> str | None:
    if not text:
        return None
    if text == HEAD["id"]:
        return "id"
    for key in ("pillar", "name", "departments", "schedule", "status", "next", "new_start", "new_end", "remarks"):
        if text == HEAD[key] or text.startswith(HEAD[key]):
            return key
    if text.endswith(HEAD["actual"]) and len(text) <= 12:
        return "actual"
    return None


def read_returned(path: str | os.PathLike) -> ReturnedSurvey:
    """Read a returned survey; :class:`NotASurvey` when the file is not one."""
    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise NotASurvey("unreadable", f"{path.name} cannot be read as an Excel workbook ({type(exc).__name__}).",
                         f"{path.name} は Excel ブックとして読み込めません。") from None
    try:
        identity, info_sheet = _identity(wb)
        if not identity:
            raise NotASurvey("not-a-survey", f"{path.name} is not a dxroadmap survey workbook.",
                             f"{path.name} は dxroadmap の照会票ではありません。")
        modified = wb.properties.modified
        modified_text = modified.replace(microsecond=0).isoformat() if isinstance(modified, _dt.datetime) else ""
        for ws in wb.worksheets:
            if ws.title in (info_sheet, DATA_SHEET):
                continue
            grid = [list(r) for r in ws.iter_rows()]
            found = _read_table(grid)
            if found is not None:
                rows, stray = found
                return ReturnedSurvey(path, identity, rows, [f"{ws.title}!{s}" for s in stray], modified_text, ws.title)
        raise NotASurvey("no-table", f"{path.name} has no survey table (no row with the headers 取組名 and 状況).",
                         f"{path.name} に照会票の表（取組名・状況の見出し）が見つかりません。")
    finally:
        wb.close()


def _cell_text(cell: Any) -> str:
    return _text(getattr(cell, "value", None))


def _read_table(grid: list[list[Any]]) -> tuple[list[AnswerRow], list[str]] | None:
    header = None
    for r, row in enumerate(grid[:200]):
        words = {_norm(getattr(c, "value", None)) for c in row}
        if HEAD["name"] in words and HEAD["status"] in words:
            header = r
            break
    if header is None:
        return None
    top = grid[header]
    second = grid[header + 1] if header + 1 < len(grid) else []
    col: dict[str, int] = {}
    for k, cell in enumerate(top):
        key = _header_key(_norm(getattr(cell, "value", None)))
        if key and key not in col:
            col[key] = k
    quarter_col: dict[int, Quarter] = {}
    fy = None
    for k in range(max(len(top), len(second))):
        above = _norm(getattr(top[k], "value", None)) if k < len(top) else ""
        year = parse_fiscal_year(above) if above else None
        if year:
            fy = year
        below = _norm(getattr(second[k], "value", None)) if k < len(second) else ""
        if fy and below in _QUARTER_OF_LABEL:
            quarter_col[k] = Quarter(fy, _QUARTER_OF_LABEL[below])
    body = grid[header + 2:]
    if "id" not in col:  # the header was overwritten: the column where the ids are
        counts: dict[int, int] = {}
        for row in body:
            for k, cell in enumerate(row):
                if is_stable_id(_cell_text(cell)):
                    counts[k] = counts.get(k, 0) + 1
        if counts:
            col["id"] = max(counts, key=counts.get)
    known = set(col.values()) | set(quarter_col)
    skip_cols = {col[k] for k in ("pillar", "departments", "schedule") if k in col}
    stray: list[str] = []
    for r in range(header):
        for k, cell in enumerate(grid[r]):
            text = _cell_text(cell)
            if text and not _is_own_text(text):
                stray.append(f"{get_column_letter(k + 1)}{getattr(cell, 'row', r + 1)}: {text}")
    rows: list[AnswerRow] = []
    last_id = ""
    for row in body:
        def at(key: str, row: list[Any] = row) -> str:
            k = col.get(key)
            return _cell_text(row[k]) if k is not None and k < len(row) else ""
        rid = at("id")
        name = at("name")
        number = next((c.row for c in row if getattr(c, "row", None)), 0)
        if not is_stable_id(rid):
            rid = ""
        values = {key: at(key) for key in ("status", "actual", "next", "new_start", "new_end", "remarks")}
        filled: dict[Quarter, str] = {}
        for k, q in quarter_col.items():
            if k < len(row):
                colour = _fill_colour(row[k])
                if colour is not None or _cell_text(row[k]) in _BAR_MARKS:
                    filled[q] = colour or ""
        extra = [f"{get_column_letter(k + 1)}{number}: {_cell_text(c)}" for k, c in enumerate(row)
                 if k not in known and k not in skip_cols and _cell_text(c)]
        if rid or name:
            rows.append(AnswerRow(number, rid, name, values, filled, "" if rid else last_id))
            stray.extend(extra)
            if rid:
                last_id = rid
        else:
            stray.extend(f"{get_column_letter(k + 1)}{number}: {_cell_text(c)}" for k, c in enumerate(row)
                         if _cell_text(c) and _cell_text(c) != "◆")
    return rows, stray


def _is_own_text(text: str) -> bool:
    """The title and instructions the survey writes above its table."""
    return "取組状況照会票" in text or text.startswith(("【記入のしかた】", "・"))
