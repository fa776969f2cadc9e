"""model.progress: progress entries, KPIs, the old kpi text, achievement, summary counts, JSON shapes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxroadmap.model.fiscal import month_index
from dxroadmap.model.progress import (
    GRADES,
    STATUSES,
    Baseline,
    Kpi,
    ProgressEntry,
    ProgressFormatError,
    achievement,
    actual_from_phase_row,
    format_value,
    grade_from_text,
    kpi_from_text,
    kpis_from_json,
    kpis_to_json,
    parse_value,
    progress_from_actual_spans,
    progress_from_json,
    progress_to_json,
    status_from_text,
    summary,
    target_for,
)

# ------------------------------------------------------------------ the old kpi text


def test_arrow_text_becomes_baseline_and_target():
    kpi = kpi_from_text("オンライン申請率 12%→100%（令和9年度）")
    assert (kpi.name, kpi.unit) == ("オンライン申請率", "%")
    assert kpi.baseline == Baseline(None, 12)
    assert kpi.targets == {2027: 100}
    assert kpi.actuals == {} and kpi.direction is None


def test_full_width_text_parses_and_keeps_the_name_as_written():
    kpi = kpi_from_text("ＤＸ研修の受講者数：１２０人（令和４年度）⇒５００人（令和９年度）")
    assert kpi.name == "ＤＸ研修の受講者数"
    assert kpi.unit == "人"
    assert kpi.baseline == Baseline(2022, 120)
    assert kpi.targets == {2027: 500}


def test_decimal_and_thousands():
    kpi = kpi_from_text("電子申請件数 1,200件→3,500.5件（2026年度）")
    assert kpi.baseline.value == 1200 and kpi.targets == {2026: 3500.5}


def test_text_without_a_year_uses_the_default_or_stays_a_name():
    text = "待ち時間 30分→10分"
    assert kpi_from_text(text) == Kpi(name=text)
    kpi = kpi_from_text(text, default_target_fy=2027)
    assert kpi.targets == {2027: 10} and kpi.effective_direction() == "lower"


@pytest.mark.parametrize("text", ["情報セキュリティ研修を年に1回以上開催します。",
                                  "国が定める手続きのオンライン化へ100％対応します。", "→", "12%→100%（令和9年度）"])
def test_other_texts_become_the_name_whole(text):
    assert kpi_from_text(text) == Kpi(name=text)


@pytest.mark.parametrize("text", ["", "x", "令和9年度", "1→2", "a 1%→2%（令和99年度）", "①②③ 3→4 (2027)"])
def test_kpi_from_text_never_loses_the_text(text):
    kpi = kpi_from_text(text)
    if kpi.targets:
        assert kpi.name and kpi.name in text
    else:
        assert kpi.name == text


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_kpi_from_text_always_returns_a_kpi_with_a_name_from_the_text(text):
    kpi = kpi_from_text(text)
    assert isinstance(kpi, Kpi)
    assert kpi.name == text or (kpi.targets and kpi.baseline is not None)


# ------------------------------------------------------------------ direction and achievement


def test_direction_inferred_from_baseline_and_final_target_or_as_set():
    assert Kpi("a", baseline=Baseline(2022, 12), targets={2027: 100}).effective_direction() == "higher"
    assert Kpi("a", baseline=Baseline(2022, 30), targets={2025: 20, 2027: 10}).effective_direction() == "lower"
    assert Kpi("a", targets={2027: 10}).effective_direction() == "higher"
    assert Kpi("a", baseline=Baseline(2022, 30), targets={2027: 10}, direction="higher").effective_direction() == "higher"
    with pytest.raises(ValueError):
        Kpi("a", direction="up")


def test_achievement_higher_is_better():
    kpi = Kpi("申請率", "%", Baseline(2022, 12), targets={2027: 100}, actuals={2023: 25, 2024: 40})
    assert achievement(kpi, 2024) == pytest.approx(0.4)
    assert achievement(kpi, 2025) is None  # no actual that year


def test_achievement_uses_that_years_target_else_the_next_else_the_last():
    kpi = Kpi("件数", targets={2024: 50, 2027: 100}, actuals={2023: 25, 2024: 50, 2026: 80, 2028: 120})
    assert target_for(kpi, 2023) == 50 and achievement(kpi, 2023) == 0.5
    assert achievement(kpi, 2024) == 1.0
    assert target_for(kpi, 2026) == 100 and achievement(kpi, 2026) == 0.8
    assert target_for(kpi, 2028) == 100 and achievement(kpi, 2028) == 1.2


def test_achievement_lower_is_better():
    kpi = Kpi("待ち時間", "分", Baseline(2022, 30), targets={2027: 10}, actuals={2024: 20, 2025: 10, 2026: 0})
    assert achievement(kpi, 2024) == pytest.approx(0.5)
    assert achievement(kpi, 2025) == 1.0
    assert achievement(kpi, 2026) == math.inf


def test_achievement_undefined_for_text_or_zero_target():
    assert achievement(Kpi("a", targets={2027: "全課で運用"}, actuals={2024: "一部運用"}), 2024) is None
    assert achievement(Kpi("a", targets={2027: 0}, actuals={2024: 3}), 2024) is None
    assert achievement(Kpi("a", actuals={2024: 3}), 2024) is None


# ------------------------------------------------------------------ entries, words, summary


def test_entry_refuses_unknown_status_grade_and_month():
    with pytest.raises(ValueError):
        ProgressEntry(status="late")
    with pytest.raises(ValueError):
        ProgressEntry(grade="E")
    with pytest.raises(ValueError):
        ProgressEntry(updated="2025-13")
    assert ProgressEntry().status == "not-started"


@pytest.mark.parametrize("text, status", [("完了", "done"), ("達成済み", "done"), ("遅れあり", "delayed"),
                                          ("休止中", "suspended"), ("未着手", "not-started"), ("実施中", "in-progress"),
                                          ("in-progress", "in-progress"), ("", None), ("備考", None)])
def test_status_words(text, status):
    assert status_from_text(text) == status


@pytest.mark.parametrize("text, grade", [("A", "A"), ("Ｂ", "B"), ("c評価", "C"), ("D", "D"), ("AB", None),
                                         ("E", None), ("", None), (None, None)])
def test_grade_words(text, grade):
    assert grade_from_text(text) == grade


def test_summary_counts_every_status_and_grade():
    counts = summary([ProgressEntry("done", "A"), ProgressEntry("delayed", "C"), ProgressEntry("delayed"), None])
    assert counts["status"]["done"] == 1 and counts["status"]["delayed"] == 2 and counts["status"]["none"] == 1
    assert counts["status"]["suspended"] == 0
    assert counts["grade"]["A"] == 1 and counts["grade"]["C"] == 1 and counts["grade"]["none"] == 2
    assert set(counts["status"]) == {*STATUSES, "none"} and set(counts["grade"]) == {*GRADES, "none"}


def test_values_parse_and_format():
    assert parse_value("１,２００") == 1200 and parse_value("12.5") == 12.5 and parse_value("一部") == "一部"
    assert format_value(1200, "件") == "1,200件" and format_value(0.5, "%") == "0.5%"
    assert format_value("一部運用") == "一部運用" and format_value(None) == ""


# ------------------------------------------------------------------ JSON shapes (the contract's example)


CONTRACT_PROGRESS = {"2024": {"status": "in-progress", "grade": "B", "actual": "子育て関連20手続をオンライン化",
                              "next": "令和7年度は税関係へ拡大", "updated": "2025-05"}}
CONTRACT_KPIS = [{"name": "オンライン申請が可能な手続の割合", "unit": "%", "baseline": {"fy": 2022, "value": 12},
                  "targets": {"2027": 100}, "actuals": {"2023": 25, "2024": 40}}]


def test_contract_example_reads_and_writes_back_identically():
    progress = progress_from_json(CONTRACT_PROGRESS)
    assert progress == {2024: ProgressEntry("in-progress", "B", "子育て関連20手続をオンライン化", "令和7年度は税関係へ拡大",
                                            "2025-05")}
    assert progress_to_json(progress) == CONTRACT_PROGRESS
    kpis = kpis_from_json(CONTRACT_KPIS)
    assert kpis[0].baseline == Baseline(2022, 12) and kpis[0].actuals == {2023: 25, 2024: 40}
    assert kpis_to_json(kpis) == CONTRACT_KPIS


def test_missing_kpis_take_the_old_text_but_an_empty_list_does_not():
    assert kpis_from_json(None, "研修を年1回以上開催") == [Kpi("研修を年1回以上開催")]
    assert kpis_from_json([], "研修を年1回以上開催") == []
    assert kpis_from_json(None, "") == [] and kpis_from_json(None, None) == []


@pytest.mark.parametrize("value", [
    [], "x", {"2024": "done"}, {"24": {"status": "done"}}, {"2024": {"status": "late"}},
    {"2024": {"status": "done", "grade": "E"}}, {"2024": {"status": "done", "updated": "2025/05"}},
    {"2024": {"status": "done", "actual": 3}}, {"2024": {"status": "done", "next": "\ud800"}},
])
def test_malformed_progress_is_refused_with_a_place(value):
    with pytest.raises(ProgressFormatError) as info:
        progress_from_json(value)
    assert info.value.where.startswith("progress")


@pytest.mark.parametrize("value", [
    {}, ["x"], [{"name": 3}], [{"name": "a", "targets": []}], [{"name": "a", "targets": {"20x7": 1}}],
    [{"name": "a", "actuals": {"2024": True}}], [{"name": "a", "actuals": {"2024": None}}],
    [{"name": "a", "baseline": {"fy": 2022}}], [{"name": "a", "baseline": {"fy": "R4", "value": 1}}],
    [{"name": "a", "direction": "up"}], [{"name": "a", "actuals": {"2024": float("nan")}}],
])
def test_malformed_kpis_are_refused(value):
    with pytest.raises(ProgressFormatError):
        kpis_from_json(value)


# ------------------------------------------------------------------ 進捗管理表 実績 rows


def m(year: int, month: int) -> int:
    return month_index(year, month)


def test_actual_row_on_plan_then_finished():
    planned = [(m(2023, 4), m(2025, 3))]
    out = actual_from_phase_row([(m(2023, 4), m(2025, 3))], "導入", planned=planned)
    assert [(fy, e.status) for fy, e in out.items()] == [(2023, "in-progress"), (2024, "done")]
    assert out[2023].actual == "導入（2023-04〜2024-03 実施）"


def test_actual_row_behind_plan_is_delayed_and_status_word_wins():
    planned = [(m(2023, 4), m(2025, 3))]
    out = actual_from_phase_row([(m(2023, 10), m(2024, 3))], None, planned=planned, through_fy=2024,
                                updated=m(2025, 5))
    assert out[2023].status == "in-progress" and out[2024].status == "delayed"
    assert out[2024].actual == "" and out[2024].updated == "2025-05"
    out = actual_from_phase_row([(m(2023, 10), m(2024, 3))], "休止", planned=planned)
    assert out[2023].status == "suspended"


def test_actual_row_nothing_marked():
    assert actual_from_phase_row([], None) == {}
    out = actual_from_phase_row([], None, planned=[(m(2023, 4), m(2024, 3))], through_fy=2023)
    assert out[2023].status == "delayed"


def test_actual_spans_in_month_text():
    out = progress_from_actual_spans([("2023-04", "2024-03", "検討"), ("2024-04", "2024-09", "完了")],
                                     planned=[(m(2023, 4), m(2024, 9))])
    assert out[2023].status == "in-progress" and out[2024].status == "done"
