"""Colours, fonts and metrics of the timeline, in one place."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from dxroadmap.model import colors

ROW_HEIGHT = 28  # px per display row; the tree uses the same height
HEADER_LINE = 22  # px per header line (fiscal years, then quarters/months)
HEADER_HEIGHT = 2 * HEADER_LINE
BAR_PAD = 4  # px between a row's edge and its bars
EDGE_GRAB_PX = 6  # px from a bar end that resize it instead of moving it
MILESTONE_SIZE = 15  # px, diagonal of a milestone diamond

BACKGROUND = QColor("#FFFFFF")
OUTSIDE_PERIOD = QColor(120, 120, 120, 28)  # wash over months outside the plan period
FY_LINE = QColor("#7F8C9A")
QUARTER_LINE = QColor("#CBD2DA")
MONTH_LINE = QColor("#E8ECF0")
ROW_LINE = QColor("#E3E7EC")
TODAY = QColor("#D62728")
SELECTION_ROW = QColor(51, 133, 255, 40)
SELECTION_OUTLINE = QColor("#0B2E6B")
HOVER_OUTLINE = QColor(11, 46, 107, 150)
MILESTONE_FILL = QColor("#1F3864")
MILESTONE_TEXT = QColor("#1F2A3A")
OUTSIDE_TEXT = QColor("#1F2A3A")
HEADER_BG = QColor("#F2F4F7")
HEADER_TEXT = QColor("#1F2A3A")
HEADER_LINE_COLOR = QColor("#B8C0CA")

# One hue per pillar (cycled): (band colour, light row tint).
PILLAR_HUES = (
    (QColor("#D6E4F5"), QColor("#F4F8FD")),  # blue
    (QColor("#DCEFD9"), QColor("#F5FBF4")),  # green
    (QColor("#F9E3CF"), QColor("#FEF8F2")),  # orange
    (QColor("#E6DDF2"), QColor("#F9F6FC")),  # purple
    (QColor("#D5EEEE"), QColor("#F3FAFA")),  # teal
    (QColor("#F5DCE3"), QColor("#FDF5F7")),  # rose
)
PILLAR_TEXT = QColor("#17324D")


def ui_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    """The font for timeline text: a CJK-capable sans serif."""
    font = QFont()
    font.setFamilies(["Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI", "Meiryo", "Hiragino Sans", "sans-serif"])
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def text_color_on(color: QColor) -> QColor:
    """The label colour on a bar of ``color``: the one rule in :func:`dxroadmap.model.colors.text_color_on`."""
    return QColor(colors.text_color_on(color.name()))
