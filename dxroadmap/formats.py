"""Which module reads and writes which file type, chosen by extension.

This module sits above io and render: it is the one place that knows that a ``.pdf`` is drawn
by the renderer and a ``.xlsx`` written by the workbook exporter. Readers and writers are
imported inside the functions that use them (plain imports, no look-up by string), so
converting JSON never loads openpyxl or Qt, and a batch job starts quickly.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.xlsx.read.results import Notice
from dxroadmap.model.plan import Plan

if TYPE_CHECKING:  # pragma: no cover
    from dxroadmap.io.xlsx.update.writer import UpdateResult

__all__ = ["ReadResult", "READ_EXTENSIONS", "WRITE_EXTENSIONS", "OFFICE_EXTENSIONS", "read_any", "write_any",
           "update_office", "saved_office_plan", "missing_dependency"]


@dataclass
class ReadResult:
    """A plan read from a file, with the warnings a person should see (rounded dates, skipped rows…)."""

    plan: Plan
    warnings: list[Notice | str] = field(default_factory=list)  # Notices are worded by the UI
    # a workbook dxroadmap saved and a colleague edited: the edits found on its roadmap sheet (already in
    # ``plan``) and the plan as saved, so a person can accept only some (model.merge.apply_changes)
    changes: list = field(default_factory=list)
    base: Plan | None = None


READ_EXTENSIONS = (".json", ".xlsx", ".xlsm", ".xls")
WRITE_EXTENSIONS = (".json", ".xlsx", ".pdf", ".png", ".svg", ".pptx", ".html")
OFFICE_EXTENSIONS = (".xlsx", ".xlsm")  # an office's own workbook that update_office can write into
_BACKUP_EXTENSIONS = (".json", ".xlsx", ".xlsm")


def _keeps_backup(path: Path) -> bool:
    """The one backup rule: plan files and workbooks keep their previous version (``name.bak.xlsx``), never PDF or images."""
    return path.suffix.lower() in _BACKUP_EXTENSIONS


def missing_dependency(package: str, path: Path) -> PlanReadError:
    """The error for an installation that lacks a package a reader needs (e.g. defusedxml)."""
    top = package.split(".")[0]
    return PlanReadError(
        "missing-dependency",
        f"{path.name} cannot be read because this installation lacks the Python package '{top}'; "
        f"reinstall dxroadmap with its dependencies.",
        f"この環境には Python パッケージ「{top}」が入っていないため {path.name} を読み込めません。"
        f"dxroadmap を依存パッケージごと入れ直してください。",
        {"package": top, "name": path.name})


_PAGE_OPTIONS = ("paper", "orientation", "dpi", "columns")


def _refuse_page_options(options: dict[str, Any], ext: str) -> None:
    """Slides and web pages have no paper: say so rather than ignore a --paper the user gave."""
    given = [f"--{name}" for name in _PAGE_OPTIONS if options.get(name)]
    if given:
        raise PlanWriteError("options", f"{', '.join(given)} do not apply to {ext} output.",
                             f"{'、'.join(given)} は {ext} の出力には指定できません。",
                             params={"options": ", ".join(given), "ext": ext})


def read_any(path: str | os.PathLike) -> ReadResult:
    """Read any supported input; :class:`PlanReadError` with a plain reason otherwise."""
    path = Path(path)
    ext = path.suffix.lower()
    if not path.exists():
        raise PlanReadError("missing", f"There is no file {path}.", f"ファイル {path} がありません。", {"path": str(path)})
    if ext == ".json":
        from dxroadmap.io.plan_json import read_plan_json

        return ReadResult(read_plan_json(path))
    if ext in (".xlsx", ".xlsm", ".xls"):  # .xls: legacy BIFF8 workbooks, read through xlrd
        try:
            from dxroadmap.io.xlsx.read.workbook import import_workbook
            from dxroadmap.io.xlsx.reopen import ReopenedResult

            result = import_workbook(path)
        except ModuleNotFoundError as exc:  # never a quieter reader: say what the installation lacks
            raise missing_dependency(exc.name or "?", path) from None
        if isinstance(result, ReopenedResult):
            return ReadResult(result.plan, list(result.warnings), list(result.changes), result.base)
        return ReadResult(result.plan, list(result.warnings))
    raise PlanReadError("unsupported-format",
                        f"{path.name} is not a file dxroadmap can open; it reads .json plans and .xlsx workbooks.",
                        f"{path.name} は開けない種類のファイルです。読み込めるのは .json の計画と .xlsx のブックです。",
                        {"name": path.name})


def write_any(plan: Plan, path: str | os.PathLike, *, backup: bool = False, **options: Any) -> None:
    """Write ``plan`` in the format ``path``'s extension names (atomically).

    ``backup=True`` keeps the previous plan file beside it (``name.bak.json`` /
    ``name.bak.xlsx``); it applies to plan files only, never to PDF or images.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in WRITE_EXTENSIONS:
        raise ValueError(f"cannot write {path.suffix or 'files without an extension'}; use one of {', '.join(WRITE_EXTENSIONS)}")
    if backup and _keeps_backup(path):
        options["backup"] = True
    if ext == ".json":
        from dxroadmap.io.plan_json import write_plan_json

        write_plan_json(plan, path, **options)
    elif ext == ".xlsx":
        from dxroadmap.io.xlsx.export import write_workbook

        write_workbook(plan, path, **options)
    elif ext == ".pdf":
        from dxroadmap.render.export import write_pdf

        write_pdf(plan, path, **options)
    elif ext == ".pptx":
        from dxroadmap.io.pptx_export import write_pptx

        _refuse_page_options(options, ext)
        write_pptx(plan, path, **options)
    elif ext == ".html":
        from dxroadmap.io.html_export import write_html

        _refuse_page_options(options, ext)
        write_html(plan, path, **options)
    elif ext == ".png":
        from dxroadmap.render.export import write_png

        write_png(plan, path, **options)
    else:
        from dxroadmap.render.export import write_svg

        write_svg(plan, path, **options)


def update_office(office: str | os.PathLike, plan: Plan, target: str | os.PathLike, *, force: bool = False,
                  backup: bool = False, extend: bool = False) -> UpdateResult:
    """Write ``plan`` into the office's own workbook ``office`` (its form, its other sheets) and save it as ``target``.

    ``target`` may be ``office`` itself: the update is made in memory first, then written
    atomically; ``backup=True`` keeps the previous ``target`` as write_any does (``name.bak.xlsx``).
    Raises :class:`~dxroadmap.io.xlsx.update.writer.UpdateRefused` (nothing written) when the
    form cannot show the plan and ``force`` is false, :class:`PlanReadError` when ``office``
    cannot be read or its layout cannot be written into, and :class:`PlanWriteError` /
    ``OSError`` when ``target`` cannot be written. Returns the update's result (issues written
    through with ``force``, the parts changed, a summary). ``extend`` first adds the fiscal
    years the plan needs and the form lacks to the form's time axis.
    """
    from dxroadmap.io.storage.atomic import atomic_write_bytes
    from dxroadmap.io.xlsx.update.writer import update_workbook

    target = Path(target)
    result = update_workbook(office, plan, force=force, extend=extend)
    atomic_write_bytes(target, result.data, backup=backup and _keeps_backup(target))
    return result


def saved_office_plan(path: str | os.PathLike) -> Plan | None:
    """The exact plan :func:`update_office` kept in an office's workbook, when its form still matches it.

    ``None`` for a workbook without dxroadmap's hidden data sheet, one whose form was edited
    since (the visible sheet is then the truth: import it), and for anything that cannot be
    read this way (the importer reads it and explains). Looks at the sheet list first, so an
    office's own workbook costs only its zip directory and ``workbook.xml``.
    """
    from dxroadmap.io.xlsx.datasheet import SHEET_NAME, read_data_sheet_quickly
    from dxroadmap.io.xlsx.package.parts import workbook_sheets
    from dxroadmap.io.xlsx.package.preflight import check_workbook

    path = Path(path)
    if path.suffix.lower() not in OFFICE_EXTENSIONS:
        return None
    try:
        check_workbook(path)
        with zipfile.ZipFile(path) as archive:
            if not any(sheet.title == SHEET_NAME for sheet in workbook_sheets(archive)):
                return None
        return read_data_sheet_quickly(path)
    except (PlanReadError, OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
