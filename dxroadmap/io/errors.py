"""Errors for files that cannot be read or written as plans: a reason code, its params and plain bilingual sentences.

The UI and the command line word an error from the catalogue (``error.read.<reason>`` /
``error.write.<reason>`` in :mod:`dxroadmap.ui.strings`) when ``params`` hold what its
sentence needs; otherwise they show the error's own sentence (``message(lang)``).
"""

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
    def __init__(self, reason: str, en: str, ja: str | None = None, params: dict | None = None) -> None:
        super().__init__(en)
        self.reason = reason
        self.en = en
        self.ja = ja or en
        self.params: dict = dict(params or {})

    def message(self, lang: str | None = None) -> str:
        """The reason in one or two sentences, in ``lang`` (default: the user's locale)."""
        return self.ja if (lang or message_language()) == "ja" else self.en


class PlanReadError(_PlanFileError):
    """A file that cannot be read as a plan.

    ``reason`` is a short code: ``missing``, ``unreadable``, ``not-json``, ``foreign``,
    ``newer-version``, ``invalid``, ``too-large``, ``legacy-xls``, ``not-a-workbook``,
    ``encrypted``, ``no-roadmap``, ``unsupported-format``, ``missing-dependency``, ``unsupported``.
    """


class PlanWriteError(_PlanFileError):
    """A plan that could not be saved; the previous file, if any, is untouched.

    ``reason`` is a short code: ``unwritable``, ``too-large``, ``write-failed``,
    ``recovery-failed``, ``lock-failed``, ``too-long``, ``too-wide``.
    """
