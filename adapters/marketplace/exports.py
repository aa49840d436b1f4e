"""Feed exports on local disk (MARKETPLACE_EXPORT_DIR) and the streaming read of a platform's
staged listings they are written from.

A file is written to a hidden temporary file in its own folder, flushed and fsynced, then
renamed over the old one (``os.replace`` is atomic on one file system): a download sees the
previous file or the new one, never half of one, and a failed export leaves the previous file."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from adapters.marketplace.orm import import_jobs, products
from domain.marketplace.feed import ExportRow

# Folder and file names: letters, digits, dot, dash, underscore; never hidden (temp files are).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
_YIELD_PER = 1000


def _plain(name: str) -> bool:
    return bool(_PLAIN.fullmatch(name)) and ".." not in name


class LocalExportFiles:
    def __init__(self, export_dir: str | Path) -> None:
        self.root = Path(export_dir)

    def _target(self, folder: str, name: str) -> Path:
        if not (_plain(folder) and _plain(name)):
            raise ValueError(f"bad export file name {folder!r}/{name!r}")
        return self.root / folder / name

    @contextmanager
    def open_atomic(self, folder: str, name: str) -> Iterator[TextIO]:
        target = self._target(folder, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def path(self, folder: str, name: str) -> Path | None:
        if not (_plain(folder) and _plain(name)):
            return None
        target = self._target(folder, name)
        root = self.root.resolve()
        resolved = target.resolve()
        if resolved.parent.parent != root or not resolved.is_file():
            return None
        return resolved


_COLUMNS = (
    "external_id", "title", "description", "link", "image_link", "additional_image_links", "availability",
    "price_cents", "sale_price_cents", "currency", "brand", "gtin", "mpn", "condition", "category", "product_type",
    "item_group_id",
)  # fmt: skip


class SqlPlatformListings:
    """Reads staged listings with SQLAlchemy Core, ``yield_per`` rows at a time, in a read session
    held open while the caller iterates. A listing belongs to the platform of the import job that
    last wrote it (vendor and platform ids are kept without foreign keys)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def stream(self, platform_id: int, language: str) -> Iterator[ExportRow]:
        query: Any = (
            select(*(products.c[name] for name in _COLUMNS))
            .select_from(products.join(import_jobs, import_jobs.c.id == products.c.import_job_id))
            .where(import_jobs.c.platform_id == platform_id, products.c.language == language)
            .order_by(products.c.vendor_id, products.c.external_id)
            .execution_options(yield_per=_YIELD_PER)
        )
        with self._sessions() as session:
            yield from session.execute(query)  # Rows carry the ExportRow fields as attributes
