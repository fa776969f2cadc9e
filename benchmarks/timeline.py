"""Timeline at scale: 5,000 initiatives / 20,000 phases, offscreen at 1600×900.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/timeline.py``
Prints ``rows``, ``phases``, ``first_paint_s`` (construction + set_rows + the first
complete paint) and ``drag_move_ms_median`` (one mouse-move step of a bar drag with
the repaint it causes, median over 50 steps). Targets: first_paint_s ≤ 2.0,
drag_move_ms_median ≤ 8.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from dxroadmap.model.fiscal import fy_first_month  # noqa: E402
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, guess_kind  # noqa: E402
from dxroadmap.model.rows import flatten_rows  # noqa: E402

LABELS = ("検討", "準備", "実証実験", "導入", "本運用", "継続・改善")


def big_plan(initiatives: int = 5000, phases_each: int = 4, seed: int = 1) -> Plan:
    rnd = random.Random(seed)
    plan = Plan(title="大規模テスト", start_fy=2023, end_fy=2027)
    per_pillar = 250
    for p in range(initiatives // per_pillar):
        pillar = Pillar(f"基本方針{p + 1}")
        for i in range(per_pillar):
            init = Initiative(f"取組{p + 1}-{i + 1}")
            m = fy_first_month(2023) + rnd.randrange(0, 6)
            for k in range(phases_each):
                length = rnd.randrange(4, 15)
                label = LABELS[k % len(LABELS)]
                init.phases.append(Phase(m, m + length - 1, label=label, kind=guess_kind(label)))
                m += length
            if i % 5 == 0:
                init.milestones.append(Milestone(fy_first_month(2024) + rnd.randrange(0, 30), "稼働開始"))
            pillar.initiatives.append(init)
        plan.pillars.append(pillar)
    return plan


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from dxroadmap.ui.document import Document
    from dxroadmap.ui.timeline import TimelineView

    plan = big_plan()
    counts = plan.counts()
    t0 = time.perf_counter()
    doc = Document(plan)
    view = TimelineView(doc)
    view.resize(1600, 900)
    view.set_rows(flatten_rows(plan))
    view.show()
    app.processEvents()
    view.grab()
    first_paint = time.perf_counter() - t0

    # Drag a bar in the middle of the visible rows step by step.
    view.set_scroll_y(float(view.state.index.row_top[400]) * view.ROW_HEIGHT)  # rows may span lanes
    app.processEvents()
    row = 400 + 10
    init = view.state.index.rows[row].obj
    phase = init.phases[1]
    vp = view.viewport()
    start = view.map_to_viewport((phase.start + phase.end + 1) / 2, row + 0.5)

    def send(kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
        button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
        ev = QMouseEvent(kind, QPointF(pos), QPointF(vp.mapToGlobal(pos)), button, buttons,
                         Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(vp, ev)

    send(QEvent.Type.MouseMove, start, Qt.MouseButton.NoButton)
    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    app.processEvents()
    px_per_month = view.mapper().sx
    times = []
    for step in range(1, 61):
        pos = start + QPoint(int(round(step * px_per_month * 0.5)), 0)
        t = time.perf_counter()
        send(QEvent.Type.MouseMove, pos, Qt.MouseButton.LeftButton)
        app.processEvents()
        times.append((time.perf_counter() - t) * 1000)
    send(QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
    app.processEvents()
    # Pan by dragging empty space (a full repaint per step).
    empty_row = next(r for r in range(400, 440) if view.state.index.rows[r].kind == "pillar") \
        if any(view.state.index.rows[r].kind == "pillar" for r in range(400, 440)) else 400
    p0 = view.map_to_viewport(view.x_range()[0] + 2, empty_row + 0.5)
    send(QEvent.Type.MouseMove, p0, Qt.MouseButton.NoButton)
    send(QEvent.Type.MouseButtonPress, p0, Qt.MouseButton.LeftButton)
    pan_times = []
    for step in range(1, 41):
        pos = p0 + QPoint(step * 7, 0)
        t = time.perf_counter()
        send(QEvent.Type.MouseMove, pos, Qt.MouseButton.LeftButton)
        app.processEvents()
        pan_times.append((time.perf_counter() - t) * 1000)
    send(QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
    app.processEvents()
    moved = phase.start != init.phases[1].start or doc.undo_stack.count() == 1
    steps = times[10:]  # after the drag has started (the first moves cross pyqtgraph's threshold)

    print(f"rows: {len(view.state.index.rows)}")
    print(f"phases: {counts['phases']}")
    print(f"first_paint_s: {first_paint:.3f}")
    print(f"drag_move_ms_median: {statistics.median(steps):.2f}")
    print(f"pan_move_ms_median: {statistics.median(pan_times[5:]):.2f}")
    print(f"drag_committed_undo_steps: {doc.undo_stack.count()}")
    if not moved:
        print("warning: the drag did not move the bar", file=sys.stderr)


if __name__ == "__main__":
    main()
