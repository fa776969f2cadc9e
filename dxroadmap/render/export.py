"""Export a plan's roadmap sheet as PDF (vector), PNG (choose the resolution) or SVG.

Every file goes through :func:`dxroadmap.io.storage.atomic.atomic_path`, so a failed export
never leaves a half-written file under the real name.

Images and pages: a PDF holds every page. A PNG or SVG holds one page: when the sheet
has one page it is written to ``path`` itself; when it has several, page *k* is written
to ``name-k.png`` (``name-k.svg``) beside ``path`` and ``path`` itself is not written.
The functions return the paths written, in page order. Without an explicit ``setup``
(the command line) an image is the whole roadmap fitted on one page, so ``path`` is
exactly the file written; a setup with ``pillar_per_page`` gives one image per pillar
(the way plans print a roadmap per 基本方針), ``fit="width"`` one image per page.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPagedPaintDevice, QPageLayout, QPainter, QPdfWriter

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.model.plan import Plan
from dxroadmap.render.layout import SheetLayout, layout_sheet
from dxroadmap.render.page_setup import PAPERS, PageSetup, paper_mm
from dxroadmap.render.painter import paint_page
from dxroadmap.render.pdf_text import preferred_code_points, repair_to_unicode

__all__ = ["ensure_app", "sheet_for", "write_pdf", "write_png", "write_svg", "page_paths", "setup_for_device",
           "paint_sheet", "CREATOR"]

CREATOR = "dxroadmap"
_app = None
_fixes: dict[str, dict[int, int]] = {}
MAX_PIXELS = 150_000_000  # A3 at 600 dpi is 70 million pixels (280 MB in memory)


def ensure_app() -> QGuiApplication:
    """The running QGuiApplication, creating a headless one when there is none.

    Drawing a roadmap needs no screen, so a process without an application (a batch
    ``dxroadmap convert``, over SSH or in CI) gets Qt's offscreen platform unless
    ``QT_QPA_PLATFORM`` says otherwise; the environment of child processes is untouched.
    """
    global _app
    app = QGuiApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise RuntimeError("drawing a roadmap needs a QGuiApplication, but a QCoreApplication is running")
        return app
    args = ["dxroadmap"]
    if not os.environ.get("QT_QPA_PLATFORM"):
        args += ["-platform", "offscreen"]
    _app = QGuiApplication(args)
    return _app


def _setup(paper: str | None, orientation: str | None, setup: PageSetup | None, fit: str = "width") -> PageSetup:
    if setup is not None:
        return setup
    return PageSetup(paper=paper or "A3", orientation=orientation or "landscape", fit=fit)


def sheet_for(plan: Plan, setup: PageSetup | None = None, today: _dt.date | None = None) -> SheetLayout:
    """Lay ``plan`` out (creating a QGuiApplication when needed)."""
    ensure_app()
    return layout_sheet(plan, setup or PageSetup(), today=today)


def page_paths(path: str | os.PathLike, pages: int) -> list[Path]:
    """Where the pages of an image export go: ``path`` for one page, else ``name-1.ext`` …"""
    path = Path(path)
    if pages <= 1:
        return [path]
    return [path.with_name(f"{path.stem}-{k}{path.suffix}") for k in range(1, pages + 1)]


def setup_for_device(device: QPagedPaintDevice, setup: PageSetup) -> PageSetup:
    """``setup`` with the paper and orientation a printer (or PDF writer) is set to."""
    full = device.pageLayout().fullRect(QPageLayout.Unit.Millimeter)
    w, h = full.width(), full.height()
    orientation = "landscape" if w > h else "portrait"
    for paper in PAPERS:
        pw, ph = paper_mm(paper)
        if abs(pw - min(w, h)) < 1.0 and abs(ph - max(w, h)) < 1.0:
            return setup.with_(paper=paper, orientation=orientation, custom_mm=None)
    return setup.with_(orientation=orientation, custom_mm=(min(w, h), max(w, h)))


def paint_sheet(device: QPagedPaintDevice, plan: Plan, setup: PageSetup, today: _dt.date | None = None) -> int:
    """Paint every page of ``plan`` on a printer (as set up by the user) and return the page count.

    The device's own paper and orientation win over ``setup``'s; it is switched to full-page
    mode so that our margins are the only ones.
    """
    setup = setup_for_device(device, setup)
    sheet = sheet_for(plan, setup, today)
    if hasattr(device, "setFullPage"):
        device.setFullPage(True)
    painter = QPainter()
    if not painter.begin(device):
        raise PlanWriteError("unwritable", "The printer could not be started.", "プリンターを開始できませんでした。")
    try:
        per_unit = device.resolution() / 720.0 if hasattr(device, "resolution") else device.logicalDpiX() / 720.0
        for i in range(len(sheet.pages)):
            if i:
                device.newPage()
            paint_page(painter, sheet, i, per_unit)
    finally:
        painter.end()
    _repair_printed_pdf(device, sheet)
    return len(sheet.pages)


def _repair_printed_pdf(device: QPagedPaintDevice, sheet: SheetLayout) -> None:
    """"Print to file" makes a PDF too: make its text extract as written."""
    try:
        from PySide6.QtPrintSupport import QPrinter
    except ImportError:  # pragma: no cover
        return
    if isinstance(device, QPrinter) and device.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        name = device.outputFileName()
        if name and Path(name).is_file():
            repair_to_unicode(name, _fix_for(sheet))


def _fix_for(sheet: SheetLayout) -> dict[int, int]:
    if sheet.family not in _fixes:
        _fixes[sheet.family] = preferred_code_points(sheet.fonts["name"])
    return _fixes[sheet.family]


def write_pdf(plan: Plan, path: str | os.PathLike, *, paper: str = "A3", orientation: str = "landscape",
              dpi: int | None = None, setup: PageSetup | None = None, today: _dt.date | None = None) -> list[Path]:
    """Write the roadmap sheet of ``plan`` as a vector PDF with embedded fonts."""
    setup = _setup(paper, orientation, setup)
    sheet = sheet_for(plan, setup, today)
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(dpi or 1200)
        writer.setTitle(sheet.title)
        writer.setCreator(CREATOR)
        if plan.organization:
            writer.setAuthor(plan.organization)
        writer.setPageLayout(setup.page_layout())
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        painter = QPainter()
        if not painter.begin(writer):
            raise PlanWriteError("unwritable", f"Could not start writing {Path(path).name}.",
                                 f"{Path(path).name} に書き込めませんでした。")
        try:
            per_unit = writer.resolution() / 720.0
            for i in range(len(sheet.pages)):
                if i:
                    writer.newPage()
                paint_page(painter, sheet, i, per_unit)
        finally:
            painter.end()
        del writer
        repair_to_unicode(tmp, _fix_for(sheet))
    return [Path(path)]


def _write_pages(sheet: SheetLayout, path: str | os.PathLike, write_one) -> list[Path]:
    targets = page_paths(path, len(sheet.pages))
    done: list[Path] = []
    try:
        for i, target in enumerate(targets):
            with atomic_path(target) as tmp:
                write_one(i, tmp)
            done.append(target)
    except BaseException:
        for target in done:  # all pages or none
            try:
                target.unlink()
            except OSError:
                pass
        raise
    return done


def write_png(plan: Plan, path: str | os.PathLike, *, paper: str = "A3", orientation: str = "landscape",
              dpi: int | None = 150, setup: PageSetup | None = None, today: _dt.date | None = None) -> list[Path]:
    """Write the sheet as PNG at ``dpi`` (one file per page, see the module notes)."""
    setup = _setup(paper, orientation, setup, fit="page")
    dpi = dpi or 150
    if not 30 <= dpi <= 1200:
        raise ValueError("dpi must be between 30 and 1200")
    w_mm, h_mm = setup.size_mm
    size = QSize(round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi))
    if size.width() * size.height() > MAX_PIXELS:
        top = int((MAX_PIXELS / (w_mm * h_mm)) ** 0.5 * 25.4)
        raise PlanWriteError("too-large",
                             f"A {dpi} dpi image of this paper would be too large; choose {top} dpi or less "
                             "(or export a PDF, which prints sharp at any size).",
                             f"この用紙で {dpi} dpi の画像は大きすぎます。{top} dpi 以下にするか、"
                             "どの大きさでも鮮明に印刷できる PDF で書き出してください。")
    sheet = sheet_for(plan, setup, today)

    def one(i: int, tmp: Path) -> None:
        image = QImage(size, QImage.Format.Format_RGB32)
        if image.isNull():
            raise PlanWriteError("too-large", "The image is too large at this resolution; choose a lower one.",
                                 "この解像度では画像が大きすぎます。解像度を下げてください。")
        dots_per_metre = round(dpi / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        try:
            paint_page(painter, sheet, i, dpi / 720.0)
        finally:
            painter.end()
        if not image.save(str(tmp), "PNG"):
            raise PlanWriteError("unwritable", f"Could not write {Path(path).name}.",
                                 f"{Path(path).name} に書き込めませんでした。")

    return _write_pages(sheet, path, one)


def write_svg(plan: Plan, path: str | os.PathLike, *, paper: str = "A3", orientation: str = "landscape",
              dpi: int | None = None, setup: PageSetup | None = None, today: _dt.date | None = None) -> list[Path]:
    """Write the sheet as SVG with real text (one file per page, see the module notes)."""
    from PySide6.QtSvg import QSvgGenerator

    setup = _setup(paper, orientation, setup, fit="page")
    sheet = sheet_for(plan, setup, today)
    paper_w, paper_h = sheet.paper_size  # decipoints

    def one(i: int, tmp: Path) -> None:
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setTitle(sheet.title)
        gen.setDescription(f"{CREATOR}: {plan.organization} {sheet.page_text(sheet.pages[i])}")
        gen.setResolution(720)
        gen.setSize(QSize(round(paper_w), round(paper_h)))
        gen.setViewBox(QRectF(0, 0, paper_w, paper_h))
        painter = QPainter()
        if not painter.begin(gen):
            raise PlanWriteError("unwritable", f"Could not write {Path(path).name}.",
                                 f"{Path(path).name} に書き込めませんでした。")
        try:
            painter.fillRect(QRectF(0, 0, paper_w, paper_h), QColor("#FFFFFF"))
            paint_page(painter, sheet, i, 1.0)
        finally:
            painter.end()

    return _write_pages(sheet, path, one)

