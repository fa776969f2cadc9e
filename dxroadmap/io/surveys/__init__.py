"""Department surveys (各課照会): a workbook per department out, their answers merged back.

:mod:`.layout` says what a survey holds (no openpyxl), :mod:`.write` writes the workbooks,
:mod:`.read` reads a returned one robustly, and :mod:`.merge_back` turns the answers into
changes against the plan as sent and merges them (three-way) into the master.
"""
