"""The command line as a batch job uses it: exit statuses, messages on stderr, no stray output files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dxroadmap.cli import main

REPO = Path(__file__).resolve().parents[1]
GOOD = {"format": "dxroadmap-plan", "version": 1, "plan": {
    "title": "計画", "organization": "町", "period": {"start_fy": 2023, "end_fy": 2027},
    "pillars": [{"name": "柱", "initiatives": [{"name": "取組", "summary": "", "departments": ["総務課"],
                                              "phases": [{"label": "検討", "start": "2023-04", "end": "2024-03"}],
                                              "milestones": [], "children": []}]}]}}


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dxroadmap.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=120, env={"PATH": "/usr/bin:/bin", "DXROADMAP_LANG": "en"})


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    return path


def test_convert_json_to_json(good, tmp_path):
    out = tmp_path / "out.json"
    assert main(["convert", str(good), str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["plan"]["pillars"][0]["initiatives"][0]["phases"][0]["end"] == "2024-03"


def test_info(good, capsys):
    assert main(["info", str(good)]) == 0
    out = capsys.readouterr().out
    assert "title: 計画" in out and "令和5年度〜令和9年度" in out and "initiatives: 1" in out and "phases: 1" in out


@pytest.mark.parametrize("content, name, words", [
    ('{"format": "dxroadmap-plan", "version": 1, "pla', "broken.json", "not valid JSON"),
    ('{"format": "dxroadmap-plan", "version": 99, "plan": {}}', "newer.json", "newer dxroadmap"),
    (None, "missing.json", "no file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls", "save it as .xlsx"),
])
def test_unreadable_inputs_exit_3_with_a_sentence_and_no_output(tmp_path, content, name, words):
    src = tmp_path / name
    if isinstance(content, bytes):
        src.write_bytes(content)
    elif content is not None:
        src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_cli("convert", src, out)
    assert result.returncode == 3, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ([name] if content is not None else [])


def test_usage_errors_exit_2(good, tmp_path):
    assert run_cli("convert", good).returncode == 2
    result = run_cli("convert", good, tmp_path / "out.docx")
    assert result.returncode == 2 and "cannot write" in result.stderr
    assert not (tmp_path / "out.docx").exists()
    assert run_cli("info").returncode == 2
    assert run_cli("convert", good, tmp_path / "o.json", "--paper", "A5").returncode == 2


def test_convert_to_json_does_not_import_qt(good, tmp_path):
    code = ("import sys; from dxroadmap.cli import main; rc = main(['convert', sys.argv[1], sys.argv[2]]); "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'openpyxl'))]; "
            "print(rc, bad)")
    result = subprocess.run([sys.executable, "-c", code, str(good), str(tmp_path / "o.json")], capture_output=True,
                            text=True, cwd=REPO, timeout=60)
    assert result.stdout.strip() == "0 []", result.stderr


def test_convert_to_xlsx_with_month_columns_and_back(good, tmp_path):
    import openpyxl
    out = tmp_path / "roadmap.xlsx"
    assert main(["convert", str(good), str(out), "--columns", "month", "--paper", "B4"]) == 0
    ws = openpyxl.load_workbook(out)["ロードマップ"]
    texts = {str(c.value) for row in ws.iter_rows(max_row=12) for c in row if c.value is not None}
    assert "4月" in texts and "3月" in texts
    back = tmp_path / "back.json"
    assert main(["convert", str(out), str(back)]) == 0
    assert json.loads(back.read_text(encoding="utf-8"))["plan"]["pillars"][0]["initiatives"][0]["phases"][0]["end"] == "2024-03"
    assert run_cli("convert", good, tmp_path / "x.pdf", "--columns", "month").returncode == 2


@pytest.mark.parametrize("sample", sorted((REPO / "samples").glob("*.json")), ids=lambda p: p.stem)
def test_convert_keeps_every_contract_key_of_every_sample(sample, tmp_path):
    out = tmp_path / "out.json"
    assert main(["convert", str(sample), str(out)]) == 0
    contract = ("name", "summary", "departments", "phases", "milestones", "children")

    def strip(node):
        return {k: ([strip(c) for c in node[k]] if k == "children" else
                    [{x: p[x] for x in ("label", "start", "end")} for p in node[k]] if k == "phases" else node[k])
                for k in contract}

    def contract_view(doc):
        plan = doc["plan"]
        return (doc["format"], doc["version"], plan["title"], plan["organization"], plan["period"],
                [(p["name"], [strip(i) for i in p["initiatives"]]) for p in plan["pillars"]])

    before = json.loads(sample.read_text(encoding="utf-8"))
    after = json.loads(out.read_text(encoding="utf-8"))
    assert contract_view(after) == contract_view(before)
    assert after == before  # our own keys survive too


def test_a_missing_defusedxml_is_a_clear_refusal_not_a_quieter_import(tmp_path):
    """Without defusedxml, workbooks are refused with a sentence naming it; nothing is written."""
    out = tmp_path / "plan.xlsx"
    assert main(["convert", str(REPO / "samples" / "matsumae.json"), str(out)]) == 0
    back = tmp_path / "back.json"
    code = ("import sys; sys.modules['defusedxml'] = None; "  # makes `import defusedxml` raise ImportError
            "from dxroadmap.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, "convert", str(out), str(back)], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "DXROADMAP_LANG": "en"}, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "defusedxml" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not back.exists()


@pytest.mark.parametrize("ext", [".pptx", ".html"])
def test_paper_options_on_slides_or_web_pages_are_a_usage_error(good, tmp_path, ext):
    out = tmp_path / f"plan{ext}"
    proc = run_cli("convert", good, out, "--paper", "A4")
    assert proc.returncode == 2 and "--paper" in proc.stderr and not out.exists()


def test_convert_drops_a_trailing_plan_period_from_an_imported_title(shared_dir, tmp_path):
    """The CLI import gives the same title as the GUI import: no period the printed sheet repeats anyway."""
    import openpyxl

    wb = openpyxl.load_workbook(shared_dir / "fixtures" / "s01_yearfill_matsumae.xlsx")
    wb.worksheets[0]["A1"] = "松前町ＤＸ推進計画（令和5年度～令和9年度）"
    src = tmp_path / "office.xlsx"
    wb.save(src)
    out = tmp_path / "plan.json"
    assert main(["convert", str(src), str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["plan"]["title"] == "松前町ＤＸ推進計画"
