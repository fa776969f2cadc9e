"""UI test set-up: collect garbage after each test so a Qt ownership bug fails the test that caused it."""

import gc

import pyqtgraph as pg
import pytest

# pyqtgraph drops mouse moves closer than 10 ms apart by default; real drags in tests need them all.
pg.setConfigOptions(mouseRateLimit=-1)


@pytest.fixture(autouse=True)
def _collect_garbage_while_qt_lives(qapp):
    yield
    gc.collect()
