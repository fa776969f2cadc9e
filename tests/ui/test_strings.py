"""The one string table: Japanese by default, English complete, every key used in the UI exists."""

import re
from pathlib import Path

import pytest

from dxroadmap.ui import strings
from dxroadmap.ui.strings import TABLE, language, set_language, tr, tr_command

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
    for path in UI.glob("*.py"):
        used |= set(re.findall(r"""\btr\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""_(?:action|text)\([^"']*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""\bact\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 60
    used = {k for k in used if "." in k}
    missing = sorted(k for k in used if k not in TABLE["ja"])
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
