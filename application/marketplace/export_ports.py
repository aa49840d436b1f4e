"""Ports of the marketplace exports: where export files are written atomically and found again
for download, and a streaming read of a platform's staged listings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, TextIO

from domain.marketplace.feed import ExportRow


class ExportFiles(Protocol):
    """Export files under MARKETPLACE_EXPORT_DIR, one folder per vendor or platform."""

    def open_atomic(self, folder: str, name: str) -> AbstractContextManager[TextIO]:
        """A text stream whose content replaces ``folder/name`` only when the block ends without
        an error; on an error the previous file (if any) is left as it was, with no temp file."""
        ...

    def path(self, folder: str, name: str) -> Path | None:
        """The finished file, or None when it does not exist (yet) or the name is not a plain one."""
        ...


class PlatformListings(Protocol):
    """Every vendor's staged marketplace listings on one platform."""

    def stream(self, platform_id: int, language: str) -> Iterator[ExportRow]:
        """The listings in ``language``, ordered by vendor then id, streamed in flat memory."""
        ...
