"""Lock files beside shared plans: who has it, stale locks, safe take-over, races."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage import lockfile
from dxroadmap.io.storage.lockfile import Lock, LockHeld, LockInfo, acquire, lock_path_for, read_lock, take_over


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "計画.xlsx"
    path.write_bytes(b"workbook")
    return path


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(plan, *, user="佐藤", host="他のPC", pid=12345, since=None, heartbeat=None, age=0.0):
    now = time.time()
    info = LockInfo(user=user, host=host, pid=pid, since=since or now - age, heartbeat=heartbeat or now - age,
                    token="t" * 32, file=plan.name)
    path = lock_path_for(plan)
    path.write_bytes(info.to_bytes())
    if age:
        os.utime(path, (now - age, now - age))
    return path


def test_lock_file_beside_the_plan_names_user_and_machine(plan):
    lock = acquire(plan, user="山田太郎", host="総務課-PC12")
    assert isinstance(lock, Lock)
    path = plan.parent / "~$計画.xlsx.lock"
    assert path.exists()
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["user"] == "山田太郎" and doc["host"] == "総務課-PC12" and doc["pid"] == os.getpid()
    assert doc["file"] == "計画.xlsx" and abs(doc["since"] - time.time()) < 60
    lock.release()
    assert not path.exists()
    assert sorted(p.name for p in plan.parent.iterdir()) == ["計画.xlsx"]


def test_second_person_is_told_who_has_it(plan):
    mine = acquire(plan, user="山田", host="PC-A")
    held = acquire(plan, user="佐藤", host="PC-B")
    assert isinstance(held, LockHeld) and not held.stale
    assert held.info.user == "山田" and held.info.host == "PC-A"
    ja = held.message("ja")
    assert "山田" in ja and "PC-A" in ja and "読み取り専用" in ja and time.strftime("%Y/%m/%d") in ja
    assert "山田" in held.message("en") and "read-only" in held.message("en")
    assert not held.mine  # another machine's lock
    mine.release()
    again = acquire(plan, user="佐藤", host="PC-B")
    assert isinstance(again, Lock) and again.info.user == "佐藤"
    again.release()


def test_plan_already_open_in_this_process_is_recognised(plan):
    lock = acquire(plan)
    held = acquire(plan)
    assert isinstance(held, LockHeld) and held.mine and not held.stale  # the window focuses the open plan
    lock.release()


def test_lock_of_a_dead_process_on_this_machine_is_stale(plan):
    write_lock(plan, user="佐藤", host=lockfile.default_host(), pid=dead_pid())
    held = acquire(plan, user="山田")
    assert isinstance(held, LockHeld) and held.stale and held.why_stale == "dead-process"
    assert "引き継" in held.message("ja")
    lock = take_over(plan, user="山田", expected=held)
    assert isinstance(lock, Lock) and lock.is_held()
    assert read_lock(plan).info.user == "山田"
    lock.release()


def test_reused_pid_does_not_keep_a_dead_lock_alive(plan):
    marker = lockfile.process_marker(os.getpid())
    if marker is None:
        pytest.skip("process start times are only read on Linux")
    info = LockInfo(user="佐藤", host=lockfile.default_host(), pid=os.getpid(), since=time.time(),
                    heartbeat=time.time(), token="x" * 32, proc=marker[:-1] + "9" if not marker.endswith("9") else marker[:-1] + "8")
    lock_path_for(plan).write_bytes(info.to_bytes())  # "our" pid, but recorded for an older process
    held = read_lock(plan)
    assert held.stale and held.why_stale == "dead-process"
    lock_path_for(plan).write_bytes(LockInfo(**{**info.__dict__, "proc": marker}).to_bytes())
    assert not read_lock(plan).stale


def test_own_crashed_lock_is_taken_over_silently(plan):
    me = lockfile.default_user()
    write_lock(plan, user=me, host=lockfile.default_host(), pid=dead_pid())
    lock = acquire(plan)
    assert isinstance(lock, Lock) and lock.is_held()
    lock.release()


def test_lock_without_heartbeat_for_hours_is_stale(plan):
    write_lock(plan, host="遠くのPC", age=5 * 3600)
    held = acquire(plan, user="山田")
    assert isinstance(held, LockHeld) and held.stale and held.why_stale == "expired"
    write_lock(plan, host="遠くのPC", age=600)  # ten minutes: still held
    held = acquire(plan, user="山田")
    assert isinstance(held, LockHeld) and not held.stale


def test_refresh_keeps_the_lock_alive(plan):
    lock = acquire(plan, user="山田", host="PC-A")
    path = lock_path_for(plan)
    old = time.time() - 5 * 3600
    data = json.loads(path.read_text(encoding="utf-8"))
    data["heartbeat"] = old  # as if the last heartbeat was hours ago
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.utime(path, (old, old))
    assert read_lock(plan, stale_after=3600).why_stale == "expired"
    assert lock.refresh()
    held = read_lock(plan, stale_after=3600)
    assert not held.stale and time.time() - held.info.heartbeat < 60
    assert held.info.token == lock.info.token and held.info.since == lock.info.since
    lock.release()


def test_taken_over_lock_is_noticed_and_not_deleted_by_the_old_holder(plan):
    first = acquire(plan, user="山田", host="PC-A")
    held = acquire(plan, user="佐藤", host="PC-B")
    second = take_over(plan, user="佐藤", host="PC-B", expected=held)
    assert isinstance(second, Lock)
    assert not first.is_held() and not first.refresh()
    first.release()  # must not remove 佐藤's lock
    assert second.is_held() and read_lock(plan).info.user == "佐藤"
    second.release()
    assert read_lock(plan) is None


def test_take_over_refuses_when_the_owner_refreshed_meanwhile(plan):
    owner = acquire(plan, user="山田", host="PC-A")
    shown = acquire(plan, user="佐藤", host="PC-B")
    time.sleep(0.01)
    assert owner.refresh()  # the owner is alive after all
    result = take_over(plan, user="佐藤", host="PC-B", expected=shown)
    assert isinstance(result, LockHeld) and result.info.user == "山田"
    assert owner.is_held()
    owner.release()


def test_garbage_lock_file(plan):
    path = lock_path_for(plan)
    path.write_bytes(b"\x00\xffnot a lock")
    held = acquire(plan, user="山田")
    assert isinstance(held, LockHeld) and held.info is None and not held.stale
    assert path.name in held.message("ja") and held.message("en").endswith(".")
    old = time.time() - 5 * 3600
    os.utime(path, (old, old))
    held = acquire(plan, user="山田")
    assert held.stale
    lock = take_over(plan, user="山田", expected=held)
    assert isinstance(lock, Lock)
    lock.release()


def test_read_only_folder_gives_a_clear_error(plan, monkeypatch):
    real_open = os.open

    def denied(path, flags, *args):
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(PlanWriteError) as info:
        acquire(plan, user="山田")
    assert info.value.reason == "lock-failed" and "読み取り専用" in info.value.message("ja")


def test_only_one_of_many_simultaneous_openers_wins(plan):
    barrier = threading.Barrier(8)
    results = []

    def opener(k):
        barrier.wait()
        results.append(acquire(plan, user=f"職員{k}", host=f"PC-{k}"))

    threads = [threading.Thread(target=opener, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    locks = [r for r in results if isinstance(r, Lock)]
    assert len(locks) == 1 and len(results) == 8
    assert read_lock(plan).info.token == locks[0].info.token
    locks[0].release()


def test_simultaneous_take_overs_leave_exactly_one_holder(plan):
    write_lock(plan, host="遠くのPC", age=5 * 3600)
    shown = read_lock(plan)
    assert shown.stale
    barrier = threading.Barrier(6)
    results = []

    def taker(k):
        barrier.wait()
        results.append(take_over(plan, user=f"職員{k}", host=f"PC-{k}", expected=shown))

    threads = [threading.Thread(target=taker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    locks = [r for r in results if isinstance(r, Lock)]
    assert len(locks) >= 1
    assert sum(lock.is_held() for lock in locks) == 1
    for lock in locks:
        lock.release()
    assert read_lock(plan) is None
    assert sorted(p.name for p in plan.parent.iterdir()) == ["計画.xlsx"]  # nothing set aside is left over


def excel_owner_file(user: str, word: bool = False) -> bytes:
    """An MS Office owner file as Excel (or Word) writes it beside an open document."""
    acp = user.encode("cp932")
    data = bytearray([len(user)]) + acp
    pad_to, pad = (54, 0) if word else (55, 0x20)
    data += bytes([pad]) * (pad_to - len(data))
    data += bytes([len(user), 0]) + user.encode("utf-16-le")
    while len(data) < (162 if word else 165):
        data += b" \x00"
    return bytes(data[:162 if word else 165])


def test_excel_and_libreoffice_lock_files_name_the_user(plan):
    assert lockfile.office_lock_owner(plan) is None
    excel = plan.with_name("~$" + plan.name)
    excel.write_bytes(excel_owner_file("山田 太郎"))
    assert lockfile.office_lock_owner(plan) == "山田 太郎"
    excel.write_bytes(excel_owner_file("sato", word=True))
    assert lockfile.office_lock_owner(plan) == "sato"
    excel.write_bytes(b"\x00garbage")
    assert lockfile.office_lock_owner(plan) == ""  # someone, name unreadable
    excel.unlink()
    plan.with_name(f".~lock.{plan.name}#").write_text("佐藤 花子,SOUMU-PC3,sato,21.11.2026 09:10,file:///home/sato;",
                                                      encoding="utf-8")
    assert lockfile.office_lock_owner(plan) == "佐藤 花子"
    # a hint only: our own lock is unaffected
    lock = acquire(plan, user="山田")
    assert isinstance(lock, Lock)
    lock.release()
