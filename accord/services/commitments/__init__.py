"""Commitments in force: tracked items, focal points' progress, reminders, reports, the term."""
