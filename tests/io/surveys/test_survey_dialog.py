"""File › 各課照会 and 回答の取り込み: surveys written from the open plan, answers reviewed and applied as one undo step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from dxroadmap.io.plan_json import plan_to_dict, read_plan_json  # noqa: E402
from dxroadmap.io.surveys.merge_back import merge_returned  # noqa: E402
from dxroadmap.ui.dialogs.survey import SurveyAnswersDialog, apply_answers, find_rounds, send_surveys  # noqa: E402
from dxroadmap.ui.document import Document  # noqa: E402

from .filling import open_survey, write  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
SHARED = "i-bab51c5e"


def test_answers_reviewed_per_change_and_undone_in_one_step(qtbot, tmp_path):
    plan_path = tmp_path / "matsumae.json"
    shutil.copy(SAMPLES / "matsumae.json", plan_path)
    doc = Document(read_plan_json(plan_path), str(plan_path))
    before = plan_to_dict(doc.plan)
    files = send_surveys(None, doc, str(tmp_path / "out"), 2024)
    assert {f.department for f in files} >= {"商工観光課", "政策財政課"}
    out = tmp_path / "out"
    for name, status in (("商工観光課", "実施中"), ("政策財政課", "完了")):
        wb, ws = open_survey(out / f"{name}.xlsx")
        write(ws, SHARED, "状況", status)
        wb.save(out / f"{name}.xlsx")
    wb, ws = open_survey(out / "ＤＸ部門.xlsx")
    write(ws, "i-5db4662d", "状況", "実施中")
    write(ws, "i-2b2329ea", "状況", "遅延")
    wb.save(out / "ＤＸ部門.xlsx")
    paths = [str(out / f"{n}.xlsx") for n in ("ＤＸ部門", "商工観光課", "政策財政課")]
    outcome = merge_returned(doc.plan, paths, find_rounds(paths, doc.path))
    dialog = SurveyAnswersDialog(outcome)
    qtbot.addWidget(dialog)
    top = [dialog.tree.topLevelItem(k).text(0) for k in range(dialog.tree.topLevelItemCount())]
    assert top == ["ＤＸ部門", "商工観光課", "政策財政課"]
    conflict_rows = [dialog.tree.topLevelItem(1).child(k).text(0) for k in range(dialog.tree.topLevelItem(1).childCount())]
    assert any(t.startswith("競合") for t in conflict_rows)
    assert len(dialog.accepted_changes()) == 2
    rejected = next(ch for ch in outcome.applied if ch.target == "i-2b2329ea")
    dialog.set_checked(rejected, False)
    apply_answers(doc, outcome, dialog.accepted_changes())
    by_id = {i.id: i for _, i in doc.plan.walk()}
    assert by_id["i-5db4662d"].status == "実施中"
    assert by_id["i-2b2329ea"].status == ""  # rejected
    assert by_id[SHARED].status == ""  # a conflict is never applied
    assert doc.plan.survey_rounds and doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert plan_to_dict(doc.plan) == before
    doc.undo_stack.redo()
    assert {i.id: i for _, i in doc.plan.walk()}["i-5db4662d"].status == "実施中"
