"""Where plan files live on disk: atomic saving, lock files, crash recovery and change fingerprints."""
