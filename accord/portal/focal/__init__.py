"""The focal point's wing: their organisation's items, progress updates, a calendar feed."""
