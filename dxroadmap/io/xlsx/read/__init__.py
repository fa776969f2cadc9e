"""Reading office roadmaps: the grid adapter, words, dates, time axis, headings, marks, tables, cards, workbook."""
