"""The one string table: Japanese by default, English complete, every key used in the UI exists."""

import re
from pathlib import Path

import pytest

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.xlsx.read.results import Notice
from dxroadmap.model.plan import PhaseKind, Plan
from dxroadmap.model.validation import CODES, Problem, validate
from dxroadmap.ui import strings
from dxroadmap.ui.strings import TABLE, error_text, language, notice_text, problem_text, set_language, tr, tr_command

UI = Path(strings.__file__).resolve().parent


@pytest.fixture(autouse=True)
def japanese():
    set_language("ja")
    yield
    set_language("ja")


def test_japanese_is_the_default_and_uses_the_users_terms():
    assert language() == "ja"
    assert tr("col.name") == "取組内容"
    assert tr("col.departments") == "関係部門"
    assert tr("insp.priority") == "重点取組事項"
    assert tr("insp.summary") == "概要"
    assert tr("act.add_pillar") == "基本方針を追加"
    assert tr("insp.phase") == "工程"
    assert tr("insp.milestone") == "マイルストーン"


def test_english_switch_formatting_and_fallbacks():
    set_language("en")
    assert tr("act.save") == "&Save"
    assert tr("file.unsaved_text", name="a.json") == "Save the changes to “a.json”?"
    assert tr_command("工程の移動") == "Move phase"
    set_language("xx")  # unknown languages fall back to Japanese
    assert language() == "ja"
    assert tr("act.save") == "保存(&S)"
    assert tr_command("工程の移動") == "工程の移動"
    assert tr("no.such.key") == "no.such.key"


def test_both_languages_have_the_same_keys_and_placeholders():
    ja, en = TABLE["ja"], TABLE["en"]
    assert set(ja) == set(en)
    for key in ja:
        assert set(re.findall(r"{(\w+)}", ja[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_key_the_ui_code_asks_for_exists():
    used = set()
    for path in [*UI.glob("*.py"), *UI.glob("timeline/*.py")]:
        used |= set(re.findall(r"""\btr\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""_(?:action|text)\([^"']*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""\bact\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 60
    used = {k for k in used if "." in k}
    prefixes = {k for k in used if k.endswith(".")}  # f-strings: tr(f"import.role.{role}")
    missing = sorted(k for k in used - prefixes if k not in TABLE["ja"])
    missing += sorted(p for p in prefixes if not any(k.startswith(p) for k in TABLE["ja"]))
    assert not missing, missing


def test_undo_command_texts_of_the_document_are_translated():
    document = (UI / "document.py").read_text(encoding="utf-8")
    texts = set(re.findall(r'"([^"\x00-\x7f]+)"', document))
    assert texts, "document.py has no Japanese command texts?"
    for name in ("inspector.py", "tree_model.py"):  # the texts the views give their edits
        texts |= set(re.findall(r'"([^"\x00-\x7f]+の変更)"', (UI / name).read_text(encoding="utf-8")))
    assert "マイルストーン名の変更" in texts
    set_language("en")
    untranslated = sorted(t for t in texts if tr_command(t) == t)
    assert not untranslated, untranslated


def test_the_catalogue_holds_every_area_of_the_ui():
    """The dialogs, the timeline and the file texts all live in the one catalogue."""
    ja = TABLE["ja"]
    for prefix in ("print.", "import.", "timeline.", "file.", "guard.", "problem.", "error.read.", "error.write.",
                   "import.notice.", "phase.kind."):
        assert any(k.startswith(prefix) for k in ja), prefix
    assert tr("print.setup.title") == "ページ設定"
    assert tr("timeline.drag_hint", lang="en") == "Shift: snap to quarters"
    for module in ("print_dialog.py", "import_dialog.py", "timeline/texts.py"):
        source = (UI / module).read_text(encoding="utf-8")
        assert "_TEXT" not in source, module  # no private tables left


def test_phase_kinds_have_words_and_the_japanese_ones_are_the_models():
    for kind in PhaseKind:
        assert tr(f"phase.kind.{kind.value}") == kind.label_ja
        assert tr(f"phase.kind.{kind.value}", lang="en") != kind.label_ja


def test_tr_takes_a_language_without_switching():
    assert tr("act.save", lang="en") == "&Save"
    assert tr("act.save", lang="xx") == "保存(&S)"  # unknown: Japanese
    assert language() == "ja"


def test_every_validation_code_is_worded_in_both_languages():
    assert {k.split(".", 1)[1] for k in TABLE["ja"] if k.startswith("problem.")} == set(CODES) | {"untitled"}
    plan = Plan(title="t", start_fy=2030, end_fy=2024)
    problems = validate(plan)
    assert problems[0].code == "period-order"
    assert problem_text(problems[0]) == "計画期間の終わり（令和6年度）が始まり（令和12年度）より前です。"
    assert problem_text(problems[0], "en") == "The plan period ends (令和6年度) before it starts (令和12年度)."
    untitled = Problem("phase-order", None, {"name": "窓口", "label": None, "start": "s", "end": "e"})
    assert problem_text(untitled) == "「窓口」の「（無題）」は終わり（e）が始まり（s）より前です。"
    assert problem_text(untitled, "en") == "“(untitled)” of “窓口” ends (e) before it starts (s)."


def test_errors_are_worded_by_reason_and_params_else_by_their_own_sentence():
    worded = PlanReadError("legacy-xls", "own en", "own ja", {"name": "old.xls"})
    assert error_text(worded, "ja").startswith("old.xls は古い Excel 97–2003 形式")
    assert error_text(worded, "en").startswith("old.xls is in the old Excel 97–2003 format")
    set_language("en")
    assert error_text(worded).startswith("old.xls is in")  # the current language by default
    set_language("ja")
    detailed = PlanReadError("not-json", "The file is empty; it is not a plan.", "ファイルが空です。")
    assert error_text(detailed, "ja") == "ファイルが空です。"  # no params: the error's own sentence
    assert error_text(detailed, "en") == "The file is empty; it is not a plan."
    partial = PlanWriteError("write-failed", "own", "自前", {"name": "a.json"})  # lacks {detail}
    assert error_text(partial, "ja") == "自前"
    assert error_text(ValueError("plain")) == "plain"
    for reason in ("foreign",):  # fieldless entries must say exactly what their one raise site says
        own = PlanReadError(reason, "This JSON file is not a dxroadmap plan.", "この JSON ファイルは dxroadmap の計画ファイルではありません。")
        assert error_text(own, "en") == own.en and error_text(own, "ja") == own.ja


def test_every_reason_raised_has_a_catalogue_entry():
    """Every reason code a raise site uses (in dxroadmap/) is in error.read.* or error.write.*."""
    root = UI.parent
    reasons = {"read": set(), "write": set()}
    pattern = re.compile(r"""Plan(Read|Write)Error\(\s*["']([\w-]+)["']""")
    subclass = re.compile(r"""class \w+\(Plan(Read|Write)Error\):.*?super\(\).__init__\(\s*["']([\w-]+)["']""", re.S)
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for kind, reason in pattern.findall(source) + subclass.findall(source):
            reasons[kind.lower()].add(reason)
    assert {"missing", "not-json", "legacy-xls", "encrypted"} <= reasons["read"]
    assert {"unwritable", "write-failed", "no-japanese-font", "cannot-express"} <= reasons["write"]
    for kind, codes in reasons.items():
        missing = sorted(c for c in codes if f"error.{kind}.{c}" not in TABLE["ja"])
        assert not missing, (kind, missing)


def test_notices_are_worded_from_the_catalogue_strings_pass_through():
    notice = Notice("unnamed-row", {"sheet": "工程表", "row": 7}, "工程表 row 7: bars … not imported.")
    assert notice_text(notice, "ja") == "工程表 7行目：取組名のないバーや文字は取り込んでいません。"
    assert notice_text(notice, "en") == "工程表 row 7: bars or text without an initiative name were not imported."
    assert notice_text("a plain sentence", "en") == "a plain sentence"
    assert notice_text(Notice("no-such-code", {}, "own text"), "ja") == "own text"
    assert notice_text(Notice("unnamed-row", {"sheet": "x"}, "own"), "ja") == "own"  # a field missing
    assert str(notice) == "工程表 row 7: bars … not imported."
