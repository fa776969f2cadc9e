"""Every sample plan opens in the timeline with every row, phase and milestone drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxroadmap.io.plan_json import read_plan_json
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan
from dxroadmap.model.rows import flatten_rows
from dxroadmap.ui.document import Document
from dxroadmap.ui.timeline import TimelineView

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.json"))


def built_plan() -> Plan:
    """Phases inside and outside the period, sub-actions, milestones."""
    child = Initiative("子", phases=[Phase(month_index(2026, 1), month_index(2026, 6), "導入")],
                       milestones=[Milestone(month_index(2026, 7), "開始")])
    a = Initiative("A", phases=[Phase(month_index(2021, 4), month_index(2023, 9), "検討"),
                                Phase(month_index(2027, 10), month_index(2029, 3), "本運用")],
                   children=[child])
    return Plan(pillars=[Pillar("P", [a, Initiative("B")]), Pillar("Q")])


def plans():
    """Each sample (samples/*.json), and a plan built here that covers the corner cases."""
    return [pytest.param(built_plan, id="built")] + [pytest.param(lambda p=p: read_plan_json(p), id=p.stem)
                                                     for p in SAMPLES]


@pytest.mark.parametrize("load", plans())
def test_every_phase_and_milestone_of_a_plan_is_drawn(qtbot, load):
    plan = load()
    doc = Document(plan)
    view = TimelineView(doc)
    qtbot.addWidget(view)
    rows = flatten_rows(plan)
    view.set_rows(rows)
    # tall enough for every row, however many lanes a crowded one takes
    view.resize(1400, view.header_height() + round(view.state.index.height * view.ROW_HEIGHT) + 10)
    view.show()
    qtbot.waitExposed(view)
    inits = [i for _, i in plan.walk()]
    phases = {p for i in inits for p in i.phases}
    milestones = {m for i in inits for m in i.milestones}
    assert len(view.state.index.rows) == len(rows) == len(plan.pillars) + len(inits)
    assert view.state.index.phase_count == len(phases) == plan.counts()["phases"]
    assert view.state.index.milestone_count == len(milestones)
    # Show every month any item uses, then count what the layers actually painted.
    months = [p.start for p in phases] + [p.end for p in phases] + [m.month for m in milestones]
    if months:
        view._set_x(min(min(months), plan.first_month) - 1, max(max(months), plan.last_month) + 2)
    view.bars.reset_drawn()
    view.milestones.reset_drawn()
    view.grab()
    assert view.bars.drawn == phases
    assert view.milestones.drawn == milestones
    # Each bar sits on its own initiative's row, at its months.
    m = view.mapper()
    for i in inits:
        row = rows.index(next(r for r in rows if r.obj is i))
        for p in i.phases:
            rect = view.bar_rect(p)
            assert m.y(row) < rect.center().y() < m.y(row + 1)
            assert rect.left() == pytest.approx(m.x(p.start)) and rect.right() == pytest.approx(m.x(p.end + 1))
