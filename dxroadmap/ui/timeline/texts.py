"""The timeline's tooltips: months, spans and phases in Japanese or English.

The words come from the catalogue :mod:`dxroadmap.ui.strings` (keys ``timeline.*`` and
``phase.kind.*``); this module formats months and spans, which differs by language
beyond a table lookup. The timeline switches language per view
(``TimelineView.set_language``), so every function takes the language.
"""

from __future__ import annotations

from dxroadmap.model.fiscal import fiscal_year_of, year_month
from dxroadmap.model.plan import Phase
from dxroadmap.model.wareki import YearStyle, format_month, format_span
from dxroadmap.ui.strings import tr

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def text(key: str, lang: str, **fmt: object) -> str:
    """The catalogue's ``timeline.<key>`` in ``lang`` (Japanese if unknown)."""
    return tr(f"timeline.{key}", lang=lang, **fmt)


def month_name(calendar_month: int, lang: str) -> str:
    """A calendar month as a picker shows it: 7月, or Jul in English."""
    return _MONTHS_EN[calendar_month - 1] if lang == "en" else f"{calendar_month}月"


def month_text(m: int, lang: str, style: YearStyle) -> str:
    """A month in the users' terms: 令和6年度 7月, or Jul FY2024 in English."""
    if lang == "en":
        return f"{_MONTHS_EN[year_month(m)[1] - 1]} FY{fiscal_year_of(m)}"
    return format_month(m, _plain(style))


def span_text(start: int, end: int, lang: str, style: YearStyle) -> str:
    """A span of months: 令和6年度 7月 – 令和7年度 3月 (or Jul FY2024 – Mar FY2025)."""
    if lang == "en":
        return f"{month_text(start, lang, style)} – {month_text(end, lang, style)}"
    return format_span(start, end, _plain(style))


def phase_tooltip(phase: Phase, lang: str, style: YearStyle) -> str:
    label = phase.label or text("no_label", lang)
    kind = tr(f"phase.kind.{phase.kind.value}", lang=lang)
    return f"{label}\n{span_with_length(phase.start, phase.end, lang, style)}\n{text('kind', lang)}: {kind}"


def span_with_length(start: int, end: int, lang: str, style: YearStyle) -> str:
    """令和6年度 7月 – 令和7年度 3月（9か月）"""
    return text("span_months", lang, span=span_text(start, end, lang, style), n=end - start + 1)


def milestone_tooltip(label: str | None, month: int, lang: str, style: YearStyle) -> str:
    return f"◆ {label or text('milestone', lang)}\n{month_text(month, lang, style)}"


def _plain(style: YearStyle) -> YearStyle:
    """Tooltips name years once: 令和6年度 7月 rather than 令和6年度（2024） 7月."""
    return YearStyle.ERA if style is YearStyle.ERA_WESTERN else style
