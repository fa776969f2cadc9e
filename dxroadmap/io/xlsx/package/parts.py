"""Bounded, DTD-refusing access to the parts of an .xlsx package (a zip of XML parts).

One reader for every part the importer opens without openpyxl: ``read_xml_part`` parses a
small part with defusedxml (a size cap; DTDs and entities refused), relationships are
followed from ``_rels`` parts to the workbook and its worksheets, and a sheet's declared
``<dimension>`` is read from the head of its part only. The refusals raised here are the
same plain :class:`PlanReadError` messages :mod:`.preflight` gives.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.package.ns import NS_MAIN, NS_PKG_REL, NS_REL

__all__ = [
    "EXCEL_MAX_ROWS", "EXCEL_MAX_COLS", "MAX_SMALL_PART", "read_xml_part", "resolve_target", "rels_name", "part_relationships", "workbook_part",
    "SheetRef", "workbook_sheets", "declared_dimension", "not_workbook_error", "too_large_error", "unsafe_xml_error",
]

EXCEL_MAX_ROWS, EXCEL_MAX_COLS = 1_048_576, 16_384  # Excel's grid: the most rows and columns a sheet can have
MAX_SMALL_PART = 64 << 20               # workbook.xml, rels, drawings, theme… parsed whole


# ---------------------------------------------------------------- refusals

def not_workbook_error(name: str, en_why: str, ja_why: str) -> PlanReadError:
    """"not-a-workbook": ``name`` is not an .xlsx workbook, for the reason given in both languages."""
    return PlanReadError("not-a-workbook", f"{name} is not an Excel workbook (.xlsx): {en_why}",
                         f"{name} は Excel ブック（.xlsx）ではありません。{ja_why}")


def too_large_error(name: str, en_why: str, ja_why: str) -> PlanReadError:
    """"too-large": ``name`` is too large to open safely, for the reason given in both languages."""
    return PlanReadError("too-large", f"{name} is too large to open safely: {en_why}",
                         f"{name} は大きすぎるため安全に開けません。{ja_why}")


def unsafe_xml_error(name: str, part: str) -> PlanReadError:
    """"not-a-workbook": the part ``part`` declares a DTD or entities, which Excel never writes."""
    return not_workbook_error(
        name, f"its part {part} contains XML declarations (DTD or entities) that Excel never writes, "
        "so it was refused for safety.",
        f"内部の {part} に Excel が書かない XML 宣言（DTD・エンティティ）があるため、安全のため読み込みません。")


# ---------------------------------------------------------------- parts and relationships

def read_xml_part(zf: zipfile.ZipFile, name: str, *, limit: int = MAX_SMALL_PART,
                  label: str | None = None) -> Element | None:
    """Parse one (small) part with defusedxml; ``None`` when absent or not well-formed.

    Raises :class:`PlanReadError` ("too-large") for a part above ``limit`` bytes and
    ("not-a-workbook") for a part declaring a DTD or entities.
    """
    label = label or Path(zf.filename or "workbook").name
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise too_large_error(label, f"its part {name} holds {info.file_size // (1 << 20)} MB.",
                         f"内部の {name} が {info.file_size // (1 << 20)} MB あります。")
    try:
        with zf.open(info) as handle:
            data = handle.read(limit + 1)
        return DET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ValueError) as exc:
        if isinstance(exc, DefusedXmlException):
            raise unsafe_xml_error(label, name) from None
        return None
    except (DET.ParseError, LookupError, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError):
        return None


def resolve_target(source_part: str, target: str) -> str:
    """The zip member name a relationship target points to, relative to ``source_part``."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    base = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def rels_name(part: str) -> str:
    """The member name of the relationships part of ``part`` (``a/b.xml`` → ``a/_rels/b.xml.rels``)."""
    base, leaf = posixpath.split(part)
    return posixpath.join(base, "_rels", leaf + ".rels")


def part_relationships(zf: zipfile.ZipFile, part: str, label: str | None = None) -> dict[str, tuple[str, str]]:
    """``{rId: (type, member name)}`` for a part's internal relationships."""
    root = read_xml_part(zf, rels_name(part), label=label)
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for rel in root.iter(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("TargetMode", "").lower() == "external":
            continue
        rid, target = rel.get("Id"), rel.get("Target")
        if rid and target:
            out[rid] = (rel.get("Type", ""), resolve_target(part, target))
    return out


def workbook_part(zf: zipfile.ZipFile, label: str | None = None) -> str | None:
    """The workbook part name, following _rels/.rels (falls back to xl/workbook.xml)."""
    for rtype, target in part_relationships(zf, "", label).values():
        if rtype.endswith("/officeDocument") and target in zf.NameToInfo:
            return target
    return "xl/workbook.xml" if "xl/workbook.xml" in zf.NameToInfo else None


@dataclass(frozen=True)
class SheetRef:
    """A worksheet of the workbook: its tab title, visibility and zip member name."""

    title: str
    state: str   # "visible", "hidden" or "veryHidden"
    part: str


def workbook_sheets(zf: zipfile.ZipFile, label: str | None = None) -> list[SheetRef]:
    """The workbook's worksheets in tab order (chart sheets and missing parts left out)."""
    wb = workbook_part(zf, label)
    if wb is None:
        return []
    root = read_xml_part(zf, wb, label=label)
    if root is None:
        return []
    rels = part_relationships(zf, wb, label)
    out = []
    for sheet in root.iter(f"{{{NS_MAIN}}}sheet"):
        rid = sheet.get(f"{{{NS_REL}}}id")
        rel = rels.get(rid or "")
        if rel is None or not rel[0].endswith("/worksheet") or rel[1] not in zf.NameToInfo:
            continue
        out.append(SheetRef(sheet.get("name", ""), sheet.get("state", "visible"), rel[1]))
    return out


# ---------------------------------------------------------------- dimension

_DIM_RE = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_DATA_RE = re.compile(rb"<(?:\w+:)?sheetData\b")
_CELL_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _cell_index(ref: str) -> tuple[int, int] | None:
    match = _CELL_RE.match(ref.strip())
    if not match:
        return None
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def declared_dimension(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int, int] | None:
    """(first row, first col, last row, last col), 1-based, a sheet declares in ``<dimension ref>``.

    Read from the part's head only (at most 1 MiB); None when the sheet declares none.
    """
    buf = b""
    with zf.open(info) as handle:
        while len(buf) < 1 << 20:
            chunk = handle.read(16384)
            if not chunk:
                break
            buf += chunk
            match = _DIM_RE.search(buf)
            if match:
                ref = match.group(1).decode("ascii", "replace")
                ends = [_cell_index(p) for p in ref.split(":")]
                if not ends or any(e is None for e in ends):
                    return None
                (r0, c0), (r1, c1) = ends[0], ends[-1]
                return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)
            if _DATA_RE.search(buf):
                return None
    return None
