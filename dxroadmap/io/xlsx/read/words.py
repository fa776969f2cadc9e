"""Reading the words in roadmap cells: names, departments, headings, arrows, marks and notes.

Pure text rules shared by the importer's layouts: clean initiative names (line breaks,
leading enumerators ①/（1）/ア., the 【重点取組事項】 tag), split department cells,
recognise column headings by their synonyms, tell text-drawn bars (━ → ←─→) and
milestone marks (◆ ★ ● ◎) from labels, and spot legends, notes and 出典 lines.
"""

from __future__ import annotations

import re
import unicodedata

from dxroadmap.model.departments import split_departments  # re-exported for the readers

__all__ = [
    "norm",
    "clean_name",
    "strip_enumerator",
    "enumerator_of",
    "is_enumerator",
    "split_departments",
    "heading_role",
    "is_heading_word",
    "ROLES",
    "is_arrow_text",
    "strip_arrows",
    "milestone_label",
    "is_legend",
    "is_note",
    "is_katakana_item",
    "KEY_ROLES",
    "key_role",
]


def norm(text: str) -> str:
    """NFKC without white space (full-width spaces included): the form headings are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚❶❷❸❹❺❻❼❽❾❿➀➁➂➃➄➅➆➇➈➉⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⒈⒉⒊⒋⒌⒍⒎⒏⒐"
_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
_ENUM_RE = re.compile(
    r"^(?:"
    rf"[{_CIRCLED}]"  # ①
    r"|[（(][0-9０-９]{1,3}[)）]"  # （1）
    r"|[（(][一二三四五六七八九十]{1,3}[)）]"  # （一）
    rf"|[（(][{_KATAKANA}ｱ-ﾜ][)）]"  # （ア）
    rf"|[{_KATAKANA}ｱ-ﾜ][.．、)）]"  # ア.
    r"|[0-9０-９]{1,3}(?:[.．、)）](?![0-9０-９])|-[0-9０-９]{1,3}[.．、)）\s　]?)"  # 1. 1) 1-2
    r"|[0-9０-９]{1,3}(?=[ 　]+[^\s　0-9０-９])"  # 1　名前 (a number, then a space)
    r"|[a-zA-Zａ-ｚＡ-Ｚ][.．)）](?=\S)"  # a.
    r"|第[0-9０-９一二三四五六七八九十]{1,3}[章節項]"
    r"|[■□●○◎・◇◆▲△▼▽★☆]"  # bullets
    r")[\s　]*"
)
_TAG_RE = re.compile(r"[【\[［]\s*重点(?:取組事項|取組|事項)?\s*[】\]］]")


def enumerator_of(text: str) -> str:
    """The leading enumerator of ``text`` (① / （1） / ア. / 1.), or ""."""
    m = _ENUM_RE.match(text.strip())
    return m.group(0).strip() if m else ""


def strip_enumerator(text: str) -> str:
    """``text`` without its leading enumerator(s)."""
    t = text.strip()
    for _ in range(2):
        m = _ENUM_RE.match(t)
        if not m or m.end() >= len(t):
            break
        t = t[m.end():].strip()
    return t


def is_enumerator(text: str) -> bool:
    """True when the whole cell is an enumerator: ①, 1, (1), ア, 1-2, No.3."""
    t = norm(text)
    if not t:
        return False
    if re.fullmatch(r"(?:No\.?|NO\.?|№)?\d{1,4}(?:[-‐.]\d{1,3})*[.)]?", t):
        return True
    if re.fullmatch(rf"[{_CIRCLED}]", text.strip()):
        return True
    if re.fullmatch(r"[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）.]?", t):
        return True
    if re.fullmatch(rf"[(]?[{_KATAKANA}][).]?", t):
        return True
    return False


def is_katakana_item(text: str) -> bool:
    """A name written as ア. / イ） / （ウ） — a sub-item of the initiative above (松浦市's style)."""
    t = text.strip()
    return bool(re.match(rf"^(?:[{_KATAKANA}][.．、)）]|[（(][{_KATAKANA}][)）])", t))


def clean_name(text: str) -> str:
    """An initiative name as the plan stores it: no line breaks, no enumerator, no 重点 tag."""
    t = text.replace("\r", "").replace("\n", "")
    t = _TAG_RE.sub("", t).strip()
    t = strip_enumerator(t)
    t = _TAG_RE.sub("", t).strip()
    return t


# ------------------------------------------------------------------ headings

ROLES = ("name", "summary", "departments", "pillar", "no", "notes", "priority", "kpi", "status", "start", "end", "period",
         "ignore")

_EXACT = {
    "name": ("取組内容", "取組", "取り組み", "取組み", "取組事項", "取組項目", "施策", "施策名", "事業", "事業名", "項目",
             "施策・取組", "施策取組", "主な取組", "主な取り組み", "具体的な取組", "具体的取組", "取組名", "実施内容",
             "タスク", "task", "作業", "作業内容", "作業項目", "工程", "工程名", "タスク名", "名称", "内容・項目",
             "取組の内容", "主な事業", "個別施策", "施策の内容", "アクション", "手段"),
    "summary": ("概要", "内容", "説明", "取組概要", "事業概要", "施策概要", "目指す方向性", "方向性", "詳細", "取組の概要",
                "概要・目的", "目的"),
    "departments": ("関係部門", "担当課", "主な担当課", "所管課", "担当", "担当部署", "担当部局", "関係課", "主管課",
                    "関係課等", "担当部門", "所管", "所管部署", "実施主体", "担当者", "責任者", "担当課等", "推進体制",
                    "関係部署", "主担当"),
    "pillar": ("基本方針", "分野", "目線", "柱", "施策の柱", "基本目標", "重点分野", "方針", "区分", "カテゴリ",
               "大項目", "視点", "取組分野", "施策分野", "基本施策", "政策", "分類"),
    "no": ("no", "no.", "番号", "項番", "#", "通番", "№", "番"),
    "notes": ("備考", "特記事項", "メモ", "注記", "補足", "備考欄"),
    "priority": ("重点", "重点取組", "重点取組事項", "重点項目"),
    "kpi": ("kpi", "目標", "指標", "成果指標", "目標値", "kpi(目標)"),
    "status": ("状況", "進捗", "ステータス", "進捗状況", "status"),
    "period": ("実施時期", "実施期間", "実施年度", "取組期間", "スケジュール", "予定時期", "実施予定", "実施予定時期",
               "期間", "時期", "実施スケジュール", "取組時期"),
    "start": ("開始日", "開始", "開始予定", "開始予定日", "着手", "着手日", "start", "startdate", "予定開始日", "開始時期",
              "始予定", "予定開始", "開始予定月", "開始年月", "開始月", "着手時期", "着手予定", "着工日", "着工予定日",
              "startday", "開始日(予定)", "予定(開始)"),
    "end": ("終了日", "終了", "終了予定", "終了予定日", "完了", "完了予定", "完了日", "end", "enddate", "予定終了日",
            "終了時期", "期限", "終予定", "予定終了", "終了予定月", "終了年月", "終了月", "完了時期", "最終日", "締切",
            "endday", "終了日(予定)", "予定(終了)", "完了予定日"),
}
_EXACT_LOOKUP = {norm(w).lower(): role for role, words in _EXACT.items() for w in words}
_CONTAINS = (
    ("no", ("no.",)),
    ("priority", ("重点取組事項",)),
    ("departments", ("担当", "所管", "部門", "部署", "主管")),
    ("pillar", ("基本方針", "目線", "施策の柱", "基本目標")),
    ("notes", ("備考",)),
    ("kpi", ("kpi", "指標")),
    ("summary", ("概要",)),
    ("name", ("取組", "取り組", "施策", "事業", "項目", "タスク", "task")),
    ("summary", ("内容", "説明", "方向性")),
    ("pillar", ("分野",)),
)


def heading_role(text: str) -> str | None:
    """The role a column heading names (``name``, ``departments`` …), or ``None``."""
    t = norm(text).lower().strip(":：・")
    if not t or len(t) > 20:
        return None
    role = _EXACT_LOOKUP.get(t)
    if role:
        return role
    for role, words in _CONTAINS:
        if any(w in t for w in words):
            return role
    return None


def is_heading_word(text: str) -> str | None:
    """The role when ``text`` is exactly a heading word (タスク, 取組, 担当 …), else ``None``."""
    return _EXACT_LOOKUP.get(norm(text).lower().strip(":：・"))


# Keys of key/value rows in card layouts (概要 | text).
KEY_ROLES = {
    "概要": "summary", "内容": "summary", "取組概要": "summary", "事業概要": "summary", "目的": "summary",
    "担当": "departments", "担当課": "departments", "関係部門": "departments", "所管課": "departments",
    "主な担当課": "departments", "担当部署": "departments", "関係課": "departments", "所管": "departments",
    "目標": "kpi", "kpi": "kpi", "指標": "kpi", "成果指標": "kpi",
    "よくなる点": "notes", "効果": "notes", "期待される効果": "notes", "備考": "notes", "課題": "notes",
    "現状と課題": "notes", "現状": "notes", "重点取組事項": "priority",
}


def key_role(text: str) -> str | None:
    """The role of a card's key cell (概要 → summary, 担当 → departments, よくなる点 → notes)."""
    t = norm(text).lower().strip(":：")
    return KEY_ROLES.get(t)


# ------------------------------------------------------------------ text bars and marks

_ARROW_CHARS = "━─―—–-－ー=＝⇒→⟶➡▶►▷>＞≫»←⇐◀◁<＜≪«↔⟷⇔┅┄…‥・･.＿_~〜～┈━┃│|＋+"
_ARROW_SET = set(_ARROW_CHARS) | {" ", "\u3000"}
_END_ARROWS = set("→⇒⟶➡▶►▷>＞≫»")
_START_ARROWS = set("←⇐◀◁<＜≪«")
_MARKS = "◆◇★☆●◎▲△▼▽♦"


def is_arrow_text(text: str) -> bool:
    """A cell drawn as part of a bar: only line/arrow characters (━, →, ←─, ▶ …)."""
    t = text.strip()
    return bool(t) and all(ch in _ARROW_SET for ch in t) and any(ch not in " \u3000・･.…‥" for ch in t)


def ends_with_arrow(text: str) -> bool:
    t = text.strip()
    return bool(t) and t[-1] in _END_ARROWS


def starts_with_left_arrow(text: str) -> bool:
    t = text.strip()
    return bool(t) and t[0] in _START_ARROWS


_STRIP_CHARS = re.escape("".join(sorted(_ARROW_SET - set("・･"))))
_STRIP_LEFT = re.compile(rf"^[{_STRIP_CHARS}]+")
_STRIP_RIGHT = re.compile(rf"[{_STRIP_CHARS}]+$")


def strip_arrows(text: str) -> str:
    """The words of a text bar without its drawn line: ``←─検討─→`` → ``検討``."""
    t = text.strip()
    if t and (t[0] in _ARROW_SET or t[-1] in _ARROW_SET):
        t = _STRIP_RIGHT.sub("", _STRIP_LEFT.sub("", t))
    return t.strip()


def milestone_label(text: str) -> str | None:
    """For a milestone cell (◆開始, ★, ●稼働, 開始◆) the label ("" when none); ``None`` otherwise."""
    t = text.strip()
    if not t:
        return None
    if t[0] in _MARKS:
        return t[1:].strip(" \u3000:：")
    if t[-1] in _MARKS and len(t) <= 20:
        return t[:-1].strip(" \u3000:：")
    return None


_LEGEND_RE = re.compile(r"^[【\[［<＜(（■□◆]?凡例[】\]］>＞)）:：]?")


def is_legend(text: str) -> bool:
    """The 凡例 heading of a legend block."""
    return bool(_LEGEND_RE.match(norm(text)))


_NOTE_RE = re.compile(r"^(?:※|＊|\*|注[:：0-9０-９）)]|[（(]注[0-9０-９]*[)）]|注記|出典|資料[:：]|参考[:：]|備考[:：]|"
                      r"source[:：]|note[:：]|出所|引用)", re.IGNORECASE)


def is_note(text: str) -> bool:
    """A note, 出典 or ※ line under a table."""
    t = text.strip()
    return bool(_NOTE_RE.match(t)) or bool(_NOTE_RE.match(norm(t)))
