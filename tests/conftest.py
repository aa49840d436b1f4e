"""Shared fixtures. Everything runs on SQLite by default; with WIZAMART_TEST_DATABASE_URL and
WIZAMART_TEST_REDIS_URL set, the same tests run against PostgreSQL and Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from adapters.sql.metadata import metadata
from benchmarks.common import scratch_database
from entrypoints.bootstrap import Container, bootstrap

# Shared CI machines vary in speed: hypothesis checks properties, not timings.
settings.register_profile("wizamart", deadline=None)
settings.load_profile("wizamart")

TEST_DATABASE_URL = os.environ.get("WIZAMART_TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("WIZAMART_TEST_REDIS_URL")


@contextmanager
def new_database(tmp_dir: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    with scratch_database(TEST_DATABASE_URL, tmp_dir) as url:
        yield url


def make_container(database_url: str, *, registry=None, clock=None, **overrides: object) -> Container:  # type: ignore[no-untyped-def]
    settings = {"database_url": database_url, **overrides}
    c = bootstrap(env_file=None, configure_logs=False, registry=registry, clock=clock, **settings)
    if "tenancy" in c.registry:
        from adapters.tenancy.security import Argon2Hasher

        # Real argon2id, cheap parameters: the suite signs in hundreds of times.
        c.module_services("tenancy").hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    return c


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    with new_database(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def migrated_container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    with new_database(tmp_path_factory.mktemp("db")) as url:
        container = make_container(url)
        container.migrator.upgrade()
        # Rows the migrations seed (e.g. default billing tiers) are restored after each test.
        with container.engine.connect() as connection:
            container.seeded = {  # type: ignore[attr-defined]
                table: [dict(r) for r in connection.execute(table.select()).mappings()]
                for table in metadata.sorted_tables
            }
        yield container
        container.close()


@pytest.fixture
def container(migrated_container: Container) -> Iterator[Container]:
    """A migrated database, emptied after each test (back to what the migrations seed)."""
    yield migrated_container
    with migrated_container.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
        for table, rows in migrated_container.seeded.items():  # type: ignore[attr-defined]
            if rows:
                connection.execute(table.insert(), rows)


@pytest.fixture
def probe_container(container: Container) -> Iterator[Container]:
    """A container whose registry adds the test-only ``probe`` module, on the migrated database,
    with the probe's tables created (and dropped afterwards)."""
    from tests.fakes.probe import DELIVERY_ATTEMPTS, probe_metadata, probe_registry

    DELIVERY_ATTEMPTS.clear()

    probe = make_container(container.settings.database_url, registry=probe_registry())
    probe._services["probe"] = {"engine": probe.engine}
    probe_metadata.create_all(probe.engine)
    yield probe
    probe_metadata.drop_all(probe.engine)
    probe.close()


@pytest.fixture
def admin_headers(container: Container) -> Callable[[object], dict[str, str]]:
    """Sign a new super admin in through ``client``; returns the Authorization header."""
    from tests.fakes.accounts import headers_for, make_user

    def sign_in(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
        email = f"root-{uuid.uuid4().hex[:6]}@example.lu"
        make_user(client.app.state.container, email, super_admin=True)
        return headers_for(client, email)

    return sign_in
