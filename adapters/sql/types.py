"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both databases.

    SQLite has no time zone support and hands back naive values; this type refuses naive input
    and always returns aware UTC datetimes. Migrations declare it as ``DateTime(timezone=True)``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class plus_days(FunctionElement[datetime]):  # noqa: N801 - reads like the SQL function it is
    """``column + N days`` on both databases (SQLite keeps SQLAlchemy's text format)."""

    type = DateTime(timezone=True)
    inherit_cache = True
    name = "plus_days"


@compiles(plus_days)
def _plus_days_postgresql(element: plus_days, compiler: Any, **kw: Any) -> str:
    column, days = list(element.clauses)
    return f"({compiler.process(column, **kw)} + make_interval(days => {compiler.process(days, **kw)}))"


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element: plus_days, compiler: Any, **kw: Any) -> str:
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    # strftime drops the microseconds: keep SQLAlchemy's 'YYYY-MM-DD HH:MM:SS.ffffff' text.
    return f"(strftime('%Y-%m-%d %H:%M:%S', {column}, '+' || {days} || ' days') || substr({column}, 20))"
