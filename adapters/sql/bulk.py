"""Driver-level bulk statements for the feed import's hot path (ADR 0011).

A feed import writes each row twice (a listing, a catalog product) and must reach 25,000 rows/s;
SQLAlchemy's per-row parameter processing (bind processors, expanding IN lists, multi-row VALUES
compiled per batch) cost more than the database itself. These helpers hand plain tuples to the
driver on statements written from the table's own column names: ``COPY`` on PostgreSQL,
``executemany`` on SQLite. Values must already be in the driver's form: JSON as text
(``json_text``), timestamps through ``stamp``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import JSON, Connection, DateTime, Table

__all__ = ["Converted", "Rows", "bind_processor", "from_dicts", "insert", "json_text", "select_among", "stamp", "update"]

T = TypeVar("T")


class Rows(Sized, Iterable[Sequence[Any]], Protocol):
    """Rows to write: counted, then read once."""


_escape = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]  # the C escaper json.dumps uses


def json_text(value: Any) -> str:
    """What ``json.dumps`` (SQLAlchemy's JSON serializer) writes, several times faster for what
    products hold: a dict of strings or a list of strings."""
    try:
        if type(value) is dict:
            if len(value) == 1:  # a product's texts and hashes in the one language of its feed
                [(key, text)] = value.items()
                return "{" + _escape(key) + ": " + _escape(text) + "}"
            return "{" + ", ".join([_escape(key) + ": " + _escape(text) for key, text in value.items()]) + "}"
        if type(value) in (list, tuple):
            return "[" + ", ".join(map(_escape, value)) + "]"
    except TypeError:  # not all strings
        pass
    return json.dumps(value)


def stamp(table: Table, connection: Connection, moment: datetime) -> Any:
    """A timestamp as the driver takes it for ``table``'s ``updated_at`` column type."""
    convert = _driver_form(table.c.updated_at.type, connection.dialect)
    return moment if convert is None else convert(moment)


def _driver_form(kind: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """What turns a value of type ``kind`` into the driver's form: its bind processor, then on
    PostgreSQL a timestamp into ISO 8601 text. psycopg formats a datetime for ``COPY`` in
    about 1 µs and a string in a twentieth of that; a batch's rows all carry the same stamps,
    converted once, so a feed row's two stamps cost 2 µs less. The text goes as psycopg's
    untyped string, which PostgreSQL reads as the column's type, in ``COPY`` and as a parameter."""
    processor = bind_processor(kind, dialect)
    if dialect.name != "postgresql" or not _is_timestamp(kind):
        return processor
    if processor is None:
        return _iso
    return lambda value: _iso(processor(value))


def _is_timestamp(kind: Any) -> bool:
    return isinstance(getattr(kind, "impl_instance", kind), DateTime)  # a TypeDecorator's, or itself


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def bind_processor(kind: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The bind processor SQLAlchemy itself applies: the dialect's own implementation of the type
    (a UTC timestamp on SQLite is formatted as text by SQLite's DATETIME, not by the driver)."""
    return kind.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]


class Converted(Generic[T]):
    """``rows`` in the driver's form, converted by ``convert`` one by one as they are read, once.
    ``insert`` streams them: on PostgreSQL the server parses and indexes a batch's first rows
    while the next ones are still being converted (converting the whole batch first, then
    sending it, left the client waiting at the end of each ``COPY`` for the server to catch up)."""

    def __init__(self, rows: Sequence[T], convert: Callable[[T], tuple[Any, ...]]) -> None:
        self._rows, self._convert = rows, convert

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return map(self._convert, self._rows)


def from_dicts(connection: Connection, table: Table, columns: Sequence[str],
               rows: Sequence[dict[str, Any]]) -> Converted[dict[str, Any]]:
    """The values of ``columns`` of each row, in the driver's form: JSON columns as text, other
    typed columns (timestamps) through their own bind processors, once per distinct value."""
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for position, name in enumerate(columns):
        kind = table.c[name].type
        if isinstance(kind, JSON):
            converters.append((position, json_text))
        elif (convert := _driver_form(kind, connection.dialect)) is not None:
            converters.append((position, functools.cache(convert)))
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda row, name=columns[0]: (row[name],))

    def converted(row: dict[str, Any]) -> tuple[Any, ...]:
        values = list(pick(row))
        for position, convert in converters:
            values[position] = convert(values[position])
        return tuple(values)

    return Converted(rows, converted)


def _marker(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _names(connection: Connection, columns: Sequence[str]) -> str:
    return ", ".join(connection.dialect.identifier_preparer.quote(name) for name in columns)


def insert(connection: Connection, table: Table, columns: Sequence[str], rows: Rows, *,
           with_ids: bool = False) -> list[int]:
    """Insert ``rows`` (values in ``columns`` order, read once: a ``Converted`` streams); with
    ``with_ids`` the new rows' ids, in order.

    PostgreSQL: ids drawn from the table's sequence in one query, then ``COPY``. SQLite: one
    ``executemany``; while a transaction holds the write lock, SQLite gives each new row of a
    table without AUTOINCREMENT the largest rowid plus one, so a batch's ids are consecutive and
    end at ``last_insert_rowid()`` (checked: the range holds exactly the rows inserted).
    """
    if not rows:
        return []
    ids: list[int] = []
    if connection.dialect.name == "postgresql":
        with connection.connection.driver_connection.cursor() as cursor:  # this transaction's connection
            written: Iterable[Sequence[Any]] = rows
            if with_ids:  # the sequence looked up once (an InitPlan), not once per id: 0.7 µs an id, not 2.5
                cursor.execute("SELECT nextval((SELECT pg_get_serial_sequence(%s, 'id'))::regclass)"
                               " FROM generate_series(1, %s)", (table.name, len(rows)))
                ids = [new for (new,) in cursor.fetchall()]
                columns, written = ("id", *columns), ((new, *row) for new, row in zip(ids, rows, strict=True))
            with cursor.copy(f"COPY {table.name} ({_names(connection, columns)}) FROM STDIN") as copy:
                for values in written:
                    copy.write_row(values)
        return ids
    marks = ", ".join([_marker(connection)] * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({_names(connection, columns)}) VALUES ({marks})",
                               list(rows))
    if not with_ids:
        return []
    last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    first = last - len(rows) + 1
    held = connection.exec_driver_sql(f"SELECT count(*) FROM {table.name} WHERE id BETWEEN ? AND ?",
                                      (first, last)).scalar_one()
    if held != len(rows):
        raise RuntimeError(f"{table.name}: the new rows' ids are not consecutive ({held} of {len(rows)})")
    return list(range(first, last + 1))


def update(connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]],
           where: Sequence[str]) -> None:
    """``UPDATE table SET columns WHERE where`` for each row: the values of ``columns`` then of
    ``where``, one ``executemany``."""
    if rows:
        mark, quote = _marker(connection), connection.dialect.identifier_preparer.quote
        sets = ", ".join(f"{quote(name)} = {mark}" for name in columns)
        condition = " AND ".join(f"{quote(name)} = {mark}" for name in where)
        connection.exec_driver_sql(f"UPDATE {table.name} SET {sets} WHERE {condition}", list(rows))


def select_among(connection: Connection, table: Table, columns: str, scope: Sequence[tuple[str, Any]],
                 column: str, values: Sequence[str]) -> list[Any]:
    """``SELECT columns FROM table WHERE <scope column = value ...> AND column IN values``.

    ``values`` (strings) go as one JSON array parameter, however many: thousands of ``?`` would
    hit SQLite's limit of 32,766 parameters, and psycopg dumps a list as an array in Python (33 ms
    for 5,000 ids) where ``json.dumps`` takes one. On PostgreSQL ``= ANY(ARRAY(...))`` keeps the
    index scan even on a table without statistics (``IN (SELECT ...)`` planned a sequential scan
    per batch there: 141 s for 100,000 rows).
    """
    mark, quote = _marker(connection), connection.dialect.identifier_preparer.quote
    conditions = [f"{quote(name)} = {mark}" for name, _ in scope]
    among = (f"{quote(column)} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"
             if connection.dialect.name == "postgresql" else f"{quote(column)} IN (SELECT value FROM json_each(?))")
    sql = f"SELECT {columns} FROM {table.name} WHERE {' AND '.join([*conditions, among])}"
    return connection.exec_driver_sql(sql, (*(value for _, value in scope), json.dumps(list(values)))).all()
