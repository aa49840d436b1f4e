"""One Typer sub-app per bounded context, found from the module registry."""
