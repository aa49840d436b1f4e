"""Dramatiq behind the TaskQueue port."""
