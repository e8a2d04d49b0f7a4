"""Screens: the lesson menu and the lesson."""
