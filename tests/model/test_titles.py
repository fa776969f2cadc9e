"""The title rule: imported titles drop a trailing plan period the printed sheet repeats anyway."""

from __future__ import annotations

import pytest

from dxroadmap.model.titles import title_without_period


@pytest.mark.parametrize("title,expected", [
    ("松前町DX推進計画（令和5年度～令和9年度）", "松前町DX推進計画"),
    ("松前町DX推進計画(令和5年度〜令和9年度)", "松前町DX推進計画"),
    ("松前町DX推進計画 （R5～R9）", "松前町DX推進計画"),
    ("森町DX推進計画【2023年度-2027年度】", "森町DX推進計画"),
    ("網走市DX推進計画（計画期間：令和5年度～令和9年度）", "網走市DX推進計画"),
    ("網走市DX推進計画 令和5年度から令和9年度まで", "網走市DX推進計画"),
    ("河北町DX推進計画（第2期）", "河北町DX推進計画（第2期）"),
    ("河北町DX推進計画（案）", "河北町DX推進計画（案）"),
    ("令和5年度～令和9年度", "令和5年度～令和9年度"),
    ("DX推進計画（令和9年度～令和5年度）", "DX推進計画（令和9年度～令和5年度）"),
    ("DX推進計画（素案～最終案）", "DX推進計画（素案～最終案）"),
])
def test_a_trailing_plan_period_is_dropped(title, expected):
    assert title_without_period(title) == expected


def test_only_the_plans_own_period_is_dropped_when_it_is_known():
    title = "松前町DX推進計画（令和5年度～令和9年度）"
    assert title_without_period(title, 2023, 2027) == "松前町DX推進計画"
    assert title_without_period(title, 2024, 2028) == title
