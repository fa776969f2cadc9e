"""Issue 12 (GUI): when a bar lies outside the office form's years, the refusal dialog offers
様式の年度を広げて書き込む, which adds the missing years to the form and writes the plan into it.

Driven with qtbot on 森町's quarter workbook (s03), through the same session helpers as
test_office_save.py.
"""

from __future__ import annotations

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.paint import Issue
from dxroadmap.model.fiscal import fiscal_year_of
from dxroadmap.ui.dialogs.office_save import OfficeRefusalDialog
from dxroadmap.ui.file_session import written_by_dxroadmap
from tests.ui import test_office_save as base

# the fixtures and helpers of the office-save tests
asked, imports, sessions, office = base.asked, base.imports, base.sessions, base.office
past_the_form, refusal_answer, pytestmark = base.past_the_form, base.refusal_answer, base.pytestmark


def test_refusal_extend_grows_the_form_and_the_visible_form_shows_the_bar(qtbot, sessions, office):
    session, host = sessions()
    original = office.read_bytes()
    assert session.load_file(office)
    past_the_form(session)  # the bar runs to 2029-12: the form ends with FY2027
    edited = plan_to_dict(session.document.plan)
    seen = refusal_answer(qtbot, "extend")
    assert session.save()
    assert len(seen) == 1
    assert seen[0].buttons["extend"].text() == "様式の年度を広げて書き込む"
    assert not session.document.modified and host.errors == []
    assert office.with_name("森町DX推進計画.bak.xlsx").read_bytes() == original
    assert not written_by_dxroadmap(office)
    assert plan_to_dict(import_workbook(office).plan) == edited
    det = WorkbookReader(office).detect({"\0": SheetOverrides()})
    years = {fiscal_year_of(a) for s in det.sheets for a, _ in s.time_columns.values()}
    assert years == set(range(2023, 2030))  # FY2028 and FY2029 added
    visible = WorkbookReader(office).read({"\0": SheetOverrides()}).plan
    bar = next(i for _, i in visible.walk() if i.name == "デジタルデバイド対策").phases[0]
    assert fiscal_year_of(bar.end) == 2029  # shown on the form now, not cut at its edge


def test_the_extend_choice_is_offered_only_for_missing_years(qtbot):
    years = Issue("“A”: the bar lies outside the form's years", "「A」のバーは様式の年度の外にあります", years=True)
    other = Issue("“A”: the form shows no labels on its bars (x)", "「A」：この様式のバーには文字がありません（x）")
    offered = OfficeRefusalDialog("森町.xlsx", [years])
    qtbot.addWidget(offered)
    assert "extend" in offered.buttons and offered.buttons["extend"].isDefault()
    for issues, can in (([years, other], True), ([other], True), ([years], False)):
        dialog = OfficeRefusalDialog("森町.xlsx", issues, can_extend=can)
        qtbot.addWidget(dialog)
        assert "extend" not in dialog.buttons and dialog.buttons["force"].isDefault()
