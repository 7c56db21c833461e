"""Validation of task files and of the registry, as located diagnostics."""
