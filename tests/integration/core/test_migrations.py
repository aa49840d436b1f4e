"""Migration policy: names, one head per module, each migration touches only its module's
tables, and upgrade -> downgrade -> upgrade leaves the schema equal to the models."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from adapters.sql.engine import build_engine
from adapters.sql.metadata import metadata
from adapters.sql.migrator import MIGRATIONS_DIR, Migrator
from application.shared.modules import discover

REGISTRY = discover()
FILE_NAME = re.compile(r"^(?P<rev>(?P<module>[a-z_]+)_(?P<n>\d{4}))_[a-z0-9_]+\.py$")


def scripts():  # type: ignore[no-untyped-def]
    return list(Migrator("sqlite://", REGISTRY).script().walk_revisions())


def snapshot(engine: Engine) -> dict[str, object]:
    """Tables -> their columns, indexes, unique and foreign keys, as the database reports them."""
    inspector = inspect(engine)
    out: dict[str, object] = {}
    for table in inspector.get_table_names():
        out[table] = (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            sorted(str(sorted(i.items())) for i in inspector.get_indexes(table)),
            sorted(str(sorted(u.items())) for u in inspector.get_unique_constraints(table)),
            sorted(str(sorted(f.items())) for f in inspector.get_foreign_keys(table)),
        )
    return out


def schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, *_: type_ != "table"
                or REGISTRY.module_of_table(name) is not None,
            },
        )
        return compare_metadata(context, metadata)


def test_every_revision_is_named_and_placed_by_its_module() -> None:
    for script in scripts():
        path = Path(script.path)
        match = FILE_NAME.match(path.name)
        assert match, f"{path.name}: expected <module>_<NNNN>_<slug>.py"
        assert match["rev"] == script.revision, f"{path.name}: revision id must be {match['rev']}"
        assert match["module"] in REGISTRY, f"{path.name}: unknown module {match['module']}"
        assert path.parent.name == match["module"], f"{path.name} must live in versions/{match['module']}/"
        down = script.down_revision
        downs = [down] if isinstance(down, str) else list(down or [])
        for parent in downs:
            assert parent.startswith(f"{match['module']}_"), (
                f"{script.revision}: down_revision {parent} is another module's; use depends_on"
            )
        if not downs:
            assert script.branch_labels == {match["module"]}, (
                f"{script.revision}: the first revision of a module carries its branch label"
            )


def test_one_head_per_module() -> None:
    heads = Migrator("sqlite://", REGISTRY).script().get_heads()
    owners = [h.rsplit("_", 1)[0] for h in heads]
    assert sorted(owners) == sorted(set(owners)), f"several heads in one module: {heads}"
    versions = MIGRATIONS_DIR / "versions"
    with_history = {p.name for p in versions.iterdir() if p.is_dir() and any(p.glob("*_*.py"))}
    assert set(owners) == with_history


def test_each_migration_touches_only_its_own_tables(empty_database_url: str) -> None:
    migrator = Migrator(empty_database_url, REGISTRY)
    engine = build_engine(empty_database_url)
    try:
        before = snapshot(engine)
        for script in reversed(scripts()):  # oldest first
            migrator.upgrade(revision=script.revision)
            after = snapshot(engine)
            changed = {t for t in set(before) | set(after) if before.get(t) != after.get(t)}
            changed.discard("alembic_version")
            module = script.revision.rsplit("_", 1)[0]
            foreign = {t for t in changed if REGISTRY.module_of_table(t) != module}
            assert not foreign, f"{script.revision} touches other modules' tables: {sorted(foreign)}"
            before = after
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_matches_the_models(empty_database_url: str) -> None:
    migrator = Migrator(empty_database_url, REGISTRY)
    engine = build_engine(empty_database_url)
    try:
        migrator.upgrade()
        assert schema_diff(engine) == []
        assert migrator.is_up_to_date(engine)
        first = snapshot(engine)

        migrator.downgrade("base")
        assert set(snapshot(engine)) <= {"alembic_version"}
        assert all(rev is None for rev in migrator.current(engine).values())

        migrator.upgrade()
        assert snapshot(engine) == first
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_upgrade_one_module(empty_database_url: str) -> None:
    migrator = Migrator(empty_database_url, REGISTRY)
    engine = build_engine(empty_database_url)
    try:
        migrator.upgrade("core")
        assert migrator.current(engine)["core"] == migrator.heads()["core"]
        assert "core_task_runs" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.fixture
def scratch_migrations(tmp_path: Path) -> Path:
    """A copy of the migration environment to write revisions into."""
    target = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_revision_command_names_files_and_ids(scratch_migrations: Path, empty_database_url: str) -> None:
    migrator = Migrator(empty_database_url, REGISTRY, migrations_dir=scratch_migrations)
    migrator.upgrade()
    current_head = migrator.heads()["core"]
    number = int(current_head.rsplit("_", 1)[1])

    path = migrator.revision("core", "Add a column, for real!")
    expected = f"core_{number + 1:04d}"
    assert path is not None
    assert path.name == f"{expected}_add_a_column_for_real.py"
    assert path.parent == scratch_migrations / "versions" / "core"
    text = path.read_text()
    assert f"revision: str = '{expected}'" in text
    assert f"down_revision: str | Sequence[str] | None = '{current_head}'" in text
    assert migrator.heads()["core"] == expected


def test_autogenerate_without_changes_writes_nothing(scratch_migrations: Path, empty_database_url: str) -> None:
    migrator = Migrator(empty_database_url, REGISTRY, migrations_dir=scratch_migrations)
    migrator.upgrade()
    before = sorted(p.name for p in (scratch_migrations / "versions" / "core").glob("*.py"))
    assert migrator.revision("core", "nothing", autogenerate=True) is None
    assert sorted(p.name for p in (scratch_migrations / "versions" / "core").glob("*.py")) == before


def test_revision_for_unknown_module_is_refused(empty_database_url: str) -> None:
    from domain.shared.errors import NotFound

    with pytest.raises(NotFound, match="unknown module 'nope'"):
        Migrator(empty_database_url, REGISTRY).revision("nope", "x")
