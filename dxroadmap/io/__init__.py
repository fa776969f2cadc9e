"""File formats: plan JSON, Excel import and export, and the safe-save machinery (no Qt)."""
