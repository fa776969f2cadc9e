"""Atomic saves: backups, and clear refusals that leave the old file and no temp file behind."""

from __future__ import annotations

import errno
import os
import time

import pytest

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.plan_json import read_plan_json, write_plan_json
from dxroadmap.io.storage import atomic
from dxroadmap.io.storage.atomic import SaveError, atomic_path, atomic_write_bytes, backup_path_for, cleanup_temp_files
from dxroadmap.model.plan import Plan


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def check_message(exc: PlanWriteError, *ja_words: str) -> None:
    en, ja = exc.message("en"), exc.message("ja")
    assert en.endswith(".") and en.count(". ") <= 1 and "Traceback" not in en
    assert ja.endswith("。") and ja.count("。") <= 2
    for word in ja_words:
        assert word in ja


def test_backup_names_keep_the_real_extension_last(tmp_path):
    assert backup_path_for(tmp_path / "計画.xlsx").name == "計画.bak.xlsx"
    assert backup_path_for(tmp_path / "plan.json").name == "plan.bak.json"
    assert backup_path_for(tmp_path / "README").name == "README.bak"
    assert backup_path_for(tmp_path / ".hidden").name == ".hidden.bak"


def test_plain_save_writes_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "計画.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert names(tmp_path) == ["計画.json"]


def test_backup_keeps_the_previous_version_each_time(tmp_path):
    target = tmp_path / "計画.xlsx"
    atomic_write_bytes(target, b"v1", backup=True)
    assert names(tmp_path) == ["計画.xlsx"]  # nothing to back up on the first save
    atomic_write_bytes(target, b"v2", backup=True)
    assert (tmp_path / "計画.bak.xlsx").read_bytes() == b"v1"
    atomic_write_bytes(target, b"v3", backup=True)
    assert target.read_bytes() == b"v3"
    assert (tmp_path / "計画.bak.xlsx").read_bytes() == b"v2"
    assert names(tmp_path) == ["計画.bak.xlsx", "計画.xlsx"]


def test_backup_by_copy_where_hard_links_are_not_allowed(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old" * 1000)

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    atomic_write_bytes(target, b"new", backup=True)
    assert target.read_bytes() == b"new"
    assert (tmp_path / "plan.bak.json").read_bytes() == b"old" * 1000
    assert names(tmp_path) == ["plan.bak.json", "plan.json"]


def test_write_plan_json_with_backup(tmp_path):
    target = tmp_path / "plan.json"
    write_plan_json(Plan(title="第1版"), target, backup=True)
    write_plan_json(Plan(title="第2版"), target, backup=True)
    assert read_plan_json(target).title == "第2版"
    assert read_plan_json(tmp_path / "plan.bak.json").title == "第1版"


def test_a_failing_writer_leaves_the_old_file_and_no_backup(tmp_path):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="writer broke"):
        with atomic_path(target, backup=True) as tmp:
            tmp.write_bytes(b"half")
            raise ValueError("writer broke")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["plan.json"]


def test_permissions_are_kept(tmp_path):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    atomic_write_bytes(target, b"new", backup=True)
    assert os.stat(target).st_mode & 0o777 == 0o640


def test_read_only_target_is_refused(tmp_path):
    target = tmp_path / "計画.xlsx"
    target.write_bytes(b"old")
    os.chmod(target, 0o444)  # refused from the mode bits, so this holds for root too
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"new", backup=True)
    assert info.value.reason == "read-only"
    assert isinstance(info.value, PlanWriteError) and isinstance(info.value, OSError)
    check_message(info.value, "読み取り専用", "名前を付けて保存")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["計画.xlsx"]


def test_read_only_folder_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "共有"
    folder.mkdir()
    target = folder / "plan.json"
    target.write_bytes(b"old")
    if os.geteuid() == 0:  # root writes through chmod: make creating the temp file fail as it would
        def denied(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")
        monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    else:
        os.chmod(folder, 0o555)
    try:
        with pytest.raises(SaveError) as info:
            atomic_write_bytes(target, b"new")
    finally:
        os.chmod(folder, 0o755)
    assert info.value.reason == "read-only"
    check_message(info.value, "フォルダーが読み取り専用")
    assert target.read_bytes() == b"old"
    assert names(folder) == ["plan.json"]


def test_replace_denied_reads_as_read_only(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(PlanWriteError) as info:
        write_plan_json(Plan(title="new"), target)
    assert info.value.reason == "read-only"
    check_message(info.value, "読み取り専用")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["plan.json"]


@pytest.mark.parametrize("windows", [False, True])
def test_file_in_use_by_another_program(tmp_path, monkeypatch, windows):
    target = tmp_path / "計画.xlsx"
    target.write_bytes(b"old")
    if windows:  # what Windows says when Excel has the file open
        monkeypatch.setattr(atomic, "_IS_WINDOWS", True)
        error = PermissionError(errno.EACCES, "The process cannot access the file")
        error.winerror = 32
    else:
        error = OSError(errno.EBUSY, "Device or resource busy")

    def busy(*args, **kwargs):
        raise error

    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"new", backup=True)
    assert info.value.reason == "locked"
    check_message(info.value, "ほかのプログラムが", "Excel")
    assert "Excel" in info.value.message("en")
    assert target.read_bytes() == b"old"
    # no temp file (of the new file or of the backup) is left behind
    assert sorted(n for n in names(tmp_path) if n.startswith(".~")) == []


def test_disk_full_while_writing(tmp_path):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")
    with pytest.raises(SaveError) as info:
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.reason == "disk-full"
    assert info.value.errno == errno.ENOSPC
    check_message(info.value, "空き容量")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["plan.json"]


def test_missing_folder(tmp_path):
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(tmp_path / "gone" / "plan.json", b"x")
    assert info.value.reason == "no-folder"
    check_message(info.value, "フォルダー")


def test_target_is_a_folder(tmp_path):
    (tmp_path / "plan.json").mkdir()
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(tmp_path / "plan.json", b"x")
    assert info.value.reason == "is-folder"


def test_file_replaced_by_another_program_during_the_save_is_not_overwritten(tmp_path):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")
    with pytest.raises(SaveError) as info:
        with atomic_path(target, backup=True) as tmp:
            tmp.write_bytes(b"ours")
            target.write_bytes(b"a colleague's version")  # saved while we were writing
    assert info.value.reason == "changed-on-disk"
    check_message(info.value, "ほかのプログラムが")
    assert target.read_bytes() == b"a colleague's version"
    assert names(tmp_path) == ["plan.json"]


def test_backup_that_cannot_be_made_stops_the_save(tmp_path):
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")
    (tmp_path / "plan.bak.json").mkdir()  # something in the way
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"new", backup=True)
    assert info.value.reason == "backup-failed"
    check_message(info.value, "バックアップ")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["plan.bak.json", "plan.json"]


def test_saving_through_a_symlink_updates_the_real_file(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_cleanup_removes_only_stale_temp_files(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_bytes(b"plan")
    stale = tmp_path / ".~plan.json.abc123.tmp"
    fresh = tmp_path / ".~plan.json.def456.tmp"
    other = tmp_path / ".~notes.txt"
    for path in (stale, fresh, other):
        path.write_bytes(b"x")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    removed = cleanup_temp_files(tmp_path)
    assert removed == [stale]
    assert names(tmp_path) == sorted([".~notes.txt", ".~plan.json.def456.tmp", "plan.json"])
    assert cleanup_temp_files(tmp_path, max_age=0) == [fresh]
    assert cleanup_temp_files(tmp_path / "missing") == []


def test_long_japanese_names_fit(tmp_path):
    target = tmp_path / ("デジタル変革推進計画ロードマップ" * 5 + ".xlsx")  # 80 characters, 245 bytes
    atomic_write_bytes(target, b"v1", backup=True)
    atomic_write_bytes(target, b"v2", backup=False)
    assert target.read_bytes() == b"v2"


def test_refusal_names_the_excel_user_who_has_the_workbook_open(tmp_path, monkeypatch):
    target = tmp_path / "計画.xlsx"
    target.write_bytes(b"old")
    name = "山田"
    owner = bytearray([len(name)]) + name.encode("cp932")
    owner += b" " * (55 - len(owner)) + bytes([len(name), 0]) + name.encode("utf-16-le")
    owner += b" \x00" * ((165 - len(owner)) // 2) + b" "
    (tmp_path / "~$計画.xlsx").write_bytes(bytes(owner))

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"new")
    assert info.value.reason == "locked"
    check_message(info.value, "山田 さん", "Excel")
    assert target.read_bytes() == b"old"
