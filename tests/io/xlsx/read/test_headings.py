"""Heading words → column roles, and the heading row of a list, on literal sheets."""

from __future__ import annotations

import pytest

from dxroadmap.io.xlsx.read.headings import (
    column_roles,
    find_list_header,
    guess_header_row,
    heading_role,
    is_heading_word,
    key_role,
)

from .literal import literal_grid


@pytest.mark.parametrize("text, role", [
    ("取組内容", "name"), ("取組名", "name"), ("施策", "name"), ("事業名", "name"), ("タスク", "name"),
    ("関係部門", "departments"), ("担当課", "departments"), ("所管課", "departments"), ("担当", "departments"),
    ("担当部署・課", "departments"),
    ("概要", "summary"), ("内容", "summary"), ("取組の概要", "summary"),
    ("基本方針", "pillar"), ("No.", "no"), ("備考", "notes"), ("KPI", "kpi"), ("目標", "kpi"), ("進捗", "status"),
    ("重点取組事項", "priority"), ("実施時期", "period"), ("スケジュール", "period"), ("開始日", "start"), ("終了日", "end"),
    ("取組 内容", "name"),      # white space (full-width too) is ignored
    ("ＫＰＩ", "kpi"),           # NFKC
])
def test_heading_words_name_their_column_role(text, role):
    assert heading_role(text) == role


@pytest.mark.parametrize("text", ["令和6年度", "", "電子申請の導入", "これは見出しにしては長すぎる二十文字を超える文章です"])
def test_other_cells_are_no_heading(text):
    assert heading_role(text) is None


def test_exact_heading_words_and_card_keys():
    assert is_heading_word("取組") == "name"
    assert is_heading_word("電子申請の取組") is None      # only contains a heading word
    assert key_role("概要") == "summary" and key_role("よくなる点") == "notes" and key_role("担当：") == "departments"


def test_column_roles_skip_time_columns_and_keep_one_name_column():
    grid = literal_grid([["DX推進計画"], ["No.", "取組内容", "関係部門", "概要", "令和6年度", "令和7年度"],
                         [1, "電子申請", "総務課", "オンライン化"]])
    assert column_roles(grid, [2], {5, 6}) == {1: "no", 2: "name", 3: "departments", 4: "summary"}
    grid = literal_grid([["施策", "取組", "担当課"], ["窓口", "電子申請", "総務課"]])
    assert column_roles(grid, [1], set()) == {1: "name", 2: "summary", 3: "departments"}


def test_find_list_header_finds_the_row_naming_initiatives():
    grid = literal_grid([["DX推進計画"], [None], ["取組内容", "担当課", "備考"], ["電子申請", "総務課", None]])
    assert find_list_header(grid) == (3, {1: "name", 2: "departments", 3: "notes"})
    assert find_list_header(literal_grid([["担当課", "備考"], ["総務課", "メモ"]])) is None


def test_guess_header_row_is_the_first_row_reaching_the_chosen_columns():
    grid = literal_grid([["計画"], [None, None, "令和6年度"], ["電子申請", "総務課", "●"]])
    assert guess_header_row(grid, [3]) == 2
    assert guess_header_row(grid, [9]) == 1
