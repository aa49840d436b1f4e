"""The CLI's process-wide container, built on first use so ``--help`` needs no config."""

from __future__ import annotations

import os
import sys

from rich.console import Console

from entrypoints.bootstrap import Container, bootstrap, tune_garbage_collector

# Piped output (scripts, CI logs) gets wide tables instead of Rich's 80-column default.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "200"))
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)
_container: Container | None = None


def container() -> Container:
    global _container
    if _container is None:
        tune_garbage_collector()
        _container = bootstrap()
    return _container


def use_container(value: Container | None) -> None:
    """Replace the process container (tests, embedded mode)."""
    global _container
    _container = value
