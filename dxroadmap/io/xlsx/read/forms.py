"""Sheets that look like schedules but are not roadmaps: answer forms, review logs, score sheets.

A survey (調査票: 設問, 回答欄, ○/× answers in year columns), a review or change log (dates,
reviewer names, comments) or a skill/score sheet (people × months of figures) can have cells
that read as months or fiscal years and fills that read as bars. :func:`not_a_roadmap` weighs
the evidence of one table — its headings, the title above it, and what its "bars" hold — and
says why it is not a roadmap ("" when nothing says so). When in doubt the reader refuses.
"""

from __future__ import annotations

import datetime as _dt
import re

from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.model.wareki import normalize

__all__ = ["not_a_roadmap"]

_SURVEY_WORDS = ("設問", "質問", "回答", "アンケート", "調査票", "調査項目", "チェック項目", "該当")
_ANSWER_MARKS = {"○", "◯", "〇", "×", "✕", "△", "✓", "✔", "レ", "はい", "いいえ", "有", "無", "あり", "なし", "済", "未",
                 "該当", "非該当", "yes", "no"}
_LOG_HEADS = ("確認者", "レビュアー", "レビュー者", "指摘者", "記入者", "変更者", "改訂者", "承認者", "対応者")
_LOG_WORDS = ("指摘", "コメント", "変更内容", "改訂内容", "修正内容", "対応状況", "変更履歴", "改訂履歴", "レビュー記録")
_SCORE_WORDS = ("評価", "得点", "点数", "スコア", "スキル", "成績", "平均", "偏差")
_QUESTION = re.compile(r"^(?:問|Q)\s*[0-9０-９]+")
_QUESTION_START = ("問", "Q", "Ｑ", "q", "ｑ")
_QUESTION_ROWS = 300  # questions (問1, Q2 …) are looked for in the label columns of the first rows


def _texts(g: SheetGrid, rows: range) -> list[str]:
    out = []
    for r in rows:
        for c in g.row_cells(r):
            t = as_text(g.values[(r, c)])
            if t:
                out.append(normalize(t))
    return out


def not_a_roadmap(g: SheetGrid, header_row: int, time_cols: set[int], data_end: int | None = None) -> str:
    """Why the table headed on ``header_row`` (time columns ``time_cols``) is not a roadmap; "" otherwise."""
    data_end = data_end or g.max_row
    heads = _texts(g, range(max(1, header_row - 1), header_row + 2))
    above = _texts(g, range(1, header_row))
    head_text = " ".join(heads + above)
    survey_words = [w for w in _SURVEY_WORDS if w in head_text]
    reviewers = [w for w in _LOG_HEADS if w in head_text]
    log_words = [w for w in _LOG_WORDS if w in head_text]
    score_words = [w for w in _SCORE_WORDS if w in head_text]
    values = g.values
    first_time = min(time_cols) if time_cols else g.max_col + 1
    head_rows = range(header_row + 1, min(data_end, header_row + _QUESTION_ROWS) + 1)
    questions = sum(1 for r in head_rows for c in g.row_cells(r) if c < first_time and values[(r, c)].__class__ is str
                    and values[(r, c)][:1] in _QUESTION_START and _QUESTION.match(normalize(values[(r, c)])))
    if not (survey_words or reviewers or log_words or score_words or questions >= 2):
        return ""  # nothing names a form, a log or a score sheet: the cheap common case
    cells = [rc for rc in values if header_row < rc[0] <= data_end]
    in_time = [rc for rc in cells if rc[1] in time_cols]
    marks = sum(1 for rc in in_time if values[rc].__class__ is str and len(values[rc].strip()) <= 4
                and normalize(values[rc]).lower() in _ANSWER_MARKS)
    # survey / answer form
    if survey_words and (marks >= 3 or questions >= 3):
        return f"an answer form ({'・'.join(survey_words[:3])}, answers such as ○/×), not a roadmap"
    if marks >= 3 and marks >= 0.6 * max(1, len(in_time)) and questions >= 2:
        return "an answer form (questions answered with ○/× in the year columns), not a roadmap"
    # review / change log
    if reviewers or log_words:
        dated_rows = {rc[0] for rc in cells if isinstance(values[rc], (_dt.date, _dt.datetime))}
        if reviewers and log_words or len(dated_rows) >= 3:
            return f"a review or change log ({'・'.join((reviewers + log_words)[:3])}, dated rows), not a roadmap"
    # skill / score sheet: the "bars" hold figures
    if score_words:
        numbers = sum(1 for rc in in_time if isinstance(values[rc], (int, float)) and not isinstance(values[rc], bool))
        if numbers >= 0.6 * len(in_time) and numbers >= 6:
            return f"a score sheet (figures under the month or year columns, {score_words[0]}), not a roadmap"
    return ""
