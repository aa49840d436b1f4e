"""Command line entry point (Typer): `wizamart <module> <verb>` and platform commands."""
