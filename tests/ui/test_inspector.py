"""The inspector: every field edits the plan as undo steps, and undo/redo show up in the fields."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.national import version_of
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.ui.document import Document
from dxroadmap.ui.inspector import Inspector
from dxroadmap.ui.strings import set_language


@pytest.fixture
def doc(qapp):
    set_language("ja")
    a = Initiative("A", phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY)],
                   milestones=[Milestone(month_index(2025, 4), "開始")], priority_items=["独自の項目"])
    return Document(Plan(title="計画", organization="町", start_fy=2023, end_fy=2027,
                         pillars=[Pillar("P1", [a, Initiative("B")])]))


@pytest.fixture
def inspector(doc, qtbot):
    widget = Inspector(doc)
    qtbot.addWidget(widget)
    widget.resize(360, 900)
    widget.show()
    return widget


def type_text(widget, text):
    """Type ``text`` as a Japanese input method delivers it: one committed string per word."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def initiative(doc):
    return doc.plan.pillars[0].initiatives[0]


def undo_all(doc):
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()


def redo_all(doc):
    while doc.undo_stack.canRedo():
        doc.undo_stack.redo()


def test_typing_a_name_is_one_undo_step_and_undo_shows_in_the_field(doc, inspector):
    a = initiative(doc)
    doc.select(a)
    field = inspector.init_name
    field.setFocus()
    field.selectAll()
    type_text(field, "電子申請の拡充")
    assert a.name == "電子申請の拡充"
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert a.name == "A" and field.text() == "A"
    doc.undo_stack.redo()
    assert field.text() == "電子申請の拡充"


def test_every_initiative_field_edits_and_undo_redo_restore_exactly(doc, inspector):
    a = initiative(doc)
    before = plan_to_dict(doc.plan)
    doc.select(a)
    type_text(inspector.init_summary, "窓口に来なくてよい手続を増やす")
    inspector.init_departments.setFocus()
    type_text(inspector.init_departments, "情報政策課")
    QTest.keyClick(inspector.init_departments, Qt.Key.Key_Return)
    type_text(inspector.init_departments, "市民課")
    inspector.init_priority.item(0).setCheckState(Qt.CheckState.Checked)
    inspector.init_priority.item(4).setCheckState(Qt.CheckState.Checked)
    type_text(inspector.init_kpi, "オンライン手続 100件")
    type_text(inspector.init_status.lineEdit(), "実施中")
    type_text(inspector.init_notes, "国の補助金を活用")
    assert a.summary == "窓口に来なくてよい手続を増やす"
    assert a.departments == ["情報政策課", "市民課"]
    items = version_of(doc.plan.national_version).items
    assert a.priority_items == [items[0].name, items[4].name, "独自の項目"]
    assert (a.kpi, a.status, a.notes) == ("オンライン手続 100件", "実施中", "国の補助金を活用")
    after = plan_to_dict(doc.plan)
    assert doc.undo_stack.count() == 7  # summary, departments, 2 checks, kpi, status, notes
    undo_all(doc)
    assert plan_to_dict(doc.plan) == before
    assert inspector.init_summary.toPlainText() == ""
    assert inspector.init_priority.item(0).checkState() == Qt.CheckState.Unchecked
    redo_all(doc)
    assert plan_to_dict(doc.plan) == after
    assert inspector.init_departments.toPlainText() == "情報政策課\n市民課"
    assert inspector.init_priority.item(4).checkState() == Qt.CheckState.Checked


def test_a_change_elsewhere_keeps_the_cursor_in_the_field_being_typed_in(doc, inspector):
    a = initiative(doc)
    doc.select(a)
    edit = inspector.init_summary
    edit.setFocus()
    QTest.keyClicks(edit, "abcdef")
    cursor = edit.textCursor()
    cursor.setPosition(3)
    edit.setTextCursor(cursor)
    doc.set_fields(a, kpi="10件")  # e.g. another view edits the same initiative
    assert inspector.init_kpi.toPlainText() == "10件"
    assert edit.textCursor().position() == 3
    QTest.keyClicks(edit, "X")
    assert a.summary == "abcXdef"


def pick(combo, data):
    """Choose the item with ``data`` from the combo's list, as a click in its popup does."""
    target = combo.findData(data)
    assert target >= 0, data
    combo.setCurrentIndex(target)
    combo.activated.emit(target)


def test_phase_start_and_end_through_the_year_and_month_pickers(doc, inspector):
    phase = initiative(doc).phases[0]
    doc.select(phase)
    assert inspector.stack.currentWidget() is inspector.phase_page
    assert inspector.phase_start.year.currentText() == "令和5年度（2023）"
    assert inspector.phase_start.month.currentText() == "4月"
    pick(inspector.phase_start.month, 3)  # 7月
    assert (phase.start, phase.end) == (month_index(2023, 7), month_index(2024, 3))
    pick(inspector.phase_end.year, 2025)
    pick(inspector.phase_end.month, 11)  # 3月
    assert (phase.start, phase.end) == (month_index(2023, 7), month_index(2026, 3))
    assert "令和5年度 7月 – 令和7年度 3月" in inspector.phase_span.text()
    # a start after the end takes the end along
    pick(inspector.phase_start.year, 2026)
    assert (phase.start, phase.end) == (month_index(2026, 7), month_index(2026, 7))
    assert inspector.phase_end.year.currentData() == 2026
    assert doc.undo_stack.count() == 3  # picking 3月 again changed nothing
    for expected in ((month_index(2023, 7), month_index(2026, 3)), (month_index(2023, 7), month_index(2024, 3)),
                     (month_index(2023, 4), month_index(2024, 3))):
        doc.undo_stack.undo()
        assert (phase.start, phase.end) == expected
        assert inspector.phase_start.value() == expected[0] and inspector.phase_end.value() == expected[1]


def test_pickers_work_from_the_keyboard(doc, inspector):
    phase = initiative(doc).phases[0]
    doc.select(phase)
    inspector.phase_start.month.setFocus()
    QTest.keyClick(inspector.phase_start.month, Qt.Key.Key_Down)
    QTest.keyClick(inspector.phase_start.month, Qt.Key.Key_Down)
    assert phase.start == month_index(2023, 6)
    inspector.phase_end.year.setFocus()
    QTest.keyClick(inspector.phase_end.year, Qt.Key.Key_Down)
    assert phase.end == month_index(2025, 3)
    assert inspector.phase_end.year.currentText() == "令和6年度（2024）"


def test_phase_label_kind_and_colour(doc, inspector, monkeypatch):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog

    phase = initiative(doc).phases[0]
    doc.select(phase)
    type_text(inspector.phase_label, "・要件定義")
    assert phase.label == "検討・要件定義"
    pick(inspector.phase_kind, PhaseKind.OPERATE.value)
    assert phase.kind is PhaseKind.OPERATE
    assert inspector.phase_kind.currentText() == "運用"
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a, **k: QColor("#123456")))
    QTest.mouseClick(inspector.phase_color, Qt.MouseButton.LeftButton)
    assert phase.color == "#123456"
    assert inspector.phase_color_default.isEnabled()
    QTest.mouseClick(inspector.phase_color_default, Qt.MouseButton.LeftButton)
    assert phase.color is None and phase.display_color == PhaseKind.OPERATE.default_color
    undo_all(doc)
    assert (phase.label, phase.kind, phase.color) == ("検討", PhaseKind.STUDY, None)
    assert inspector.phase_label.text() == "検討"


def test_milestone_label_and_month(doc, inspector):
    ms = initiative(doc).milestones[0]
    doc.select(ms)
    assert inspector.stack.currentWidget() is inspector.milestone_page
    pick(inspector.ms_month.month, 9)  # 1月 (of fiscal 2025, i.e. January 2026)
    assert ms.month == month_index(2026, 1)
    inspector.ms_label.selectAll()
    type_text(inspector.ms_label, "本稼働")
    assert ms.label == "本稼働"
    undo_all(doc)
    assert (ms.month, ms.label) == (month_index(2025, 4), "開始")
    assert inspector.ms_month.value() == month_index(2025, 4)


def test_plan_fields_when_nothing_is_selected(doc, inspector):
    doc.select(None)
    assert inspector.stack.currentWidget() is inspector.plan_page
    inspector.plan_title.selectAll()
    type_text(inspector.plan_title, "DX推進計画（改訂版）")
    type_text(inspector.plan_org, "役場")
    pick(inspector.period_end, 2030)
    assert (doc.plan.title, doc.plan.organization) == ("DX推進計画（改訂版）", "町役場")
    assert (doc.plan.start_fy, doc.plan.end_fy) == (2023, 2030)
    pick(inspector.period_start, 2031)  # the end follows a start after it
    assert (doc.plan.start_fy, doc.plan.end_fy) == (2031, 2031)
    undo_all(doc)
    assert (doc.plan.title, doc.plan.organization, doc.plan.start_fy, doc.plan.end_fy) == ("計画", "町", 2023, 2027)
    assert inspector.period_end.currentData() == 2027


def test_pillar_fields(doc, inspector):
    pillar = doc.plan.pillars[0]
    doc.select(pillar)
    type_text(inspector.pillar_description, "誰一人取り残さない")
    inspector.pillar_name.selectAll()
    type_text(inspector.pillar_name, "行政のDX")
    assert (pillar.name, pillar.description) == ("行政のDX", "誰一人取り残さない")
    undo_all(doc)
    assert (pillar.name, pillar.description) == ("P1", "")


def test_departments_typed_with_office_separators_split_and_stay_as_typed(doc, inspector):
    """The field splits like the tree and the workbook readers; the 、 being typed is not rewritten."""
    a = initiative(doc)
    doc.select(a)
    type_text(inspector.init_departments, "総務課、企画課")
    assert a.departments == ["総務課", "企画課"]
    assert inspector.init_departments.toPlainText() == "総務課、企画課"
    assert inspector.init_departments.textCursor().position() == len("総務課、企画課")
    doc.undo_stack.undo()
    assert a.departments == [] and inspector.init_departments.toPlainText() == ""
    doc.undo_stack.redo()
    assert inspector.init_departments.toPlainText() == "総務課\n企画課"


def test_the_priority_checklist_follows_the_plans_national_version(doc, inspector):
    a = initiative(doc)
    a.priority_items = ["フロントヤード改革"]  # the 2.3 name of what 第1.0版 called 行政手続のオンライン化
    doc.plan.national_version = "1.0"
    doc.select(a)
    inspector.refresh()
    names = [inspector.init_priority.item(i).text() for i in range(inspector.init_priority.count())]
    assert names == [item.name for item in version_of("1.0").items]
    checked = [n for i, n in enumerate(names) if inspector.init_priority.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == ["行政手続のオンライン化"]
    doc.plan.national_version = ""
    inspector.refresh()
    assert inspector.init_priority.count() == len(version_of(None).items)
    assert "公金収納におけるeLTAXの活用" in [inspector.init_priority.item(i).text() for i in range(inspector.init_priority.count())]


def test_english_inspector_shows_no_era_dates(qtbot):
    """In English the pickers and the span line read FY2023 / Apr, not 令和5年度 / 4月."""
    from dxroadmap.model.fiscal import month_index
    from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan
    from dxroadmap.ui.document import Document
    from dxroadmap.ui.inspector import Inspector
    from dxroadmap.ui.strings import language, set_language

    before = language()
    set_language("en")
    try:
        phase = Phase(month_index(2023, 4), month_index(2024, 9), "検討")
        plan = Plan(title="t", start_fy=2023, end_fy=2027, pillars=[Pillar("p", [Initiative("a", phases=[phase])])])
        document = Document(plan)
        inspector = Inspector(document)
        qtbot.addWidget(inspector)
        document.select(phase)
        texts = [inspector.phase_start.year.itemText(i) for i in range(inspector.phase_start.year.count())]
        texts += [inspector.phase_start.month.itemText(i) for i in range(12)] + [inspector.phase_span.text()]
        assert "FY2023" in texts and "Apr" in texts
        assert not [t for t in texts if "令和" in t or "月" in t], texts
    finally:
        set_language(before)


def test_short_pages_get_no_scroll_bar_after_the_tall_initiative_page(doc, qtbot):
    """A bar's or a milestone's few fields fit: no scroll bar left over from the initiative's long page."""
    from PySide6.QtWidgets import QScrollArea

    widget = Inspector(doc)
    qtbot.addWidget(widget)
    widget.resize(320, 700)
    widget.show()
    area = next(a for a in widget.findChildren(QScrollArea) if a.widget() is widget.stack)
    a = initiative(doc)
    doc.select(a)
    QApplication.processEvents()
    assert area.verticalScrollBar().isVisible()  # the initiative's page is taller than 700 px: it scrolls
    for obj in (a.phases[0], a.milestones[0], doc.plan.pillars[0], None):
        doc.select(obj)
        QApplication.processEvents()
        assert not area.verticalScrollBar().isVisible(), obj
        assert not area.horizontalScrollBar().isVisible(), obj
        assert area.widget().height() <= area.viewport().height()


def test_english_priority_checklist_glosses_each_national_item_and_still_stores_its_name(doc, qtbot):
    """In English each 重点取組事項 reads with its gloss; ticking one stores the national plan's own name."""
    from dxroadmap.model.national import version_of
    from dxroadmap.ui.strings import language, set_language

    before = language()
    set_language("en")
    try:
        widget = Inspector(doc)
        qtbot.addWidget(widget)
        a = initiative(doc)
        doc.select(a)
        items = [widget.init_priority.item(i) for i in range(widget.init_priority.count())]
        catalogue = version_of(doc.plan.national_version)
        assert len(items) == len(catalogue.items)
        for item, national in zip(items, catalogue.items):
            assert item.text().startswith(national.name) and "(" in item.text() and item.text().isascii() is False
            assert any(c.isascii() and c.isalpha() for c in item.text().split("(", 1)[1])
        items[0].setCheckState(Qt.CheckState.Checked)
        assert catalogue.items[0].name in a.priority_items
        assert not any("(" in p for p in a.priority_items)
    finally:
        set_language(before)
