"""Merging returned surveys: a person's edits in Excel come back as exactly those changes; collisions are conflicts."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from dxroadmap.cli import main
from dxroadmap.io.plan_json import plan_to_dict, read_plan_json, write_plan_json
from dxroadmap.io.surveys.layout import actual_label, set_block
from dxroadmap.io.surveys.read import read_returned
from dxroadmap.model.plan import Initiative

from .filling import column, filled_columns, insert_row, open_survey, row_of, write

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
SHARED = "i-bab51c5e"  # 松前町: ＤＸ部門, 商工観光課 and 政策財政課 share it


def _strip(doc: dict) -> dict:
    """A plan document without survey_rounds, for comparing contents."""
    doc = copy.deepcopy(doc)
    doc["plan"].pop("survey_rounds", None)
    return doc


def _drop_new_ids(doc: dict, known: set[str]) -> dict:
    def visit(x):
        if isinstance(x, dict):
            if x.get("id") and x["id"] not in known:
                del x["id"]
            for v in x.values():
                visit(v)
        elif isinstance(x, list):
            for v in x:
                visit(v)
    visit(doc)
    return doc


def _ids(doc) -> set[str]:
    out = set()

    def visit(x):
        if isinstance(x, dict):
            if isinstance(x.get("id"), str):
                out.add(x["id"])
            for v in x.values():
                visit(v)
        elif isinstance(x, list):
            for v in x:
                visit(v)
    visit(doc)
    return out


@pytest.fixture
def matsumae(tmp_path):
    plan_path = tmp_path / "matsumae.json"
    shutil.copy(SAMPLES / "matsumae.json", plan_path)
    out = tmp_path / "surveys"
    assert main(["survey", str(plan_path), str(out), "--fy", "2024"]) == 0
    return plan_path, out


def _fill_dx(path: Path) -> dict:
    """ＤＸ部門 answers the way a person would; returns what it did, for building the expected plan."""
    wb, ws = open_survey(path)
    write(ws, "i-5db4662d", "状況", "実施中")
    write(ws, "i-5db4662d", "実績", "全職員に標的型メール訓練を実施した。")
    # the middle bar (令和6年度, 実証) of i-749d4b94 moved one quarter later
    r = row_of(ws, "i-749d4b94")
    cols = filled_columns(ws, r)
    colours = [ws.cell(r, c).fill.fgColor.rgb for c in cols]
    middle = colours[4]
    assert colours[3] != middle != colours[8]
    for c in [c for c, col in zip(cols, colours) if col == middle]:
        ws.cell(r, c).fill = openpyxl.styles.PatternFill(fill_type=None)
    for c in [c for c, col in zip(cols, colours) if col == middle]:
        ws.cell(r, c + 1).fill = openpyxl.styles.PatternFill("solid", fgColor=middle)
    # a new sub-action right under 行政手続きの電子申請化
    r = row_of(ws, "i-57e2a0bf")
    insert_row(ws, r + 1)
    ws.cell(r + 1, column(ws, "取組名")).value = "電子申請の操作説明会"
    ws.cell(r + 1, column(ws, "状況")).value = "未着手"
    # a comment typed in a stray cell, a row inserted above the table, the sheet renamed
    ws.cell(row_of(ws, "i-d09f45cc"), column(ws, "意見・要望") + 2).value = "担当者が異動しました"
    insert_row(ws, 1)
    ws["B1"] = "課長確認済み"
    ws.title = "回答"
    wb.save(path)


def _expected_dx(plan_path: Path):
    plan = read_plan_json(plan_path)
    by_id = {i.id: i for _, i in plan.walk()}
    sec = by_id["i-5db4662d"]
    sec.status = "実施中"
    sec.notes = set_block(sec.notes, actual_label(2024), "全職員に標的型メール訓練を実施した。")
    moved = by_id["i-749d4b94"]
    moved.phases[1].start += 3
    moved.phases[1].end += 3
    moved.phases[2].start += 3
    by_id["i-57e2a0bf"].children.insert(0, Initiative(name="電子申請の操作説明会", status="未着手"))
    return plan


def test_a_persons_edits_come_back_as_exactly_those_changes(matsumae, tmp_path, capsys):
    plan_path, out = matsumae
    _fill_dx(out / "ＤＸ部門.xlsx")
    result = tmp_path / "merged.json"
    capsys.readouterr()
    status = main(["merge", str(plan_path), str(out / "ＤＸ部門.xlsx"), "-o", str(result)])
    printed = capsys.readouterr()
    assert status == 0, printed.err
    merged = json.loads(result.read_text(encoding="utf-8"))
    expected = plan_to_dict(_expected_dx(plan_path))
    known = _ids(expected)
    assert _drop_new_ids(_strip(merged), known) == _strip(expected)
    lines = [line.split("\t") for line in printed.out.splitlines() if line.startswith("ＤＸ部門\t")]
    whats = [w for _, _, w in lines]
    assert len(lines) == 5, printed.out  # status, notes, phase moved, phase resized, sub-action added (with its status)
    assert any("状況" in w and "実施中" in w for w in whats)
    assert any("工程移動" in w for w in whats) and any("工程期間変更" in w for w in whats)
    assert any("取組を追加" in w and "電子申請の操作説明会" in w for w in whats)
    # the stray texts are reported, not applied
    assert "担当者が異動しました" in printed.err and "課長確認済み" in printed.err
    # who answered is kept in the plan, and who has not is listed
    rounds = merged["plan"]["survey_rounds"]
    assert [a["department"] for a in rounds[0]["answered"]] == ["ＤＸ部門"]
    assert rounds[0]["answered"][0]["file"] == "ＤＸ部門.xlsx" and rounds[0]["answered"][0]["modified"]
    assert set(rounds[0]["not_yet"]) == {"全課等", "関係課等", "商工観光課", "政策財政課"}
    assert "not yet answered\t" in printed.out and "商工観光課" in printed.out
    again = read_plan_json(result)
    assert again.survey_rounds == rounds


def test_two_departments_disagree_on_a_shared_initiative(matsumae, tmp_path, capsys):
    plan_path, out = matsumae
    _fill_dx(out / "ＤＸ部門.xlsx")
    for name, status in (("商工観光課", "実施中"), ("政策財政課", "完了")):
        wb, ws = open_survey(out / f"{name}.xlsx")
        write(ws, SHARED, "状況", status)
        if name == "商工観光課":
            write(ws, SHARED, "実績", "キャッシュレス決済の導入店舗が増えた。")
        wb.save(out / f"{name}.xlsx")
    result = tmp_path / "merged.json"
    capsys.readouterr()
    status = main(["merge", str(plan_path), *(str(out / f"{n}.xlsx") for n in ("ＤＸ部門", "商工観光課", "政策財政課")),
                   "-o", str(result)])
    printed = capsys.readouterr()
    assert status == 4
    conflicts = [line.split("\t") for line in printed.out.splitlines() if "\tconflict" in line]
    assert {c[0] for c in conflicts} == {"商工観光課", "政策財政課"}
    assert all(c[2].startswith("conflict") and "状況" in c[2] for c in conflicts)
    merged = read_plan_json(result)
    shared = next(i for _, i in merged.walk() if i.id == SHARED)
    assert shared.status == ""  # neither side applied silently
    assert "キャッシュレス決済の導入店舗が増えた。" in shared.notes  # 商工観光課's 実績 collides with nothing
    expected = _expected_dx(plan_path)
    exp_shared = next(i for _, i in expected.walk() if i.id == SHARED)
    exp_shared.notes = set_block(exp_shared.notes, actual_label(2024), "キャッシュレス決済の導入店舗が増えた。")
    assert _drop_new_ids(_strip(plan_to_dict(merged)), _ids(plan_to_dict(expected))) == _strip(plan_to_dict(expected))


def test_the_master_changed_since_the_survey_wins_and_is_reported(matsumae, tmp_path, capsys):
    plan_path, out = matsumae
    master = read_plan_json(plan_path)
    next(i for _, i in master.walk() if i.id == "i-5db4662d").status = "完了"
    write_plan_json(master, plan_path)
    wb, ws = open_survey(out / "ＤＸ部門.xlsx")
    write(ws, "i-5db4662d", "状況", "遅延")
    wb.save(out / "ＤＸ部門.xlsx")
    capsys.readouterr()
    assert main(["merge", str(plan_path), str(out / "ＤＸ部門.xlsx"), "-o", str(tmp_path / "m.json")]) == 4
    assert "ＤＸ部門\tセキュリティ対策の徹底\tconflict" in capsys.readouterr().out
    assert next(i for _, i in read_plan_json(tmp_path / "m.json").walk() if i.id == "i-5db4662d").status == "完了"


def test_files_that_are_not_surveys_of_this_round_are_refused(matsumae, tmp_path, capsys):
    plan_path, out = matsumae
    other = tmp_path / "abashiri"
    assert main(["survey", str(SAMPLES / "abashiri.json"), str(other), "--fy", "2023"]) == 0
    unrelated = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "予算"
    wb.save(unrelated)
    # an older round: the master changed and was surveyed again
    master = read_plan_json(plan_path)
    master.pillars[0].initiatives[0].name += "（改）"
    write_plan_json(master, plan_path)
    new_round = tmp_path / "round2"
    assert main(["survey", str(plan_path), str(new_round), "--fy", "2024"]) == 0
    wb2, ws2 = open_survey(new_round / "商工観光課.xlsx")
    write(ws2, SHARED, "状況", "実施中")
    wb2.save(new_round / "商工観光課.xlsx")
    before = plan_path.read_bytes()
    capsys.readouterr()
    result = tmp_path / "m.json"
    status = main(["merge", str(plan_path), str(new_round / "商工観光課.xlsx"), str(out / "政策財政課.xlsx"),
                   str(other / "観光課.xlsx"), str(unrelated), "-o", str(result)])
    printed = capsys.readouterr()
    assert status == 3
    assert "政策財政課.xlsx" in printed.err and "観光課.xlsx" in printed.err and "budget.xlsx" in printed.err
    assert printed.err.count("refused") == 3
    assert plan_path.read_bytes() == before
    merged = read_plan_json(result)
    assert next(i for _, i in merged.walk() if i.id == SHARED).status == "実施中"
    assert [a["department"] for a in merged.survey_rounds[0]["answered"]] == ["商工観光課"]


def test_reader_finds_the_table_wherever_it_moved(matsumae):
    _, out = matsumae
    path = out / "商工観光課.xlsx"
    wb, ws = open_survey(path)
    for _ in range(3):
        insert_row(ws, 2)
    ws.insert_cols(3)  # a column added by the department
    ws.cell(12, 3).value = "メモ"  # the first row of the table, in the new column
    write(ws, SHARED, "状況", "完了")
    ws.title = "Sheet1"
    wb.save(path)
    got = read_returned(path)
    assert got.sheet == "Sheet1"
    assert [r.id for r in got.rows] == [SHARED]
    assert got.rows[0].values["status"] == "完了"
    assert got.rows[0].filled  # the bars are still found under their quarters
    assert any("メモ" in s for s in got.stray)


def test_diffing_each_departments_part_merges_as_diffing_the_whole_plan(matsumae):
    """merge_change_lists on each department's part gives what merge_many on whole copies gives."""
    from dxroadmap.io.surveys.layout import department_plan
    from dxroadmap.io.surveys.merge_back import load_sent, theirs_from
    from dxroadmap.model.diff import diff_plans
    from dxroadmap.model.merge import merge_change_lists, merge_many

    plan_path, out = matsumae
    _fill_dx(out / "ＤＸ部門.xlsx")
    for name, status in (("商工観光課", "実施中"), ("政策財政課", "完了")):
        wb, ws = open_survey(out / f"{name}.xlsx")
        write(ws, SHARED, "状況", status)
        wb.save(out / f"{name}.xlsx")
    sent = load_sent(out / "survey.json")
    ours = read_plan_json(plan_path)
    ours.pillars[1].initiatives[0].summary = "事務局が変更"
    whole, parts = [], []
    for name in ("ＤＸ部門", "商工観光課", "政策財政課"):
        answer = read_returned(out / f"{name}.xlsx")
        whole.append((name, theirs_from(sent.plan, answer, 2024)))
        part = department_plan(sent.plan, name)
        parts.append((name, diff_plans(part, theirs_from(part, answer, 2024))))
    a = merge_many(sent.plan, whole, ours=ours)
    b = merge_change_lists(sent.plan, parts, diff_plans(sent.plan, ours))
    assert _drop_new_ids(plan_to_dict(a.plan), set()) == _drop_new_ids(plan_to_dict(b.plan), set())
    assert [c.describe() for c in a.applied] == [c.describe() for c in b.applied]
    assert [c.describe() for c in a.conflicts] == [c.describe() for c in b.conflicts] and len(a.conflicts) == 1


def test_who_answered_is_kept_in_a_saved_workbook(matsumae, tmp_path, capsys):
    plan_path, out = matsumae
    result = tmp_path / "merged.xlsx"
    assert main(["merge", str(plan_path), str(out / "商工観光課.xlsx"), "-o", str(result)]) == 0
    from dxroadmap.formats import read_any

    rounds = read_any(result).plan.survey_rounds
    assert [a["department"] for a in rounds[0]["answered"]] == ["商工観光課"]
    assert "ＤＸ部門" in rounds[0]["not_yet"]
