"""Values the bulk helpers hand to the driver take the form SQLAlchemy itself would bind."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Text, bindparam, cast, select

from adapters.catalog.orm import products
from adapters.sql import bulk


def test_a_timestamp_is_bound_as_sqlalchemy_binds_it(container) -> None:  # type: ignore[no-untyped-def]
    moment = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a whole second: SQLite's driver would drop ".000000"
    with container.engine.connect() as connection:
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        ours = connection.exec_driver_sql(f"SELECT CAST({marker} AS TEXT)",
                                          (bulk.stamp(products, connection, moment),)).scalar()
        row = bulk.from_dicts(connection, products, ["updated_at"], [{"updated_at": moment}])[0]
        theirs = connection.scalar(select(cast(bindparam("at", moment, type_=products.c.updated_at.type), Text)))
        by_row = connection.exec_driver_sql(f"SELECT CAST({marker} AS TEXT)", row).scalar()
    assert ours == theirs == by_row
