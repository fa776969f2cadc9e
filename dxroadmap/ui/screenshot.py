"""Make the README screenshot: ``python -m dxroadmap.ui.screenshot PLAN OUT.png [WIDTH HEIGHT]``.

Opens PLAN in the main window with default preferences, selects the first phase of the
first initiative (so the inspector shows its 年度 + 月 pickers) and saves the window
as a PNG. Run it under Xvfb (``xvfb-run -s "-screen 0 1600x900x24" …``) or offscreen.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

__all__ = ["take_screenshot"]


def _settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def take_screenshot(plan_path: str, out_path: str, width: int = 1600, height: int = 900) -> None:
    """Open ``plan_path`` in a ``width``×``height`` main window and save it to ``out_path``."""
    from dxroadmap.ui.app import make_application
    from dxroadmap.ui.main_window import MainWindow
    from dxroadmap.ui.preferences import Preferences

    # A copy in a private folder: the sample's own lock (another open dxroadmap) or crash
    # autosaves of this machine must not put a modal question in front of the picture.
    folder = Path(tempfile.mkdtemp(prefix="dxroadmap-shot-"))
    os.environ["DXROADMAP_DATA_DIR"] = str(folder / "data")
    copy = folder / Path(plan_path).name
    shutil.copyfile(plan_path, copy)
    app = make_application()
    window = MainWindow(prefs=Preferences())
    window.resize(width, height)
    window.show()
    _settle(app)
    if not window.load_file(copy):
        raise SystemExit(f"could not open {plan_path}")
    _settle(app)
    plan = window.document.plan
    target = next((i for _, i in plan.walk() if i.phases), None)
    if target is not None:
        window.document.select(target.phases[0])
    window.document.undo_stack.setClean()
    _settle(app)
    image = window.grab().toImage()
    if not image.save(out_path, "PNG", 9):
        raise SystemExit(f"could not write {out_path}")
    window.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) not in (2, 4):
        raise SystemExit(__doc__.splitlines()[0])
    size = (int(args[2]), int(args[3])) if len(args) == 4 else (1600, 900)
    take_screenshot(args[0], args[1], *size)
