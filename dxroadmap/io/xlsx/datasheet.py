"""The hidden data sheet ``dxroadmap_data``: the whole plan as a plain table, so an xlsx reopens losslessly.

The roadmap sheet is for people and rounds dates to its columns; this sheet keeps every
field exactly. Layout (row numbers as Excel shows them):

* row 1 — the format marker ``dxroadmap-data`` in A1, the version number in B1, a note in C1,
  then (D1…I1) ``roadmap``, the roadmap sheet's name, fingerprints of its values and merged
  cells, its time resolution (``quarter``…) and a fingerprint of its filled cells: when a colleague has edited the roadmap sheet in Excel since, the data no longer
  describes what people see, and the reader refuses it so the importer reads the visible sheet;
* row 2 — the header: one column name per field (see :data:`COLUMNS`); readers find columns by
  name, so columns may be reordered or added later;
* row 3 on — one record per row: the ``plan`` (title, organization, period, its department
  survey rounds as JSON, its workbook 凡例 as JSON in ``legend``), then each
  ``pillar`` followed by its ``initiative`` rows (depth first, sub-actions after their parent),
  each followed by its ``phase`` and ``milestone`` rows. ``id`` is the item's stable id
  (``g-…``, ``i-…``, ``p-…``, ``m-…``, :mod:`dxroadmap.model.ids`; data sheets written before
  ids existed name pillars P1… and initiatives I1… and leave phases blank: those read back
  without ids); ``parent`` points at the owner's id; ``order`` is the position among
  siblings; ``depth`` is 0 for an initiative, 1 for its sub-actions…; an initiative's
  yearly ``progress`` and ``kpis`` are JSON texts in their columns, in the shapes of the plan
  JSON (see :mod:`dxroadmap.model.progress`); the plan row's
  ``national_version`` names the national plan version followed; last come the ``version`` rows,
  the plan's named snapshots (版): ``id`` V1, V2… per snapshot, its name and saved date
  (YYYY-MM-DD, in ``date``) on its first row, and the snapshot as plan JSON (the ``plan`` object of
  the JSON file) cut into chunks in ``snapshot``, one per row in ``order``

Text is stored as written, except for a reversible escape that keeps it intact through
XML and Excel: ``\\`` for a backslash, ``\\uXXXX`` for characters XML cannot hold (control
characters, CR, U+FFFE/U+FFFF, lone surrogates) and for the ``_`` of an ``_xHHHH_`` sequence
(which Excel would otherwise decode), and a cell holding exactly ``\\e`` for an empty string
where empty and missing differ (labels). Lists (departments, priority items) are JSON arrays.
Every text cell is written as a string (never a formula), with Excel's quote prefix when
it starts with ``= + - @``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Iterable

import defusedxml.ElementTree as DefusedET
import openpyxl
from openpyxl.utils import range_boundaries

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.plan_json import FORMAT as JSON_FORMAT
from dxroadmap.io.plan_json import VERSION as JSON_VERSION
from dxroadmap.io.plan_json import plan_from_dict, plan_to_dict
from dxroadmap.model.fiscal import format_ym, month_index, parse_ym
from dxroadmap.model.ids import clear_duplicate_ids, is_stable_id
from dxroadmap.model.legend import legend_from_json, legend_to_json
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan, PlanVersion, guess_kind
from dxroadmap.model.progress import ProgressFormatError, kpis_from_json, kpis_to_json, progress_from_json, progress_to_json

__all__ = [
    "SHEET_NAME",
    "MARKER",
    "VERSION",
    "COLUMNS",
    "MAX_CELL_CHARS",
    "encode_text",
    "decode_text",
    "put_text",
    "write_data_sheet",
    "stamp_roadmap_sheet",
    "read_plan_from_data_sheet",
    "read_data_sheet",
    "DataSheet",
    "read_data_sheet_quickly",
]

SHEET_NAME = "dxroadmap_data"
MARKER = "dxroadmap-data"
VERSION = 1
MAX_CELL_CHARS = 32767  # Excel's limit for the text of one cell
MAX_DEPTH = 50

COLUMNS: tuple[str, ...] = (
    "record", "id", "parent", "depth", "order",
    "name", "label", "start", "end", "date", "kind", "color",
    "summary", "departments", "priority_items", "kpi", "status", "notes",
    "description", "organization", "start_fy", "end_fy", "progress", "kpis",
    "national_version", "snapshot", "survey_rounds", "legend",
)
_WIDTHS = {"record": 11, "id": 7, "parent": 7, "depth": 6, "order": 6, "name": 30, "label": 16, "start": 9,
           "end": 9, "date": 9, "kind": 10, "color": 9, "summary": 40, "departments": 24, "priority_items": 24,
           "kpi": 20, "status": 12, "notes": 24, "description": 24, "organization": 16, "start_fy": 9, "end_fy": 9,
           "progress": 24, "kpis": 24, "survey_rounds": 24, "legend": 24}

_NOTE = "dxroadmap が計画を読み戻すためのデータです。編集しないでください。 / Data dxroadmap reads back; please do not edit."
_EMPTY = "\\e"

# Characters that XML 1.0 cannot carry, or that it would not give back as written (CR).
_NEEDS_ESCAPE = re.compile("[\\\\\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPE_SEQ = re.compile(r"\\(\\|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_FORMULA_START = ("=", "+", "-", "@")


# ------------------------------------------------------------------ text encoding


def encode_text(text: str) -> str:
    """The reversible cell form of ``text`` (see the module docstring)."""
    out = _NEEDS_ESCAPE.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\u{ord(m.group()):04X}", text)
    return _EXCEL_ESCAPE.sub(r"\\u005F", out)


def decode_text(cell: str) -> str:
    """The text :func:`encode_text` encoded (a stray backslash is kept as it is)."""
    if "\\" not in cell:
        return cell

    def one(m: re.Match) -> str:
        seq = m.group(1)
        return "\\" if seq == "\\" else chr(int(seq[1:], 16))

    return _ESCAPE_SEQ.sub(one, cell)


def put_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as a string, never as a formula."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


# ------------------------------------------------------------------ writing


class _Writer:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.col = {name: k + 1 for k, name in enumerate(COLUMNS)}
        self.row = 2

    def text(self, value: str | None, *, optional: bool = False) -> str | None:
        if value is None:
            return None
        if value == "":
            return _EMPTY if optional else None
        encoded = encode_text(value)
        if len(encoded) > MAX_CELL_CHARS:
            raise PlanWriteError(
                "too-long",
                f"A text of {len(value):,} characters is too long for an Excel cell (at most {MAX_CELL_CHARS:,}); "
                f"shorten it (it begins “{value[:20]}”) or save as .json.",
                f"Excel のセルに入らない長さ（{len(value):,} 文字）の文があります（上限 {MAX_CELL_CHARS:,} 文字）。"
                f"「{value[:20]}」で始まる文を短くするか、.json で保存してください。")
        return encoded

    def add(self, record: str, **fields: Any) -> None:
        self.row += 1
        ws = self.ws
        put_text(ws.cell(self.row, self.col["record"]), record)
        for name, value in fields.items():
            if value is None:
                continue
            cell = ws.cell(self.row, self.col[name])
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value


def _list_text(items: Iterable[str]) -> str | None:
    items = list(items)
    return json.dumps(items, ensure_ascii=False) if items else None


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_data_sheet(wb: Any, plan: Plan) -> None:
    """Add the hidden ``dxroadmap_data`` sheet holding all of ``plan`` to openpyxl workbook ``wb``.

    Raises :class:`PlanWriteError` (``too-long``) when a text cannot fit in an Excel cell.
    """
    if SHEET_NAME in wb.sheetnames:
        del wb[SHEET_NAME]
    ws = wb.create_sheet(SHEET_NAME)
    ws.sheet_state = "hidden"
    put_text(ws.cell(1, 1), MARKER)
    ws.cell(1, 2).value = VERSION
    put_text(ws.cell(1, 3), _NOTE)
    for k, name in enumerate(COLUMNS, start=1):
        put_text(ws.cell(2, k), name)
        ws.column_dimensions[ws.cell(2, k).column_letter].width = _WIDTHS.get(name, 10)
    ws.freeze_panes = "A3"

    w = _Writer(ws)
    t = w.text
    w.add("plan", name=t(plan.title), organization=t(plan.organization), start_fy=plan.start_fy, end_fy=plan.end_fy,
          national_version=t(plan.national_version),
          survey_rounds=t(json.dumps(plan.survey_rounds, ensure_ascii=False)) if plan.survey_rounds else None,
          legend=t(_json_text(legend_to_json(plan.legend))) if plan.legend else None)
    counter = 0
    used: set[str] = set()

    def row_id(item: Any, fallback: str) -> str | None:
        """The item's stable id; a row number for an item without one (or a repeated one)."""
        if is_stable_id(item.id) and item.id not in used:
            used.add(item.id)
            return item.id
        return fallback

    def add_initiative(init: Initiative, parent: str, depth: int, order: int) -> None:
        nonlocal counter
        counter += 1
        my_id = row_id(init, f"I{counter}")
        w.add("initiative", id=my_id, parent=parent, depth=depth, order=order, name=t(init.name),
              summary=t(init.summary), departments=t(_list_text(init.departments)),
              priority_items=t(_list_text(init.priority_items)), kpi=t(init.kpi), status=t(init.status),
              notes=t(init.notes), progress=t(_json_text(progress_to_json(init.progress)) if init.progress else None),
              kpis=t(_json_text(kpis_to_json(init.kpis)) if init.kpis or init.kpi else None))
        for k, phase in enumerate(init.phases):
            w.add("phase", id=row_id(phase, None), parent=my_id, order=k, label=t(phase.label, optional=True), start=format_ym(phase.start),
                  end=format_ym(phase.end), kind=phase.kind.value, color=t(phase.color, optional=True))
        for k, ms in enumerate(init.milestones):
            w.add("milestone", id=row_id(ms, None), parent=my_id, order=k, label=t(ms.label, optional=True), date=format_ym(ms.month))
        for k, child in enumerate(init.children):
            add_initiative(child, my_id, depth + 1, k)

    for p, pillar in enumerate(plan.pillars):
        pid = row_id(pillar, f"P{p + 1}")
        w.add("pillar", id=pid, order=p, name=t(pillar.name), description=t(pillar.description))
        for k, init in enumerate(pillar.initiatives):
            add_initiative(init, pid, 0, k)
    _write_versions(w, plan)


_SNAPSHOT_CHUNK = 5000  # characters of JSON per cell: even fully escaped (6 each) it fits in one cell


def _write_versions(w: _Writer, plan: Plan) -> None:
    """One or more ``version`` rows per snapshot: name and date on the first, the plan JSON in ``snapshot``."""
    for k, version in enumerate(plan.versions):
        text = json.dumps(plan_to_dict(version.plan)["plan"], ensure_ascii=False, separators=(",", ":"))
        chunks = [text[i:i + _SNAPSHOT_CHUNK] for i in range(0, len(text), _SNAPSHOT_CHUNK)] or [""]
        for j, chunk in enumerate(chunks):
            first = j == 0
            w.add("version", id=f"V{k + 1}", order=j, name=w.text(version.name, optional=True) if first else None,
                  date=version.saved if first else None, snapshot=w.text(chunk))


# ------------------------------------------------------------------ reading


class _Damaged(Exception):
    def __init__(self, row: int | None, en: str, ja: str) -> None:
        super().__init__(en)
        self.row, self.en, self.ja = row, en, ja


def _damaged_error(bad: _Damaged) -> PlanReadError:
    where_en = f" (row {bad.row})" if bad.row else ""
    where_ja = f"（{bad.row} 行目）" if bad.row else ""
    return PlanReadError(
        "invalid",
        f"The dxroadmap data sheet in this workbook is damaged{where_en}: {bad.en}.",
        f"このブックの dxroadmap データシートが壊れています{where_ja}：{bad.ja}。")


class _Row:
    """One record with typed accessors that raise :class:`_Damaged` naming the row and column."""

    def __init__(self, number: int, values: tuple, col: dict[str, int]) -> None:
        self.number, self.values, self.col = number, values, col

    def raw(self, name: str) -> Any:
        k = self.col.get(name)
        if k is None or k >= len(self.values):
            return None
        return self.values[k]

    def fail(self, name: str, en: str, ja: str) -> _Damaged:
        return _Damaged(self.number, f"{name} {en}", f"{name} {ja}")

    def text(self, name: str, *, optional: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            return None if optional else ""
        if isinstance(value, bool):
            raise self.fail(name, "should be text", "は文字列のはずです")
        if isinstance(value, (int, float)):
            value = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if not isinstance(value, str):
            raise self.fail(name, "should be text", "は文字列のはずです")
        if value == _EMPTY:
            return ""
        return decode_text(value)

    def integer(self, name: str, *, default: int | None = None) -> int:
        value = self.raw(name)
        if value is None and default is not None:
            return default
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"should be a whole number, not {value!r}", f"は整数のはずです（{value!r}）")
        return value

    def month(self, name: str) -> int:
        value = self.raw(name)
        if isinstance(value, (_dt.datetime, _dt.date)):
            return month_index(value.year, value.month)
        try:
            return parse_ym(value)
        except ValueError:
            raise self.fail(name, f"should be a month written YYYY-MM, not {value!r}",
                            f"は YYYY-MM 形式の年月のはずです（{value!r}）") from None

    def string_list(self, name: str) -> list[str]:
        text = self.text(name)
        if not text:
            return []
        try:
            items = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            items = None
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise self.fail(name, "should be a list of texts", "はテキストの一覧のはずです")
        return items

    def yearly_cycle(self, legacy_kpi: str) -> tuple[dict, list]:
        """The ``progress`` and ``kpis`` columns (JSON in the shapes of :mod:`dxroadmap.model.progress`)."""
        parsed = []
        for name in ("progress", "kpis"):
            text = self.text(name)
            try:
                parsed.append(json.loads(text) if text else None)
            except (json.JSONDecodeError, RecursionError):
                raise self.fail(name, "should be JSON", "は JSON のはずです") from None
        try:
            return progress_from_json(parsed[0]), kpis_from_json(parsed[1], legacy_kpi)
        except ProgressFormatError as bad:
            raise self.fail(bad.where, bad.what, f"が正しくありません（{bad.what}）") from None


def _find_sheet(wb: Any) -> Any | None:
    for name in wb.sheetnames:
        if name == SHEET_NAME:
            return wb[name]
    return None


# ------------------------------------------------------------------ the roadmap sheet's fingerprint
#
# A colleague may edit the visible roadmap sheet in Excel and pass the file on; the data sheet
# would then silently undo their edits. So the data sheet also records a fingerprint of the
# roadmap sheet as saved (its cell values and, where the reader offers them, its merged ranges),
# in row 1 after the note: "roadmap", the sheet's name, the values digest, the merges digest.

_STAMP = "roadmap"


# Excel's _xHHHH_ escapes: readers and writers disagree on them (LibreOffice decodes and does not
# re-encode them), so runs of them count as one token in the fingerprint.
_EXCEL_ESCAPES = re.compile(r"(?:_x[0-9A-Fa-f]{4})+_")


def _values_digest(ws: Any) -> str:
    h = hashlib.sha256()
    for r, values in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                if isinstance(value, str):
                    value = _EXCEL_ESCAPES.sub("_x_", value)
                h.update(repr((r, c, value)).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _fills_digest(ws: Any) -> str:
    """A digest of which cells are filled with which colour (a bar stretched by filling one more cell).

    Cells inside a merged block after its first are left out: openpyxl does not give their
    fills back the same way in its two reading modes.
    """
    covered: set[tuple[int, int]] = set()
    for ref in _merge_refs(ws) or ():
        try:
            c0, r0, c1, r1 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    h = hashlib.sha256()
    keys: dict[int, str | None] = {}  # fill id -> colour key (a sheet has few distinct fills)
    fills = getattr(ws.parent, "_fills", None)
    for r, cells in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        for c, cell in enumerate(cells, start=1):
            if (r, c) in covered:
                continue
            style = getattr(cell, "_style", None) if hasattr(cell, "_style") else getattr(cell, "style_array", None)
            if style is None:
                continue
            fill_id = style.fillId
            if fill_id not in keys:
                keys[fill_id] = _fill_key(fills[fill_id] if fills is not None and fill_id < len(fills) else cell.fill)
            key = keys[fill_id]
            if key is not None:
                h.update(repr((r, c, key)).encode("ascii", "replace"))
    return h.hexdigest()[:32]


def _fill_key(fill: Any) -> str | None:
    """A solid fill's colour as text (``RRGGBB``, or theme / indexed and tint); ``None`` for no fill."""
    if fill is None or fill.fill_type != "solid" or fill.fgColor is None:
        return None
    color = fill.fgColor
    if color.type == "rgb" and isinstance(color.rgb, str):
        return color.rgb[-6:].upper()
    return f"{color.type}:{color.theme if color.type == 'theme' else color.indexed}:{round(color.tint or 0, 3)}"


def _merge_refs(ws: Any) -> list[str] | None:
    """The merged ranges of a worksheet (``A1:B2``…); ``None`` when they cannot be had."""
    merged = getattr(ws, "merged_cells", None)
    if merged is not None:
        return [str(rng.coord) for rng in merged.ranges]
    source = getattr(ws, "_get_source", None)  # read-only worksheets skip merges: read them from the XML
    if source is None:
        return None
    refs: list[str] = []
    try:
        with source() as handle:
            for _, element in DefusedET.iterparse(handle):
                if element.tag.endswith("}mergeCell") and element.get("ref"):
                    refs.append(element.get("ref"))
                element.clear()
    except Exception:  # noqa: BLE001 — a fingerprint we cannot compute is simply not checked
        return None
    return refs


def _merges_digest(ws: Any) -> str | None:
    refs = _merge_refs(ws)
    if refs is None:
        return None
    return hashlib.sha256("\n".join(sorted(refs)).encode("ascii", "replace")).hexdigest()[:32]


def stamp_roadmap_sheet(wb: Any, sheet_name: str, columns: str = "") -> None:
    """Record the fingerprint of the finished roadmap sheet ``sheet_name`` in the data sheet.

    ``columns`` (year / half / quarter / month) is the sheet's time resolution, kept in H1 so
    that an edited sheet can be compared with the same sheet as dxroadmap wrote it.
    """
    data, ws = wb[SHEET_NAME], wb[sheet_name]
    stamp = (_STAMP, sheet_name, _values_digest(ws), _merges_digest(ws) or "", columns, _fills_digest(ws))
    for col, value in enumerate(stamp, start=4):
        if value:
            put_text(data.cell(1, col), value)


def _roadmap_edited(wb: Any, first_row: tuple) -> bool:
    """True when the roadmap sheet no longer matches the fingerprint stored with the data."""
    stamp = list(first_row[3:9]) + [None] * 6
    if stamp[0] != _STAMP or not isinstance(stamp[1], str) or stamp[1] not in wb.sheetnames:
        return False  # no fingerprint, or the roadmap sheet is gone: the data sheet is all there is
    ws = wb[stamp[1]]
    if isinstance(stamp[2], str) and stamp[2] != _values_digest(ws):
        return True
    if isinstance(stamp[5], str) and stamp[5] != _fills_digest(ws):
        return True
    merges = _merges_digest(ws)
    return bool(stamp[3]) and merges is not None and stamp[3] != merges


@dataclass
class DataSheet:
    """What the data sheet holds: the plan as saved, and how the roadmap sheet stands against it.

    ``roadmap_sheet`` is the name of the roadmap sheet written with it (``None`` when the
    fingerprint is missing), ``edited`` is True when that sheet changed since, and ``columns``
    its time resolution (year / half / quarter / month; "" for workbooks saved before it was kept).
    """

    plan: Plan
    roadmap_sheet: str | None
    edited: bool
    columns: str


def read_data_sheet(wb: Any) -> DataSheet | None:
    """The data sheet of ``wb`` with the roadmap sheet's state; ``None`` when there is none.

    Raises :class:`PlanReadError` for a damaged or newer data sheet, but not for an edited
    roadmap sheet (see :func:`read_plan_from_data_sheet`, which does).
    """
    ws = _find_sheet(wb)
    if ws is None:
        return None
    try:
        plan, first = _read(ws)
    except _Damaged as bad:
        raise _damaged_error(bad) from None
    stamp = list(first[3:8]) + [None] * 5
    sheet = stamp[1] if stamp[0] == _STAMP and isinstance(stamp[1], str) and stamp[1] in wb.sheetnames else None
    columns = stamp[4] if isinstance(stamp[4], str) else ""
    return DataSheet(plan, sheet, _roadmap_edited(wb, tuple(first)), columns)


def read_plan_from_data_sheet(wb: Any) -> Plan | None:
    """The plan kept in ``wb``'s ``dxroadmap_data`` sheet; ``None`` when the workbook has none.

    ``wb`` is an openpyxl workbook (normal or read-only mode, ``data_only=True``). A sheet that
    is there but cannot be read raises :class:`PlanReadError` with reason ``invalid``, and so
    does one whose roadmap sheet was edited after dxroadmap saved the workbook (the data no
    longer says what the visible sheet says, so the caller should read the visible sheet);
    one written by a newer dxroadmap raises ``newer-version``.
    """
    data = read_data_sheet(wb)
    if data is None:
        return None
    if data.edited:
        raise PlanReadError(
            "invalid",
            "The roadmap sheet was edited after dxroadmap saved this workbook, so the hidden dxroadmap_data sheet "
            "no longer matches it.",
            "このブックは dxroadmap で保存した後にロードマップのシートが編集されているため、"
            "非表示のデータシート（dxroadmap_data）の内容と一致しません。")
    return data.plan


def _read(ws: Any) -> tuple[Plan, tuple]:
    """The plan and the sheet's first row (marker, version, roadmap fingerprint)."""
    rows = ws.iter_rows(values_only=True)
    first = next(rows, None) or ()
    if not first or first[0] != MARKER:
        raise _Damaged(1, f"the format marker {MARKER} is missing from A1", f"A1 に形式の印 {MARKER} がありません")
    version = _Row(1, first, {"version": 1}).integer("version") if len(first) > 1 else None
    if version is None or version < 1:
        raise _Damaged(1, "the version number in B1 is missing", "B1 の形式バージョン番号がありません")
    if version > VERSION:
        raise PlanReadError(
            "newer-version",
            f"This workbook was saved by a newer dxroadmap (data version {version}); update dxroadmap to open it.",
            f"このブックは新しい dxroadmap で保存されています（データ形式 {version}）。dxroadmap を更新してから開いてください。")
    header = next(rows, None) or ()
    col: dict[str, int] = {}
    for k, name in enumerate(header):
        if isinstance(name, str) and name.strip() and name.strip() not in col:
            col[name.strip()] = k
    missing = [name for name in ("record", "id", "parent", "order") if name not in col]
    if missing:
        raise _Damaged(2, f"the header lacks the column {missing[0]}", f"見出し行に列 {missing[0]} がありません")

    plan: Plan | None = None
    pillars: list[tuple[int, int, Pillar]] = []  # (order, row, pillar)
    by_id: dict[str, tuple[str, Any]] = {}
    links: list[tuple[_Row, str, Any]] = []  # (row, parent id, object) for initiatives, phases, milestones
    versions: dict[str, list[_Row]] = {}  # version id -> its rows (name and date on the first, JSON in each)

    for number, values in enumerate(rows, start=3):
        if values is None or all(v is None for v in values):
            continue
        row = _Row(number, values, col)
        record = row.raw("record")
        if record == "plan":
            if plan is not None:
                raise _Damaged(number, "a second plan record", "plan の行が二つあります")
            plan = Plan(title=row.text("name"), organization=row.text("organization"),
                        start_fy=row.integer("start_fy"), end_fy=row.integer("end_fy"),
                        national_version=row.text("national_version"),
                        survey_rounds=_survey_rounds(row), legend=_legend(row))
        elif record == "pillar":
            pillar = Pillar(name=row.text("name"), description=row.text("description"), id=_stable(row))
            _register(by_id, row, "pillar", pillar)
            pillars.append((row.integer("order", default=len(pillars)), number, pillar))
        elif record == "initiative":
            init = Initiative(name=row.text("name"), summary=row.text("summary"),
                              departments=row.string_list("departments"),
                              priority_items=row.string_list("priority_items"), kpi=row.text("kpi"),
                              status=row.text("status"), notes=row.text("notes"), id=_stable(row))
            init.progress, init.kpis = row.yearly_cycle(init.kpi)
            _register(by_id, row, "initiative", init)
            links.append((row, _parent_id(row), init))
        elif record == "phase":
            label = row.text("label", optional=True)
            kind_value = row.raw("kind")
            try:
                kind = PhaseKind(kind_value) if kind_value else guess_kind(label)
            except ValueError:
                raise row.fail("kind", f"is not a phase kind: {kind_value!r}", f"が段階の種類ではありません（{kind_value!r}）") from None
            phase = Phase(start=row.month("start"), end=row.month("end"), label=label, kind=kind,
                          color=row.text("color", optional=True), id=_stable(row))
            links.append((row, _parent_id(row), phase))
        elif record == "milestone":
            links.append((row, _parent_id(row), Milestone(month=row.month("date"), label=row.text("label", optional=True),
                                                          id=_stable(row))))
        elif record == "version":
            versions.setdefault(row.text("id"), []).append(row)
        else:
            raise _Damaged(number, f"unknown record type {record!r}", f"不明な行の種類 {record!r}")
    if plan is None:
        raise _Damaged(None, "the plan record is missing", "plan の行がありません")

    # Attach everything to its owner in sibling order (rows may have been sorted by hand).
    owned: dict[int, list[tuple[int, int, Any]]] = {}
    owner_of: dict[int, Any] = {}
    for row, parent, obj in links:
        kind, owner = by_id.get(parent, (None, None))
        if owner is None:
            raise row.fail("parent", f"names no pillar or initiative ({parent!r})", f"が基本方針・取組を指していません（{parent!r}）")
        if isinstance(obj, Initiative):
            owner_of[id(obj)] = owner
        elif kind != "initiative":
            raise row.fail("parent", f"should name an initiative ({parent!r})", f"は取組を指すはずです（{parent!r}）")
        owned.setdefault(id(owner), []).append((row.integer("order", default=row.number), row.number, obj))
    for owner_kind, owner in by_id.values():
        items = sorted(owned.get(id(owner), []), key=lambda t: (t[0], t[1]))
        objs = [obj for _, _, obj in items]
        if owner_kind == "pillar":
            owner.initiatives = objs
        else:
            owner.phases = [o for o in objs if isinstance(o, Phase)]
            owner.milestones = [o for o in objs if isinstance(o, Milestone)]
            owner.children = [o for o in objs if isinstance(o, Initiative)]
    _check_tree(by_id, owner_of)
    plan.pillars = [p for _, _, p in sorted(pillars, key=lambda t: (t[0], t[1]))]
    clear_duplicate_ids(plan)  # a phase id repeated by hand: the first keeps it
    plan.versions = [_read_version(rows) for rows in versions.values()]
    return plan, tuple(first)


def _read_version(rows: list[_Row]) -> PlanVersion:
    """A snapshot from its ``version`` rows (chunks of the plan JSON in ``order``)."""
    rows = sorted(rows, key=lambda r: (r.integer("order", default=0), r.number))
    head = rows[0]
    saved = head.text("date")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", saved):
        raise head.fail("date", f"should be a date written YYYY-MM-DD, not {saved!r}", f"は YYYY-MM-DD 形式の日付のはずです（{saved!r}）")
    try:
        body = json.loads("".join(r.text("snapshot") for r in rows))
        snap = plan_from_dict({"format": JSON_FORMAT, "version": JSON_VERSION, "plan": {**body, "versions": None}})
    except (json.JSONDecodeError, RecursionError, TypeError, PlanReadError):
        raise head.fail("snapshot", "is not a readable plan", "が計画として読めません") from None
    return PlanVersion(head.text("name"), saved, snap)


def _survey_rounds(row: _Row) -> list[dict]:
    """The plan's department survey rounds (a JSON list of objects; see :mod:`dxroadmap.io.surveys`)."""
    text = row.text("survey_rounds")
    if not text:
        return []
    try:
        rounds = json.loads(text)
    except ValueError:
        raise row.fail("survey_rounds", "is not valid JSON", "が正しい JSON ではありません") from None
    if not isinstance(rounds, list) or not all(isinstance(r, dict) for r in rounds):
        raise row.fail("survey_rounds", "should be a list of objects", "はオブジェクトのリストのはずです")
    return rounds


def _legend(row: _Row) -> list[tuple[str, str]]:
    """The office workbook's own 凡例 kept with the plan (JSON ``[{"color", "label"}]``; unreadable → none)."""
    text = row.text("legend")
    if not text:
        return []
    try:
        return legend_from_json(json.loads(text))
    except (ValueError, RecursionError):
        return []


def _stable(row: _Row) -> str:
    """The row's stable id; "" for the row numbers (P1, I1) of older data sheets."""
    value = row.raw("id")
    return value if is_stable_id(value) and len(value) <= 64 else ""


def _parent_id(row: _Row) -> str:
    value = row.raw("parent")
    if not isinstance(value, str) or not value:
        raise row.fail("parent", "is missing", "がありません")
    return value


def _register(by_id: dict[str, tuple[str, Any]], row: _Row, kind: str, obj: Any) -> None:
    value = row.raw("id")
    if not isinstance(value, str) or not value:
        raise row.fail("id", "is missing", "がありません")
    if value in by_id:
        raise row.fail("id", f"{value} is used twice", f"{value} が重複しています")
    by_id[value] = (kind, obj)


def _check_tree(by_id: dict[str, tuple[str, Any]], owner_of: dict[int, Any]) -> None:
    """Every initiative hangs under a pillar, without loops, at most MAX_DEPTH levels deep."""
    for kind, obj in by_id.values():
        if kind != "initiative":
            continue
        seen, node, depth = set(), obj, 0
        while isinstance(node, Initiative):
            if id(node) in seen or depth > MAX_DEPTH:
                raise _Damaged(None, f"the sub-actions of “{obj.name}” loop or nest too deeply",
                               f"「{obj.name}」の小項目が循環しているか、入れ子が深すぎます")
            seen.add(id(node))
            node = owner_of.get(id(node))
            depth += 1


def read_data_sheet_quickly(path: str | os.PathLike) -> Plan | None:
    """The plan in the data sheet of the workbook at ``path``, opened in openpyxl's fast read-only mode.

    Opening a roadmap workbook in openpyxl's normal mode costs seconds per thousand merged
    bars (about 20 s for 2,000 initiatives); read-only mode reads the same data sheet in
    about a second. Returns ``None`` when the file has no data sheet or cannot be opened
    this way (the full importer then reads it and reports any problem); raises
    :class:`PlanReadError` like :func:`read_plan_from_data_sheet`. Run the pre-load safety
    checks before calling it.
    """
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError):
        return None
    try:
        return read_plan_from_data_sheet(wb)
    finally:
        wb.close()
