"""Errors for files that cannot be read or written as plans, with plain bilingual reasons."""

from __future__ import annotations

import os

__all__ = ["PlanReadError", "PlanWriteError", "message_language"]


def message_language() -> str:
    """``"ja"`` when the user's locale is Japanese, else ``"en"`` (for command-line messages)."""
    for var in ("DXROADMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


class _PlanFileError(Exception):
    def __init__(self, reason: str, en: str, ja: str | None = None) -> None:
        super().__init__(en)
        self.reason = reason
        self.en = en
        self.ja = ja or en

    def message(self, lang: str | None = None) -> str:
        """The reason in one or two sentences, in ``lang`` (default: the user's locale)."""
        return self.ja if (lang or message_language()) == "ja" else self.en


class PlanReadError(_PlanFileError):
    """A file that cannot be read as a plan.

    ``reason`` is a short code: ``missing``, ``unreadable``, ``not-json``, ``foreign``,
    ``newer-version``, ``invalid``, ``too-large``, ``legacy-xls``, ``not-a-workbook``,
    ``encrypted``, ``no-roadmap``, ``unsupported-format``, ``missing-dependency``.
    """


class PlanWriteError(_PlanFileError):
    """A plan that could not be saved; the previous file, if any, is untouched."""
