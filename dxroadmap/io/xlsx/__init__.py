"""Excel workbooks: the package layer, drawings, the reader, the hidden data sheet and the exporter."""
