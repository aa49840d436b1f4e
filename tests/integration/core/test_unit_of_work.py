from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import attrs
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select, text
from sqlalchemy.orm import registry

from adapters.sql.engine import build_engine, session_factory, writer
from adapters.sql.uow import SqlUnitOfWork
from domain.shared.events import DomainEvent, RecordsEvents

test_metadata = MetaData()
counters = Table(
    "test_counters",
    test_metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False),
    Column("value", Integer, nullable=False),
)


@attrs.frozen(kw_only=True)
class Incremented(DomainEvent):
    name: str
    value: int


@attrs.define(slots=False, eq=False)
class Counter(RecordsEvents):
    name: str
    value: int = 0
    id: int | None = None

    def increment(self, now: datetime) -> None:
        self.value += 1
        self.record(Incremented(occurred_at=now, name=self.name, value=self.value))


registry().map_imperatively(Counter, counters)
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


@pytest.fixture
def sessions(empty_database_url: str) -> Iterator[object]:
    engine = build_engine(empty_database_url)
    test_metadata.create_all(engine)
    yield session_factory(writer(engine))
    engine.dispose()


def count(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(text("SELECT count(*) FROM test_counters"))


def test_commit_persists_and_hands_events_to_the_sink_after_commit(sessions) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[list[DomainEvent], int]] = []
    uow = SqlUnitOfWork(sessions, event_sink=lambda events: seen.append((events, count(sessions))))
    with uow:
        counter = Counter(name="orders")
        uow.session.add(counter)
        counter.increment(NOW)
        counter.increment(NOW)
        uow.commit()
    assert count(sessions) == 1
    [(events, rows_when_delivered)] = seen
    assert [(e.name, e.value) for e in events] == [("orders", 1), ("orders", 2)]
    assert rows_when_delivered == 1  # delivered only once the change is visible to others


def test_leaving_without_commit_rolls_back_and_delivers_nothing(sessions) -> None:  # type: ignore[no-untyped-def]
    delivered: list[object] = []
    uow = SqlUnitOfWork(sessions, event_sink=delivered.append)
    with uow:
        counter = Counter(name="forgotten")
        uow.session.add(counter)
        counter.increment(NOW)
        uow.session.flush()
    assert count(sessions) == 0
    assert delivered == []


def test_an_exception_rolls_back(sessions) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(sessions)
    with pytest.raises(RuntimeError), uow:
        uow.session.add(Counter(name="boom"))
        uow.session.flush()
        raise RuntimeError("use case failed")
    assert count(sessions) == 0


def test_events_of_loaded_aggregates_are_collected(sessions) -> None:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(sessions) as uow:
        uow.session.add(Counter(name="stock", value=5))
        uow.commit()
    delivered: list[list[DomainEvent]] = []
    uow = SqlUnitOfWork(sessions, event_sink=delivered.append)
    with uow:
        counter = uow.session.scalars(select(Counter)).one()  # loaded: __init__ was not called
        counter.increment(NOW)
        uow.commit()
    assert [[(e.name, e.value) for e in batch] for batch in delivered] == [[("stock", 6)]]


def test_a_unit_of_work_can_be_used_again(sessions) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(sessions)
    for name in ("a", "b"):
        with uow:
            uow.session.add(Counter(name=name))
            uow.commit()
    assert count(sessions) == 2


def test_sqlite_connections_are_tuned(empty_database_url: str) -> None:
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    engine = build_engine(empty_database_url)
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10_000
    engine.dispose()
    migrating = build_engine(empty_database_url, foreign_keys=False)
    with migrating.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    migrating.dispose()


def test_utc_timestamps_round_trip_as_aware(container) -> None:  # type: ignore[no-untyped-def]
    from adapters.sql.plumbing import leases

    local = datetime(2026, 3, 29, 3, 30, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Luxembourg"))
    with container.engine.begin() as connection:
        connection.execute(leases.insert().values(name="x", holder="me", expires_at=local))
        stored = connection.execute(select(leases.c.expires_at)).scalar_one()
    assert stored == local and stored.tzinfo == UTC
    with pytest.raises(Exception, match="naive datetime"), container.engine.begin() as connection:
        connection.execute(leases.insert().values(name="y", holder="me", expires_at=datetime(2026, 1, 1)))
