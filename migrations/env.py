"""Alembic environment for every module. Run through ``wizamart db ...`` (adapters.sql.migrator),
which passes the database URL, the module registry and, for ``revision``, the module."""

from __future__ import annotations

import re

from alembic import context
from alembic.script import ScriptDirectory
from sqlalchemy.types import TypeDecorator

from adapters.sql.engine import build_engine
from adapters.sql.migrator import import_orm_modules
from adapters.sql.metadata import metadata

config = context.config
registry = config.attributes["registry"]
url: str = config.attributes["url"]
scoped_module: str | None = config.attributes.get("module")
import_orm_modules(registry)


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Autogenerate sees only module tables, and only the scoped module's when one is given.

    ``include_object`` (not ``include_name``) so that other modules' tables are neither created
    nor dropped by a scoped revision.
    """
    table_name = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    if table_name is None:
        return True
    owner = registry.module_of_table(table_name)
    return owner is not None and (scoped_module is None or owner == scoped_module)


def next_revision_id(module: str) -> str:
    script = ScriptDirectory.from_config(config)
    pattern = re.compile(rf"^{re.escape(module)}_(\d{{4}})$")
    numbers = [
        int(m.group(1)) for rev in script.walk_revisions() if (m := pattern.match(rev.revision))
    ]
    return f"{module}_{max(numbers, default=0) + 1:04d}"


def process_revision_directives(context_, revision, directives):  # type: ignore[no-untyped-def]
    if not directives or scoped_module is None:
        return
    script = directives[0]
    if config.attributes.get("autogenerate") and script.upgrade_ops.is_empty():
        directives[:] = []  # nothing changed: write no empty revision
        return
    script.rev_id = next_revision_id(scoped_module)


def render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Write our portable column types as their plain SQLAlchemy implementation, so migration
    scripts never import application code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations() -> None:
    engine = build_engine(url, foreign_keys=False)  # batch mode rebuilds tables on SQLite
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            include_object=include_object,
            process_revision_directives=process_revision_directives,
            render_item=render_item,
            compare_type=True,
            compare_server_default=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations()
