"""DrawingML: autoshapes, connectors and text boxes placed on the cell grid."""
