"""Validation returns codes with parameters and never sentences; every code it can return is listed in CODES."""

from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan
from dxroadmap.model.validation import CODES, Problem, validate


def _every_problem_plan() -> Plan:
    init = Initiative("", phases=[Phase(month_index(2025, 4), month_index(2024, 4), ""),
                                  Phase(month_index(2040, 4), month_index(2041, 3), "運用")],
                      milestones=[Milestone(month_index(2040, 6))])
    named = Initiative("窓口DX", phases=[Phase(month_index(2030, 4), month_index(2030, 9), "導入")],
                       milestones=[Milestone(month_index(2040, 6), "稼働")])
    return Plan(title="t", start_fy=2200, end_fy=1980, pillars=[Pillar("", [init]), Pillar("方針", [named])])


def _crowded_plan() -> Plan:
    init = Initiative("窓口DX", phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討"),
                                        Phase(month_index(2023, 10), month_index(2024, 9), "実証"),
                                        Phase(month_index(2027, 4), month_index(2029, 3), "運用")])
    return Plan(title="t", start_fy=2023, end_fy=2027, pillars=[Pillar("方針", [init])])


def test_overlapping_bars_and_a_bar_running_past_the_period_are_flagged():
    problems = validate(_crowded_plan())
    assert [(p.code, p.params.get("label")) for p in problems] == [("phase-beyond-period", "運用"), ("phase-overlap", "実証")]
    overlap = problems[1]
    assert overlap.params["other"] == "検討" and overlap.params["start"] == "令和5年度 10月"
    assert overlap.params["end"] == "令和5年度 3月" and overlap.severity == "warning"


def test_each_code_once_with_its_parameters_and_no_sentences():
    problems = validate(_every_problem_plan()) + validate(_crowded_plan())
    assert {p.code for p in problems} == set(CODES)
    assert all(isinstance(p, Problem) and not hasattr(p, "message") for p in problems)
    by_code = {}
    for p in problems:
        by_code.setdefault(p.code, []).append(p)
    assert set(by_code["period-order"][0].params) == {"start", "end"}
    assert by_code["period-range"][0].params == by_code["period-order"][0].params
    assert by_code["initiative-name"][0].params == {"pillar": ""}
    assert by_code["pillar-name"][0].params == {}
    order = by_code["phase-order"][0]
    assert order.params["label"] is None  # an untitled phase: the UI words it （無題）
    assert order.params["start"] == "令和7年度 4月" and order.severity == "error"
    outside = [p for p in by_code["milestone-outside"] if p.params["label"] == "稼働"][0]
    assert outside.params["name"] == "窓口DX" and outside.severity == "warning"


def test_a_sound_plan_has_no_problems():
    plan = Plan(title="t", start_fy=2024, end_fy=2027,
                pillars=[Pillar("方針", [Initiative("窓口DX", phases=[Phase(month_index(2024, 4), month_index(2025, 3), "導入")])])])
    assert validate(plan) == []
