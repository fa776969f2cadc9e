"""Dialogs of the editor that stand on their own (one module each)."""
