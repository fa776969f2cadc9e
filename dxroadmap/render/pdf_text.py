"""Make a Qt-written PDF's text copy and search as written (人 not ⼈, ・ not ‧).

CJK fonts draw a kanji and its Kangxi-radical twin (人 U+4EBA / ⼈ U+2F08), or ・ and ‧,
with one glyph. Qt's PDF writer maps each glyph back to the *lowest* code point using it,
so copied or extracted text comes out in radicals: a search for 行政 in the PDF finds
nothing. This rewrites those entries of the uncompressed ToUnicode CMaps Qt writes to
the ordinary character sharing the glyph. Every entry keeps its four hex digits, so
the file keeps its length and its cross-reference table stays valid.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QFont, QRawFont

__all__ = ["preferred_code_points", "repair_to_unicode"]

# Code points Qt may wrongly pick (they come first) and the ones text really uses.
_SUSPECT = (0x2000, 0x3000)
_PREFERRED = ((0x3000, 0x3100), (0x3400, 0x4DC0), (0x4E00, 0xA000), (0xFF00, 0xFFF0))

_CMAP_RE = re.compile(rb"begincmap(.*?)endcmap", re.S)
_ARRAY_RE = re.compile(rb"\[([^\]]*)\]")
_HEX4_RE = re.compile(rb"<([0-9A-Fa-f]{4})>")
_TRIPLET_RE = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>")
_BFCHAR_RE = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_PAIR_RE = re.compile(rb"(<[0-9A-Fa-f]{4}>\s*)<([0-9A-Fa-f]{4})>")


def preferred_code_points(font: QFont) -> dict[int, int]:
    """Suspect code point -> the ordinary one drawn with the same glyph in ``font``."""
    raw = QRawFont.fromFont(font)
    if not raw.isValid():
        return {}
    suspects = "".join(chr(c) for c in range(*_SUSPECT))
    preferred = "".join(chr(c) for lo, hi in _PREFERRED for c in range(lo, hi))
    first: dict[int, str] = {}
    for ch, glyph in zip(preferred, raw.glyphIndexesForString(preferred)):
        if glyph and glyph not in first:
            first[glyph] = ch
    return {ord(ch): ord(first[g]) for ch, g in zip(suspects, raw.glyphIndexesForString(suspects))
            if g and g in first}


def _swap(fix: dict[int, int], hex4: bytes) -> bytes:
    code = int(hex4, 16)
    return b"%04X" % fix[code] if code in fix else hex4


def _repair_cmap(block: bytes, fix: dict[int, int]) -> bytes:
    def arrays(m: re.Match) -> bytes:
        return b"[" + _HEX4_RE.sub(lambda h: b"<" + _swap(fix, h.group(1)) + b">", m.group(1)) + b"]"

    def triplets(m: re.Match) -> bytes:
        lo, hi, dst = m.group(1), m.group(2), m.group(3)
        if lo.upper() != hi.upper():  # a run of consecutive code points: leave it whole
            return m.group(0)
        return m.group(0)[:-6] + b"<" + _swap(fix, dst) + b">"

    def bfchars(m: re.Match) -> bytes:
        return b"beginbfchar" + _PAIR_RE.sub(lambda p: p.group(1) + b"<" + _swap(fix, p.group(2)) + b">",
                                             m.group(1)) + b"endbfchar"

    block = _ARRAY_RE.sub(arrays, block)
    block = _TRIPLET_RE.sub(triplets, block)
    return _BFCHAR_RE.sub(bfchars, block)


def repair_to_unicode(path: str | Path, fix: dict[int, int]) -> int:
    """Rewrite the ToUnicode CMaps of the PDF at ``path`` in place; returns how many CMaps changed."""
    if not fix:
        return 0
    path = Path(path)
    data = path.read_bytes()
    changed = 0

    def one(m: re.Match) -> bytes:
        nonlocal changed
        new = _repair_cmap(m.group(1), fix)
        if len(new) != len(m.group(1)):  # never shift the file
            return m.group(0)
        if new != m.group(1):
            changed += 1
        return b"begincmap" + new + b"endcmap"

    out = _CMAP_RE.sub(one, data)
    if changed and len(out) == len(data):
        path.write_bytes(out)
        return changed
    return 0
