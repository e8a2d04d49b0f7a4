"""Widgets: unit views, the walkthrough panels, question panels, the key bar."""
