"""dxroadmap: a desktop roadmap editor for Japanese local governments' DX推進計画."""

import os as _os

__version__ = "0.1.0"

# python-pptx brings lxml, and openpyxl switches to lxml when it finds it: its XML parsing then
# bypasses defusedxml and its workbooks' XML changes form (<dc:creator xmlns:dc=…>). Keep openpyxl
# as it was without lxml (et_xmlfile + defusedxml). Must run before openpyxl is first imported.
_os.environ.setdefault("OPENPYXL_LXML", "False")
