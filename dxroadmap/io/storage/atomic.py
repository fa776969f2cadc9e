"""Atomic saving: write beside the target, flush and fsync, then replace in one step.

A failed or interrupted save (an exception, a full disk, a power cut, a killed process)
leaves the previous file exactly as it was; the only trace can be a temporary
``.~name.XXXX.tmp`` file in the same folder, never a half file under the real name.
:func:`cleanup_temp_files` removes such leftovers once they are old.

Backups (``atomic_path(target, backup=True)``)
    The previous version is kept beside the plan as ``<stem>.bak<suffix>``:
    ``計画.xlsx`` → ``計画.bak.xlsx``, ``plan.json`` → ``plan.bak.json``. The real
    extension stays last, so the backup keeps its Excel / dxroadmap icon and opens with a
    double-click, and in Explorer (which hides extensions) it reads as ``計画.bak`` right
    next to ``計画`` — recognisably a spare copy, not a second plan. One generation is
    kept. The backup is made only after the new file is completely written and synced,
    as a hard link to the old file where the file system allows it (no copying, so it
    costs nothing on large workbooks), else as a copy; then the new file replaces the
    plan. If the backup cannot be made the save is abandoned and the plan is untouched.

Errors
    Every failure is a :class:`SaveError`: a :class:`~dxroadmap.io.errors.PlanWriteError`
    (``reason`` + a one- or two-sentence message in Japanese and English) that is also an
    ``OSError``, so code written for the plain ``OSError`` of earlier versions still
    catches it. Reasons: ``read-only`` (the file or its folder cannot be written),
    ``locked`` (another program has the file open), ``changed-on-disk`` (another program
    replaced the file while we were saving), ``disk-full``, ``no-folder``,
    ``name-too-long``, ``is-folder``, ``backup-failed``, ``write-failed``. The old file is
    untouched and no temporary file is left behind.

How the editor window saves (see also :mod:`.disk_state`, :mod:`.lockfile`, :mod:`.recovery`)::

    if disk_state.changed_since(path, doc.fingerprint): ask: overwrite / reload / save as
    try:
        with atomic_path(path, backup=True) as tmp:
            writer(plan, tmp)                # or write_plan_json(plan, path, backup=True)
    except PlanWriteError as exc:
        show exc.message() and offer Save As
    else:
        doc.fingerprint = disk_state.fingerprint(path)
        recovery.discard_for_session(session_id)
"""

from __future__ import annotations

import contextlib
import errno as _errno
import os
import shutil
import stat
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator

from dxroadmap.io.errors import PlanWriteError

__all__ = ["SaveError", "atomic_write_bytes", "atomic_path", "backup_path_for", "cleanup_temp_files",
           "TEMP_PREFIX", "TEMP_SUFFIX"]

TEMP_PREFIX = ".~"
TEMP_SUFFIX = ".tmp"
_IS_WINDOWS = os.name == "nt"
# Windows error codes meaning "another program has the file open".
_WIN_LOCKED = {5, 32, 33}  # access denied, sharing violation, lock violation


class SaveError(PlanWriteError, OSError):
    """A save that failed; the previous file is untouched. Both a PlanWriteError and an OSError."""

    def __init__(self, reason: str, en: str, ja: str, errno: int | None = None) -> None:
        super().__init__(reason, en, ja)
        self.errno = errno


def backup_path_for(target: str | os.PathLike) -> Path:
    """Where ``atomic_path(target, backup=True)`` keeps the previous version: ``計画.xlsx`` → ``計画.bak.xlsx``."""
    target = Path(target)
    if target.suffix and target.stem:
        return target.with_name(f"{target.stem}.bak{target.suffix}")
    return target.with_name(f"{target.name}.bak")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _is_read_only(st: os.stat_result) -> bool:
    """No write permission bit at all (also how Windows reports its read-only attribute).

    Checked from the mode bits rather than ``os.access`` so it also holds for
    administrators, who could otherwise silently replace a file marked read-only.
    """
    return stat.S_ISREG(st.st_mode) and not st.st_mode & 0o222


def _same_version(a: os.stat_result | None, b: os.stat_result | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return (a.st_mtime_ns, a.st_size) == (b.st_mtime_ns, b.st_size)


def _save_error(exc: OSError, target: Path, stage: str) -> SaveError:
    """A plain-language :class:`SaveError` for an ``OSError`` met while saving ``target``.

    ``stage`` is ``create`` (making the temporary file), ``write`` (the caller writing it),
    ``backup`` or ``replace``.
    """
    name = target.name
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    detail = exc.strerror or str(exc) or type(exc).__name__
    save_as_en, save_as_ja = "use Save As to save it elsewhere", "「名前を付けて保存」で別の場所に保存してください"
    if code in (_errno.ENOSPC, getattr(_errno, "EDQUOT", -1)):
        return SaveError("disk-full", f"There is not enough free disk space to save {name}; free some space or {save_as_en}.",
                         f"ディスクの空き容量が足りないため {name} を保存できません。空きを作るか、{save_as_ja}。", code)
    if code == _errno.EROFS:
        return SaveError("read-only", f"The folder of {name} is on a read-only drive; {save_as_en}.",
                         f"{name} の保存先は読み取り専用のドライブです。{save_as_ja}。", code)
    if code == _errno.ENAMETOOLONG:
        return SaveError("name-too-long", f"The name or folder path of {name} is too long; save it under a shorter name.",
                         f"{name} のファイル名かフォルダーの場所が長すぎます。短い名前で保存してください。", code)
    if stage == "create" and code == _errno.ENOENT:
        return SaveError("no-folder", f"The folder {target.parent} does not exist (a network drive may be disconnected); {save_as_en}.",
                         f"保存先のフォルダー {target.parent} がありません（ネットワークドライブが切断されている可能性があります）。{save_as_ja}。", code)
    if stage == "replace" and code == _errno.EISDIR:
        return SaveError("is-folder", f"{name} is a folder, not a file; choose another name.",
                         f"{name} はフォルダーです。別の名前で保存してください。", code)
    locked = code in (_errno.EBUSY, getattr(_errno, "ETXTBSY", -1)) or (_IS_WINDOWS and winerror in _WIN_LOCKED)
    denied = isinstance(exc, PermissionError) or code in (_errno.EACCES, _errno.EPERM)
    if stage in ("replace", "backup") and (locked or denied):
        from dxroadmap.io.storage.lockfile import office_lock_owner  # a hint: Excel's ~$ file names who has it open

        owner = office_lock_owner(target)
        if owner:
            return SaveError("locked", f"{name} is open in Excel or LibreOffice by {owner}, so it cannot be saved; "
                             f"ask them to close it and save again, or {save_as_en}.",
                             f"{name} は {owner} さんが Excel などで開いているため保存できません。閉じてもらってから保存し直すか、{save_as_ja}。", code)
    if stage in ("replace", "backup") and locked:
        return SaveError("locked", f"Another program is using {name} (it may be open in Excel), so it cannot be saved; "
                         f"close it there and save again, or {save_as_en}.",
                         f"ほかのプログラムが {name} を使用中のため保存できません。Excel などで開いていれば閉じてから保存し直すか、{save_as_ja}。", code)
    if denied:
        if stage == "create":
            return SaveError("read-only", f"The folder of {name} is read-only (you have no permission to write there); {save_as_en}.",
                             f"保存先のフォルダーが読み取り専用です（書き込みの権限がありません）。{save_as_ja}。", code)
        return SaveError("read-only", f"{name} is read-only or you have no permission to replace it; {save_as_en}.",
                         f"保存先が読み取り専用か、書き込みの権限がないため {name} を保存できません。{save_as_ja}。", code)
    if stage == "backup":
        return SaveError("backup-failed", f"Could not keep the previous version of {name} as a backup ({detail}); the plan was not saved.",
                         f"{name} の以前の版をバックアップとして残せなかったため、保存を中止しました（{detail}）。", code)
    return SaveError("write-failed", f"Could not save {name} ({detail}); the previous file is unchanged.",
                     f"{name} を保存できませんでした（{detail}）。以前のファイルはそのまま残っています。", code)


def _changed_error(target: Path) -> SaveError:
    name = target.name
    return SaveError("changed-on-disk",
                     f"Another program replaced {name} while it was being saved, so it was not overwritten; "
                     "reload it or use Save As to save your version elsewhere.",
                     f"保存中にほかのプログラムが {name} を書き換えたため、上書きしませんでした。"
                     "読み込み直すか、「名前を付けて保存」で別の場所に保存してください。")


def _temp_name(target: Path, tag: str = "") -> str:
    # Keep the name short enough for NAME_MAX even for long Japanese names (3 bytes each).
    return f"{TEMP_PREFIX}{target.name[:60]}{tag}."


def _make_backup(target: Path, folder: Path) -> None:
    """Keep the current ``target`` as its backup, atomically (hard link, or a synced copy)."""
    backup = backup_path_for(target)
    tmp = folder / f"{_temp_name(target, '.bak')}{uuid.uuid4().hex[:10]}{TEMP_SUFFIX}"
    try:
        try:
            os.link(target, tmp)
        except OSError as exc:
            if exc.errno in (_errno.ENOSPC, getattr(_errno, "EDQUOT", -1)):
                raise
            with open(target, "rb") as src, open(tmp, "xb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
                dst.flush()
                os.fsync(dst.fileno())
            with contextlib.suppress(OSError):
                shutil.copystat(target, tmp)
        os.replace(tmp, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, backup: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``.

    The caller writes the whole file to the yielded path (any writer: openpyxl, a PDF
    writer…). If the block raises, the temporary file is removed and ``target`` is
    untouched (an ``OSError`` from the block comes out as a :class:`SaveError`, anything
    else unchanged). The existing file's permission bits are kept. With ``backup=True``
    the previous version is kept as :func:`backup_path_for` ``(target)`` once the new
    file is complete. Refuses (:class:`SaveError`) a target marked read-only, and one
    that another program changed while the block was writing.
    """
    target = Path(target)
    try:
        if target.is_symlink():  # save through the link, not over it
            target = Path(os.path.realpath(target))
        before = _stat_or_none(target)
    except OSError as exc:
        raise _save_error(exc, target, "create") from exc
    folder = target.parent if str(target.parent) else Path(".")
    if before is not None and stat.S_ISDIR(before.st_mode):
        raise SaveError("is-folder", f"{target.name} is a folder, not a file; choose another name.",
                        f"{target.name} はフォルダーです。別の名前で保存してください。", _errno.EISDIR)
    if before is not None and _is_read_only(before):
        raise SaveError("read-only", f"{target.name} is marked read-only; use Save As to save it elsewhere.",
                        f"{target.name} は読み取り専用に設定されています。「名前を付けて保存」で別の場所に保存してください。",
                        _errno.EACCES)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_name(target), suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise _save_error(exc, target, "create") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    stage = "write"
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o666 & ~_umask())
        now = _stat_or_none(target)
        if not _same_version(before, now):
            raise _changed_error(target)
        if backup and now is not None:
            stage = "backup"
            _make_backup(target, folder)
        stage = "replace"
        os.replace(tmp, target)
        stage = "done"
        _fsync_dir(folder)
    except PlanWriteError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if stage == "done":
            return
        raise _save_error(exc, target, stage) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(target: str | os.PathLike, data: bytes, backup: bool = False) -> None:
    """Write ``data`` to ``target`` atomically (keeping a backup of the old file if asked)."""
    with atomic_path(target, backup=backup) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def cleanup_temp_files(folder: str | os.PathLike, max_age: float = 3600.0) -> list[Path]:
    """Remove the ``.~*.tmp`` leftovers of interrupted saves in ``folder`` older than ``max_age`` seconds.

    Younger ones are kept: on a shared folder they may belong to a colleague's save in
    progress. Returns the files removed. Never raises for files it cannot remove.
    """
    removed: list[Path] = []
    limit = time.time() - max_age
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime > limit:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed
