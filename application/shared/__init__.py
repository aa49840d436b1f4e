"""Shared application plumbing: module system, config, ports."""
