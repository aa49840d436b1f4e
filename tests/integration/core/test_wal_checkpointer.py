"""SQLite's WAL checkpointed by a thread of its own (adapters.sql.engine.WalCheckpointer): the
committing writer no longer copies the WAL into the database file itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.sql.engine import build_engine, dispose

ROWS = 600  # about 2.5 MB of WAL: under SQLite's own 1,000-page autocheckpoint, so it never runs


def write(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
        connection.execute(text("INSERT INTO probe (body) VALUES (:body)"), [{"body": "x" * 4000}] * ROWS)


def checkpointers() -> int:
    return sum(thread.name == "sqlite-wal-checkpoint" for thread in threading.enumerate())


def test_the_wal_is_copied_into_the_database_file_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "bg.db"
    before = checkpointers()
    engine = build_engine(f"sqlite:///{path}", background_checkpoints=True)
    assert checkpointers() == before + 1
    write(engine)
    deadline = time.monotonic() + 10
    while path.stat().st_size < ROWS * 4000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.stat().st_size >= ROWS * 4000  # the rows' pages are in the database file now
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA wal_autocheckpoint")) == 100_000  # the writers' fallback
        assert connection.scalar(text("SELECT count(*) FROM probe")) == ROWS
    dispose(engine)
    assert checkpointers() == before  # stopped with the engine


def test_without_it_the_pages_wait_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    engine = build_engine(f"sqlite:///{path}")
    write(engine)
    time.sleep(1.0)  # two of the checkpointer's intervals
    assert path.stat().st_size < ROWS * 4000 < Path(f"{path}-wal").stat().st_size
    dispose(engine)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_database_in_memory_has_no_checkpointer(url: str) -> None:
    before = checkpointers()
    engine = build_engine(url, background_checkpoints=True)
    assert checkpointers() == before
    dispose(engine)
