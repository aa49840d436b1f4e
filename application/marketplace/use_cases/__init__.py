"""Use cases of the marketplace module: create, process, list, show and cancel import jobs."""
