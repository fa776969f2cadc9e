"""Main window at scale: 5,000 initiatives / 20,000 phases in the tree, timeline and inspector.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/window.py``
Prints ``open_s`` (set_plan: tree reset and expansion, rows, timeline, first paint),
``select_ms`` (select an initiative: tree, timeline, inspector follow),
``structure_edit_ms`` (add an initiative: model reset, rows rebuilt on both sides),
``field_edit_ms`` (rename an initiative), ``scroll_ms`` (scroll the tree; the timeline
follows) and ``validate_ms`` (the status-bar validation), each the median of 5 runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings  # noqa: E402

from dxroadmap.model.fiscal import month_index  # noqa: E402
from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan, guess_kind  # noqa: E402
from dxroadmap.ui.app import make_application  # noqa: E402

LABELS = ("検討", "実証実験", "導入", "本運用")


def big_plan() -> Plan:
    pillars = []
    for p in range(50):
        inits = [Initiative(f"取組{p}-{i}", departments=["総務課", "情報政策課"],
                            phases=[Phase(month_index(2023 + k, 4), month_index(2024 + k, 3), LABELS[k],
                                          guess_kind(LABELS[k])) for k in range(4)])
                 for i in range(100)]
        pillars.append(Pillar(f"基本方針{p}", inits))
    return Plan(title="大規模計画", start_fy=2023, end_fy=2027, pillars=pillars)


def timed(app, fn) -> float:
    start = time.perf_counter()
    fn()
    app.processEvents()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    settings_dir = tempfile.mkdtemp(prefix="dxroadmap-bench-")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings_dir)
    app = make_application()
    from dxroadmap.ui.main_window import MainWindow
    from dxroadmap.ui.preferences import Preferences

    window = MainWindow(prefs=Preferences())
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    plan = big_plan()
    doc = window.document
    open_ms = timed(app, lambda: doc.set_plan(plan))
    inits = [i for _, i in plan.walk()]
    results = {"select_ms": [], "structure_edit_ms": [], "field_edit_ms": [], "scroll_ms": [], "validate_ms": []}
    for n in range(5):
        target = inits[1000 * n + 17]
        results["select_ms"].append(timed(app, lambda target=target: doc.select(target)))
        results["structure_edit_ms"].append(timed(app, window.add_initiative))
        results["field_edit_ms"].append(timed(app, lambda target=target, n=n: doc.set_fields(target, name=f"改名{n}")))
        results["scroll_ms"].append(timed(app, lambda n=n: window.tree.verticalScrollBar().setValue(20000 * (n + 1))))
        results["validate_ms"].append(timed(app, window.update_problems))
    print(f"initiatives: {plan.counts()['initiatives']}")
    print(f"phases: {plan.counts()['phases']}")
    print(f"open_s: {open_ms / 1000:.3f}")
    for name, values in results.items():
        print(f"{name}: {statistics.median(values):.1f}")
    doc.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
