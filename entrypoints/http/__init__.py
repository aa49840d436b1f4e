"""HTTP entry point (FastAPI)."""
