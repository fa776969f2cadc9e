"""Reading the words in roadmap cells: names, departments, arrows, marks and notes.

Pure text rules shared by the importer's layouts: clean initiative names (line breaks,
leading enumerators ①/（1）/ア., the 【重点取組事項】 tag), split department cells, tell
text-drawn bars (━ → ←─→) and milestone marks (◆ ★ ● ◎) from labels, and spot legends,
notes and 出典 lines. Column headings are in :mod:`.headings`, dates in :mod:`.dates`.
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
    "is_arrow_text",
    "strip_arrows",
    "milestone_label",
    "is_legend",
    "is_note",
    "is_katakana_item",
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
