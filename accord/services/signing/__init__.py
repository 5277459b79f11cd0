"""Sign-off: only a version every signatory approved, signed exactly as approved."""
