"""Answer forms, review logs and score sheets are told apart from roadmaps, with the reason."""

from __future__ import annotations

import datetime as dt

import openpyxl
from openpyxl.styles import PatternFill

from dxroadmap.io.xlsx.read.axis import find_axes
from dxroadmap.io.xlsx.read.forms import not_a_roadmap
from dxroadmap.io.xlsx.read.workbook import WorkbookReader


def _grid(tmp_path, rows, fills=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in fills:
        ws[ref].fill = PatternFill("solid", fgColor="FFF2CC")
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return WorkbookReader(path).grid(ws.title)


def test_survey_with_year_columns_of_answers(tmp_path):
    g = _grid(tmp_path, [["令和6年度 DXの取組状況に関する調査票"], [],
                         ["No", "設問", "回答欄", "令和5年度", "令和6年度"],
                         ["問1", "オンライン申請を導入していますか", "○", "○", "×"],
                         ["問2", "テレワークを導入していますか", "×", "×", "○"],
                         ["問3", "RPAを導入していますか", "○", "○", "○"]], fills=("D4", "E4", "D5"))
    axis = find_axes(g)[0]
    assert "answer form" in not_a_roadmap(g, axis.year_row, axis.col_set)


def test_review_log_with_dates_and_reviewers(tmp_path):
    rows = [["レビュー記録"], [], ["版", "日付", "確認者", "指摘内容", "対応状況"]]
    for k in range(5):
        rows.append([f"1.{k}", dt.datetime(2024, 4, 1 + k), "佐藤", "表現を統一", "対応済"])
    g = _grid(tmp_path, rows)
    assert "log" in not_a_roadmap(g, 3, set())


def test_score_sheet_with_month_columns_of_figures(tmp_path):
    rows = [["令和6年度 スキル評価表"], [], ["氏名", *[f"{(k + 3) % 12 + 1}月" for k in range(12)]]]
    for name in ("佐藤", "鈴木", "高橋"):
        rows.append([name, *[(k % 5) + 1 for k in range(12)]])
    g = _grid(tmp_path, rows)
    assert "score sheet" in not_a_roadmap(g, 3, set(range(2, 14)))


def test_a_roadmap_is_not_a_form(tmp_path):
    g = _grid(tmp_path, [["DX推進計画 ロードマップ"], [],
                         ["取組", "担当課", "令和6年度", "令和7年度", "令和8年度"],
                         ["電子申請の拡大", "総務課", "検討", "導入", None],
                         ["窓口改革", "住民課", None, "準備", "運用"]], fills=("C4", "D4", "D5", "E5"))
    axis = find_axes(g)[0]
    assert not_a_roadmap(g, axis.year_row, axis.col_set) == ""
