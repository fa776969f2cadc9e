"""Column and row geometry: Excel's column pixel widths and EMU positions turned into fractional indexes."""

from __future__ import annotations

from dxroadmap.io.xlsx.drawing.geometry import EMU_PER_PX, EmuAxis, calibrated_digit_width, column_pixels


def test_excel_column_pixels():
    assert column_pixels(9.140625, 7) == 64   # Calibri 11's default column (8.43 characters + padding, as stored)
    assert column_pixels(13, 7) == 91
    assert column_pixels(8.43, 8) == 67
    assert column_pixels(0, 7) == 0
    assert column_pixels(-3, 7) == 0


def test_emu_axis_fractions_skip_hidden_columns():
    axis = EmuAxis(10 * EMU_PER_PX, {1: 0, 2: 20 * EMU_PER_PX}, limit=100)
    assert axis.start(3) == 30 * EMU_PER_PX                 # column 1 is hidden (size 0), column 2 is 20 px
    assert axis.frac(5 * EMU_PER_PX) == 0.5
    assert axis.frac(20 * EMU_PER_PX) == 2.5
    assert axis.frac(-1) == 0.0
    assert axis.emu(2, 7) == 10 * EMU_PER_PX + 7


def test_calibration_prefers_the_digit_width_that_matches_absolute_positions():
    class Layout:
        def columns(self, mdw):
            return EmuAxis(column_pixels(8.43, mdw) * EMU_PER_PX, {}, limit=100)

    at_8 = column_pixels(8.43, 8) * EMU_PER_PX
    pairs = [(c, 0, c * at_8) for c in (1, 3, 6, 9)]
    assert calibrated_digit_width(Layout(), pairs, fallback=7) == 8
    assert calibrated_digit_width(Layout(), [], fallback=7) == 7
