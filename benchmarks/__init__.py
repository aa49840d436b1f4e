"""Performance scripts: run them, read the figures they print. Not tests."""
