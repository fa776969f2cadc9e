"""Guard against a PySide6 build that drops a reference to None on every void Qt call.

PySide6 6.12 on Python 3.11 decrements ``None``'s reference count each time a C++
method returning ``void`` is called from Python; after enough calls None is
deallocated and the interpreter aborts ("Fatal Python error: none_dealloc"), often
at exit. The editor makes such calls constantly, so an install with this bug must
fail here rather than crash planners' sessions.
"""

import subprocess
import sys
import textwrap

from PySide6.QtCore import QObject, QRect
from PySide6.QtWidgets import QLabel

VOID_CALLS = 20_000


def void_calls(n: int) -> None:
    obj = QObject()
    label = QLabel()
    rect = QRect()
    for i in range(n):
        obj.setObjectName("x")
        label.setEnabled(True)
        label.setToolTip("t")
        label.update()
        rect.setWidth(i)


def test_void_calls_keep_none_alive(qapp):
    if sys.version_info >= (3, 12):  # None is immortal there; the count says nothing
        void_calls(1000)
        return
    before = sys.getrefcount(None)
    void_calls(VOID_CALLS)
    after = sys.getrefcount(None)
    # 5 void calls per loop: a leak of one reference each would lose 100,000 references.
    assert after - before > -1000, f"None lost {before - after} references in {VOID_CALLS * 5} void Qt calls"


def test_a_process_making_many_void_calls_exits_cleanly(tmp_path):
    script = textwrap.dedent(f"""
        import os, sys
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QObject, QRect
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        obj, label, rect = QObject(), QLabel(), QRect()
        for i in range({VOID_CALLS * 10}):
            obj.setObjectName("x")
            label.setEnabled(True)
            rect.setWidth(i)
        print("done")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "done"
    assert "none_dealloc" not in result.stderr
