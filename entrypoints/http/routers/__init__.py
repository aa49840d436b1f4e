"""One router module per bounded context, found from the module registry."""
