"""Use cases of the core module, one per file."""
