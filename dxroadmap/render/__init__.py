"""Roadmap sheets drawn with QPainter: page setup, pure layout, painting and PDF/PNG/SVG export.

No widgets here (only QtGui/QtCore/QtSvg/QtPrintSupport): the editor's print preview
and the command-line converter both draw through these modules.
"""
