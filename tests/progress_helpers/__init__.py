"""Helpers for the progress store tests (run as separate processes)."""
