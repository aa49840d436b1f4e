"""Driver-level bulk statements for the feed import's hot path (ADR 0011).

A feed import writes each row twice (a listing, a catalog product) and must reach 25,000 rows/s;
SQLAlchemy's per-row parameter processing (bind processors, expanding IN lists, multi-row VALUES
compiled per batch) cost more than the database itself. These helpers hand plain tuples to the
driver on statements written from the table's own column names: binary ``COPY`` on
PostgreSQL, ``executemany`` on SQLite. Values must already be in the driver's form: JSON as text
(``json_text``), timestamps through ``stamp``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import JSON, Connection, Table

__all__ = ["Converted", "Rows", "Zipped", "bind_processor", "from_columns", "from_dicts", "insert", "json_text", "select_among",
           "stamp", "update"]

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
    processor = bind_processor(table.c.updated_at.type, connection.dialect)
    return moment if processor is None else processor(moment)


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


def _converter(connection: Connection, table: Table, name: str) -> Callable[[Any], Any] | None:
    """What turns a value of column ``name`` into the driver's form, if anything: JSON as text,
    other typed columns (timestamps) through their own bind processors, once per distinct value."""
    kind = table.c[name].type
    if isinstance(kind, JSON):
        return json_text
    processor = bind_processor(kind, connection.dialect)
    return None if processor is None else functools.cache(processor)


def from_dicts(connection: Connection, table: Table, columns: Sequence[str],
               rows: Sequence[dict[str, Any]]) -> Converted[dict[str, Any]]:
    """The values of ``columns`` of each row, in the driver's form (``_converter``)."""
    converters = [(position, convert) for position, name in enumerate(columns)
                  if (convert := _converter(connection, table, name)) is not None]
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda row, name=columns[0]: (row[name],))

    def converted(row: dict[str, Any]) -> tuple[Any, ...]:
        values = list(pick(row))
        for position, convert in converters:
            values[position] = convert(values[position])
        return tuple(values)

    return Converted(rows, converted)


class Zipped:
    """Rows zipped from columns (iterables of ``count`` values each), read once."""

    def __init__(self, count: int, columns: Sequence[Iterable[Any]]) -> None:
        self._count, self._columns = count, columns

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return zip(*self._columns, strict=False)  # a fixed column repeats without end


def from_columns(connection: Connection, table: Table, names: Sequence[str], columns: Mapping[str, Sequence[Any]],
                 fixed: Mapping[str, Any]) -> Zipped:
    """Rows of ``names`` in the driver's form (``_converter``), each name's values from
    ``columns`` (all as long) or, the same in every row, from ``fixed``. Converted a column at a
    time as the rows are read: no per-row Python code."""
    counts = {len(values) for values in columns.values()}
    if len(counts) != 1:
        raise ValueError(f"columns of different lengths: {sorted(counts)}")
    parts: list[Iterable[Any]] = []
    for name in names:
        convert = _converter(connection, table, name)
        if name in columns:
            parts.append(columns[name] if convert is None else map(convert, columns[name]))
        else:
            parts.append(repeat(fixed[name] if convert is None else convert(fixed[name])))
    return Zipped(counts.pop(), parts)


def _marker(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _names(connection: Connection, columns: Sequence[str]) -> str:
    return ", ".join(connection.dialect.identifier_preparer.quote(name) for name in columns)


# PostgreSQL's binary form of each column type the feed tables use, as psycopg names it. A
# VARCHAR's and a JSON's binary form is their UTF-8 text, so they go as text (JSON already
# serialized by json_text; psycopg's own json dumper would serialize the string again).
_BINARY_FORMS = {"INTEGER": "int4", "BIGINT": "int8", "SMALLINT": "int2", "BOOLEAN": "bool", "TEXT": "text",
                 "VARCHAR": "text", "JSON": "text", "TIMESTAMP WITH TIME ZONE": "timestamptz"}


def _binary_forms(connection: Connection, table: Table, columns: Sequence[str]) -> list[str] | None:
    """The binary ``COPY`` types of ``columns``, or None when one has no binary form here."""
    forms = [_BINARY_FORMS.get(table.c[name].type.compile(dialect=connection.dialect).split("(")[0])
             for name in columns]
    return None if None in forms else forms  # type: ignore[return-value]


def insert(connection: Connection, table: Table, columns: Sequence[str], rows: Rows, *,
           with_ids: bool = False) -> list[int]:
    """Insert ``rows`` (values in ``columns`` order, read once: a ``Converted`` streams); with
    ``with_ids`` the new rows' ids, in order.

    PostgreSQL: ids drawn from the table's sequence in one query, then ``COPY`` in the binary
    format (about 1 µs a row less for psycopg to write than text, and no text for the server to
    parse into numbers and timestamps), or in text if a column's type has no binary form here.

    SQLite: one ``executemany``; while a transaction holds the write lock, SQLite gives each new
    row of a table without AUTOINCREMENT the largest rowid plus one, so a batch's ids are
    consecutive and end at ``last_insert_rowid()`` (checked: the range holds exactly the rows
    inserted).
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
            forms = _binary_forms(connection, table, columns)
            binary = "" if forms is None else " (FORMAT BINARY)"
            with cursor.copy(f"COPY {table.name} ({_names(connection, columns)}) FROM STDIN{binary}") as copy:
                if forms is not None:
                    copy.set_types(forms)
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
                 column: str, values: Sequence[str], *, meanwhile: Callable[[], object] | None = None) -> list[Any]:
    """``SELECT columns FROM table WHERE <scope column = value ...> AND column IN values``.

    ``values`` (strings) go as one JSON array parameter, however many: thousands of ``?`` would
    hit SQLite's limit of 32,766 parameters, and psycopg dumps a list as an array in Python (33 ms
    for 5,000 ids) where ``json.dumps`` takes one. On PostgreSQL ``= ANY(ARRAY(...))`` keeps the
    index scan even on a table without statistics (``IN (SELECT ...)`` planned a sequential scan
    per batch there: 141 s for 100,000 rows).

    ``meanwhile`` is called before the rows are read. On PostgreSQL the query is sent first, in
    pipeline mode, so the server works on it while the client runs ``meanwhile`` (20 lookups of
    5,000 ids and the hashing of their records: 1.43 s in turn, 0.94 s so); SQLite runs in this
    process, so there it is merely called first.
    """
    mark, quote = _marker(connection), connection.dialect.identifier_preparer.quote
    conditions = [f"{quote(name)} = {mark}" for name, _ in scope]
    postgresql = connection.dialect.name == "postgresql"
    among = (f"{quote(column)} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"
             if postgresql else f"{quote(column)} IN (SELECT value FROM json_each(?))")
    sql = f"SELECT {columns} FROM {table.name} WHERE {' AND '.join([*conditions, among])}"
    params = (*(value for _, value in scope), json.dumps(list(values)))
    if postgresql and meanwhile is not None:
        driver = connection.connection.driver_connection  # this transaction's connection
        with driver.pipeline(), driver.cursor() as cursor:
            cursor.execute(sql, params)  # sent, not waited for
            meanwhile()
            return cursor.fetchall()
    if meanwhile is not None:
        meanwhile()
    return connection.exec_driver_sql(sql, params).all()
