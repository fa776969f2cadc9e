"""Which module reads and writes which file type, looked up by extension.

Readers and writers are imported only when used, so converting JSON never loads
openpyxl or Qt, and a batch job starts quickly.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.plan import Plan
from .errors import PlanReadError

__all__ = ["ReadResult", "READ_EXTENSIONS", "WRITE_EXTENSIONS", "read_any", "write_any", "sniff_legacy_xls"]


@dataclass
class ReadResult:
    """A plan read from a file, with the warnings a person should see (rounded dates, skipped rows…)."""

    plan: Plan
    warnings: list[str] = field(default_factory=list)


# extension -> "module:function"; modules are relative to dxroadmap.
_READERS = {
    ".json": "io.plan_json:read_plan_json",
    ".xlsx": "io.xlsx_import:import_workbook",
    ".xlsm": "io.xlsx_import:import_workbook",
}
_WRITERS = {
    ".json": "io.plan_json:write_plan_json",
    ".xlsx": "io.xlsx_export:write_workbook",
    ".pdf": "render.export:write_pdf",
    ".png": "render.export:write_png",
    ".svg": "render.export:write_svg",
}
READ_EXTENSIONS = tuple(_READERS) + (".xls",)
WRITE_EXTENSIONS = tuple(_WRITERS)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _resolve(spec: str):
    module, func = spec.split(":")
    return getattr(importlib.import_module(f"dxroadmap.{module}"), func)


def sniff_legacy_xls(path: Path) -> bool:
    """True for an Excel 97–2003 (.xls) file, whatever its name."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head == _OLE_MAGIC and path.suffix.lower() == ".xls"


def read_any(path: str | os.PathLike) -> ReadResult:
    """Read any supported input; :class:`PlanReadError` with a plain reason otherwise."""
    path = Path(path)
    ext = path.suffix.lower()
    if not path.exists():
        raise PlanReadError("missing", f"There is no file {path}.", f"ファイル {path} がありません。")
    if ext == ".xls":
        raise PlanReadError("legacy-xls",
                            f"{path.name} is in the old Excel 97–2003 format (.xls); open it in Excel and save it as .xlsx, then try again.",
                            f"{path.name} は古い Excel 97–2003 形式（.xls）です。Excel で開いて .xlsx 形式で保存し直してから読み込んでください。")
    spec = _READERS.get(ext)
    if spec is None:
        raise PlanReadError("unsupported-format",
                            f"{path.name} is not a file dxroadmap can open; it reads .json plans and .xlsx workbooks.",
                            f"{path.name} は開けない種類のファイルです。読み込めるのは .json の計画と .xlsx のブックです。")
    try:
        reader = _resolve(spec)
    except ImportError:
        raise PlanReadError("unsupported-format", f"Reading {ext} files is not available in this installation.",
                            f"このインストールでは {ext} ファイルを読み込めません。") from None
    result = reader(path)
    if isinstance(result, Plan):
        return ReadResult(result)
    return ReadResult(result.plan, list(getattr(result, "warnings", [])))


_BACKUP_EXTENSIONS = (".json", ".xlsx")


def write_any(plan: Plan, path: str | os.PathLike, *, backup: bool = False, **options: Any) -> None:
    """Write ``plan`` in the format ``path``'s extension names (atomically).

    ``backup=True`` keeps the previous plan file beside it (``name.bak.json`` /
    ``name.bak.xlsx``); it applies to plan files only, never to PDF or images.
    """
    path = Path(path)
    ext = path.suffix.lower()
    spec = _WRITERS.get(ext)
    if spec is None:
        raise ValueError(f"cannot write {path.suffix or 'files without an extension'}; use one of {', '.join(WRITE_EXTENSIONS)}")
    writer = _resolve(spec)
    if backup and ext in _BACKUP_EXTENSIONS:
        options["backup"] = True
    if options:
        writer(plan, path, **options)
    else:
        writer(plan, path)
