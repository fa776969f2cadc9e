"""Edits as plain operations: each returns its inverse, and undo/redo restore the plan exactly, without Qt."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxroadmap.io.plan_json import plan_to_dict, read_plan_json
from dxroadmap.model import operations as ops
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import PRIORITY_ITEMS, Initiative, Milestone, Phase, PhaseKind, Pillar, Plan

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.json"))


def make_plan() -> Plan:
    a = Initiative("A", departments=["総務課"],
                   phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY),
                           Phase(month_index(2024, 4), month_index(2025, 3), "導入", PhaseKind.INTRODUCE)],
                   milestones=[Milestone(month_index(2024, 4), "開始")])
    b = Initiative("B", children=[Initiative("B-1"), Initiative("B-2", phases=[Phase(month_index(2025, 4),
                                                                                       month_index(2026, 3))])])
    return Plan(title="t", organization="町", start_fy=2023, end_fy=2027,
                pillars=[Pillar("P1", [a, b], "説明"), Pillar("P2", [Initiative("C")]), Pillar("P3")])


def _shape(items: list) -> list:
    """Which objects sit where, by identity (a snapshot of values alone would miss a swapped object)."""
    out = []
    for item in items:
        if isinstance(item, Pillar):
            out.append((id(item), _shape(item.initiatives)))
        else:
            out.append((id(item), [id(p) for p in item.phases], [id(m) for m in item.milestones],
                        _shape(item.children)))
    return out


def snapshot(plan: Plan) -> tuple:
    """Every value (as saved) and every object's place."""
    return plan_to_dict(plan), _shape(plan.pillars)


def every_operation(plan: Plan) -> list[ops.Operation]:
    """One of each kind of edit the editor makes, on ``make_plan()``."""
    p1, p2, p3 = plan.pillars
    a, b = p1.initiatives
    phase, ms = a.phases[0], a.milestones[0]
    return [
        ops.SetFields(plan, {"title": "新しい計画", "organization": "市"}),
        ops.SetFields(plan, {"start_fy": 2024, "end_fy": 2030}),
        ops.SetFields(p1, {"name": "くらし", "description": ""}),
        ops.SetFields(a, {"name": "A2", "departments": ["総務課", "企画課"], "priority_items": [PRIORITY_ITEMS[0]],
                          "summary": "概要", "kpi": "10件", "status": "実施中", "notes": "備考"}),
        ops.SetFields(phase, {"label": "実証", "kind": PhaseKind.TRIAL, "color": "#112233"}),
        ops.SetFields(phase, {"start": phase.start + 1, "end": phase.end + 2}),
        ops.SetFields(ms, {"label": "稼働", "month": ms.month + 5}),
        ops.SetPhaseSpan(phase, phase.start + 3, phase.end + 3),
        ops.SetPhaseSpan(phase, phase.start, phase.start),
        ops.SetMilestoneMonth(ms, ms.month - 2),
        ops.InsertItem(a, Phase(month_index(2026, 4), month_index(2027, 3), "運用")),
        ops.InsertItem(a, Phase(month_index(2022, 4), month_index(2023, 3), "調査"), 0),
        ops.InsertItem(b, Milestone(month_index(2025, 10), "公開")),
        ops.RemoveItem(a, phase),
        ops.RemoveItem(a, a.phases[1]),
        ops.RemoveItem(a, ms),
        ops.InsertInitiative(p2, 0, Initiative("D", children=[Initiative("D-1")])),
        ops.InsertInitiative(b, 1, Initiative("B-1.5")),
        ops.InsertInitiative(p3, 5, Initiative("E")),
        ops.RemoveInitiative(a),
        ops.RemoveInitiative(b.children[1]),
        ops.MoveInitiative(a, p2, 1),
        ops.MoveInitiative(b.children[0], p1, 0),
        ops.MoveInitiative(a, b, 1),
        ops.MoveInitiative(b, p1, 1),  # to where it is
        ops.InsertPillar(1, Pillar("新しい基本方針", [Initiative("F")])),
        ops.RemovePillar(p1),
        ops.RemovePillar(p3),
        ops.MovePillar(p1, 2),
        ops.MovePillar(p3, 0),
        ops.SetPeriod(2025, 2032),
    ]


@pytest.mark.parametrize("n", range(len(every_operation(make_plan()))))
def test_each_operation_then_its_inverse_restores_the_plan_and_redo_replays_it(n):
    plan = make_plan()
    op = every_operation(plan)[n]
    before = snapshot(plan)
    inverse = op.apply(plan)
    after = snapshot(plan)
    assert after != before or isinstance(op, ops.MoveInitiative)  # every operation but the no-op move changes something
    redo = inverse.apply(plan)
    assert snapshot(plan) == before
    assert type(redo) is type(op)
    again = redo.apply(plan)
    assert snapshot(plan) == after
    again.apply(plan)
    assert snapshot(plan) == before


def test_each_operation_changes_what_it_says():
    plan = make_plan()
    a, b = plan.pillars[0].initiatives
    phase = a.phases[0]
    ops.SetPhaseSpan(phase, 10, 20).apply(plan)
    assert (phase.start, phase.end) == (10, 20)
    ops.MoveInitiative(a, plan.pillars[1], 1).apply(plan)
    assert plan.pillars[1].initiatives[1] is a and plan.pillars[0].initiatives == [b]
    ops.MovePillar(plan.pillars[0], 2).apply(plan)
    assert [p.name for p in plan.pillars] == ["P2", "P3", "P1"]
    ops.SetFields(a, {"departments": ["企画課"]}).apply(plan)
    assert a.departments == ["企画課"]
    ops.SetPeriod(2024, 2026).apply(plan)
    assert (plan.start_fy, plan.end_fy) == (2024, 2026)


def test_a_list_value_is_copied_so_later_edits_of_the_list_do_not_leak_into_history():
    plan = make_plan()
    a = plan.pillars[0].initiatives[0]
    departments = ["企画課"]
    inverse = ops.SetFields(a, {"departments": departments}).apply(plan)
    a.departments.append("税務課")  # e.g. an importer appending to the live list
    assert departments == ["企画課"]
    inverse.apply(plan)
    assert a.departments == ["総務課"]


@pytest.mark.parametrize("make_op", [
    lambda plan: ops.SetPhaseSpan(plan.pillars[0].initiatives[0].phases[0], 10, 5),
    lambda plan: ops.SetFields(plan.pillars[0].initiatives[0].phases[0], {"start": 99999}),
    lambda plan: ops.SetFields(plan, {"end_fy": 2000}),
    lambda plan: ops.SetFields(plan.pillars[0], {"no_such_field": 1}),
    lambda plan: ops.SetFields(plan.pillars[0], {"uid": "x"}),
    lambda plan: ops.SetPeriod(2027, 2023),
    lambda plan: ops.MoveInitiative(plan.pillars[0].initiatives[1], plan.pillars[0].initiatives[1].children[0], 0),
    lambda plan: ops.RemoveInitiative(Initiative("not in the plan")),
    lambda plan: ops.RemoveItem(plan.pillars[0].initiatives[0], Phase(1, 2)),
    lambda plan: ops.InsertItem(plan.pillars[0].initiatives[0], plan.pillars[0].initiatives[0].phases[0]),
    lambda plan: ops.RemovePillar(Pillar("not in the plan")),
    lambda plan: ops.MovePillar(Pillar("not in the plan"), 0),
])
def test_an_invalid_operation_raises_and_changes_nothing(make_op):
    plan = make_plan()
    before = snapshot(plan)
    with pytest.raises((ValueError, LookupError)):
        make_op(plan).apply(plan)
    assert snapshot(plan) == before


# ------------------------------------------------------------------ random histories on the samples

_text = st.text(alphabet="あいう総務課企画、・ AB1\n", max_size=8)


def _initiatives(plan: Plan) -> list[Initiative]:
    return plan.initiatives()


def _random_operation(data: st.DataObject, plan: Plan) -> ops.Operation:
    inits = _initiatives(plan)
    phases = [(i, p) for i in inits for p in i.phases]
    milestones = [(i, m) for i in inits for m in i.milestones]
    month = st.integers(plan.first_month - 24, plan.last_month + 24)
    kinds = ["period", "plan", "insert_pillar"]
    if plan.pillars:
        kinds += ["pillar", "remove_pillar", "move_pillar", "insert_initiative"]
    if inits:
        kinds += ["initiative", "remove_initiative", "move_initiative", "insert_item"]
    if phases:
        kinds += ["phase", "span", "remove_item"]
    if milestones:
        kinds += ["milestone", "month", "remove_item"]
    kind = data.draw(st.sampled_from(kinds))
    if kind == "period":
        start = data.draw(st.integers(2000, 2040))
        return ops.SetPeriod(start, start + data.draw(st.integers(0, 10)))
    if kind == "plan":
        return ops.SetFields(plan, {data.draw(st.sampled_from(["title", "organization"])): data.draw(_text)})
    if kind == "insert_pillar":
        return ops.InsertPillar(data.draw(st.integers(-1, len(plan.pillars) + 1)),
                                Pillar(data.draw(_text), [Initiative("新")] if data.draw(st.booleans()) else []))
    if kind == "pillar":
        pillar = data.draw(st.sampled_from(plan.pillars))
        return ops.SetFields(pillar, {data.draw(st.sampled_from(["name", "description"])): data.draw(_text)})
    if kind == "remove_pillar":
        return ops.RemovePillar(data.draw(st.sampled_from(plan.pillars)))
    if kind == "move_pillar":
        return ops.MovePillar(data.draw(st.sampled_from(plan.pillars)), data.draw(st.integers(0, len(plan.pillars))))
    owners: list[Pillar | Initiative] = list(plan.pillars) + inits
    if kind == "insert_initiative":
        owner = data.draw(st.sampled_from(owners))
        return ops.InsertInitiative(owner, data.draw(st.integers(-1, 6)),
                                    Initiative(data.draw(_text), children=[Initiative("子")]))
    if kind == "initiative":
        init = data.draw(st.sampled_from(inits))
        field = data.draw(st.sampled_from(["name", "summary", "departments", "priority_items", "kpi", "status", "notes"]))
        if field in ("departments", "priority_items"):
            return ops.SetFields(init, {field: data.draw(st.lists(_text, max_size=3))})
        return ops.SetFields(init, {field: data.draw(_text)})
    if kind == "remove_initiative":
        return ops.RemoveInitiative(data.draw(st.sampled_from(inits)))
    if kind == "move_initiative":
        init = data.draw(st.sampled_from(inits))
        targets = [o for o in owners if not any(o is i for i in init.walk())]
        return ops.MoveInitiative(init, data.draw(st.sampled_from(targets)), data.draw(st.integers(0, 6)))
    if kind == "insert_item":
        init = data.draw(st.sampled_from(inits))
        start = data.draw(month)
        item = (Phase(start, start + data.draw(st.integers(0, 30)), data.draw(_text))
                if data.draw(st.booleans()) else Milestone(start, data.draw(_text)))
        return ops.InsertItem(init, item, data.draw(st.none() | st.integers(-1, 5)))
    if kind == "remove_item":
        owner, item = data.draw(st.sampled_from(phases + milestones))
        return ops.RemoveItem(owner, item)
    if kind == "phase":
        _, phase = data.draw(st.sampled_from(phases))
        return ops.SetFields(phase, {"label": data.draw(st.none() | _text), "kind": data.draw(st.sampled_from(PhaseKind)),
                                     "color": data.draw(st.sampled_from([None, "#FF0000", "#00AA00"]))})
    if kind == "span":
        _, phase = data.draw(st.sampled_from(phases))
        start = data.draw(month)
        return ops.SetPhaseSpan(phase, start, start + data.draw(st.integers(0, 40)))
    if kind == "milestone":
        _, ms = data.draw(st.sampled_from(milestones))
        return ops.SetFields(ms, {"label": data.draw(st.none() | _text)})
    _, ms = data.draw(st.sampled_from(milestones))
    return ops.SetMilestoneMonth(ms, data.draw(month))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sample=st.sampled_from(SAMPLES), data=st.data())
def test_random_history_on_a_sample_undone_in_reverse_gives_the_original_and_redo_replays_it(sample, data):
    plan = read_plan_json(sample)
    states = [snapshot(plan)]
    inverses = []
    for _ in range(data.draw(st.integers(1, 25), label="steps")):
        op = _random_operation(data, plan)
        inverses.append(op.apply(plan))
        states.append(snapshot(plan))
    redos = []
    for inverse, state in zip(reversed(inverses), reversed(states[:-1])):
        redos.append(inverse.apply(plan))
        assert snapshot(plan) == state
    for redo, state in zip(reversed(redos), states[1:]):
        redo.apply(plan)
        assert snapshot(plan) == state


def test_the_samples_are_there():
    assert len(SAMPLES) >= 3


def test_fields_of_a_phase_already_ending_before_it_starts_can_still_be_edited():
    """An imported plan may hold such a phase (validation reports it); renaming it must not be refused."""
    plan = make_plan()
    phase = plan.pillars[0].initiatives[0].phases[0]
    phase.start, phase.end = 30, 20
    plan.start_fy, plan.end_fy = 2027, 2023
    ops.SetFields(phase, {"label": "検討（再）"}).apply(plan)
    ops.SetFields(plan, {"title": "計画"}).apply(plan)
    assert phase.label == "検討（再）" and plan.title == "計画"


def test_set_progress_adds_changes_and_removes_a_year_and_each_inverse_restores_it():
    from dxroadmap.model.progress import ProgressEntry

    plan = make_plan()
    a = plan.pillars[0].initiatives[0]
    a.progress = {2024: ProgressEntry("in-progress", "B", "実績", "次", "2025-03")}
    before = snapshot(plan)
    entry = ProgressEntry("delayed", "C", "遅れ", "", "2024-03")
    undo_add = ops.SetProgress(a, 2023, entry).apply(plan)
    assert list(a.progress) == [2023, 2024]  # kept in year order
    assert a.progress[2023] == entry and a.progress[2023] is not entry  # a copy
    entry.status = "done"
    assert a.progress[2023].status == "delayed"  # the caller's object cannot reach the plan
    undo_change = ops.SetProgress(a, 2024, ProgressEntry("done")).apply(plan)
    assert a.progress[2024].status == "done"
    undo_remove = ops.SetProgress(a, 2023, None).apply(plan)
    assert 2023 not in a.progress
    redo_remove = undo_remove.apply(plan)
    assert a.progress[2023].status == "delayed"
    redo_remove.apply(plan)
    undo_change.apply(plan)
    assert a.progress[2024] == ProgressEntry("in-progress", "B", "実績", "次", "2025-03")
    undo_add.apply(plan)
    assert snapshot(plan) == before


def test_set_kpis_replaces_the_list_with_copies_and_its_inverse_restores_it():
    from dxroadmap.model.progress import Baseline, Kpi

    plan = make_plan()
    a = plan.pillars[0].initiatives[0]
    a.kpis = [Kpi("申請件数", "件", Baseline(2022, 10), {2027: 100}, {2023: 20})]
    before = snapshot(plan)
    new = [Kpi("申請件数", "件", Baseline(2022, 10), {2027: 100}, {2023: 25}), Kpi("待ち時間", "分", direction="lower")]
    undo = ops.SetKpis(a, new).apply(plan)
    assert [k.name for k in a.kpis] == ["申請件数", "待ち時間"] and a.kpis[0].actuals == {2023: 25}
    new[0].actuals[2023] = 99
    assert a.kpis[0].actuals == {2023: 25}
    redo = undo.apply(plan)
    assert snapshot(plan) == before
    redo.apply(plan)
    assert a.kpis[1].direction == "lower"
    with pytest.raises(ValueError):
        ops.SetKpis(a, ["not a kpi"]).apply(plan)
    assert len(a.kpis) == 2
