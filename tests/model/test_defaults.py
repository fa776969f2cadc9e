"""The one rule for a new phase (double-click on the timeline and 工程を追加 share it)."""

from dxroadmap.model.defaults import default_phase_month, new_phase_at
from dxroadmap.model.fiscal import fy_first_month, fy_last_month
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan


def plan_with(initiative: Initiative) -> Plan:
    return Plan(title="テスト町", start_fy=2023, end_fy=2027, pillars=[Pillar("柱", [initiative])])


def test_a_clicked_month_gives_its_whole_fiscal_year_as_a_study_phase():
    initiative = Initiative("窓口")
    phase = new_phase_at(plan_with(initiative), initiative, fy_first_month(2025) + 7)  # November 2025
    assert (phase.start, phase.end) == (fy_first_month(2025), fy_last_month(2025))
    assert phase.kind is PhaseKind.STUDY and phase.label == "検討"
    january = fy_first_month(2025) + 9  # January 2026 still belongs to 令和7年度
    assert (new_phase_at(plan_with(initiative), initiative, january).start) == fy_first_month(2025)


def test_without_a_month_the_phase_follows_the_last_one_inside_the_plan():
    empty = Initiative("空")
    plan = plan_with(empty)
    assert default_phase_month(plan, empty) == plan.first_month
    assert new_phase_at(plan, empty).start == fy_first_month(2023)

    busy = Initiative("続き", phases=[Phase(fy_first_month(2023), fy_last_month(2024), "導入", PhaseKind.INTRODUCE)])
    assert new_phase_at(plan_with(busy), busy).start == fy_first_month(2025)

    full = Initiative("満杯", phases=[Phase(fy_first_month(2027), fy_last_month(2027), "運用", PhaseKind.OPERATE)])
    phase = new_phase_at(plan_with(full), full)  # the year after would leave 2023–2027: the last year again
    assert (phase.start, phase.end) == (fy_first_month(2027), fy_last_month(2027))
