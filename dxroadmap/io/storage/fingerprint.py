"""Notice when a plan file changed on disk since we opened or saved it (a colleague saved it).

A :class:`Fingerprint` records the file's modification time (ns), size and a BLAKE2
hash of its content — the whole file when it is at most :data:`WHOLE_FILE_LIMIT`
bytes (every real plan), else its first and last :data:`BLOCK` bytes. The content hash
avoids false alarms when only the time changed (a copy that kept the content, a file
server that rounds times) and catches a same-size change saved within the same second.

How the editor window uses it::

    open:   doc.fingerprint = fingerprint(path)            # right after reading the file
    save:   if changed_since(path, doc.fingerprint):        # before writing
                ask "a colleague changed this file": reload / save as / overwrite anyway
            atomic save (see :mod:`.atomic`), then doc.fingerprint = fingerprint(path)
    focus:  when the window is activated, the same check can offer to reload early.

No Qt; cheap enough to call on every window activation (one ``stat`` when the size
differs; a hash of at most a few MB otherwise).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Fingerprint", "fingerprint", "changed_since", "WHOLE_FILE_LIMIT", "BLOCK"]

WHOLE_FILE_LIMIT = 16 * 1024 * 1024
BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like at one moment."""

    mtime_ns: int
    size: int
    digest: str  # hex BLAKE2b of the content (whole, or first + last blocks of a large file)
    whole: bool  # True when ``digest`` covers the whole file


def _digest(handle, size: int) -> tuple[str, bool]:
    h = hashlib.blake2b(digest_size=20)
    h.update(size.to_bytes(8, "little"))
    if size <= WHOLE_FILE_LIMIT:
        while chunk := handle.read(1024 * 1024):
            h.update(chunk)
        return h.hexdigest(), True
    h.update(handle.read(BLOCK))
    handle.seek(max(0, size - BLOCK))
    h.update(handle.read(BLOCK))
    return h.hexdigest(), False


def fingerprint(path: str | os.PathLike) -> Fingerprint | None:
    """The file's fingerprint now, or ``None`` when there is no file (or it cannot be read)."""
    try:
        with open(Path(path), "rb") as handle:
            st = os.fstat(handle.fileno())
            digest, whole = _digest(handle, st.st_size)
    except OSError:
        return None
    return Fingerprint(st.st_mtime_ns, st.st_size, digest, whole)


def changed_since(path: str | os.PathLike, previous: Fingerprint | None) -> bool:
    """True when the file is not what ``previous`` recorded.

    A file that appeared, disappeared, changed size or content counts as changed. When
    only the modification time differs, a small file (hashed whole) is unchanged; a large
    one (hashed in part) counts as changed, to be safe. ``previous=None`` means "there
    was no file": then any file now there is a change.
    """
    path = Path(path)
    if previous is None:
        return path.exists()
    try:
        st = os.stat(path)
    except OSError:
        return True
    if st.st_size != previous.size:
        return True
    now = fingerprint(path)
    if now is None or now.digest != previous.digest:
        return True
    if not now.whole and now.mtime_ns != previous.mtime_ns:
        return True
    return False
