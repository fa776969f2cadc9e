"""Writing a plan back into an office's own roadmap workbook, in its own layout (``dxroadmap update``).

:func:`~dxroadmap.io.xlsx.update.writer.update_workbook` is the entry point; the package is
edited part by part (:mod:`.sheetxml`), the form is learned from the reader's findings
(:mod:`.layout`), bars are drawn in the form's encoding (:mod:`.paint`), card layouts are
written by :mod:`.cards` and the exact plan goes into the hidden data sheet (:mod:`.datasheet_xml`).
"""
