"""A1 references in formulas moved with inserted or deleted rows or inserted columns, and shared formulas translated.

A formula is cut into tokens the way Excel reads it — string literals (``"…"`` with ``""``),
quoted sheet names (``'Sheet ''1'''!``), unquoted sheet prefixes (``Sheet1!``), external
book indexes and structured references (``[1]``, ``Table1[[#This Row],[Col]]``), error
literals (``#REF!``), function names (a word followed by ``(``), numbers, and references:
cells (``$A$5``), cell ranges (``A5:B9``), row ranges (``5:9``) and column ranges
(``A:C``). Only references are ever rewritten; everything else is copied as written, so a
string such as ``"A5"`` or a name such as ``TAX2`` (past the last column) never moves.

:class:`RowShift` says what happened to one sheet's rows (``n`` rows inserted after a row,
or rows ``first..last`` deleted). :func:`shift_formula` applies it to one formula, given
the sheet the formula lives on (``None`` for a defined name, whose references always name
their sheet): a reference to the shifted sheet moves like Excel moves it — a single cell
in deleted rows becomes ``#REF!``, a range shrinks (or becomes ``#REF!`` when all its rows
are gone) and grows when rows are inserted inside it. :class:`ColShift` does the same for
columns inserted after a column (a range spanning a whole time axis given as ``whole``
also grows when the columns are added at the axis's edge: the form grew a year). Absolute
and relative references
move alike (``$`` only matters for copying, not for moving rows). References into another
workbook (``[1]Sheet1!A1``) are left alone.

:func:`shift_area` does the same for the plain range lists of ``sqref``/``ref``
attributes, and :func:`translate_formula` moves the relative parts of a formula by an
offset (how a shared formula's text reads in each cell of its range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RowShift", "ColShift", "Shift", "shift_formula", "shift_area", "translate_formula", "MAX_ROW", "MAX_COL"]

MAX_ROW = 1048576
MAX_COL = 16384
_WORD = re.compile(r"[A-Za-z0-9_.\\$\u0080-\uffff?]+")
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})")
_COL = re.compile(r"(\$?)([A-Za-z]{1,3})")
_ROWREF = re.compile(r"(\$?)(\d{1,7})")
_ERROR = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!"
                    r"|CONNECT!|BUSY!|UNKNOWN!)", re.I)


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(c: int) -> str:
    out = ""
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True)
class RowShift:
    """Rows of ``sheet`` inserted (``n`` > 0 rows after row ``at``) or deleted (``-n`` rows from row ``at`` on)."""

    sheet: str
    at: int
    n: int

    @classmethod
    def insert(cls, sheet: str, after: int, n: int) -> RowShift:
        return cls(sheet, after, n)

    @classmethod
    def delete(cls, sheet: str, first: int, last: int) -> RowShift:
        return cls(sheet, first, -(last - first + 1))

    @property
    def deleting(self) -> bool:
        return self.n < 0

    def row(self, r: int) -> int | None:
        """Where row ``r`` goes; ``None`` when it is deleted."""
        if self.n >= 0:
            return r + self.n if r > self.at else r
        last = self.at - self.n - 1
        if r < self.at:
            return r
        if r <= last:
            return None
        return r + self.n

    def span(self, r1: int, r2: int) -> tuple[int, int] | None:
        """Where the rows ``r1..r2`` go (a range grows or shrinks); ``None`` when all are deleted."""
        lo, hi = min(r1, r2), max(r1, r2)
        if self.n >= 0:
            return (self.row(lo), self.row(hi))
        last = self.at - self.n - 1
        a = lo if lo < self.at else (self.at if lo <= last else lo + self.n)
        b = hi if hi < self.at else (self.at - 1 if hi <= last else hi + self.n)
        if a > b:
            return None
        return (a, b)

    def targets(self, sheet: str | None) -> bool:
        return sheet is not None and sheet.casefold() == self.sheet.casefold()

    def col(self, c: int) -> int:
        """Columns do not move when rows do."""
        return c

    def col_span(self, c1: int, c2: int) -> tuple[int, int]:
        return (min(c1, c2), max(c1, c2))


@dataclass(frozen=True)
class ColShift:
    """``n`` (> 0) columns of ``sheet`` inserted after column ``at``.

    ``whole`` (first, last column of a time axis): a range covering at least the whole axis
    also takes in columns inserted at its edge (after ``last`` or before ``first``), as a
    title merged across the years, a print area or a conditional format over the time cells
    should when the form grows a year; other ranges grow only when the columns are inserted
    inside them, as Excel does.
    """

    sheet: str
    at: int
    n: int
    whole: tuple[int, int] | None = None

    def targets(self, sheet: str | None) -> bool:
        return sheet is not None and sheet.casefold() == self.sheet.casefold()

    def row(self, r: int) -> int | None:
        """Rows do not move when columns do."""
        return r

    def span(self, r1: int, r2: int) -> tuple[int, int] | None:
        return (min(r1, r2), max(r1, r2))

    def col(self, c: int) -> int:
        """Where column ``c`` goes."""
        return c + self.n if c > self.at else c

    def col_span(self, c1: int, c2: int) -> tuple[int, int]:
        """Where the columns ``c1..c2`` go (a range grows over columns inserted inside it)."""
        lo, hi = min(c1, c2), max(c1, c2)
        if self.whole is not None and lo <= self.whole[0] and hi >= self.whole[1] and lo <= self.at + 1 and hi >= self.at:
            return (lo, hi + self.n)
        return (self.col(lo), self.col(hi))


Shift = RowShift | ColShift


# ------------------------------------------------------------------ tokens

@dataclass
class _Ref:
    """One reference token: its sheet prefix as written, and its parsed parts."""

    prefix: str  # "" or "Sheet1!" / "'My sheet'!" as written
    sheet: str | None  # the unquoted sheet name, None without a prefix
    external: bool
    kind: str  # "cell" | "area" | "rows" | "cols"
    parts: list[tuple[str, str, str, str]]  # per end: ($col, col, $row, row); unused pieces ""


def _tokens(text: str) -> list[str | _Ref]:
    """``text`` cut into copied strings and :class:`_Ref` tokens."""
    out: list[str | _Ref] = []
    i, n = 0, len(text)
    prefix, sheet, external = "", None, False

    def flush_prefix() -> None:
        nonlocal prefix, sheet, external
        if prefix:
            out.append(prefix)
        prefix, sheet, external = "", None, False

    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            flush_prefix()
            out.append(text[i:j + 1])
            i = j + 1
            continue
        if ch == "'":
            j = i + 1
            while j < n:
                if text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            quoted = text[i:j + 1]
            if j + 1 < n and text[j + 1] == "!":
                flush_prefix()
                inner = quoted[1:-1].replace("''", "'")
                ext = inner.startswith("[")
                if ext:
                    inner = inner[inner.find("]") + 1:]
                prefix, sheet, external = quoted + "!", inner, ext
                i = j + 2
                continue
            flush_prefix()
            out.append(quoted)
            i = j + 1
            continue
        if ch == "[":
            depth, j = 0, i
            while j < n:
                if text[j] == "[":
                    depth += 1
                elif text[j] == "]":
                    depth -= 1
                    if depth == 0:
                        break
                elif text[j] == "'" and j + 1 < n:  # an escape inside structured references
                    j += 1
                j += 1
            bracket = text[i:j + 1]
            i = j + 1
            m = _WORD.match(text, i)
            if m and m.end() < n and text[m.end()] == "!":  # [1]Sheet1!A1: another workbook
                flush_prefix()
                prefix, sheet, external = bracket + m.group() + "!", m.group(), True
                i = m.end() + 1
                continue
            flush_prefix()
            out.append(bracket)
            continue
        if ch == "#":
            m = _ERROR.match(text, i)
            if m:
                flush_prefix()
                out.append(m.group())
                i = m.end()
                continue
        m = _WORD.match(text, i)
        if m:
            word = m.group()
            end = m.end()
            after = text[end] if end < n else ""
            if after == "!" and not prefix:
                prefix, sheet, external = word + "!", word, False
                i = end + 1
                continue
            if after == "(" or (i > 0 and not prefix and text[i - 1] in "]"):
                flush_prefix()
                out.append(word)
                i = end
                continue
            ref = _parse_ref(text, i, word, end)
            if ref is not None:
                kind, parts, end = ref
                out.append(_Ref(prefix, sheet, external, kind, parts))
                prefix, sheet, external = "", None, False
                i = end
                continue
            flush_prefix()
            out.append(word)
            i = end
            continue
        flush_prefix()
        out.append(ch)
        i += 1
    flush_prefix()
    return out


def _cell(word: str) -> tuple[str, str, str, str] | None:
    m = _CELL.fullmatch(word)
    if m is None or _col_number(m.group(2)) > MAX_COL or not 1 <= int(m.group(4)) <= MAX_ROW:
        return None
    return m.group(1), m.group(2), m.group(3), m.group(4)


def _parse_ref(text: str, i: int, word: str, end: int) -> tuple[str, list, int] | None:
    """A reference starting at ``i`` (its first word ``word`` ends at ``end``): (kind, parts, end)."""
    second = None
    if end < len(text) and text[end] == ":":
        m2 = _WORD.match(text, end + 1)
        if m2 and not (m2.end() < len(text) and text[m2.end()] in "!("):
            second = m2
    first_cell = _cell(word)
    if first_cell is not None:
        if second is not None:
            other = _cell(second.group())
            if other is not None:
                return "area", [first_cell, other], second.end()
        return "cell", [first_cell], end
    if second is None:
        return None
    r1, r2 = _ROWREF.fullmatch(word), _ROWREF.fullmatch(second.group())
    if r1 and r2 and all(1 <= int(x.group(2)) <= MAX_ROW for x in (r1, r2)):
        return "rows", [("", "", r1.group(1), r1.group(2)), ("", "", r2.group(1), r2.group(2))], second.end()
    c1, c2 = _COL.fullmatch(word), _COL.fullmatch(second.group())
    if c1 and c2 and all(_col_number(x.group(2)) <= MAX_COL for x in (c1, c2)):
        return "cols", [(c1.group(1), c1.group(2), "", ""), (c2.group(1), c2.group(2), "", "")], second.end()
    return None


def _join(ref: _Ref, parts: list[tuple[str, str, str, str]] | None) -> str:
    if parts is None:
        return ref.prefix + "#REF!"
    return ref.prefix + ":".join("".join(p) for p in parts)


# ------------------------------------------------------------------ shifting

def _shift_ref(ref: _Ref, shift: Shift) -> list[tuple[str, str, str, str]] | None:
    if ref.kind == "cell":
        dc, col, dr, row = ref.parts[0]
        new = shift.row(int(row))
        return None if new is None else [(dc, _moved_col(col, shift), dr, str(new))]
    (dc1, c1, dr1, r1), (dc2, c2, dr2, r2) = ref.parts
    if ref.kind != "cols":
        a, b = int(r1), int(r2)
        span = shift.span(a, b)
        if span is None:
            return None
        lo, hi = span
        if a > b:  # written bottom-up (B9:A5): keep the order
            lo, hi = hi, lo
        r1, r2 = str(lo), str(hi)
    if ref.kind != "rows":
        a, b = _col_number(c1), _col_number(c2)
        lo, hi = shift.col_span(a, b)
        if a > b:
            lo, hi = hi, lo
        c1 = c1 if lo == a else _col_letters(lo)
        c2 = c2 if hi == b else _col_letters(hi)
    return [(dc1, c1, dr1, r1), (dc2, c2, dr2, r2)]


def _moved_col(letters: str, shift: Shift) -> str:
    c = _col_number(letters)
    new = shift.col(c)
    return letters if new == c else _col_letters(new)


def shift_formula(text: str, shift: Shift, host: str | None) -> str:
    """``text`` (a formula without ``=``) with its references to ``shift.sheet`` moved (module docstring).

    ``host`` is the sheet the formula is on: its references without a sheet prefix are to it.
    Returns ``text`` itself (the same object) when nothing changes.
    """
    if not text:
        return text
    tokens = _tokens(text)
    changed = False
    out = []
    for tok in tokens:
        if isinstance(tok, _Ref) and not tok.external and shift.targets(tok.sheet if tok.prefix else host):
            new = _join(tok, _shift_ref(tok, shift))
            old = _join(tok, tok.parts)
            changed = changed or new != old
            out.append(new)
        else:
            out.append(tok if isinstance(tok, str) else _join(tok, tok.parts))
    return "".join(out) if changed else text


def shift_area(sqref: str, shift: Shift) -> str | None:
    """A ``sqref``/``ref`` attribute (ranges separated by spaces) moved; ``None`` when every range is deleted."""
    out = []
    for piece in sqref.split():
        new = shift_formula(piece, shift, shift.sheet)
        if "#REF!" not in new:
            out.append(new)
    return " ".join(out) if out else None


def translate_formula(text: str, dr: int, dc: int) -> str:
    """``text`` as it reads ``dr`` rows and ``dc`` columns away: relative parts move, ``$`` parts stay.

    A relative part moved off the sheet becomes ``#REF!``, like Excel does when copying.
    """
    if not text or (dr == 0 and dc == 0):
        return text
    out = []
    for tok in _tokens(text):
        if not isinstance(tok, _Ref) or tok.external:
            out.append(tok if isinstance(tok, str) else _join(tok, tok.parts))
            continue
        parts = []
        bad = False
        for dcol, col, drow, row in tok.parts:
            if col and not dcol:
                k = _col_number(col) + dc
                bad = bad or not 1 <= k <= MAX_COL
                col = _col_letters(max(1, k))
            if row and not drow:
                k = int(row) + dr
                bad = bad or not 1 <= k <= MAX_ROW
                row = str(k)
            parts.append((dcol, col, drow, row))
        out.append(_join(tok, None if bad else parts))
    return "".join(out)
