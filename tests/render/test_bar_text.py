"""What a bar says is one rule (model.colors.bar_text): the same words on screen and in print."""

from __future__ import annotations

from dxroadmap.model.colors import bar_text
from dxroadmap.model.fiscal import month_index as mi
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan
from dxroadmap.render.layout import layout_sheet


def labelless_plan() -> Plan:
    inits = [Initiative(f"取組{kind.value}", phases=[Phase(mi(2023, 4), mi(2025, 3), None, kind)]) for kind in PhaseKind]
    inits.append(Initiative("名前つき", phases=[Phase(mi(2023, 4), mi(2025, 3), "独自の名前", PhaseKind.STUDY)]))
    return Plan(title="表示の確認", start_fy=2023, end_fy=2027, pillars=[Pillar("柱", inits)])


def test_a_labelless_bar_names_its_kind_and_a_labelled_one_its_label():
    assert bar_text(Phase(0, 5, None, PhaseKind.STUDY)) == "検討"
    assert bar_text(Phase(0, 5, "", PhaseKind.OPERATE)) == "運用"
    assert bar_text(Phase(0, 5, None, PhaseKind.CUSTOM)) == ""  # その他 says nothing: the legend has its colour
    assert bar_text(Phase(0, 5, "独自の名前", PhaseKind.STUDY)) == "独自の名前"


def test_print_writes_what_the_rule_says_on_every_bar(qapp):
    plan = labelless_plan()
    layout = layout_sheet(plan)
    printed = {row.name: (row.bars[0].label, row.bars[0].full_label)
               for page in layout.pages for row in page.initiative_rows}
    for _, init in plan.walk():
        expected = bar_text(init.phases[0])
        assert printed[init.name] == (expected, expected), init.name
    assert printed["取組study"][0] == "検討" and printed["取組custom"][0] == ""
