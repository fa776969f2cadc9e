"""Lock files beside shared plans, like Excel's ``~$name``: who has the plan open, since when.

Opening ``計画.xlsx`` creates ``~$計画.xlsx.lock`` beside it (hidden on Windows), with
``O_CREAT | O_EXCL`` so that of two people opening at the same moment exactly one wins,
also on SMB and NFS shares. The lock is UTF-8 JSON (Japanese user and machine names
are fine) that a person can read too::

    {"app": "dxroadmap", "file": "計画.xlsx", "user": "山田", "host": "SOUMU-PC12",
     "pid": 4242, "since": 1763680000.0, "heartbeat": 1763683600.0, "token": "…"}

It is our own name rather than Excel's ``~$計画.xlsx``, so that Excel and dxroadmap
never mistake each other's files.

Stale locks
    A lock is *stale* when its process is known to be gone (same machine and the pid is
    not running) or when its heartbeat is older than :data:`STALE_AFTER` (the holder's
    machine crashed, slept, or lost the network). The holder refreshes the heartbeat every
    :data:`HEARTBEAT_INTERVAL` with :meth:`Lock.refresh`, which rewrites the heartbeat in
    place. A stale lock of the same user on the same machine (our own crash) is taken over
    silently by :func:`acquire`; any other is shown to the user, who may take it over.

Taking over safely
    :func:`take_over` renames the lock away to a unique name, checks that what it moved
    is exactly the lock it decided to break (same bytes), and only then deletes it and
    creates its own. If the owner refreshed or someone else took over in between, the
    moved lock is put back and the current holder is reported instead. (Only a three-way
    race within milliseconds can still end with a holder whose lock was replaced; its
    next :meth:`Lock.refresh` returns ``False`` and the window says so.)
    :meth:`Lock.release` deletes only a lock that is still ours.

How the editor window uses it::

    open:   result = acquire(path)
            if isinstance(result, LockHeld):
                show result.message() ("山田さん（SOUMU-PC12）が…から開いています");
                open read-only, offering "take over" when result.stale (or on request:
                take_over(path, expected=result))
            else: doc.lock = result
            (a PlanWriteError ``lock-failed`` means the folder refuses new files: open
            read-only and say saving there will not work)
    timer:  every HEARTBEAT_INTERVAL: if not doc.lock.refresh(): warn that the lock was
            taken over (someone else may save the file; check disk_state before saving)
    close:  doc.lock.release()

Excel and LibreOffice keep lock files of their own (``~$計画.xlsx``, ``.~lock.計画.xlsx#``).
:func:`office_lock_owner` reads the user name from them, so the window can say "開いて
いるのは Excel の 山田さんです" and :mod:`.atomic` can name that person when a save is
refused. They are hints only (Excel leaves its file behind after a crash), never a lock
we obey or remove.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import errno as _errno
import getpass
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxroadmap.io.errors import PlanWriteError

__all__ = ["LockInfo", "Lock", "LockHeld", "acquire", "take_over", "read_lock", "lock_path_for",
           "process_alive", "process_marker", "office_lock_owner", "default_user", "default_host", "STALE_AFTER", "HEARTBEAT_INTERVAL"]

LOCK_PREFIX = "~$"
LOCK_SUFFIX = ".lock"
STALE_AFTER = 4 * 3600.0  # seconds without a heartbeat after which a lock is stale
HEARTBEAT_INTERVAL = 5 * 60.0  # how often the holder should call Lock.refresh()
_MAX_LOCK_BYTES = 64 * 1024
_IS_WINDOWS = os.name == "nt"


def lock_path_for(path: str | os.PathLike) -> Path:
    """``計画.xlsx`` → ``~$計画.xlsx.lock`` in the same folder."""
    path = Path(path)
    return path.with_name(f"{LOCK_PREFIX}{path.name}{LOCK_SUFFIX}")


def default_user() -> str:
    """The login name of the person running dxroadmap (``"unknown"`` if the system will not say)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no USER variable and no passwd entry (containers, services)
        return "unknown"


def default_host() -> str:
    """This machine's name."""
    try:
        return socket.gethostname() or "unknown"
    except OSError:
        return "unknown"


def process_marker(pid: int) -> str | None:
    """Something that tells this process apart from a later one given the same pid.

    On Linux: the boot id and the process start time; ``None`` elsewhere or when the
    process does not exist. Stored in lock and recovery files so that a pid reused
    after a reboot or a crash is not taken for the original program.
    """
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            boot = handle.read().strip()
        with open(f"/proc/{int(pid)}/stat", encoding="utf-8", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return f"{boot}:{fields[19]}"
    except (OSError, IndexError, ValueError):
        return None


def process_alive(pid: int, marker: str | None = None) -> bool:
    """True when a process with this id runs on this machine (or we cannot tell).

    With the ``marker`` recorded when the process was seen (:func:`process_marker`), a
    different process that now has the same pid does not count.
    """
    if pid <= 0:
        return False
    if marker is not None and not _IS_WINDOWS:
        now = process_marker(pid)
        if now is not None and now != marker:
            return False
    if _IS_WINDOWS:  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _excel_owner_name(data: bytes) -> str:
    """The user name in an MS Office owner file (``~$name``); "" when it cannot be read.

    Layout (as LibreOffice documents it): byte 0 the name length, then the name in the
    Windows code page, padding, then at offset 54 (Word) or 55 (Excel, PowerPoint) the
    length again as two bytes followed by the name in UTF-16-LE.
    """
    if len(data) < 58 or not 0 < data[0] <= 52:
        return ""
    for at in (55, 54):
        length = data[at]
        if 0 < length <= 52 and data[at + 1] == 0 and len(data) >= at + 2 + 2 * length:
            try:
                name = data[at + 2: at + 2 + 2 * length].decode("utf-16-le")
            except UnicodeDecodeError:
                continue
            if name.isprintable():
                return name.strip()
    for codec in ("cp932", "cp1252"):
        try:
            return data[1: 1 + data[0]].decode(codec).strip()
        except UnicodeDecodeError:
            continue
    return ""


def office_lock_owner(path: str | os.PathLike) -> str | None:
    """Who has ``path`` open in Excel or LibreOffice, from their lock file beside it.

    ``None`` when there is no such lock file; ``""`` when there is one but it names
    nobody readable. A hint only: an editor that crashed leaves its lock file behind.
    """
    path = Path(path)
    excel = path.with_name(f"~${path.name}")
    data = _read_bytes(excel)
    if data is not None:
        return _excel_owner_name(data)
    libre = path.with_name(f".~lock.{path.name}#")
    data = _read_bytes(libre)
    if data is not None:  # "Full Name,host,user,dd.mm.yyyy hh:mm,home;"
        fields = data.decode("utf-8", "replace").split(",")
        return (fields[0].strip() or (fields[2].strip() if len(fields) > 2 else "")) if fields else ""
    return None


def _same_host(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


@dataclass(frozen=True)
class LockInfo:
    """What a lock file says: who, where, which process, since when, last heartbeat (epoch seconds)."""

    user: str
    host: str
    pid: int
    since: float
    heartbeat: float
    token: str
    file: str = ""
    app: str = "dxroadmap"
    proc: str | None = None  # process_marker(pid) when known

    def to_bytes(self) -> bytes:
        doc = {"app": self.app, "file": self.file, "user": self.user, "host": self.host, "pid": self.pid,
               "since": self.since, "heartbeat": self.heartbeat, "token": self.token}
        if self.proc:
            doc["proc"] = self.proc
        return (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> "LockInfo | None":
        """The lock's contents, or ``None`` for an empty, half-written or foreign file."""
        try:
            doc = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        if not isinstance(doc, dict):
            return None
        user, host, pid, token = doc.get("user"), doc.get("host"), doc.get("pid"), doc.get("token")
        since, beat = doc.get("since"), doc.get("heartbeat")
        if not (isinstance(user, str) and isinstance(host, str) and isinstance(token, str)
                and isinstance(pid, int) and not isinstance(pid, bool)
                and all(isinstance(t, (int, float)) and not isinstance(t, bool) for t in (since, beat))):
            return None
        file = doc.get("file") if isinstance(doc.get("file"), str) else ""
        app = doc.get("app") if isinstance(doc.get("app"), str) else ""
        proc = doc.get("proc") if isinstance(doc.get("proc"), str) else None
        return cls(user=user, host=host, pid=pid, since=float(since), heartbeat=float(beat), token=token, file=file,
                   app=app, proc=proc)


def _fmt_time(epoch: float, lang: str) -> str:
    try:
        moment = _dt.datetime.fromtimestamp(epoch)
    except (OverflowError, OSError, ValueError):
        return "?"
    return moment.strftime("%Y/%m/%d %H:%M" if lang == "ja" else "%Y-%m-%d %H:%M")


@dataclass
class LockHeld:
    """Someone else has the plan open (or had: see :attr:`stale`)."""

    path: Path
    lock_path: Path
    info: LockInfo | None  # None: the lock file is empty, half-written or not ours
    stale: bool
    why_stale: str | None = None  # "dead-process" or "expired"
    raw: bytes = field(default=b"", repr=False)

    @property
    def mine(self) -> bool:
        """The lock belongs to this very process (the plan is already open in this window set)."""
        return self.info is not None and self.info.pid == os.getpid() and _same_host(self.info.host, default_host())

    def message(self, lang: str | None = None) -> str:
        """One or two sentences for the read-only notice: who has it, since when, whether it is stale."""
        from dxroadmap.io.errors import message_language

        lang = lang or message_language()
        name = self.path.name
        info = self.info
        if lang == "ja":
            if info is None:
                text = f"{name} はほかの人が開いている可能性があります（ロックファイル {self.lock_path.name} があります）。"
            else:
                text = f"{name} は {info.user} さん（{info.host}）が {_fmt_time(info.since, 'ja')} から開いています。"
            if self.stale:
                text += "ただし、そのプログラムはすでに終了しているようです。引き継いで編集できます。"
            else:
                text += "読み取り専用で開きます。"
            return text
        if info is None:
            text = f"{name} may be open by someone else (the lock file {self.lock_path.name} exists)."
        else:
            text = f"{name} has been open by {info.user} on {info.host} since {_fmt_time(info.since, 'en')}."
        if self.stale:
            text += " That program seems to have ended, so you can take the plan over."
        else:
            text += " It opens read-only."
        return text


def _read_bytes(lock_path: Path) -> bytes | None:
    try:
        with open(lock_path, "rb") as handle:
            return handle.read(_MAX_LOCK_BYTES)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return b""
    except OSError:
        return b""


def _held(path: Path, lock_path: Path, data: bytes, stale_after: float) -> LockHeld:
    info = LockInfo.from_bytes(data)
    now = time.time()
    try:
        mtime = os.stat(lock_path).st_mtime
    except OSError:
        mtime = now
    if info is None:
        stale = now - mtime > stale_after
        return LockHeld(path, lock_path, None, stale, "expired" if stale else None, data)
    if _same_host(info.host, default_host()) and not process_alive(info.pid, info.proc):
        return LockHeld(path, lock_path, info, True, "dead-process", data)
    if now - max(info.heartbeat, mtime) > stale_after:
        return LockHeld(path, lock_path, info, True, "expired", data)
    return LockHeld(path, lock_path, info, False, None, data)


def read_lock(path: str | os.PathLike, *, stale_after: float = STALE_AFTER) -> LockHeld | None:
    """The lock on ``path`` if there is one (whoever holds it, this process included)."""
    path = Path(path)
    lock_path = lock_path_for(path)
    data = _read_bytes(lock_path)
    if data is None:
        return None
    if LockInfo.from_bytes(data) is None:  # perhaps caught half-written: look once more
        time.sleep(0.05)
        again = _read_bytes(lock_path)
        if again is None:
            return None
        data = again
    return _held(path, lock_path, data, stale_after)


class Lock:
    """Our lock on a plan. Refresh it on a timer; release it on close (also as a context manager)."""

    def __init__(self, path: Path, lock_path: Path, info: LockInfo) -> None:
        self.path, self.lock_path, self.info = path, lock_path, info
        self.released = False

    def __repr__(self) -> str:
        return f"Lock({self.path.name!r}, user={self.info.user!r}, host={self.info.host!r})"

    def _still_ours(self, data: bytes | None) -> bool:
        info = LockInfo.from_bytes(data) if data else None
        return info is not None and info.token == self.info.token

    def is_held(self) -> bool:
        """True while the lock file on disk is still this lock (nobody took it over)."""
        return not self.released and self._still_ours(_read_bytes(self.lock_path))

    def refresh(self) -> bool:
        """Renew the heartbeat. ``False`` when the lock is no longer ours (deleted or taken over).

        A passing error (the network share briefly away) returns ``True``: the lock
        may well still be ours, and the next refresh tries again.
        """
        if self.released:
            return False
        try:
            fd = os.open(self.lock_path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            return False
        except OSError:
            return True
        try:
            with os.fdopen(fd, "r+b") as handle:
                if not self._still_ours(handle.read(_MAX_LOCK_BYTES)):
                    return False
                info = dataclasses.replace(self.info, heartbeat=time.time())
                data = info.to_bytes()
                handle.seek(0)
                handle.write(data)
                handle.truncate(len(data))
                handle.flush()
                with contextlib.suppress(OSError):
                    os.fsync(handle.fileno())
        except OSError:
            return True
        self.info = info
        return True

    def release(self) -> None:
        """Remove the lock file if it is still ours. Safe to call twice."""
        if self.released:
            return
        self.released = True
        data = _read_bytes(self.lock_path)
        if data is not None and self._still_ours(data):
            _claim(self.lock_path, data)

    def __enter__(self) -> "Lock":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def _hide(path: Path) -> None:
    if _IS_WINDOWS:  # pragma: no cover - Windows only
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN


def _lock_failed(path: Path, exc: OSError) -> PlanWriteError:
    detail = exc.strerror or str(exc)
    return PlanWriteError("lock-failed",
                          f"Could not mark {path.name} as open ({detail}); the folder may be read-only, so open it read-only or copy it elsewhere.",
                          f"{path.name} を開いていることを示すロックファイルを作れませんでした（{detail}）。フォルダーが読み取り専用の可能性があるため、読み取り専用で開くか別の場所にコピーしてください。")


def _create(path: Path, lock_path: Path, user: str, host: str) -> Lock | None:
    """Create the lock file atomically; ``None`` if one already exists."""
    now = time.time()
    info = LockInfo(user=user, host=host, pid=os.getpid(), since=now, heartbeat=now,
                    token=uuid.uuid4().hex, file=path.name, proc=process_marker(os.getpid()))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(lock_path, flags, 0o644)
    except FileExistsError:
        return None
    except OSError as exc:
        if exc.errno == _errno.EEXIST:
            return None
        raise _lock_failed(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(info.to_bytes())
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        raise _lock_failed(path, exc) from exc
    _hide(lock_path)
    return Lock(path, lock_path, info)


def _claim(lock_path: Path, expected: bytes) -> bool:
    """Remove the lock file only if it still holds exactly ``expected``; True if removed.

    Moves it to a unique name first, so a lock created or refreshed by someone else in
    the meantime is never deleted: it is put back instead.
    """
    aside = lock_path.with_name(f"{lock_path.name}.{uuid.uuid4().hex[:12]}.old")
    try:
        os.rename(lock_path, aside)
    except FileNotFoundError:
        return False
    except OSError:
        return False
    moved = _read_bytes(aside)
    if moved == expected:
        with contextlib.suppress(OSError):
            os.unlink(aside)
        return True
    try:  # not the lock we meant to break: put it back unless a new one appeared
        os.link(aside, lock_path)
        os.unlink(aside)
    except OSError:
        with contextlib.suppress(OSError):
            if not lock_path.exists():
                os.rename(aside, lock_path)
        with contextlib.suppress(OSError):
            os.unlink(aside)
    return False


def acquire(path: str | os.PathLike, user: str | None = None, host: str | None = None, *,
            stale_after: float = STALE_AFTER) -> Lock | LockHeld:
    """Lock ``path`` for editing: a :class:`Lock`, or :class:`LockHeld` saying who has it.

    A stale lock left by this same user on this same machine (dxroadmap crashed) is taken
    over without asking. Raises :class:`PlanWriteError` (``lock-failed``) when the
    folder does not allow creating the lock file.
    """
    path = Path(path)
    lock_path = lock_path_for(path)
    user = user or default_user()
    host = host or default_host()
    for _ in range(3):  # a lock released or broken between our steps: try again
        lock = _create(path, lock_path, user, host)
        if lock is not None:
            return lock
        held = read_lock(path, stale_after=stale_after)
        if held is None:
            continue
        own_crash = (held.stale and held.info is not None and held.why_stale == "dead-process"
                     and held.info.user == user and _same_host(held.info.host, host))
        if not own_crash:
            return held
        return take_over(path, user, host, expected=held, stale_after=stale_after)
    held = read_lock(path, stale_after=stale_after)
    if held is None:  # pragma: no cover - only under a storm of competing opens
        raise _lock_failed(path, OSError(_errno.EAGAIN, "the lock kept changing"))
    return held


def take_over(path: str | os.PathLike, user: str | None = None, host: str | None = None, *,
              expected: LockHeld | None = None, stale_after: float = STALE_AFTER) -> Lock | LockHeld:
    """Break the current lock on ``path`` and take it (the user chose to, or it is stale).

    With ``expected`` (the :class:`LockHeld` the user was shown), the lock is broken only
    if it is still exactly that one; if its owner refreshed it or someone else took it
    meanwhile, the new :class:`LockHeld` is returned instead.
    """
    path = Path(path)
    lock_path = lock_path_for(path)
    user = user or default_user()
    host = host or default_host()
    current = _read_bytes(lock_path)
    if current is not None:
        if expected is not None and current != expected.raw:
            held = read_lock(path, stale_after=stale_after)
            if held is not None:
                return held
        elif not _claim(lock_path, current):
            held = read_lock(path, stale_after=stale_after)
            if held is not None:
                return held
    lock = _create(path, lock_path, user, host)
    if lock is not None:
        return lock
    held = read_lock(path, stale_after=stale_after)
    if held is None:  # pragma: no cover - vanished again between two calls
        return acquire(path, user, host, stale_after=stale_after)
    return held
