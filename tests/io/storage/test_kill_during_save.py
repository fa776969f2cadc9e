"""The proof: SIGKILL a process while it saves a large plan, many times; the file is never damaged.

A helper process (a fresh interpreter with the plan loaded) forks a worker for each round;
the worker saves the plan over the same file again and again (``write_plan_json`` with
``backup=True``; also ``write_workbook`` for .xlsx), each time with a new generation
number in the title, and appends the generation to a progress file after each save
returns. The test SIGKILLs the worker at a random moment, then finds the plan file to be
exactly the last or the next generation — parsed and compared in full — never anything
else; the backup likewise a complete earlier generation. Temporary leftovers of the
killed save may remain, are never taken for the plan, and ``cleanup_temp_files`` removes
them.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from dxroadmap.io.plan_json import dumps, plan_to_dict, read_plan_json, write_plan_json
from dxroadmap.io.storage.atomic import backup_path_for, cleanup_temp_files
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, guess_kind

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL"), pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
JSON_KILLS = 30
XLSX_KILLS = 6

# A fresh interpreter that loads the plan once, then forks one saving worker per request.
ZYGOTE = r"""
import os, sys
from dxroadmap.io.plan_json import read_plan_json, write_plan_json
fmt, seed, target = sys.argv[1], sys.argv[2], sys.argv[3]
plan = read_plan_json(seed)
if fmt == "xlsx":
    from dxroadmap.io.xlsx.export import write_workbook as write
else:
    write = write_plan_json
print("ready", flush=True)
for line in sys.stdin:
    start, progress = line.split("\t")
    pid = os.fork()
    if pid == 0:
        fd = os.open(progress.strip(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        gen = int(start)
        while True:
            gen += 1
            plan.title = f"gen {gen}"
            write(plan, target, backup=True)
            os.write(fd, f"{gen}\n".encode())
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""


def big_plan(n: int, text_repeat: int = 4) -> Plan:
    """``n`` initiatives; ``text_repeat`` sets how long each summary is (about 100 bytes per repeat)."""
    rnd = random.Random(20)
    pillars = [Pillar(f"基本方針{k + 1} デジタルで便利なまちづくり") for k in range(8)]
    first, last = month_index(2023, 4), month_index(2028, 3)
    for i in range(n):
        start = first + rnd.randrange(0, 30)
        phases = []
        while start <= last and len(phases) < 4:
            end = min(last, start + rnd.randrange(2, 24))
            label = rnd.choice(("検討", "準備", "実証実験", "導入", "本運用", "継続"))
            phases.append(Phase(start, end, label, guess_kind(label)))
            start = end + 1
        pillars[i % 8].initiatives.append(Initiative(
            f"取組{i + 1:05d} 行政手続のオンライン化", "住民が窓口に来なくても手続きできるよう、申請の電子化を進めます。" * (text_repeat + rnd.randrange(3)),
            ["ＤＸ推進課", f"関係課{i % 13}"], phases=phases, milestones=[Milestone(first + rnd.randrange(60), "開始")]))
    return Plan("gen 0", "ベンチマーク市", 2023, 2027, pillars)


class Zygote:
    def __init__(self, fmt: str, seed: Path, target: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE, fmt, str(seed), str(target)], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def kill_worker_after(self, start_gen: int, progress: Path, delay: float, *, after_first_save: bool = False) -> None:
        """Start a worker and SIGKILL it ``delay`` s later (counted from its first completed save if asked)."""
        self.proc.stdin.write(f"{start_gen}\t{progress}\n")
        self.proc.stdin.flush()
        pid = int(self.proc.stdout.readline())
        if after_first_save:
            limit = time.monotonic() + 10
            while time.monotonic() < limit and not (progress.exists() and progress.stat().st_size):
                time.sleep(0.002)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        assert self.proc.stdout.readline().strip() == "reaped"

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def last_saved(progress: Path, start_gen: int) -> int:
    lines = progress.read_text().split() if progress.exists() else []
    return int(lines[-1]) if lines else start_gen


def temp_leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".~")]


def test_killed_json_saves_leave_the_old_or_the_new_plan(tmp_path):
    plan = big_plan(600, text_repeat=80)  # long texts: over 5 MB, yet quick to encode, so kills land in the I/O
    expected = plan_to_dict(plan)
    seed = tmp_path / "seed.json"
    write_plan_json(plan, seed)
    assert seed.stat().st_size >= 5_000_000
    folder = tmp_path / "共有フォルダー"
    folder.mkdir()
    target = folder / "計画.json"
    began = time.perf_counter()
    dumps(plan)
    encode_time = time.perf_counter() - began
    began = time.perf_counter()
    write_plan_json(plan, target)  # generation 0
    save_time = time.perf_counter() - began

    def generation(path: Path) -> int:
        doc = json.loads(path.read_bytes())  # a half file would fail right here
        gen = int(doc["plan"]["title"].removeprefix("gen "))
        doc["plan"]["title"] = "gen 0"
        assert doc == expected, f"{path.name} holds generation {gen} but not the complete plan"
        return gen

    rnd = random.Random(6)
    zygote = Zygote("json", seed, target)
    gen, interrupted = 0, 0
    try:
        for kill in range(JSON_KILLS):
            progress = tmp_path / f"progress{kill}.txt"
            if kill % 3 == 0:  # anywhere, from the worker's start
                zygote.kill_worker_after(gen, progress, rnd.uniform(0, 2.5 * save_time))
            else:  # aimed at the file operations of the second save, after its JSON is encoded
                zygote.kill_worker_after(gen, progress, rnd.uniform(0.8 * encode_time, 1.1 * save_time),
                                         after_first_save=True)
            saved = last_saved(progress, gen)
            names = {p.name for p in folder.iterdir()}
            assert "計画.json" in names
            now = generation(target)
            assert now in (saved, saved + 1), (now, saved)  # the last save that completed, never a partial one
            backup = backup_path_for(target)
            if now > 0:
                assert generation(backup) in (now - 1, now)  # the version before, or (killed between) the same
            leftovers = temp_leftovers(folder)
            interrupted += bool(leftovers)
            for leftover in leftovers:  # never mistaken for the plan: hidden name, and not a plan file name
                assert leftover.name.endswith(".tmp") and leftover.name != target.name
            assert sorted(cleanup_temp_files(folder, max_age=0)) == sorted(leftovers)
            assert temp_leftovers(folder) == []
            gen = now
    finally:
        zygote.close()
    assert gen >= 3, "the worker hardly ever finished a save: the kills came too early to prove anything"
    assert interrupted >= 1, "no kill landed in the middle of writing a file"
    print(f"json kills: {JSON_KILLS}, generations saved: {gen}, kills mid-file: {interrupted}")
    assert read_plan_json(target).title == f"gen {gen}"
    assert sorted(p.name for p in folder.iterdir()) == ["計画.bak.json", "計画.json"]


def test_killed_xlsx_saves_leave_the_old_or_the_new_workbook(tmp_path):
    from dxroadmap.io.xlsx import export as xlsx_export
    plan = big_plan(40)
    seed = tmp_path / "seed.json"
    seed.write_text(dumps(plan), encoding="utf-8")
    folder = tmp_path / "share"
    folder.mkdir()
    target = folder / "計画.xlsx"
    began = time.perf_counter()
    xlsx_export.write_workbook(plan, target)  # generation 0
    save_time = time.perf_counter() - began

    def generation(path: Path) -> int:
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None  # every part complete, every checksum right
            core = package.read("docProps/core.xml").decode("utf-8")
        # openpyxl writes <dc:title> with or without a namespace declaration (lxml installed or not)
        marker = re.search(r"<dc:title\b[^>]*>(.*?)</dc:title>", core).group(1)
        return int(marker.removeprefix("gen "))

    rnd = random.Random(7)
    zygote = Zygote("xlsx", seed, target)
    gen = 0
    try:
        for kill in range(XLSX_KILLS):
            progress = tmp_path / f"progress{kill}.txt"
            zygote.kill_worker_after(gen, progress, rnd.uniform(0.2 * save_time, 2.2 * save_time))
            saved = last_saved(progress, gen)
            now = generation(target)
            assert now in (saved, saved + 1), (now, saved)
            if now > 0:
                assert generation(backup_path_for(target)) in (now - 1, now)
            cleanup_temp_files(folder, max_age=0)
            gen = now
    finally:
        zygote.close()
    assert sorted(p.name for p in folder.iterdir()) in (["計画.xlsx"], ["計画.bak.xlsx", "計画.xlsx"])
    import openpyxl

    workbook = openpyxl.load_workbook(target, read_only=True)
    assert workbook.properties.title == f"gen {gen}"
    workbook.close()
