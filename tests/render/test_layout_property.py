"""Property: any plan lays out with every initiative once, whole rows inside the page, bars inside the timeline."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxroadmap.model.fiscal import fy_first_month, fy_last_month
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, guess_kind
from dxroadmap.render.layout import layout_sheet
from dxroadmap.render.page_setup import PageSetup

text = st.text(alphabet=st.sampled_from("デジタル推進検討導入運用ＤＸ課部門・（）ab1 \n。、"), max_size=120)


@st.composite
def plans(draw):
    start = draw(st.integers(2019, 2030))
    end = start + draw(st.integers(0, 7))
    lo, hi = fy_first_month(start) - 14, fy_last_month(end) + 14

    def initiative(depth: int) -> Initiative:
        phases = []
        for _ in range(draw(st.integers(0, 4))):
            a = draw(st.integers(lo, hi))
            b = draw(st.integers(a, min(hi, a + 40)))
            label = draw(st.one_of(st.none(), text))
            phases.append(Phase(a, b, label, guess_kind(label)))
        milestones = [Milestone(draw(st.integers(lo, hi)), draw(st.one_of(st.none(), text)))
                      for _ in range(draw(st.integers(0, 3)))]
        children = [initiative(depth + 1) for _ in range(draw(st.integers(0, 2 if depth < 2 else 0)))]
        return Initiative(draw(text) or "取組", draw(text), draw(st.lists(text, max_size=3)), phases=phases,
                          milestones=milestones, children=children)

    pillars = [Pillar(draw(text) or "柱", [initiative(0) for _ in range(draw(st.integers(0, 6)))])
               for _ in range(draw(st.integers(0, 4)))]
    return Plan(draw(text), draw(text), start, end, pillars)


setups = st.builds(PageSetup, paper=st.sampled_from(["A3", "A4", "B4"]),
                   orientation=st.sampled_from(["landscape", "portrait"]), fit=st.sampled_from(["width", "page"]),
                   show_summary=st.booleans(), show_departments=st.booleans(), pillar_per_page=st.booleans())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(plan=plans(), setup=setups)
def test_layout_invariants(plan, setup):
    sheet = layout_sheet(plan, setup)
    body = sheet.body_bottom - sheet.body_top
    printed = []
    for page in sheet.pages:
        for y, row in page.rows:
            assert y + row.height <= body + 1e-6
            if row.kind == "initiative":
                printed.append(row.uid)
                for bar in row.bars:
                    assert sheet.timeline_x0 - 1e-6 <= bar.rect.left() < bar.rect.right() <= sheet.width + 1e-6
                    assert 0 <= bar.rect.top() and bar.rect.bottom() <= row.height + 1e-6
    assert printed == [i.uid for i in plan.initiatives()]
    if setup.fit == "page":
        assert len(sheet.pages) <= (max(1, len(plan.pillars)) if setup.pillar_per_page else 1)
