"""Autosave and recovery: crashed sessions are offered back, running ones and clean closes are not."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.storage.recovery import (
    discard,
    discard_for_session,
    list_recoveries,
    new_session_id,
    recovery_dir,
    save_recovery,
)
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "データ"
    monkeypatch.setenv("DXROADMAP_DATA_DIR", str(folder))
    return folder


def sample_plan(title="松前町ＤＸ推進計画") -> Plan:
    return Plan(title=title, organization="松前町", start_fy=2023, end_fy=2027, pillars=[Pillar("ＤＸの土台", [
        Initiative("ＤＸコンシェルジュの育成", departments=["ＤＸ部門"],
                   phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討")])])])


def run_child(code: str, data: Path, *, wait: bool = True):
    env = {**os.environ, "DXROADMAP_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    script = textwrap.dedent(code)
    if wait:
        done = subprocess.run([sys.executable, "-c", script], env=env, timeout=30, capture_output=True, text=True)
        assert done.returncode == 9, done.stderr  # the child "crashed" on purpose after autosaving
        return None
    return subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)


CRASHING_SESSION = """
    import os
    from dxroadmap.io.storage.recovery import save_recovery
    from dxroadmap.model.plan import Plan, Pillar, Initiative
    plan = Plan(title="クラッシュした計画", pillars=[Pillar("柱", [Initiative("取組")])])
    save_recovery(plan, {source!r}, "sess-1")
    os._exit(9)  # dies without discarding, as a crash would
"""


def test_default_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("DXROADMAP_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if os.name != "nt" and sys.platform != "darwin":
        assert recovery_dir() == tmp_path / "xdg" / "dxroadmap" / "recovery"
        monkeypatch.delenv("XDG_DATA_HOME")
        assert recovery_dir() == Path.home() / ".local" / "share" / "dxroadmap" / "recovery"
    monkeypatch.setenv("DXROADMAP_DATA_DIR", str(tmp_path / "d"))
    assert recovery_dir() == tmp_path / "d" / "recovery"


def test_a_running_sessions_autosave_is_not_offered(data, tmp_path):
    session = new_session_id()
    source = tmp_path / "計画.xlsx"
    path = save_recovery(sample_plan(), source, session)
    assert path.parent == data / "recovery" and path.exists()
    assert list_recoveries() == []  # this process is alive
    [entry] = list_recoveries(include_running=True)
    assert entry.session_id == session and entry.source_path == source and entry.pid == os.getpid()
    assert entry.title == "松前町ＤＸ推進計画"
    assert plan_to_dict(entry.load()) == plan_to_dict(sample_plan())


def test_autosave_replaces_the_previous_one_and_leaves_no_temp_files(data):
    session = new_session_id()
    save_recovery(sample_plan("第1版"), None, session)
    save_recovery(sample_plan("第2版"), None, session)
    [entry] = list_recoveries(include_running=True)
    assert entry.load().title == "第2版" and entry.source_path is None
    assert sorted(p.name for p in (data / "recovery").iterdir()) == [f"{session}.meta.json", f"{session}.plan.json"]
    assert entry.describe("ja").startswith("第2版（") and "autosaved" in entry.describe("en")


def test_clean_save_or_close_discards_the_autosave(data):
    session = new_session_id()
    save_recovery(sample_plan(), None, session)
    discard_for_session(session)
    assert list(((data / "recovery").iterdir())) == []
    discard_for_session(session)  # twice is fine


def test_crashed_session_is_offered_and_can_be_restored_or_discarded(data, tmp_path):
    source = str(tmp_path / "共有" / "計画.json")
    run_child(CRASHING_SESSION.format(source=source), data)
    [entry] = list_recoveries()
    assert entry.session_id == "sess-1" and str(entry.source_path) == source
    assert entry.load().title == "クラッシュした計画"
    assert "計画.json" in entry.describe("ja") and "自動保存" in entry.describe("ja")
    discard(entry)
    assert list_recoveries() == [] and list((data / "recovery").iterdir()) == []


def test_session_of_another_running_dxroadmap_is_offered_only_after_it_dies(data):
    child = run_child("""
        import sys, time
        from dxroadmap.io.storage.recovery import save_recovery
        from dxroadmap.model.plan import Plan
        save_recovery(Plan(title="開いたまま"), None, "other-1")
        print("saved", flush=True)
        time.sleep(60)
    """, data, wait=False)
    try:
        assert child.stdout.readline().strip() == "saved"
        assert list_recoveries() == []
        assert [e.session_id for e in list_recoveries(include_running=True)] == ["other-1"]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    [entry] = list_recoveries()
    assert entry.load().title == "開いたまま"


def test_newest_first_and_damaged_autosaves_are_refused_on_load(data):
    run_child(CRASHING_SESSION.format(source=None), data)
    folder = data / "recovery"
    (folder / "sess-2.plan.json").write_bytes(b'{"format": "dxroadmap-plan", "version": 1, "pla')
    meta = json.loads((folder / "sess-1.meta.json").read_text(encoding="utf-8"))
    meta["saved_at"] += 10
    (folder / "sess-2.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    entries = list_recoveries()
    assert [e.session_id for e in entries] == ["sess-2", "sess-1"]
    with pytest.raises(PlanReadError):
        entries[0].load()


def test_leftovers_without_a_plan_are_tidied_and_odd_files_ignored(data):
    folder = data / "recovery"
    folder.mkdir(parents=True)
    (folder / "dead-1.meta.json").write_text('{"pid": 0}', encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / "bad name!.plan.json").write_text("{}", encoding="utf-8")
    assert list_recoveries() == []
    assert sorted(p.name for p in folder.iterdir()) == ["bad name!.plan.json", "notes.txt"]


def test_unwritable_data_folder_gives_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DXROADMAP_DATA_DIR", str(blocker / "data"))
    with pytest.raises(PlanWriteError) as info:
        save_recovery(sample_plan(), None, new_session_id())
    assert info.value.reason == "recovery-failed" and "手動で保存" in info.value.message("ja")
    assert list_recoveries() == []


def test_session_ids_must_be_plain_names(data):
    for bad in ("../escape", "a/b", "", "x" * 200):
        with pytest.raises(ValueError):
            save_recovery(sample_plan(), None, bad)
