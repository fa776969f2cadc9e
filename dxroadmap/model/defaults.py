"""What a newly added object looks like: the one rule for a new phase.

A phase added by double-clicking the timeline or by 工程を追加 (menu, context menu,
Ctrl+B) is a 検討 (study) phase one fiscal year long. With a clicked month it covers
that month's fiscal year; without one it goes to the fiscal year after the
initiative's last phase (or that last fiscal year when the next one would leave the
plan period), or to the plan's first fiscal year when the initiative has none.
"""

from __future__ import annotations

from dxroadmap.model.fiscal import fiscal_year_of, fy_first_month, fy_last_month
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Plan

__all__ = ["new_phase_at", "default_phase_month"]


def default_phase_month(plan: Plan, initiative: Initiative) -> int:
    """Where a phase (or milestone) added without a clicked month goes (see the module docstring)."""
    if initiative.phases:
        last_fy = fiscal_year_of(max(p.end for p in initiative.phases))
        month = fy_first_month(last_fy + 1)
        if month <= plan.last_month:
            return month
        return fy_first_month(last_fy)
    return plan.first_month


def new_phase_at(plan: Plan, initiative: Initiative, month: int | None = None) -> Phase:
    """A new 検討 phase for ``initiative``: the whole fiscal year of ``month`` (None: the default month)."""
    fy = fiscal_year_of(default_phase_month(plan, initiative) if month is None else month)
    return Phase(fy_first_month(fy), fy_last_month(fy), PhaseKind.STUDY.label_ja, PhaseKind.STUDY)
