"""Department lists (関係部門 / 担当課) as offices write them in one cell or field.

One home for splitting "総務課、企画課" / "総務課／企画課" / one per line into names and
joining them back, used by the workbook readers, the tree and the inspector.

Separators: 、 ､ , ， / ／ ; ； and line breaks. A space (half or full width) separates
only after a complete office name ending in 課, 係, 室 or 班 ("総務課　企画課"); after a
部 or 局 it is part of one name ("企画部 企画課"). ・ is never a separator: it joins
words inside a name ("保険・年金課", "標準化・共通化対象システム所管課"). A lone dash
("-", "－", "―"…) means "none" and is dropped.
"""

from __future__ import annotations

import re

__all__ = ["split_departments", "join_departments"]

_SEPARATORS = re.compile(r"[、､,，/／;；\r\n\u2028\u2029]+|(?<=[課係室班])[ \t\u3000]+")
_NONE = frozenset({"-", "－", "―", "—", "‐", "ー"})


def split_departments(text: str | None) -> list[str]:
    """``"総務課、企画課"`` → ``["総務課", "企画課"]`` (see the module docstring for the separators)."""
    if not text:
        return []
    parts = (part.strip() for part in _SEPARATORS.split(text))
    return [part for part in parts if part and part not in _NONE]


def join_departments(departments: list[str]) -> str:
    """``["総務課", "企画課"]`` → ``"総務課、企画課"`` (how the tree and the workbooks show them)."""
    return "、".join(departments)
