"""The workbook as a zip package: preflight checks, parts and relationships, namespaces, colours (never openpyxl)."""
