"""Checks a planner understands: empty names, bars that end before they start, dates outside the plan.

``validate(plan)`` returns :class:`Problem` records; each carries a code, the object it
concerns and a message in Japanese or English.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.model.wareki import format_fiscal_year, format_month

__all__ = ["Problem", "validate", "MIN_FY", "MAX_FY"]

MIN_FY = 1989
MAX_FY = 2199

_MESSAGES = {
    "period-order": ("計画期間の終わり（{end}）が始まり（{start}）より前です。",
                     "The plan period ends ({end}) before it starts ({start})."),
    "period-range": ("計画期間 {start}〜{end} は扱える範囲（平成元年度〜）を外れています。",
                     "The plan period {start}–{end} is outside the supported range."),
    "pillar-name": ("名前のない基本方針があります。", "A pillar has no name."),
    "initiative-name": ("「{pillar}」に名前のない取組があります。", "An initiative in “{pillar}” has no name."),
    "phase-order": ("「{name}」の「{label}」は終わり（{end}）が始まり（{start}）より前です。",
                    "“{label}” of “{name}” ends ({end}) before it starts ({start})."),
    "phase-outside": ("「{name}」の「{label}」（{start}〜{end}）は計画期間の外にあります。",
                      "“{label}” of “{name}” ({start}–{end}) lies outside the plan period."),
    "milestone-outside": ("「{name}」のマイルストーン「{label}」（{month}）は計画期間の外にあります。",
                          "Milestone “{label}” of “{name}” ({month}) lies outside the plan period."),
}


@dataclass(frozen=True)
class Problem:
    """One validation finding."""

    code: str
    subject: object
    params: dict
    severity: str = "error"  # "error" blocks nothing but is shown in red; "warning" in amber

    def message(self, lang: str = "ja") -> str:
        ja, en = _MESSAGES[self.code]
        return (en if lang == "en" else ja).format(**self.params)


def _phase_problems(plan: Plan, pillar: Pillar, init: Initiative) -> list[Problem]:
    out: list[Problem] = []
    for phase in init.phases:
        params = {"name": init.name, "label": phase.label or "（無題）",
                  "start": format_month(phase.start), "end": format_month(phase.end)}
        if phase.end < phase.start:
            out.append(Problem("phase-order", phase, params))
        elif phase.end < plan.first_month or phase.start > plan.last_month:
            out.append(Problem("phase-outside", phase, params, "warning"))
    for ms in init.milestones:
        if not plan.first_month <= ms.month <= plan.last_month:
            out.append(Problem("milestone-outside", ms,
                               {"name": init.name, "label": ms.label or "（無題）", "month": format_month(ms.month)},
                               "warning"))
    return out


def validate(plan: Plan) -> list[Problem]:
    """Every problem in ``plan``, in display order."""
    problems: list[Problem] = []
    period = {"start": format_fiscal_year(max(plan.start_fy, 1926)), "end": format_fiscal_year(max(plan.end_fy, 1926))}
    if plan.end_fy < plan.start_fy:
        problems.append(Problem("period-order", plan, period))
    if not (MIN_FY <= plan.start_fy <= MAX_FY and MIN_FY <= plan.end_fy <= MAX_FY):
        problems.append(Problem("period-range", plan, period))
    for pillar in plan.pillars:
        if not pillar.name.strip():
            problems.append(Problem("pillar-name", pillar, {}))
        for init in pillar.walk():
            if not init.name.strip():
                problems.append(Problem("initiative-name", init, {"pillar": pillar.name}))
            problems.extend(_phase_problems(plan, pillar, init))
    return problems
