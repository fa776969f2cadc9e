"""和暦 and fiscal-year labels: parse every form offices write, format the ones we print.

Fiscal years are identified by the Western year in which they start (令和5年度 = 2023).
Parsing is tolerant of full-width characters, spaces, 元 for year one, and the doubled
forms written around the era change (平成31年度（令和元年度）). Formatting offers the styles
the UI and printed sheets use; ``parse_fiscal_year(format_fiscal_year(fy, s)) == fy``
for every style.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import unicodedata
from dataclasses import dataclass

from dxroadmap.model.fiscal import fiscal_year_of, month_index, year_month

__all__ = [
    "YearStyle",
    "FiscalSpan",
    "era_of_fiscal_year",
    "format_fiscal_year",
    "parse_fiscal_year",
    "parse_era_month",
    "parse_month_span",
    "format_month",
    "format_span",
    "normalize",
    "format_era_date",
    "era_of_date",
    "find_fiscal_year",
    "parse_fiscal_period",
    "parse_month_bound",
]

MIN_YEAR = 1900
MAX_YEAR = 2200

# (name, abbreviation, first fiscal year named after it, offset: fiscal year = offset + N)
_ERAS = (
    ("令和", "R", 2019, 2018),
    ("平成", "H", 1989, 1988),
    ("昭和", "S", 1926, 1925),
)
_ERA_BY_TOKEN = {}
for _name, _abbr, _first, _offset in _ERAS:
    _ERA_BY_TOKEN[_name] = (_name, _offset)
    _ERA_BY_TOKEN[_abbr] = (_name, _offset)
    _ERA_BY_TOKEN[_name[0]] = (_name, _offset)  # 令, 平, 昭 as some tables abbreviate

# First calendar month (year, month) of each era, for month-exact parsing.
_ERA_START = {"令和": (2019, 5), "平成": (1989, 1), "昭和": (1926, 12)}
_ERA_END = {"令和": None, "平成": (2019, 4), "昭和": (1989, 1)}


class YearStyle(enum.Enum):
    """How a fiscal year is written."""

    ERA = "era"  # 令和5年度
    ERA_SHORT = "era_short"  # R5
    WESTERN = "western"  # 2023年度
    ERA_WESTERN = "era_western"  # 令和5年度（2023）


def normalize(text: str) -> str:
    """NFKC, without white space: the form all parsing works on."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def era_of_fiscal_year(fy: int) -> tuple[str, str, int]:
    """(era name, abbreviation, era year) naming fiscal year ``fy`` (2019 → 令和, R, 1)."""
    for name, abbr, first, offset in _ERAS:
        if fy >= first:
            return name, abbr, fy - offset
    raise ValueError(f"fiscal year {fy} is before 昭和")


def _era_year_text(n: int) -> str:
    return "元" if n == 1 else str(n)


def format_fiscal_year(fy: int, style: YearStyle = YearStyle.ERA) -> str:
    """Write fiscal year ``fy`` in ``style`` (see :class:`YearStyle`)."""
    if style is YearStyle.WESTERN:
        return f"{fy}年度"
    name, abbr, n = era_of_fiscal_year(fy)
    if style is YearStyle.ERA_SHORT:
        return f"{abbr}{n}"
    era = f"{name}{_era_year_text(n)}年度"
    if style is YearStyle.ERA_WESTERN:
        return f"{era}（{fy}）"
    return era


_ERA_TOKENS = "|".join(sorted(_ERA_BY_TOKEN, key=len, reverse=True))
_ERA_YEAR_RE = re.compile(rf"^(?:({_ERA_TOKENS})\.?(元|\d{{1,3}}))(?:年度|年)?$", re.IGNORECASE)
_WESTERN_RE = re.compile(r"^(?:FY)?(\d{4})(?:年度|年)?$", re.IGNORECASE)
_PAREN_RE = re.compile(r"^(.+?)[(\[](.+?)[)\]]$")
_INNER_PAREN_RE = re.compile(r"^(.+?)\((.+?)\)(年度|年)$")


def _era_token(token: str) -> tuple[str, int]:
    return _ERA_BY_TOKEN[token.upper() if token.isascii() else token]


def _parse_single_year(t: str) -> int | None:
    match = _ERA_YEAR_RE.match(t)
    if match:
        name, offset = _era_token(match.group(1))
        n = 1 if match.group(2) == "元" else int(match.group(2))
        if n < 1:
            return None
        fy = offset + n
        return fy if MIN_YEAR <= fy <= MAX_YEAR else None
    match = _WESTERN_RE.match(t)
    if match:
        fy = int(match.group(1))
        return fy if MIN_YEAR <= fy <= MAX_YEAR else None
    return None


def parse_fiscal_year(text: str) -> int | None:
    """The fiscal year a label names, or ``None`` if it names none.

    Accepts 令和5年度, 令和５年度, Ｒ５, R5, R5年度, 令和元年度, 平成31年度,
    平成31年度（令和元年度）, H30, 2023年度, ２０２３年度, 2023, FY2023 and
    令和5年度（2023）. A doubled form whose two halves disagree names nothing.
    """
    if not isinstance(text, str):
        return None
    t = normalize(text)
    if not t:
        return None
    single = _parse_single_year(t)
    if single is not None:
        return single
    match = _PAREN_RE.match(t)
    if match:
        first = _parse_single_year(match.group(1))
        second = _parse_single_year(match.group(2))
        if first is not None and (second is None and not match.group(2).strip() or second == first):
            return first
    match = _INNER_PAREN_RE.match(t)
    if match:  # 令和5（2023）年度, 2023（令和5）年度: both halves name the same year
        suffix = match.group(3)
        first = _parse_single_year(match.group(1) + suffix)
        inner = match.group(2)
        second = _parse_single_year(inner if inner.endswith(("年度", "年")) else inner + suffix)
        if second is None:
            second = _parse_single_year(inner)
        if first is not None and second == first:
            return first
    return None


_ERA_MONTH_RE = re.compile(rf"^({_ERA_TOKENS})\.?(元|\d{{1,2}})年(\d{{1,2}})月$", re.IGNORECASE)
_WESTERN_MONTH_RE = re.compile(r"^(\d{4})[年/.\-](\d{1,2})月?$")


def parse_era_month(text: str) -> int | None:
    """A calendar month written as 令和6年7月, 平成31年4月, 2024年7月 or 2024/7.

    Era boundaries are exact: 平成31年5月 and 令和元年4月 never existed and name nothing.
    """
    if not isinstance(text, str):
        return None
    t = normalize(text)
    match = _ERA_MONTH_RE.match(t)
    if match:
        name, offset = _era_token(match.group(1))
        n = 1 if match.group(2) == "元" else int(match.group(2))
        month = int(match.group(3))
        if n < 1 or not 1 <= month <= 12:
            return None
        year = offset + n  # calendar year of era year n (era years follow calendar years)
        m = month_index(year, month)
        start = month_index(*_ERA_START[name])
        end = _ERA_END[name]
        if m < start or (end is not None and m > month_index(*end)):
            return None
        return m
    match = _WESTERN_MONTH_RE.match(t)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
            return month_index(year, month)
    return None


@dataclass(frozen=True)
class FiscalSpan:
    """A run of months inside any fiscal year: ``first``/``last`` are 1 (April) … 12 (March)."""

    first: int
    last: int

    def months(self, fy: int) -> tuple[int, int]:
        """The first and last month index of this span inside fiscal year ``fy``."""
        base = month_index(fy, 4)
        return base + self.first - 1, base + self.last - 1


def _fiscal_pos(calendar_month: int) -> int:
    return (calendar_month - 4) % 12 + 1


_MONTH_RE = re.compile(r"^(\d{1,2})月$")
_MONTH_RANGE_RE = re.compile(r"^(\d{1,2})月?[-~〜～ー―‐－–—](\d{1,2})月$")
_QUARTER_RE = re.compile(r"^(?:第([1-4])四半期|Q([1-4])|([1-4])Q|([1-4])四半期)$", re.IGNORECASE)
_HALF = {"上期": (1, 6), "上半期": (1, 6), "前期": (1, 6), "下期": (7, 12), "下半期": (7, 12), "後期": (7, 12),
         "H1": (1, 6), "H2": (7, 12), "1H": (1, 6), "2H": (7, 12)}


def parse_month_span(text: str) -> FiscalSpan | None:
    """A month, quarter or half label inside a fiscal year (4月, 第1四半期, 4～6月, Q1, 上期…)."""
    if not isinstance(text, str):
        return None
    t = normalize(text).replace("〜", "~").replace("～", "~")
    if not t:
        return None
    match = _MONTH_RE.match(t)
    if match:
        month = int(match.group(1))
        if 1 <= month <= 12:
            pos = _fiscal_pos(month)
            return FiscalSpan(pos, pos)
        return None
    match = _MONTH_RANGE_RE.match(t)
    if match:
        a, b = int(match.group(1)), int(match.group(2))
        if 1 <= a <= 12 and 1 <= b <= 12:
            first, last = _fiscal_pos(a), _fiscal_pos(b)
            if first <= last:
                return FiscalSpan(first, last)
        return None
    match = _QUARTER_RE.match(t)
    if match:
        q = int(next(g for g in match.groups() if g))
        return FiscalSpan(3 * q - 2, 3 * q)
    half = _HALF.get(t.upper() if t.isascii() else t)
    if half:
        return FiscalSpan(*half)
    return None


# A fiscal year inside running text (a title, a sheet name, a 計画期間 line), on normalized text.
_FY_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9])(?P<era>{_ERA_TOKENS})\.?(?P<n>元|\d{{1,2}})(?:\((?P<w1>\d{{4}})\))?年度(?:\((?P<w2>\d{{4}})\))?"
    rf"|(?<!\d)(?P<west>\d{{4}})(?:\((?P<era2>{_ERA_TOKENS})(?P<n2>元|\d{{1,2}})(?:年度|年)?\))?年度"
    rf"|(?<![A-Za-z])FY\.?(?P<fy>\d{{4}})(?!\d)"
    rf"|(?<![A-Za-z0-9])(?P<era3>{_ERA_TOKENS})(?P<n3>元|\d{{1,2}})(?![\d年.])", re.IGNORECASE)
_PERIOD_SEP = re.compile(r"^(?:~|～|〜|-|－|ー|―|–|—|‐|から|より)$")
_BARE_FY_AFTER = re.compile(r"^(?:~|～|〜|-|－|ー|―|–|—|‐|から)(元|\d{1,2})年度")


def _fy_match_year(match: re.Match) -> int | None:
    g = match.groupdict()
    if g["era"]:
        _, offset = _era_token(g["era"])
        fy = offset + (1 if g["n"] == "元" else int(g["n"]))
        if any(w and int(w) != fy for w in (g["w1"], g["w2"])):
            return None
    elif g["west"]:
        fy = int(g["west"])
        if g["era2"]:
            _, offset = _era_token(g["era2"])
            if offset + (1 if g["n2"] == "元" else int(g["n2"])) != fy:
                return None
    elif g["fy"]:
        fy = int(g["fy"])
    else:
        _, offset = _era_token(g["era3"])
        fy = offset + (1 if g["n3"] == "元" else int(g["n3"]))
    return fy if MIN_YEAR <= fy <= MAX_YEAR else None


def _fy_tokens(t: str) -> list[tuple[int, int, int, str]]:
    """(start, end, fiscal year, era token or "") of every fiscal year named in normalized text ``t``."""
    out = []
    for match in _FY_IN_TEXT.finditer(t):
        fy = _fy_match_year(match)
        if fy is not None:
            era = match.group("era") or match.group("era3") or ""
            out.append((match.start(), match.end(), fy, era))
    return out


def find_fiscal_year(text: str) -> int | None:
    """The one fiscal year a title or sheet name names (「令和6年度 DX推進 年間スケジュール」 → 2024).

    Plain era years without 年度 (R6) count only when nothing else is written; a text naming
    two different fiscal years names none (it is a period: see :func:`parse_fiscal_period`).
    """
    if not isinstance(text, str):
        return None
    t = normalize(text)
    whole = parse_fiscal_year(t)
    if whole is not None:
        return whole
    years = {fy for a, b, fy, _ in _fy_tokens(t) if "年度" in t[a:b] or t[a:b].upper().startswith("FY")}
    return years.pop() if len(years) == 1 else None


def parse_fiscal_period(text: str) -> tuple[int, int] | None:
    """The fiscal years a period text names: (first, last), or ``None``.

    計画期間：令和6（2024）年度～令和10（2028）年度, 令和6年度から令和10年度まで, R6～R10,
    2024年度～2028年度, 令和6年度～10年度, FY2024-FY2028.
    """
    if not isinstance(text, str):
        return None
    t = normalize(text)
    tokens = _fy_tokens(t)
    for (_a0, a1, fa, _era), (b0, _b1, fb, _) in zip(tokens, tokens[1:]):
        if _PERIOD_SEP.match(t[a1:b0]) and fa <= fb <= fa + 30:
            return fa, fb
    for _a0, a1, fa, era in tokens:
        m = _BARE_FY_AFTER.match(t[a1:])
        if m and era:
            _, offset = _era_token(era)
            fb = offset + (1 if m.group(1) == "元" else int(m.group(1)))
            if fa <= fb <= fa + 30:
                return fa, fb
    return None


_BOUND_SUFFIX = re.compile(r"(?:予定|頃|ごろ|まで|迄|から|以降|目途|めど|目処|中旬|上旬|下旬)+$")
_ERA_DATE_RE = re.compile(rf"^({_ERA_TOKENS})\.?(元|\d{{1,2}})[年./\-](\d{{1,2}})月?(?:[./\-]?(\d{{1,2}})日?)?$",
                          re.IGNORECASE)
_WEST_DATE_RE = re.compile(r"^(\d{4})[年./\-](\d{1,2})月?(?:[./\-]?(\d{1,2})日?)?$")
_FY_PART_RE = re.compile(r"^(.+?年度|FY\.?\d{4}|[A-Za-z]\d{1,2})(末|当初|初め|中|上半期|上期|前期|下半期|下期|後期|"
                         r"第([1-4])四半期|Q([1-4])|([1-4])Q)?$", re.IGNORECASE)


def parse_month_bound(text: str, end: bool = False) -> int | None:
    """The first (or, with ``end``, the last) month a start or end date text names.

    One grammar for 開始/終了 cells: 令和5年4月, R6.4, H30.4.1, 令和5年4月1日, 2024年10月,
    2025/7, 2024-07-15, 2024.4; whole fiscal years 令和7年度, R7年度, FY2025, 2025年度
    (April as a start, March as an end); 令和8年度末 (March); 令和6年度上半期 / 下半期 /
    第2四半期 / Q3 (the first or last month of that part of the year). ``None`` otherwise.
    """
    if not isinstance(text, str):
        return None
    t = _BOUND_SUFFIX.sub("", normalize(text))
    if not t:
        return None
    match = _ERA_DATE_RE.match(t)
    if match:
        return parse_era_month(f"{match.group(1)}{match.group(2)}年{match.group(3)}月")
    match = _WEST_DATE_RE.match(t)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return month_index(year, month) if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else None
    match = _FY_PART_RE.match(t)
    if not match:
        return None
    fy = parse_fiscal_year(match.group(1))
    if fy is None:
        return None
    part = match.group(2) or ""
    first, last = month_index(fy, 4), month_index(fy + 1, 3)
    if part == "末":
        return last
    if part in ("当初", "初め"):
        return first
    if part in ("上半期", "上期", "前期"):
        return first + 5 if end else first
    if part in ("下半期", "下期", "後期"):
        return last if end else first + 6
    q = next((g for g in match.groups()[2:] if g), None)
    if q:
        return first + 3 * int(q) - 1 if end else first + 3 * (int(q) - 1)
    return last if end else first


def format_month(m: int, style: YearStyle = YearStyle.ERA) -> str:
    """A month in the users' terms: 令和6年度 7月 (fiscal year, then calendar month)."""
    _, month = year_month(m)
    return f"{format_fiscal_year(fiscal_year_of(m), style)} {month}月"


def format_span(start: int, end: int, style: YearStyle = YearStyle.ERA) -> str:
    """A span of months: 令和6年度 7月 – 令和7年度 3月."""
    return f"{format_month(start, style)} – {format_month(end, style)}"


# First day of each era (昭和 began on 1926-12-25, 平成 on 1989-01-08, 令和 on 2019-05-01).
_ERA_FIRST_DAY = (("令和", _dt.date(2019, 5, 1)), ("平成", _dt.date(1989, 1, 8)), ("昭和", _dt.date(1926, 12, 25)))


def era_of_date(day: _dt.date) -> tuple[str, str, int]:
    """(era name, abbreviation, era year) of a calendar date (2019-05-01 → 令和, R, 1)."""
    for name, first in _ERA_FIRST_DAY:
        if day >= first:
            abbr = next(a for n, a, _, _ in _ERAS if n == name)
            return name, abbr, day.year - first.year + 1
    raise ValueError(f"{day.isoformat()} is before 昭和")


def format_era_date(day: _dt.date) -> str:
    """A calendar date in 和暦: 令和8年11月21日 (元年 for an era's first year)."""
    name, _, n = era_of_date(day)
    return f"{name}{_era_year_text(n)}年{day.month}月{day.day}日"
