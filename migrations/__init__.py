"""Alembic environment: one history per module under versions/<module>/."""
