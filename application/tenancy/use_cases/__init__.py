"""Use cases of the tenancy module, one per file."""
