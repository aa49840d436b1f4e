"""The CLI's process-wide container, built on first use so ``--help`` needs no config."""

from __future__ import annotations

from rich.console import Console

from entrypoints.bootstrap import Container, bootstrap

console = Console()
err_console = Console(stderr=True)
_container: Container | None = None


def container() -> Container:
    global _container
    if _container is None:
        _container = bootstrap()
    return _container


def use_container(value: Container | None) -> None:
    """Replace the process container (tests, embedded mode)."""
    global _container
    _container = value
