"""XML namespaces and relationship types of the .xlsx package (SpreadsheetML, DrawingML, OPC).

One place for the URIs every part reader compares tags and relationship types against.
"""

from __future__ import annotations

__all__ = [
    "NS_MAIN", "NS_REL", "NS_PKG_REL", "NS_CT", "REL_OFFICE_DOC", "REL_WORKSHEET",
    "NS_XDR", "NS_A", "NS_MC", "NS_A14", "NS_A16", "REL_DRAWING", "REL_THEME", "REL_STYLES",
]

# SpreadsheetML and the package (OPC)
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_OFFICE_DOC = NS_REL + "/officeDocument"
REL_WORKSHEET = NS_REL + "/worksheet"

# DrawingML
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
NS_A16 = "http://schemas.microsoft.com/office/drawing/2014/main"

# Relationship type suffixes (matched with str.endswith: transitional and strict URIs alike)
REL_DRAWING = "/drawing"
REL_THEME = "/theme"
REL_STYLES = "/styles"
