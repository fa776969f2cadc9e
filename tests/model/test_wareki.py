"""和暦 and fiscal-year parsing and formatting, as offices write them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxroadmap.model.fiscal import fiscal_year_of, format_ym, fy_first_month, fy_last_month, month_index, parse_ym
from dxroadmap.model.wareki import (
    FiscalSpan,
    YearStyle,
    find_fiscal_year,
    format_fiscal_year,
    format_month,
    format_span,
    parse_era_month,
    parse_fiscal_period,
    parse_fiscal_year,
    parse_month_bound,
    parse_month_span,
)


@pytest.mark.parametrize("text, fy", [
    ("令和5年度", 2023), ("令和５年度", 2023), ("Ｒ５", 2023), ("R5", 2023), ("R5年度", 2023), ("r5", 2023),
    ("令和元年度", 2019), ("平成31年度", 2019), ("平成31年度（令和元年度）", 2019), ("平成31年度(令和元年度)", 2019),
    ("H30", 2018), ("Ｈ３０年度", 2018), ("2023年度", 2023), ("２０２３年度", 2023), ("2023", 2023),
    ("FY2023", 2023), ("ＦＹ２０２３", 2023), ("令和5年度（2023）", 2023), ("令和 5 年度", 2023),
    ("昭和63年度", 1988), ("平成元年度", 1989), ("令和10年度", 2028),
    ("令和5（2023）年度", 2023), ("令和５（２０２３）年度", 2023), ("2023（令和5）年度", 2023), ("2023(令和5年度)年度", 2023),
    ("令和元（2019）年度", 2019),
])
def test_parse_fiscal_year_accepts_every_office_form(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize("text", ["", "年度", "令和", "概要", "令和0年度", "令和5年度（2024）", "R5-R9", "12345", "4月", None, 2023,
                                  "令和5（2024）年度", "2023（令和6）年度"])
def test_parse_fiscal_year_rejects_non_years(text):
    assert parse_fiscal_year(text) is None


@given(st.integers(min_value=1926, max_value=2200), st.sampled_from(list(YearStyle)))
def test_format_then_parse_is_identity_for_every_style(fy, style):
    assert parse_fiscal_year(format_fiscal_year(fy, style)) == fy


def test_format_styles():
    assert format_fiscal_year(2023) == "令和5年度"
    assert format_fiscal_year(2019) == "令和元年度"
    assert format_fiscal_year(2018) == "平成30年度"
    assert format_fiscal_year(2023, YearStyle.ERA_SHORT) == "R5"
    assert format_fiscal_year(2023, YearStyle.WESTERN) == "2023年度"
    assert format_fiscal_year(2023, YearStyle.ERA_WESTERN) == "令和5年度（2023）"


def test_era_boundaries_are_exact():
    # 平成31年4月 belongs to 令和元年度; 令和 began in May 2019.
    april = parse_era_month("平成31年4月")
    assert april == month_index(2019, 4)
    assert format_fiscal_year(fiscal_year_of(april)) == "令和元年度"
    assert parse_era_month("令和元年5月") == month_index(2019, 5)
    assert parse_era_month("令和元年4月") is None
    assert parse_era_month("平成31年5月") is None
    assert parse_era_month("令和６年７月") == month_index(2024, 7)
    assert parse_era_month("2024年7月") == month_index(2024, 7)
    assert format_fiscal_year(fiscal_year_of(month_index(2019, 3))) == "平成30年度"


@pytest.mark.parametrize("text, span", [
    ("4月", (1, 1)), ("４月", (1, 1)), ("3月", (12, 12)), ("12月", (9, 9)),
    ("第1四半期", (1, 3)), ("第４四半期", (10, 12)), ("4-6月", (1, 3)), ("4～6月", (1, 3)), ("4〜6月", (1, 3)),
    ("10月～12月", (7, 9)), ("1-3月", (10, 12)), ("Q1", (1, 3)), ("Ｑ１", (1, 3)), ("q4", (10, 12)), ("2Q", (4, 6)),
    ("上期", (1, 6)), ("下期", (7, 12)), ("上半期", (1, 6)), ("下半期", (7, 12)),
])
def test_parse_month_span(text, span):
    assert parse_month_span(text) == FiscalSpan(*span)


@pytest.mark.parametrize("text", ["", "13月", "0月", "第5四半期", "6-4月", "Q5", "令和5年度", "検討"])
def test_parse_month_span_rejects(text):
    assert parse_month_span(text) is None


def test_fiscal_span_months():
    assert FiscalSpan(10, 12).months(2023) == (month_index(2024, 1), month_index(2024, 3))


def test_fiscal_year_months():
    assert format_ym(fy_first_month(2023)) == "2023-04"
    assert format_ym(fy_last_month(2023)) == "2024-03"
    assert fiscal_year_of(month_index(2024, 3)) == 2023
    assert fiscal_year_of(month_index(2024, 4)) == 2024


@given(st.integers(min_value=1900 * 12, max_value=2200 * 12))
def test_ym_round_trip(m):
    assert parse_ym(format_ym(m)) == m


@pytest.mark.parametrize("bad", ["2023-13", "2023-00", "2023/04", "23-04", "", "abcd-ef"])
def test_parse_ym_rejects(bad):
    with pytest.raises(ValueError):
        parse_ym(bad)


def test_format_span_in_users_terms():
    assert format_span(month_index(2024, 7), month_index(2026, 3)) == "令和6年度 7月 – 令和7年度 3月"
    assert format_month(month_index(2024, 1)) == "令和5年度 1月"


def test_era_dates_change_on_the_exact_day():
    import datetime as dt

    from dxroadmap.model.wareki import format_era_date

    assert format_era_date(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert format_era_date(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert format_era_date(dt.date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_era_date(dt.date(1989, 1, 8)) == "平成元年1月8日"
    assert format_era_date(dt.date(2026, 11, 21)) == "令和8年11月21日"


@pytest.mark.parametrize("text, fy", [
    ("令和6年度 DX推進 年間スケジュール", 2024), ("R6年度", 2024), ("ＤＸ推進　２０２４年度計画", 2024),
    ("FY2024 schedule", 2024), ("令和6（2024）年度 工程表", 2024), ("年間スケジュール", None),
    ("令和6年度～令和8年度", None), ("SNS5年度", None), ("R6", 2024),
])
def test_find_fiscal_year_in_a_title_or_sheet_name(text, fy):
    assert find_fiscal_year(text) == fy


@pytest.mark.parametrize("text, period", [
    ("計画期間：令和6（2024）年度～令和10（2028）年度", (2024, 2028)),
    ("令和６（２０２４）年度～令和１０（２０２８）年度", (2024, 2028)),
    ("令和6年度から令和10年度まで", (2024, 2028)), ("R6～R10", (2024, 2028)), ("【計画期間】R6年度～R10年度", (2024, 2028)),
    ("2024年度～2028年度", (2024, 2028)), ("令和6年度～10年度", (2024, 2028)), ("FY2024-FY2028", (2024, 2028)),
    ("本計画の期間は令和6年度から令和10年度までの5年間とします。", (2024, 2028)),
    ("令和10年度～令和6年度", None), ("令和6年度の取組", None), ("", None), (None, None),
])
def test_parse_fiscal_period(text, period):
    assert parse_fiscal_period(text) == period


@pytest.mark.parametrize("text, start, end", [
    ("令和5年4月", "2023-04", "2023-04"), ("R6.4", "2024-04", "2024-04"), ("R6.3", "2024-03", "2024-03"),
    ("H30.4.1", "2018-04", "2018-04"), ("令和5年4月1日", "2023-04", "2023-04"), ("2024年10月", "2024-10", "2024-10"),
    ("2025/7", "2025-07", "2025-07"), ("2024-07-15", "2024-07", "2024-07"), ("2024.4", "2024-04", "2024-04"),
    ("令和7年度", "2025-04", "2026-03"), ("R7年度", "2025-04", "2026-03"), ("FY2025", "2025-04", "2026-03"),
    ("令和8年度末", "2027-03", "2027-03"), ("令和6年度上半期", "2024-04", "2024-09"),
    ("令和6年度下半期", "2024-10", "2025-03"), ("令和6年度第2四半期", "2024-07", "2024-09"),
    ("令和6年度Q4", "2025-01", "2025-03"), ("令和５年４月頃", "2023-04", "2023-04"), ("令和7年3月まで", "2025-03", "2025-03"),
])
def test_parse_month_bound_reads_start_and_end_cells(text, start, end):
    assert format_ym(parse_month_bound(text)) == start
    assert format_ym(parse_month_bound(text, end=True)) == end


@pytest.mark.parametrize("text", ["", "未定", "随時", "4月", "第2四半期", "R1.4", "令和5年13月", "検討", None])
def test_parse_month_bound_rejects_what_names_no_month(text):
    assert parse_month_bound(text) is None
