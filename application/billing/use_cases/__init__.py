"""Use cases of the billing module, one per file."""
