"""Drafting: agreement sources become immutable versions, their documents and redlines."""
