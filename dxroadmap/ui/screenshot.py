"""Make the README screenshots: ``python -m dxroadmap.ui.screenshot PLAN OUT.png [WIDTH HEIGHT] [options]``.

By default opens PLAN in the main window with default preferences, selects the first
phase of the first initiative (so the inspector shows its 年度 + 月 pickers) and saves
the window as a PNG. Options:

``--lang en``          the window in English (default ``ja``).
``--import-preview``   PLAN is an office's workbook: show the import preview instead.
``--crowd``            drag the first initiative's later phases back over its first one,
                       so the row holds overlapping bars (as after a careless drag).
``--progress``         the 進捗 view (status per fiscal year) with an initiative selected, so the
                       inspector shows its 進捗 section and KPI table.
``--print``            with ``--crowd``: the top of the printed sheet (page 1) instead of the
                       window, where a crowded row grows a lane per overlapping bar.

Run it under Xvfb (``xvfb-run -s "-screen 0 1600x900x24" …``) or offscreen.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

__all__ = ["take_screenshot", "take_import_preview", "main"]


def _settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def _private_copy(path: str) -> tuple[Path, Path]:
    """A copy in a private folder: the sample's own lock (another open dxroadmap) or crash
    autosaves of this machine must not put a modal question in front of the picture."""
    folder = Path(tempfile.mkdtemp(prefix="dxroadmap-shot-"))
    os.environ["DXROADMAP_DATA_DIR"] = str(folder / "data")
    copy = folder / Path(path).name
    shutil.copyfile(path, copy)
    return folder, copy


def _crowd(window) -> None:
    """Move the first initiative's later phases so they overlap its first one (through the document)."""
    target = next((i for _, i in window.document.plan.walk() if len(i.phases) >= 2), None)
    if target is None:
        return
    first = target.phases[0]
    for k, phase in enumerate(list(target.phases[1:]), start=1):
        start = first.start + 2 * k
        window.document.set_phase_span(phase, start, start + (phase.end - phase.start))


def take_screenshot(plan_path: str, out_path: str, width: int = 1600, height: int = 900, *, lang: str = "ja",
                    crowd: bool = False, printed: bool = False, progress: bool = False) -> None:
    """Open ``plan_path`` in a ``width``×``height`` main window and save it (or its print) to ``out_path``."""
    from dxroadmap.ui.app import make_application
    from dxroadmap.ui.main_window import MainWindow
    from dxroadmap.ui.preferences import Preferences

    folder, copy = _private_copy(plan_path)
    app = make_application()
    window = MainWindow(prefs=Preferences(language=lang))
    window.resize(width, height)
    window.show()
    _settle(app)
    if not window.load_file(copy):
        raise SystemExit(f"could not open {plan_path}")
    _settle(app)
    if crowd:
        _crowd(window)
    plan = window.document.plan
    target = next((i for _, i in plan.walk() if i.phases), None)
    if progress:
        window.set_progress_view(True)
        chosen = next((i for _, i in plan.walk() if i.kpis), None) or next((i for _, i in plan.walk()), None)
        if chosen is not None:
            window.document.select(chosen)
    elif target is not None:
        window.document.select(target.phases[0])
    window.document.undo_stack.setClean()
    _settle(app)
    if printed:
        _save_print_top(plan, out_path, folder)
    else:
        image = window.grab().toImage()
        if not image.save(out_path, "PNG", 9):
            raise SystemExit(f"could not write {out_path}")
    window.close()
    shutil.rmtree(folder, ignore_errors=True)


def _save_print_top(plan, out_path: str, folder: Path) -> None:
    """The top of page 1 of the printed sheet (A3 landscape, 110 dpi): title, header and the first rows."""
    from PySide6.QtGui import QImage

    from dxroadmap.render.export import write_png

    pages = write_png(plan, folder / "print.png", dpi=110)
    image = QImage(str(pages[0]))
    top = image.copy(0, 0, image.width(), min(image.height(), int(image.height() * 0.5)))
    if not top.save(out_path, "PNG", 9):
        raise SystemExit(f"could not write {out_path}")


def take_import_preview(workbook: str, out_path: str, width: int = 1400, height: int = 860, *,
                        lang: str = "ja") -> None:
    """Show the import preview of ``workbook`` (fresh settings, nothing remembered) and save it."""
    from PySide6.QtCore import QSettings

    from dxroadmap.io.xlsx.read.workbook import WorkbookReader
    from dxroadmap.ui.app import make_application
    from dxroadmap.ui.import_dialog import ImportDialog
    from dxroadmap.ui.strings import set_language

    folder, copy = _private_copy(workbook)
    app = make_application()
    set_language(lang)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    dialog = ImportDialog(WorkbookReader(copy), None, settings)
    dialog.resize(width, height)
    dialog.show()
    _settle(app, 40)
    image = dialog.grab().toImage()
    if not image.save(out_path, "PNG", 9):
        raise SystemExit(f"could not write {out_path}")
    dialog.close()
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dxroadmap.ui.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("out")
    parser.add_argument("size", nargs="*", type=int, help="WIDTH HEIGHT")
    parser.add_argument("--lang", choices=("ja", "en"), default="ja")
    parser.add_argument("--import-preview", action="store_true")
    parser.add_argument("--crowd", action="store_true")
    parser.add_argument("--print", dest="printed", action="store_true")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    if len(args.size) not in (0, 2):
        parser.error("give both WIDTH and HEIGHT, or neither")
    if args.import_preview:
        take_import_preview(args.plan, args.out, *(args.size or (1400, 860)), lang=args.lang)
    else:
        take_screenshot(args.plan, args.out, *(args.size or (1600, 900)), lang=args.lang, crowd=args.crowd,
                        printed=args.printed, progress=args.progress)


if __name__ == "__main__":
    main()
