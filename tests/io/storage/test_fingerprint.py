"""External changes: a colleague's save is noticed, a mere touch of a small file is not."""

from __future__ import annotations

import os

from dxroadmap.io.plan_json import write_plan_json
from dxroadmap.io.storage import fingerprint as disk_state
from dxroadmap.io.storage.atomic import atomic_write_bytes
from dxroadmap.io.storage.fingerprint import changed_since, fingerprint
from dxroadmap.model.plan import Plan


def test_unchanged_file_is_not_reported(tmp_path):
    path = tmp_path / "計画.json"
    write_plan_json(Plan(title="令和6年度版"), path)
    fp = fingerprint(path)
    assert fp is not None and fp.whole and fp.size == path.stat().st_size
    assert not changed_since(path, fp)


def test_colleagues_save_is_noticed_even_with_the_same_size_and_time(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b'{"title": "AAAA"}')
    fp = fingerprint(path)
    st = path.stat()
    path.write_bytes(b'{"title": "BBBB"}')  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same time (coarse server clock)
    assert changed_since(path, fp)


def test_atomic_replace_by_another_program_is_noticed(tmp_path):
    path = tmp_path / "plan.json"
    write_plan_json(Plan(title="mine"), path)
    fp = fingerprint(path)
    write_plan_json(Plan(title="theirs"), path)
    assert changed_since(path, fp)
    # after reloading, the new fingerprint is the reference
    assert not changed_since(path, fingerprint(path))


def test_touch_or_identical_rewrite_of_a_small_file_is_not_a_change(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"same content")
    fp = fingerprint(path)
    os.utime(path, ns=(0, fp.mtime_ns + 5_000_000_000))
    assert not changed_since(path, fp)
    atomic_write_bytes(path, b"same content")  # a new file (new inode) with the same bytes
    assert not changed_since(path, fp)


def test_deleted_and_appeared_files(tmp_path):
    path = tmp_path / "plan.json"
    assert fingerprint(path) is None
    assert not changed_since(path, None)
    path.write_bytes(b"x")
    assert changed_since(path, None)  # someone created it
    fp = fingerprint(path)
    path.unlink()
    assert changed_since(path, fp)


def test_large_files_are_sampled_and_time_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(disk_state, "WHOLE_FILE_LIMIT", 1000)
    monkeypatch.setattr(disk_state, "BLOCK", 100)
    path = tmp_path / "big.xlsx"
    data = bytearray(os.urandom(5000))
    path.write_bytes(bytes(data))
    fp = fingerprint(path)
    assert fp is not None and not fp.whole
    assert not changed_since(path, fp)
    data[-1] ^= 0xFF  # the last block changed
    path.write_bytes(bytes(data))
    os.utime(path, ns=(0, fp.mtime_ns))
    assert changed_since(path, fp)
    data[-1] ^= 0xFF
    data[2500] ^= 0xFF  # a change in the middle, not sampled: the new time tells
    path.write_bytes(bytes(data))
    os.utime(path, ns=(0, fp.mtime_ns + 1_000_000_000))
    assert changed_since(path, fp)
