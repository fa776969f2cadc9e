"""The editor's Document: every edit is one undo step, and undo/redo restore exactly."""

import pytest

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan
from dxroadmap.ui.document import Document


@pytest.fixture
def doc(qapp):
    a = Initiative("A", phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討")],
                   milestones=[Milestone(month_index(2024, 4), "開始")])
    plan = Plan(title="t", pillars=[Pillar("P1", [a, Initiative("B")]), Pillar("P2", [Initiative("C")])])
    return Document(plan)


def snapshot(doc):
    return plan_to_dict(doc.plan)


def test_each_edit_is_one_step_and_undo_redo_restore_exactly(doc, qtbot):
    before = snapshot(doc)
    a, b = doc.plan.pillars[0].initiatives
    phase, ms = a.phases[0], a.milestones[0]
    steps = [
        lambda: doc.set_phase_span(phase, phase.start + 2, phase.end + 5),
        lambda: doc.set_milestone_month(ms, ms.month + 3),
        lambda: doc.set_fields(a, name="A2", departments=["総務課", "企画課"]),
        lambda: doc.add_phase(b, Phase(month_index(2025, 4), month_index(2026, 3), "導入")),
        lambda: doc.remove_milestone(ms),
        lambda: doc.insert_initiative(a, 0, Initiative("A-1")),
        lambda: doc.move_initiative(b, doc.plan.pillars[1], 1),
        lambda: doc.move_pillar(doc.plan.pillars[1], 0),
        lambda: doc.set_period(2024, 2028),
        lambda: doc.remove_pillar(doc.plan.pillars[0]),
    ]
    states = [before]
    for n, step in enumerate(steps, 1):
        step()
        assert doc.undo_stack.count() == n
        states.append(snapshot(doc))
    assert doc.modified
    for state in reversed(states[:-1]):
        doc.undo_stack.undo()
        assert snapshot(doc) == state
    assert not doc.modified
    for state in states[1:]:
        doc.undo_stack.redo()
        assert snapshot(doc) == state


def test_no_op_edits_push_nothing(doc):
    a = doc.plan.pillars[0].initiatives[0]
    doc.set_phase_span(a.phases[0], a.phases[0].start, a.phases[0].end)
    doc.set_fields(a, name="A")
    doc.set_period(2023, 2027)
    assert doc.undo_stack.count() == 0


def test_typing_merges_into_one_step(doc):
    a = doc.plan.pillars[0].initiatives[0]
    for text in ("概", "概要", "概要です"):
        doc.set_fields(a, summary=text, merge=True)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert a.summary == ""


def test_signals(doc, qtbot):
    a = doc.plan.pillars[0].initiatives[0]
    with qtbot.waitSignal(doc.scheduleChanged) as sig:
        doc.set_phase_span(a.phases[0], a.phases[0].start + 1, a.phases[0].end + 1)
    assert sig.args == [a]
    with qtbot.waitSignal(doc.structureChanged):
        doc.insert_pillar(0, Pillar("新しい基本方針"))
    doc.select(a.phases[0])
    with qtbot.waitSignal(doc.selectionChanged) as sig:
        doc.remove_phase(a.phases[0])
    assert sig.args == [None]


def test_invalid_edits_are_refused(doc):
    a, b = doc.plan.pillars[0].initiatives
    with pytest.raises(ValueError):
        doc.set_phase_span(a.phases[0], 10, 5)
    doc.insert_initiative(a, 0, Initiative("A-1"))
    with pytest.raises(ValueError):
        doc.move_initiative(a, a.children[0], 0)
    with pytest.raises(ValueError):
        doc.set_period(2027, 2023)


def test_document_is_freed_without_the_garbage_collector(qapp):
    """A reference cycle through the undo stack crashed the interpreter at exit (GC tearing down Qt objects)."""
    import gc
    import weakref

    gc.disable()
    try:
        a = Initiative("A", phases=[Phase(0, 5, "検討")])
        doc = Document(Plan(pillars=[Pillar("P", [a])]))
        doc.set_phase_span(a.phases[0], 1, 6)
        doc.set_fields(a, name="B", merge=True)
        doc.insert_initiative(doc.plan.pillars[0], 0, Initiative("C"))
        ref = weakref.ref(doc)
        del doc
        assert ref() is None
    finally:
        gc.enable()


def test_undo_and_redo_emit_the_same_signals_as_the_edit(doc, qtbot):
    a, b = doc.plan.pillars[0].initiatives
    phase = a.phases[0]
    doc.remove_phase(phase)
    with qtbot.waitSignal(doc.scheduleChanged) as sig:
        doc.undo_stack.undo()
    assert sig.args == [a] and a.phases == [phase]
    doc.select(phase)
    with qtbot.waitSignal(doc.selectionChanged) as sig:
        doc.undo_stack.redo()  # removing the selected phase again drops the selection
    assert sig.args == [None] and a.phases == []
    doc.set_milestone_month(a.milestones[0], a.milestones[0].month + 1)
    with qtbot.waitSignals([doc.itemChanged, doc.scheduleChanged]):
        doc.undo_stack.undo()
    doc.select(b)
    doc.remove_initiative(b)
    assert doc.selection is None
    with qtbot.waitSignal(doc.structureChanged):
        doc.undo_stack.undo()
    assert doc.plan.pillars[0].initiatives == [a, b]


def test_merged_typing_redoes_to_the_last_text(doc):
    a = doc.plan.pillars[0].initiatives[0]
    for text in ("概", "概要"):
        doc.set_fields(a, summary=text, merge=True)
    doc.undo_stack.undo()
    assert a.summary == ""
    doc.undo_stack.redo()
    assert a.summary == "概要"
    doc.undo_stack.undo()
    assert a.summary == ""


def test_a_failed_edit_pushes_nothing_and_changes_nothing(doc):
    a = doc.plan.pillars[0].initiatives[0]
    before = snapshot(doc)
    with pytest.raises(ValueError):
        doc.set_fields(doc.plan, end_fy=2000)
    with pytest.raises(ValueError):
        doc.set_fields(a.phases[0], start=a.phases[0].end + 1)
    assert doc.undo_stack.count() == 0 and snapshot(doc) == before
