"""Shared set-up of the benchmarks: a scratch database, a bench module, peak RSS."""

from __future__ import annotations

import os
import resource
import tempfile
import timeit
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from application.core.module import MODULE as CORE
from application.shared.context import ModuleContext, TaskContext
from application.shared.modules import OPTIONAL, ModuleDefinition, ModuleRegistry, TaskSpec
from contracts.shared.events import IntegrationEvent


class BenchHappened(IntegrationEvent):
    event_type = "bench.happened"
    version = 1
    n: int


NOOP_CALLS = [0]  # how many times noop ran in this process (as bare Dramatiq's benchmark counts)


def noop(ctx: TaskContext, n: int = 0) -> None:
    NOOP_CALLS[0] += 1


def on_happened(event: BenchHappened, ctx: ModuleContext) -> None:
    return None  # the delivery itself (inbox row, transaction) is what is measured


BENCH = ModuleDefinition(
    code="bench", name="Bench", classification=OPTIONAL,
    tasks=(TaskSpec("noop", noop, max_retries=0),),
    subscriptions={BenchHappened: on_happened},
)


def registry() -> ModuleRegistry:
    import attrs

    return ModuleRegistry([attrs.evolve(CORE, schedules=()), BENCH])


@contextmanager
def scratch_database(url: str | None, directory: Path | None = None) -> Iterator[str]:
    """A fresh database: a SQLite file (in ``directory``, else a temporary one), or a new
    PostgreSQL database on the server of ``url``, dropped afterwards. Tests use it too."""
    if not url or url.startswith("sqlite"):
        if directory is not None:
            yield f"sqlite:///{directory / f'wizamart-{uuid.uuid4().hex[:8]}.db'}"
            return
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    base = make_url(url).set(drivername="postgresql+psycopg")
    name = f"wizamart_scratch_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def container(database_url: str, **overrides: Any):  # type: ignore[no-untyped-def]
    """A migrated container on ``database_url``, free of the caller's WIZAMART_* settings; the
    benchmark registry unless ``registry=`` is given."""
    from entrypoints.bootstrap import bootstrap

    for key in [k for k in os.environ if k.startswith("WIZAMART_") and not k.startswith("WIZAMART_TEST_")]:
        del os.environ[key]
    overrides.setdefault("registry", registry())
    c = bootstrap(env_file=None, configure_logs=False, database_url=database_url, **overrides)
    c.migrator.upgrade()
    return c


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


YARDSTICK_ADDITIONS = 10_000_000


def python_speed() -> float:
    """Seconds this machine takes for ``YARDSTICK_ADDITIONS`` additions in a pure-Python loop
    (locals, as in a function), best of 3: a yardstick for comparing figures taken on different
    machines (ours differ by 1.5x and more)."""
    return min(timeit.repeat("for i in range(n): total += i", setup="total = 0", number=1, repeat=3,
                             globals={"n": YARDSTICK_ADDITIONS}))
