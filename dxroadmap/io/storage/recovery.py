"""Autosave and crash recovery: copies of open plans in the user's data folder.

Where: ``$DXROADMAP_DATA_DIR/recovery`` when that variable is set (tests use it), else
``%LOCALAPPDATA%\\dxroadmap\\recovery`` on Windows, ``~/Library/Application
Support/dxroadmap/recovery`` on macOS, ``$XDG_DATA_HOME/dxroadmap/recovery`` (default
``~/.local/share/dxroadmap/recovery``) elsewhere — on the user's own machine, never
beside the shared plan.

Each editing session (one open plan in one window) has a ``session_id`` (from
:func:`new_session_id`) and two files: ``<session>.plan.json`` (the plan, in the plan
JSON format) and ``<session>.meta.json`` (source path, time, pid, machine, title). Both
are written atomically, the sidecar first, so a crash during an autosave leaves the
previous autosave whole. A recovery is offered only when its process is gone (a
crash, a power cut): :func:`list_recoveries` never lists the sessions of a dxroadmap
that is still running, on this machine.

How the editor window uses it::

    start:  for entry in list_recoveries(): offer "restore 計画.xlsx as of 09:10?"
                restore → plan = entry.load() (opened as an unsaved document), then discard(entry)
                discard → discard(entry)
    open:   doc.session_id = new_session_id()
    timer:  every few minutes (a preference), if the document has unsaved changes:
                save_recovery(doc.plan, doc.path, doc.session_id)
    save / close without changes:  discard_for_session(doc.session_id)
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.plan_json import dumps, read_plan_json
from dxroadmap.io.storage.atomic import atomic_write_bytes
from dxroadmap.io.storage.lockfile import default_host, process_alive, process_marker
from dxroadmap.model.plan import Plan

__all__ = ["RecoveryEntry", "data_dir", "recovery_dir", "new_session_id", "save_recovery", "list_recoveries",
           "discard", "discard_for_session", "ENV_VAR"]

ENV_VAR = "DXROADMAP_DATA_DIR"
_PLAN_SUFFIX = ".plan.json"
_META_SUFFIX = ".meta.json"
_SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_MAX_META_BYTES = 64 * 1024


def data_dir() -> Path:
    """dxroadmap's folder for the user's own data (see the module docstring)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    home = Path.home()
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "dxroadmap"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "dxroadmap"
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share"
    return base / "dxroadmap"


def recovery_dir() -> Path:
    """Where autosaves are kept."""
    return data_dir() / "recovery"


def new_session_id() -> str:
    """A fresh id for one editing session (safe as a file name)."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _check_session(session_id: str) -> str:
    if not isinstance(session_id, str) or not _SESSION_RE.match(session_id):
        raise ValueError(f"not a session id: {session_id!r}")
    return session_id


@dataclass(frozen=True)
class RecoveryEntry:
    """An autosave left behind by a dxroadmap that did not close normally."""

    session_id: str
    plan_path: Path
    meta_path: Path
    source_path: Path | None  # the file the plan was opened from / saved to; None for a new plan
    saved_at: float  # epoch seconds of the autosave
    pid: int | None
    host: str
    title: str

    def load(self) -> Plan:
        """The autosaved plan (:class:`~dxroadmap.io.errors.PlanReadError` if it is damaged)."""
        return read_plan_json(self.plan_path)

    def describe(self, lang: str = "ja") -> str:
        """One line for the restore dialog: which plan, autosaved when."""
        when = _dt.datetime.fromtimestamp(self.saved_at)
        name = self.source_path.name if self.source_path else (self.title or ("新しい計画" if lang == "ja" else "new plan"))
        if lang == "ja":
            return f"{name}（{when:%Y/%m/%d %H:%M} に自動保存）"
        return f"{name} (autosaved {when:%Y-%m-%d %H:%M})"


def _write_failed(exc: OSError) -> PlanWriteError:
    if isinstance(exc, PlanWriteError):
        return exc
    detail = exc.strerror or str(exc)
    return PlanWriteError("recovery-failed", f"Could not write the autosave copy ({detail}); save the plan yourself to be safe.",
                          f"自動保存用のコピーを書き込めませんでした（{detail}）。念のため手動で保存してください。")


def save_recovery(plan: Plan, source_path: str | os.PathLike | None, session_id: str) -> Path:
    """Autosave ``plan`` for this session; returns the recovery file written.

    Raises :class:`PlanWriteError` (``recovery-failed`` or a :mod:`.atomic` reason) when
    the data folder cannot be written; the previous autosave then stays as it was.
    """
    _check_session(session_id)
    folder = recovery_dir()
    meta = {
        "app": "dxroadmap-recovery", "version": 1, "session": session_id,
        "source": os.path.abspath(source_path) if source_path else None,
        "saved_at": time.time(), "pid": os.getpid(), "proc": process_marker(os.getpid()),
        "host": default_host(), "title": plan.title,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = dumps(plan).encode("utf-8")
        atomic_write_bytes(folder / f"{session_id}{_META_SUFFIX}", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        atomic_write_bytes(folder / f"{session_id}{_PLAN_SUFFIX}", text)
    except OSError as exc:
        raise _write_failed(exc) from exc
    return folder / f"{session_id}{_PLAN_SUFFIX}"


def _read_meta(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            doc = json.loads(handle.read(_MAX_META_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _running(meta: dict) -> bool:
    pid = meta.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool):
        return False
    if pid == os.getpid():
        return True
    host = meta.get("host")
    if isinstance(host, str) and host.casefold() != default_host().casefold():
        return False  # a copied or roaming data folder: that process is not ours to ask about
    proc = meta.get("proc") if isinstance(meta.get("proc"), str) else None
    return process_alive(pid, proc)


def list_recoveries(*, include_running: bool = False) -> list[RecoveryEntry]:
    """Autosaves whose dxroadmap is gone (crashed), newest first.

    ``include_running=True`` also lists those of dxroadmap windows still open (for tests
    and diagnostics). Never raises: an unreadable folder means nothing to recover.
    """
    folder = recovery_dir()
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    entries: list[RecoveryEntry] = []
    for name in names:
        if name.endswith(_META_SUFFIX) and name[: -len(_META_SUFFIX)] + _PLAN_SUFFIX not in names:
            # a session that died before its first autosave was complete: nothing to offer
            meta_path = folder / name
            if not _running(_read_meta(meta_path)):
                with contextlib.suppress(OSError):
                    meta_path.unlink()
            continue
        if not name.endswith(_PLAN_SUFFIX):
            continue
        session = name[: -len(_PLAN_SUFFIX)]
        if not _SESSION_RE.match(session):
            continue
        plan_path = folder / name
        meta_path = folder / f"{session}{_META_SUFFIX}"
        meta = _read_meta(meta_path)
        if not include_running and _running(meta):
            continue
        try:
            mtime = plan_path.stat().st_mtime
        except OSError:
            continue
        saved = meta.get("saved_at")
        saved_at = float(saved) if isinstance(saved, (int, float)) and not isinstance(saved, bool) else mtime
        source = meta.get("source")
        pid = meta.get("pid")
        entries.append(RecoveryEntry(
            session_id=session, plan_path=plan_path, meta_path=meta_path,
            source_path=Path(source) if isinstance(source, str) and source else None,
            saved_at=saved_at, pid=pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
            host=meta.get("host") if isinstance(meta.get("host"), str) else "",
            title=meta.get("title") if isinstance(meta.get("title"), str) else "",
        ))
    entries.sort(key=lambda e: e.saved_at, reverse=True)
    return entries


def discard(entry: RecoveryEntry) -> None:
    """Delete an autosave (after it was restored or the user declined it)."""
    for path in (entry.plan_path, entry.meta_path):
        with contextlib.suppress(OSError):
            path.unlink()


def discard_for_session(session_id: str) -> None:
    """Delete this session's autosave: after a clean save, or a close with nothing unsaved."""
    _check_session(session_id)
    folder = recovery_dir()
    for suffix in (_PLAN_SUFFIX, _META_SUFFIX):
        with contextlib.suppress(OSError):
            (folder / f"{session_id}{suffix}").unlink()
