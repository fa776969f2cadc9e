"""The timeline's own texts (tooltips), Japanese and English.

Kept here rather than in :mod:`dxroadmap.ui.strings` because the timeline switches
language per view (``TimelineView.set_language``) and the texts include month
formatting, which differs by language beyond a table lookup.
"""

from __future__ import annotations

from dxroadmap.model.fiscal import fiscal_year_of, year_month
from dxroadmap.model.plan import Phase, PhaseKind
from dxroadmap.model.wareki import YearStyle, format_month, format_span

_TEXTS: dict[str, dict[str, str]] = {
    "ja": {
        "kind": "種別",
        "months": "{n}か月",
        "span_months": "{span}（{n}か月）",
        "drag_hint": "Shift: 四半期単位",
        "no_label": "（名称なし）",
        "milestone": "マイルストーン",
    },
    "en": {
        "kind": "Kind",
        "months": "{n} months",
        "span_months": "{span} ({n} months)",
        "drag_hint": "Shift: snap to quarters",
        "no_label": "(untitled)",
        "milestone": "Milestone",
    },
}

_KIND_EN = {
    PhaseKind.STUDY: "Study",
    PhaseKind.PREPARE: "Preparation",
    PhaseKind.TRIAL: "Trial",
    PhaseKind.INTRODUCE: "Introduction",
    PhaseKind.OPERATE: "Operation",
    PhaseKind.CONTINUE: "Continuation",
    PhaseKind.CUSTOM: "Other",
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def text(key: str, lang: str, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (Japanese if unknown)."""
    table = _TEXTS.get(lang, _TEXTS["ja"])
    value = table.get(key, _TEXTS["ja"][key])
    return value.format(**fmt) if fmt else value


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
    kind = _KIND_EN[phase.kind] if lang == "en" else phase.kind.label_ja
    return f"{label}\n{span_with_length(phase.start, phase.end, lang, style)}\n{text('kind', lang)}: {kind}"


def span_with_length(start: int, end: int, lang: str, style: YearStyle) -> str:
    """令和6年度 7月 – 令和7年度 3月（9か月）"""
    return text("span_months", lang, span=span_text(start, end, lang, style), n=end - start + 1)


def milestone_tooltip(label: str | None, month: int, lang: str, style: YearStyle) -> str:
    return f"◆ {label or text('milestone', lang)}\n{month_text(month, lang, style)}"


def _plain(style: YearStyle) -> YearStyle:
    """Tooltips name years once: 令和6年度 7月 rather than 令和6年度（2024） 7月."""
    return YearStyle.ERA if style is YearStyle.ERA_WESTERN else style
