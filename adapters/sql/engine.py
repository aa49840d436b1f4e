"""Engines and sessions for the two supported databases: SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
# With background checkpoints (WalCheckpointer): how often it runs, and the WAL size (in pages
# of 4 KiB: about 400 MB) at which a committing connection still checkpoints itself, should the
# thread fall behind. Measured on a first feed import: at 10,000 pages the writers checkpoint
# themselves often enough to lose the gain.
CHECKPOINT_INTERVAL_SECONDS = 0.5
CHECKPOINT_FALLBACK_PAGES = 100_000
WAL_SIZE_LIMIT_BYTES = 64 * 2**20  # the WAL file is truncated back to this after a burst

log = logging.getLogger(__name__)
_checkpointers: weakref.WeakKeyDictionary[Engine, WalCheckpointer] = weakref.WeakKeyDictionary()


def build_engine(url: str, *, echo: bool = False, foreign_keys: bool = True,
                 background_checkpoints: bool = False) -> Engine:
    """Create an engine. For SQLite: WAL journal, ``synchronous=NORMAL``, a busy timeout, and
    foreign keys on (off for migrations, which rebuild tables in batch mode); with
    ``background_checkpoints`` (the product's own engine) a database file's WAL is checkpointed
    by a thread of its own (``WalCheckpointer``) until ``dispose``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = _file_path(parsed.database)
        checkpointed = path if background_checkpoints else None
        engine = _sqlite_engine(parsed, path, echo=echo, foreign_keys=foreign_keys,
                                fallback_pages=CHECKPOINT_FALLBACK_PAGES if checkpointed else None)
        if checkpointed:
            checkpointer = _checkpointers[engine] = WalCheckpointer(checkpointed, CHECKPOINT_INTERVAL_SECONDS)
            weakref.finalize(engine, checkpointer.stop)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, echo=echo, pool_pre_ping=True, future=True)


def dispose(engine: Engine) -> None:
    """Stop the engine's checkpointer, if it has one, and close its connections."""
    checkpointer = _checkpointers.pop(engine, None)
    if checkpointer is not None:
        checkpointer.stop()
    engine.dispose()


def _file_path(database: str | None) -> str | None:
    """The file of a SQLite database given by path (not in memory, not a ``file:`` URI)."""
    return database if database and database != ":memory:" and not database.startswith("file:") else None


class WalCheckpointer:
    """Checkpoints a SQLite database's WAL every ``interval`` seconds from a thread of its own.

    Left to itself, SQLite checkpoints inside a commit once the WAL holds ``wal_autocheckpoint``
    pages: the committing writer copies them into the database file and syncs it while it waits
    (a tenth of a first feed import's time, measured). A PASSIVE checkpoint neither waits for nor
    blocks readers and writers, and runs in C without the GIL, so here the copying overlaps
    with the writer's own work. The writers' connections keep a higher ``wal_autocheckpoint``
    as a fallback, should this thread fall behind or stop."""

    def __init__(self, path: str, interval: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(path, interval), name="sqlite-wal-checkpoint",
                                        daemon=True)
        self._thread.start()

    def _run(self, path: str, interval: float) -> None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # the writers' own checkpoints still bound the WAL
                    log.warning("background WAL checkpoint failed: %s", exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join()


def _sqlite_engine(parsed: URL, path: str | None, *, echo: bool, foreign_keys: bool,
                   fallback_pages: int | None) -> Engine:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        if fallback_pages is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={fallback_pages}")
            cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writing unit of work takes the write lock up front: a deferred transaction that reads
        # and then writes can fail at once with SQLITE_BUSY instead of waiting its turn.
        mode = "IMMEDIATE" if connection.get_execution_options().get("sqlite_immediate") else ""
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def writer(engine: Engine) -> Engine:
    """The engine as a unit of work uses it: on SQLite, transactions start with BEGIN IMMEDIATE."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_immediate=True)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
