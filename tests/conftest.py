"""Test set-up shared by the whole suite: headless Qt and paths to the shared test material."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DXROADMAP_LANG", "en")
os.environ.setdefault("OPENPYXL_LXML", "False")  # as dxroadmap/__init__.py: test modules may import openpyxl first

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo (fixtures, seeds, real workbooks); skips when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED
