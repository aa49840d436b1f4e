"""One MetaData for every module, with a naming convention so SQLite batch migrations and
PostgreSQL produce the same constraint names, and one mapper registry for imperative mapping."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import registry as mapper_registry_cls

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
mapper_registry = mapper_registry_cls(metadata=metadata)


def map_imperatively(cls: type, table, **kwargs):  # type: ignore[no-untyped-def]
    """Map a domain class (attrs, ``slots=False, eq=False``) onto a table, once.

    Mapping twice raises in SQLAlchemy; the guard lets every process and test import the
    ``orm`` modules freely.
    """
    from sqlalchemy import inspect
    from sqlalchemy.exc import NoInspectionAvailable

    try:
        return inspect(cls)  # already mapped: the Mapper
    except NoInspectionAvailable:
        return mapper_registry.map_imperatively(cls, table, **kwargs)
