"""The tree model over a Document: rows in the shared order, edits as undo steps, drag-and-drop moves."""

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.model.departments import split_departments
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan
from dxroadmap.model.rows import flatten_rows
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import set_language
from dxroadmap.ui.tree_model import COL_DEPARTMENTS, COL_NAME, COL_SUMMARY, MIME_TYPE, PlanTreeModel

Move = Qt.DropAction.MoveAction


def make_plan() -> Plan:
    a = Initiative("A", summary="概要A", departments=["総務課", "企画課"],
                   phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討")],
                   children=[Initiative("A-1"), Initiative("A-2")])
    return Plan(title="t", pillars=[Pillar("P1", [a, Initiative("B"), Initiative("C")], "方針1"),
                                    Pillar("P2", [Initiative("D")])])


@pytest.fixture
def doc(qapp):
    set_language("ja")
    return Document(make_plan())


@pytest.fixture
def model(doc):
    return PlanTreeModel(doc, 26)


def walk(model, parent=QModelIndex()):
    """Depth-first objects as the model exposes them."""
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append(model.object_at(index))
        out.extend(walk(model, index))
    return out


def names(items):
    return [i.name for i in items]


def test_model_rows_are_the_shared_display_rows_and_parents_round_trip(model, doc):
    assert walk(model) == [r.obj for r in flatten_rows(doc.plan)]
    a = doc.plan.pillars[0].initiatives[0]
    child = model.index_of(a.children[1])
    assert model.parent(child) == model.index_of(a)
    assert model.parent(model.index_of(a)) == model.index_of(doc.plan.pillars[0])
    assert not model.parent(model.index_of(doc.plan.pillars[0])).isValid()
    assert model.data(model.index_of(a, COL_DEPARTMENTS)) == "総務課、企画課"
    assert model.data(model.index_of(a, COL_SUMMARY)) == "概要A"
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "取組内容"
    assert model.headerData(COL_DEPARTMENTS, Qt.Orientation.Horizontal) == "関係部門"
    assert model.data(model.index_of(a), Qt.ItemDataRole.SizeHintRole).height() == 26


def test_edits_are_undo_steps_and_the_view_hears_about_them(model, doc, qtbot):
    a = doc.plan.pillars[0].initiatives[0]
    before = plan_to_dict(doc.plan)
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(model.index_of(a, COL_NAME), "  住民票のオンライン申請  ")
    assert a.name == "住民票のオンライン申請"
    assert model.setData(model.index_of(a, COL_DEPARTMENTS), "情報政策課、市民課, 税務課")
    assert a.departments == ["情報政策課", "市民課", "税務課"]
    assert not model.setData(model.index_of(a, COL_NAME), "   ")  # an empty name is refused
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert plan_to_dict(doc.plan) == before


def test_split_departments_accepts_the_usual_separators():
    assert split_departments("総務課、企画課／税務課; 市民課\n福祉課") == ["総務課", "企画課", "税務課", "市民課", "福祉課"]
    assert split_departments(" 、 ") == []


def drag(model, obj) -> QMimeData:
    data = model.mimeData([model.index_of(obj)])
    assert data.hasFormat(MIME_TYPE)
    return data


def test_drop_between_rows_reorders_within_a_pillar_as_one_undo_step(model, doc):
    p1 = doc.plan.pillars[0]
    a, b, c = p1.initiatives
    # drop C above A (row 0 of P1)
    assert model.dropMimeData(drag(model, c), Move, 0, 0, model.index_of(p1))
    assert names(p1.initiatives) == ["C", "A", "B"]
    # drop C below B (row 3 = after the last row, counted before removal)
    assert model.dropMimeData(drag(model, c), Move, 3, 0, model.index_of(p1))
    assert names(p1.initiatives) == ["A", "B", "C"]
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert names(p1.initiatives) == ["C", "A", "B"]
    assert walk(model) == [r.obj for r in flatten_rows(doc.plan)]


def test_drop_between_pillars_and_onto_an_initiative_makes_a_sub_action(model, doc):
    p1, p2 = doc.plan.pillars
    a, b, c = p1.initiatives
    assert model.dropMimeData(drag(model, b), Move, 0, 0, model.index_of(p2))
    assert names(p2.initiatives) == ["B", "D"]
    assert model.dropMimeData(drag(model, c), Move, -1, -1, model.index_of(a))  # onto A
    assert names(a.children) == ["A-1", "A-2", "C"]
    assert model.dropMimeData(drag(model, a.children[0]), Move, -1, -1, model.index_of(p2))  # sub-action → 取組
    assert names(p2.initiatives) == ["B", "D", "A-1"]
    assert walk(model) == [r.obj for r in flatten_rows(doc.plan)]


def test_forbidden_drops_change_nothing(model, doc):
    p1, p2 = doc.plan.pillars
    a = p1.initiatives[0]
    before = plan_to_dict(doc.plan)
    # an initiative into its own sub-action, an initiative at the top level, a pillar inside a pillar
    for data, row, parent in ((drag(model, a), -1, model.index_of(a.children[0])),
                              (drag(model, a), 0, QModelIndex()),
                              (drag(model, p2), 0, model.index_of(p1)),
                              (QMimeData(), 0, model.index_of(p1))):
        assert not model.canDropMimeData(data, Move, row, 0, parent)
        assert not model.dropMimeData(data, Move, row, 0, parent)
    assert plan_to_dict(doc.plan) == before
    assert doc.undo_stack.count() == 0


def test_pillars_reorder_among_pillars(model, doc):
    p1, p2 = doc.plan.pillars
    assert model.dropMimeData(drag(model, p2), Move, 0, 0, QModelIndex())
    assert doc.plan.pillars == [p2, p1]
    assert model.dropMimeData(drag(model, p2), Move, -1, -1, QModelIndex())  # to the end
    assert doc.plan.pillars == [p1, p2]
    assert doc.undo_stack.count() == 2
