"""Checks a planner understands: empty names, bars that end before they start or overlap, dates outside the plan.

``validate(plan)`` returns :class:`Problem` records; each carries a code, the object it
concerns and the parameters a sentence about it needs. The model words nothing: the UI
words problems from its catalogue (``problem.<code>`` in :mod:`dxroadmap.ui.strings`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.model.wareki import format_fiscal_year, format_month

__all__ = ["Problem", "validate", "CODES", "MIN_FY", "MAX_FY"]

CODES = ("period-order", "period-range", "pillar-name", "initiative-name", "phase-order", "phase-outside",
         "phase-beyond-period", "phase-overlap", "milestone-outside")
MIN_FY = 1989
MAX_FY = 2199


@dataclass(frozen=True)
class Problem:
    """One validation finding.

    ``code`` is one of :data:`CODES`; ``params`` hold the names and dates its sentence
    needs (a ``label`` of ``None`` is an untitled phase or milestone).
    """

    code: str
    subject: object
    params: dict
    severity: str = "error"  # "error" blocks nothing but is shown in red; "warning" in amber


def _phase_problems(plan: Plan, pillar: Pillar, init: Initiative) -> list[Problem]:
    out: list[Problem] = []
    for phase in init.phases:
        params = {"name": init.name, "label": phase.label or None,
                  "start": format_month(phase.start), "end": format_month(phase.end)}
        if phase.end < phase.start:
            out.append(Problem("phase-order", phase, params))
        elif phase.end < plan.first_month or phase.start > plan.last_month:
            out.append(Problem("phase-outside", phase, params, "warning"))
        elif plan.first_month <= plan.last_month and (phase.start < plan.first_month or phase.end > plan.last_month):
            out.append(Problem("phase-beyond-period", phase, params, "warning"))  # runs past 計画期間: cut in print
    spans = sorted((p for p in init.phases if p.start <= p.end), key=lambda p: (p.start, p.end))
    for a, b in zip(spans, spans[1:]):
        if b.start <= a.end:  # the row needs a second lane; the reader should know they overlap
            out.append(Problem("phase-overlap", b, {"name": init.name, "label": b.label or None, "other": a.label or None,
                                                    "start": format_month(b.start), "end": format_month(min(a.end, b.end))},
                               "warning"))
    for ms in init.milestones:
        if not plan.first_month <= ms.month <= plan.last_month:
            out.append(Problem("milestone-outside", ms,
                               {"name": init.name, "label": ms.label or None, "month": format_month(ms.month)},
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
