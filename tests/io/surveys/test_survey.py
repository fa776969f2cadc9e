"""Writing the department surveys: who gets which rows, what a person can and cannot edit, and how it prints."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dxroadmap.cli import main
from dxroadmap.io.plan_json import plan_to_dict, read_plan_json
from dxroadmap.io.surveys.layout import STATUS_CODES, department_rows, departments_of, safe_file_name
from dxroadmap.io.xlsx.datasheet import read_data_sheet
from dxroadmap.model.fiscal import month_index

from .filling import column, header_row, insert_row, open_survey, row_of, write

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture(scope="module")
def abashiri(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("abashiri")
    plan_path = tmp / "abashiri.json"
    shutil.copy(SAMPLES / "abashiri.json", plan_path)
    out = tmp / "surveys"
    assert main(["survey", str(plan_path), str(out), "--fy", "2023"]) == 0
    return plan_path, out


def test_one_workbook_per_department_with_its_rows(abashiri):
    plan_path, out = abashiri
    plan = read_plan_json(plan_path)
    departments = departments_of(plan)
    doc = json.loads((out / "survey.json").read_text(encoding="utf-8"))
    assert [d["department"] for d in doc["survey"]["departments"]] == departments
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted(d["file"] for d in doc["survey"]["departments"])
    for entry in doc["survey"]["departments"]:
        wb = openpyxl.load_workbook(out / entry["file"])
        ws = wb.worksheets[0]
        ids = [c.value for c in ws["A"][header_row(ws) + 1:] if c.value]
        assert ids == [r.initiative.id for r in department_rows(plan, entry["department"])]
        assert ids
    # an initiative with several departments goes to each; sub-actions come with their initiative
    shared = next(i for _, i in plan.walk() if len(i.departments) > 1 and i.children)
    for department in shared.departments:
        ids = {r.initiative.id for r in department_rows(plan, department)}
        assert shared.id in ids and {c.id for c in shared.children} <= ids


def test_what_a_person_may_edit(abashiri):
    _, out = abashiri
    wb, ws = open_survey(out / "観光課.xlsx")
    assert ws.protection.sheet and not ws.protection.password
    assert ws.column_dimensions["A"].hidden
    first = header_row(ws) + 2
    status, actual = column(ws, "状況"), column(ws, "実績")
    assert not ws.cell(first, status).protection.locked and not ws.cell(first, actual).protection.locked
    assert ws.cell(first, column(ws, "基本方針")).protection.locked and ws.cell(first, column(ws, "現在の工程")).protection.locked
    assert not ws.cell(first, column(ws, "取組名")).protection.locked  # an inserted row takes the row above's formats
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(word in lists[0].formula1 for word in STATUS_CODES)
    assert f"{openpyxl.utils.get_column_letter(status)}{first}" in lists[0].sqref
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows
    info = wb["dxroadmap_survey"]
    assert info.sheet_state == "hidden"
    identity = {r[0]: r[1] for r in info.iter_rows(values_only=True)}
    assert identity["department"] == "観光課" and identity["title"] == "網走市ＤＸ推進計画" and identity["fy"] == "2023"
    sent = read_data_sheet(wb).plan  # the plan as sent, for this department's rows
    assert {i.id for _, i in sent.walk()} >= {c.value for c in ws["A"][header_row(ws) + 1:] if c.value}


def test_safe_file_names():
    taken: set[str] = set()
    assert safe_file_name("総務課/DX推進係", taken) == "総務課_DX推進係"
    assert safe_file_name("総務課/DX推進係", taken) == "総務課_DX推進係_2"
    assert safe_file_name("CON", taken) == "_CON"
    assert safe_file_name(' :*?"<>| ', taken) == "_______"


def test_unedited_surveys_change_nothing(abashiri, tmp_path, capsys):
    plan_path, out = abashiri
    files = sorted(str(p) for p in out.glob("*.xlsx"))
    capsys.readouterr()
    assert main(["merge", str(plan_path), *files, "-o", str(tmp_path / "m.json")]) == 0
    printed = capsys.readouterr().out
    assert [line for line in printed.splitlines() if not line.startswith(("answered\t", "not yet"))] == []
    merged = plan_to_dict(read_plan_json(tmp_path / "m.json"))
    assert len(merged["plan"].pop("survey_rounds")[0]["answered"]) == len(files)
    assert merged == plan_to_dict(read_plan_json(plan_path))
    assert "not yet answered" not in printed


def test_abashiri_answers_and_a_sub_action_beside_a_sub_action(abashiri, tmp_path, capsys):
    plan_path, out = abashiri
    plan = read_plan_json(plan_path)
    rows = department_rows(plan, "観光課")
    child = next(r.initiative for r in rows if r.depth == 1)
    parent = next(r.initiative for r in rows if any(c is child for c in r.initiative.children))
    path = tmp_path / "観光課.xlsx"
    shutil.copy(out / "観光課.xlsx", path)
    shutil.copy(out / "survey.json", tmp_path / "survey.json")
    wb, ws = open_survey(path)
    write(ws, child.id, "状況", "完了")
    write(ws, child.id, "今後の方向性", "次年度も継続する。")
    write(ws, child.id, "変更後の終了", "令和6年9月")
    r = row_of(ws, child.id)
    insert_row(ws, r + 1)
    ws.cell(r + 1, column(ws, "取組名")).value = "ＳＮＳ広告の試行"
    wb.save(path)
    capsys.readouterr()
    assert main(["merge", str(plan_path), str(path), "-o", str(tmp_path / "m.json")]) == 0
    merged = read_plan_json(tmp_path / "m.json")
    got = next(i for _, i in merged.walk() if i.id == child.id)
    assert got.status == "完了" and "【今後の方向性】次年度も継続する。" in got.notes
    assert max(p.end for p in got.phases) == month_index(2024, 9)  # 令和6年9月
    siblings = next(i for _, i in merged.walk() if i.id == parent.id).children
    names = [c.name for c in siblings]
    assert names[names.index(child.name) + 1] == "ＳＮＳ広告の試行"
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("観光課\t")]
    assert len(lines) == 4  # status, notes, the last phase's end, the new sub-action


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and poppler are needed to print")
def test_a_survey_prints_in_libreoffice(abashiri, tmp_path):
    plan_path, out = abashiri
    plan = read_plan_json(plan_path)
    src = tmp_path / "kanko.xlsx"
    shutil.copy(out / "観光課.xlsx", src)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, timeout=180, capture_output=True)
    pdf = tmp_path / "kanko.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "取組状況照会票（観光課）" in text
    flat = "".join(text.split())
    names = [r.initiative.name for r in department_rows(plan, "観光課")]
    assert sum("".join(n.split())[:8] in flat for n in names) >= len(names) // 2
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5000


def test_survey_command_line_errors(tmp_path, capsys):
    assert main(["survey", str(SAMPLES / "matsumae.json"), str(tmp_path / "o"), "--fy", "2040"]) == 2
    assert main(["survey", str(tmp_path / "missing.json"), str(tmp_path / "o")]) == 3
    assert not (tmp_path / "o").exists()
    assert main(["merge", str(SAMPLES / "matsumae.json"), str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "m.json")]) == 3
    assert not (tmp_path / "m.json").exists()


def test_answer_blocks_in_the_notes():
    from dxroadmap.io.surveys.layout import get_block, set_block

    notes = set_block("研修を毎年行う。", "令和6年度実績", "2回実施")
    assert notes == "研修を毎年行う。\n【令和6年度実績】2回実施"
    notes = set_block(notes, "今後の方向性", "継続")
    assert get_block(notes, "令和6年度実績") == "2回実施" and get_block(notes, "今後の方向性") == "継続"
    notes = set_block(notes, "令和6年度実績", "3回実施")
    assert notes == "研修を毎年行う。\n【令和6年度実績】3回実施\n【今後の方向性】継続"
    assert set_block(notes, "令和6年度実績", "") == "研修を毎年行う。\n【今後の方向性】継続"
