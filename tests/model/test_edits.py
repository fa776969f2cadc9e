"""Edit rules the editor applies: snapping, moving and resizing, structure changes."""

import pytest

from dxroadmap.model import edits
from dxroadmap.model.edits import Snap, snap_month
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan, guess_kind
from dxroadmap.model.rows import flatten_rows
from dxroadmap.model.validation import validate


def make_plan():
    a = Initiative("A", phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討")],
                   milestones=[Milestone(month_index(2024, 4), "開始")])
    b = Initiative("B", children=[Initiative("B-1"), Initiative("B-2")])
    return Plan(title="t", start_fy=2023, end_fy=2027, pillars=[Pillar("P1", [a, b]), Pillar("P2", [Initiative("C")])])


def test_snap_month_rounds_to_nearest_boundary():
    base = month_index(2023, 4)
    assert snap_month(base + 0.49) == base
    assert snap_month(base + 0.51) == base + 1
    assert snap_month(base - 0.4) == base


def test_snap_quarter_lands_on_fiscal_quarter_starts():
    for x in (month_index(2023, 5) + 0.2, month_index(2023, 8), month_index(2024, 2) + 0.9):
        q = snap_month(x, Snap.QUARTER)
        assert q % 3 == 0 and abs(q - x) <= 1.5
        assert (q % 12) + 1 in (1, 4, 7, 10)


def test_move_and_resize_phase():
    p = Phase(10, 15)
    assert edits.move_phase(p, 3) == (13, 18)
    assert edits.resize_phase(p, "end", -2) == (13, 16)
    assert edits.resize_phase(p, "start", 10) == (16, 16)  # never shorter than one month
    assert edits.resize_phase(p, "end", -5) == (16, 16)
    with pytest.raises(ValueError):
        edits.resize_phase(p, "middle", 1)
    with pytest.raises(ValueError):
        edits.set_phase_span(p, 5, 4)


def test_structure_edits_and_undo_information():
    plan = make_plan()
    b = plan.pillars[0].initiatives[1]
    b1 = b.children[0]
    old = edits.move_initiative(plan, b1, plan.pillars[1], 0)
    assert [i.name for i in plan.pillars[1].initiatives] == ["B-1", "C"]
    assert old.owner is b and old.index == 0
    edits.move_initiative(plan, b1, old.owner, old.index)
    assert [c.name for c in b.children] == ["B-1", "B-2"]
    with pytest.raises(ValueError):
        edits.move_initiative(plan, b, b1, 0)  # into its own sub-action
    loc = edits.remove_initiative(plan, b)
    assert [i.name for i in plan.pillars[0].initiatives] == ["A"]
    edits.insert_initiative(loc.owner, loc.index, b)
    assert [i.name for i in plan.pillars[0].initiatives] == ["A", "B"]
    p2 = plan.pillars[1]
    assert edits.move_pillar(plan, p2, 0) == 1
    assert [p.name for p in plan.pillars] == ["P2", "P1"]
    assert edits.set_period(plan, 2024, 2028) == (2023, 2027)
    with pytest.raises(ValueError):
        edits.set_period(plan, 2028, 2024)


def test_owner_and_find():
    plan = make_plan()
    a = plan.pillars[0].initiatives[0]
    assert edits.owner_of(plan, a.phases[0]) is a
    assert edits.owner_of(plan, a.milestones[0]) is a
    assert plan.find(a.phases[0].uid) is a.phases[0]
    assert plan.find("nope") is None
    assert plan.counts() == {"pillars": 2, "initiatives": 5, "phases": 1, "milestones": 1}


def test_rows_follow_expansion():
    plan = make_plan()
    rows = flatten_rows(plan)
    assert [(r.kind, r.obj.name, r.depth) for r in rows] == [
        ("pillar", "P1", 0), ("initiative", "A", 0), ("initiative", "B", 0), ("initiative", "B-1", 1),
        ("initiative", "B-2", 1), ("pillar", "P2", 0), ("initiative", "C", 0)]
    b = plan.pillars[0].initiatives[1]
    collapsed = flatten_rows(plan, lambda o: o is not b and o is not plan.pillars[1])
    assert [r.obj.name for r in collapsed] == ["P1", "A", "B", "P2"]


def test_validation_messages_a_planner_understands():
    plan = make_plan()
    assert validate(plan) == []
    a = plan.pillars[0].initiatives[0]
    a.phases.append(Phase(month_index(2030, 4), month_index(2031, 3), "本運用"))
    a.phases.append(Phase(month_index(2025, 4), month_index(2024, 4), "導入"))
    plan.pillars[1].initiatives[0].name = " "
    problems = validate(plan)
    codes = [p.code for p in problems]
    assert codes == ["phase-order", "phase-outside", "initiative-name"] or sorted(codes) == sorted(
        ["phase-outside", "phase-order", "initiative-name"])
    order = next(p for p in problems if p.code == "phase-order")
    assert "令和7年度 4月" in order.message("ja") and "導入" in order.message("ja")
    assert "ends" in order.message("en")
    plan.end_fy = 2020
    assert "period-order" in [p.code for p in validate(plan)]


def test_guess_kind():
    assert guess_kind("検討") is PhaseKind.STUDY
    assert guess_kind("実証実験") is PhaseKind.TRIAL
    assert guess_kind("本運用") is PhaseKind.OPERATE
    assert guess_kind("導入") is PhaseKind.INTRODUCE
    assert guess_kind(None) is PhaseKind.CUSTOM
    assert guess_kind("ふるさと") is PhaseKind.CUSTOM


def test_clamp_span_moves_and_resizes_in_whole_months_keeping_one_month():
    s, e = month_index(2023, 4), month_index(2024, 3)
    assert edits.clamp_span((s, e), "move", 2.4) == (s + 2, e + 2)  # whole months, length kept
    assert edits.clamp_span((s, e), "move", -0.6) == (s - 1, e - 1)
    assert edits.clamp_span((s, e), "start", 3) == (s + 3, e)
    assert edits.clamp_span((s, e), "start", 40) == (e, e)  # a moved edge stops at the other one
    assert edits.clamp_span((s, e), "end", -40) == (s, s)
    assert edits.clamp_span((s, e), "end", 1.3) == (s, e + 1)
    with pytest.raises(ValueError):
        edits.clamp_span((s, e), "middle", 1)


def test_clamp_span_with_push_carries_the_other_edge_along():
    s, e = month_index(2023, 4), month_index(2024, 3)
    assert edits.clamp_span((s, e), "start", 40, push=True) == (s + 40, s + 40)
    assert edits.clamp_span((s, e), "end", -40, push=True) == (e - 40, e - 40)
    assert edits.clamp_span((s, e), "start", 2, push=True) == (s + 2, e)


def test_clamp_span_quarter_snapping_lands_edges_on_fiscal_quarters():
    s, e = month_index(2023, 5), month_index(2024, 2)  # May .. February
    ns, ne = edits.clamp_span((s, e), "move", 1.2, Snap.QUARTER)
    assert ns % 3 == 0 and ne - ns == e - s
    ns, ne = edits.clamp_span((s, e), "start", 0.4, Snap.QUARTER)
    assert ns == month_index(2023, 4) and ne == e
    ns, ne = edits.clamp_span((s, e), "end", 0.2, Snap.QUARTER)
    assert (ne + 1) % 3 == 0 and ns == s  # the end is the last month of a quarter
