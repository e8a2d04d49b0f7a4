"""Modal dialogs (help)."""
