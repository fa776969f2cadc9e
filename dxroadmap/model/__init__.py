"""The plan model: dataclasses, fiscal calendar and 和暦, validation and edit operations (pure Python)."""

from dxroadmap.model.fiscal import fiscal_year_of, format_ym, fy_first_month, fy_last_month, month_index, parse_ym, year_month
from dxroadmap.model.plan import PRIORITY_ITEMS, Initiative, Milestone, Phase, PhaseKind, Pillar, Plan, guess_kind, new_uid

__all__ = [
    "Initiative", "Milestone", "Phase", "PhaseKind", "Pillar", "Plan", "PRIORITY_ITEMS", "guess_kind", "new_uid",
    "fiscal_year_of", "format_ym", "fy_first_month", "fy_last_month", "month_index", "parse_ym", "year_month",
]
