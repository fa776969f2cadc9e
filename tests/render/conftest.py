"""Render tests share pytest-qt's QApplication (a QGuiApplication would break widget tests)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from .plans import matsumae


@pytest.fixture(autouse=True)
def _gui_app(qapp):
    return qapp


@pytest.fixture
def matsumae_plan():
    return matsumae()


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text in drawing order (``pdftotext -raw``), one page or all."""
    args = [poppler("pdftotext"), "-raw", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def squash(text: str) -> str:
    """Text without white space, so names wrapped over several lines in a cell still match."""
    return "".join(text.split())


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, check=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
