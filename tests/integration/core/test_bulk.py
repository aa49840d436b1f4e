"""Values the bulk helpers hand to the driver are stored as SQLAlchemy itself would store them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    bindparam,
    cast,
    select,
)

from adapters.sql import bulk
from adapters.sql.types import UtcDateTime

MOMENTS = [datetime(2026, 11, 22, 12, 0, tzinfo=UTC),  # a whole second: SQLite's driver would drop ".000000"
           datetime(2026, 11, 22, 12, 0, 1, 250, tzinfo=UTC)]


@given(st.one_of(st.dictionaries(st.text(), st.text(), max_size=3), st.lists(st.text(), max_size=3),
                 st.dictionaries(st.text(), st.integers(), min_size=1, max_size=2)))
def test_json_text_writes_what_json_dumps_writes(value: object) -> None:
    assert bulk.json_text(value) == json.dumps(value)
    assert json.loads(bulk.json_text(value)) == value


@pytest.fixture
def stamps(container) -> Iterator[Table]:  # type: ignore[no-untyped-def]
    table = Table("core_bulk_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("updated_at", UtcDateTime(), nullable=False), Column("note", Text, nullable=True))
    table.create(container.engine)
    yield table
    table.drop(container.engine)


def test_timestamps_are_stored_and_read_back_as_sqlalchemy_binds_them(container, stamps: Table) -> None:  # type: ignore[no-untyped-def]
    with container.engine.begin() as connection:
        rows = bulk.from_dicts(connection, stamps, ["updated_at"], [{"updated_at": m} for m in MOMENTS])
        ids = bulk.insert(connection, stamps, ["updated_at"], rows, with_ids=True)
        bulk.insert(connection, stamps, ["updated_at", "note"],
                    [(bulk.stamp(stamps, connection, m), "stamped") for m in MOMENTS])
        assert ids == [1, 2]
        # Compared by the database with values SQLAlchemy binds itself: the same instants.
        for moment in MOMENTS:
            theirs = bindparam("at", moment, type_=stamps.c.updated_at.type)
            assert connection.scalar(select(stamps.c.id).where(stamps.c.updated_at == theirs)
                                     .where(stamps.c.note.is_(None))) == MOMENTS.index(moment) + 1
        later = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
        bulk.update(connection, stamps, ["updated_at"], [(bulk.stamp(stamps, connection, later), 1)], where=["id"])
        read = connection.execute(select(stamps.c.id, stamps.c.updated_at).order_by(stamps.c.id)).all()
        stored_text = connection.scalar(select(cast(stamps.c.updated_at, Text)).where(stamps.c.id == 2))
        expected_text = connection.scalar(select(cast(bindparam("m", MOMENTS[1], type_=stamps.c.updated_at.type),
                                                      Text)))
    assert [at for _, at in read] == [later, MOMENTS[1], *MOMENTS]
    if container.engine.dialect.name == "sqlite":  # text columns there: the very text SQLAlchemy writes
        assert stored_text == expected_text


def test_converted_rows_are_converted_as_insert_reads_them_once(container, stamps: Table) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def convert(number: int) -> tuple[object, ...]:
        seen.append(number)
        return (bulk.stamp(stamps, connection, MOMENTS[0]), f"row {number}")

    with container.engine.begin() as connection:
        rows = bulk.Converted([1, 2, 3], convert)
        assert len(rows) == 3 and seen == []  # counted without converting
        ids = bulk.insert(connection, stamps, ["updated_at", "note"], rows, with_ids=True)
        notes = connection.execute(select(stamps.c.id, stamps.c.note).order_by(stamps.c.id)).all()
    assert seen == [1, 2, 3]  # each once, in order
    assert [tuple(n) for n in notes] == [(ids[0], "row 1"), (ids[1], "row 2"), (ids[2], "row 3")]


@pytest.mark.parametrize("with_numeric", [False, True], ids=["binary copy", "text copy"])
def test_values_of_each_column_type_round_trip(container, with_numeric: bool) -> None:  # type: ignore[no-untyped-def]
    """The feed tables' column types (PostgreSQL: binary COPY), and a type with no binary form
    here (Numeric: the whole COPY falls back to text)."""
    columns = [Column("id", Integer, primary_key=True), Column("big", BigInteger), Column("flag", Boolean),
               Column("code", String(10)), Column("body", Text), Column("doc", JSON)]
    if with_numeric:
        columns.append(Column("amount", Numeric(10, 2)))
    table = Table("core_bulk_types", MetaData(), *columns)
    table.create(container.engine)
    try:
        rows = [{"big": 2**40, "flag": True, "code": "é\tb", "body": "line\nnext\\", "doc": {"fr": "Été \"x\""},
                 "amount": Decimal("19.99")},
                {"big": None, "flag": None, "code": None, "body": None, "doc": ["a", "b"], "amount": None}]
        names = [c.name for c in columns if c.name != "id"]
        with container.engine.begin() as connection:
            ids = bulk.insert(connection, table, names, bulk.from_dicts(connection, table, names, rows), with_ids=True)
            read = connection.execute(select(table).order_by(table.c.id)).all()
    finally:
        table.drop(container.engine)
    assert [r.id for r in read] == ids
    assert [{name: getattr(got, name) for name in names} for got in read] == [
        {name: row[name] for name in names} for row in rows]
