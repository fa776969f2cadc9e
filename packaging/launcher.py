"""Entry point of the portable build: the same command line as the ``dxroadmap`` script.

One extra, for checking a build without a screen: ``dxroadmap --screenshot PLAN OUT.png``
opens PLAN in the main window (offscreen works) and saves the window as a PNG, which proves
the bundled Qt, its platform plugins and pyqtgraph start.
"""

from __future__ import annotations

import multiprocessing
import sys


def _main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--screenshot"]:
        if len(args) != 3:
            print("usage: dxroadmap --screenshot PLAN OUT.png", file=sys.stderr)
            return 2
        from dxroadmap.ui.screenshot import take_screenshot

        take_screenshot(args[1], args[2])
        return 0
    from dxroadmap.cli import main

    return main(args)


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(_main())
