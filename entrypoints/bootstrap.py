"""The composition root: builds config, registry, engine, sessions and unit-of-work factories
once per process. The HTTP app, the CLI, the worker and the tests all start here."""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.util
import logging
import os
import socket
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import attrs
import dramatiq
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adapters.dramatiq.broker import (
    DramatiqTaskQueue,
    TaskRunMiddleware,
    build_broker,
    declare_actors,
)
from adapters.scheduler.leases import InProcessLease, RedisLease
from adapters.scheduler.loop import Scheduler
from adapters.sql.engine import build_engine, dispose, session_factory, writer
from adapters.sql.leases import DatabaseLease
from adapters.sql.migrator import Migrator, import_orm_modules
from adapters.sql.outbox import OutboxRelay
from adapters.sql.task_runs import TaskRunStore
from adapters.sql.uow import SqlUnitOfWork
from application.shared.bus import DomainEventBus
from application.shared.clock import SystemClock
from application.shared.config import Configuration, Settings, load_configuration
from application.shared.context import ModuleContext, TaskContext
from application.shared.modules import ModuleRegistry, discover
from application.shared.ports import Clock
from entrypoints.logging import configure_logging

log = logging.getLogger("wizamart")


@attrs.define(slots=False)
class Container:
    configuration: Configuration
    registry: ModuleRegistry
    clock: Clock
    embedded: bool = False  # one process: StubBroker worker threads and the scheduler thread
    _services: dict[str, Any] = attrs.field(factory=dict, init=False)
    _task_bases: dict[str, dict[str, Any]] = attrs.field(factory=dict, init=False)

    @property
    def settings(self) -> Settings:
        return self.configuration.settings

    @cached_property
    def engine(self) -> Engine:
        return build_engine(self.settings.database_url, background_checkpoints=True)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions for reads; units of work use :attr:`write_sessions`."""
        return session_factory(self.engine)

    @cached_property
    def write_sessions(self) -> sessionmaker[Session]:
        return session_factory(writer(self.engine))

    @cached_property
    def migrator(self) -> Migrator:
        return Migrator(self.settings.database_url, self.registry)

    # ----------------------------------------------------------------- units of work
    def unit_of_work(self, code: str, *, read_only: bool = False) -> Any:
        """A fresh unit of work of module ``code`` (``adapters.<code>.repositories.UNIT_OF_WORK``):
        its domain events go to the module's handlers after commit, and a commit that published
        integration events asks for a relay run. ``read_only``: for reads on the hot path (every
        request's authorization) — on SQLite it does not take the write lock."""
        uow_class = getattr(_optional_repositories(code), "UNIT_OF_WORK", SqlUnitOfWork)
        return uow_class(
            self.sessions if read_only else self.write_sessions,
            event_sink=functools.partial(self.domain_events.dispatch, code),
            on_published=self._relay_soon,
        )

    def _relay_soon(self) -> None:
        try:
            self.task_queue.enqueue("core.relay_outbox")
        except Exception:  # the scheduled relay delivers them within a minute anyway
            log.exception("could not enqueue the outbox relay")

    def module_services(self, code: str) -> Any:
        if code not in self._services:
            build = getattr(_optional_repositories(code), "services", None)
            self._services[code] = build(self) if build is not None else None
        return self._services[code]

    def module_context(self, code: str, uow: Any = None, *, read_only: bool = False) -> ModuleContext:
        """The context of module ``code``; with ``uow``, its unit-of-work factory returns that one
        (the outbox relay runs a subscriber inside the transaction of its inbox row); with
        ``read_only``, read-only units of work (a health probe must not take the write lock)."""
        return ModuleContext(
            code=code,
            config=self.configuration.modules.get(code),
            clock=self.clock,
            unit_of_work=(lambda: uow) if uow is not None else (lambda: self.unit_of_work(code, read_only=read_only)),
            task_queue=self.task_queue,
            services=self.module_services(code),
            facades=self.module_services,
        )

    def task_context(self, code: str, run_id: UUID) -> TaskContext:
        """Built for every delivery, so the module's part is built once per module."""
        if code not in self._task_bases:
            self._task_bases[code] = attrs.asdict(self.module_context(code), recurse=False)
        return TaskContext(**self._task_bases[code], run_id=run_id, reporter=self.task_runs)

    @property
    def directory(self) -> Any:
        """The tenancy ModuleDirectory (None in a registry without tenancy: test probes)."""
        return self.module_services("tenancy").directory if "tenancy" in self.registry else None

    def accepts(self, module: str, platform_id: int | None) -> bool:
        """Whether ``module`` acts for ``platform_id``: core modules always; optional and
        internal ones only where the platform switched them on."""
        if platform_id is None or module in self.registry.always_on:
            return True
        directory = self.directory
        return directory is None or directory.is_enabled(platform_id, module)

    # ------------------------------------------------------------ background work
    @property
    def core_config(self) -> Any:
        return self.configuration.module("core")

    @property
    def heartbeat_timeout(self) -> timedelta:
        return timedelta(seconds=self.core_config.heartbeat_timeout_seconds)

    @cached_property
    def domain_events(self) -> DomainEventBus:
        return DomainEventBus(self.registry, self.module_context)

    @cached_property
    def task_runs(self) -> TaskRunStore:
        return TaskRunStore(self.engine, self.clock)

    @cached_property
    def broker(self) -> dramatiq.Broker:
        """Redis when WIZAMART_REDIS_URL is set, else the in-memory StubBroker; actors declared."""
        middleware = TaskRunMiddleware(
            self.task_runs,
            heartbeat_interval=timedelta(seconds=self.core_config.heartbeat_interval_seconds),
            heartbeat_timeout=self.heartbeat_timeout,
        )
        broker = build_broker(
            self.settings.redis_url, namespace=self.settings.queue_namespace, middleware=[middleware]
        )
        declare_actors(broker, self.registry, self.task_context)
        return broker

    @cached_property
    def task_queue(self) -> DramatiqTaskQueue:
        return DramatiqTaskQueue(self.broker, self.registry, self.task_runs)

    @cached_property
    def relay(self) -> OutboxRelay:
        return OutboxRelay(
            self.engine,
            self.registry,
            self.clock,
            unit_of_work=self.unit_of_work,
            context=self.module_context,
            lease=DatabaseLease(self.engine, self.clock, "outbox-relay", self.holder, timedelta(minutes=5)),
            max_attempts=self.core_config.outbox_max_attempts,
            accepts=self.accepts,
        )

    @cached_property
    def holder(self) -> str:
        return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"

    @cached_property
    def scheduler(self) -> Scheduler:
        ttl = timedelta(seconds=max(30.0, 6 * self.core_config.scheduler_tick_seconds))
        if self.embedded:
            lease: Any = InProcessLease()
        elif self.settings.redis_url:
            lease = RedisLease(
                self.settings.redis_url, "scheduler", ttl, namespace=self.settings.queue_namespace
            )
        else:
            lease = DatabaseLease(self.engine, self.clock, "scheduler", self.holder, ttl)
        return Scheduler(
            self.registry,
            self.engine,
            self.clock,
            self.task_queue,
            lease,
            grace=timedelta(seconds=self.core_config.scheduler_grace_seconds),
        )

    def close(self) -> None:
        if "broker" in self.__dict__:
            self.broker.close()
        if "task_runs" in self.__dict__:
            self.task_runs.close()
        if "engine" in self.__dict__:
            dispose(self.engine)


def _optional_repositories(code: str) -> Any:
    """``adapters.<code>.repositories``, or None for a module with no adapters (test probes;
    real modules all have them, an architecture test checks)."""
    if importlib.util.find_spec(f"adapters.{code}") is None:
        return None
    return importlib.import_module(f"adapters.{code}.repositories")


# Python's default collects the youngest generation every 700 net allocations. A feed import
# allocates millions of short-lived tuples and dicts, and at that pace the collector cost a
# sixth to a third of the import's time (benchmarks/marketplace_import, 100,000 rows on SQLite:
# 10,400-13,400 rows/s at the default, 16,700-20,600 rows/s at this, alternating runs).
# Cycles still get collected; they just wait for 50,000 allocations instead of 700.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_garbage_collector() -> None:
    """Set the collector's thresholds for a long-lived process that handles bulk work: the CLI,
    the API server with its embedded worker, and each production worker process."""
    gc.set_threshold(*GC_THRESHOLDS)


def bootstrap(
    *,
    env_file: str | Path | None = ".env",
    clock: Clock | None = None,
    registry: ModuleRegistry | None = None,
    configure_logs: bool = True,
    embedded: bool = False,
    **overrides: Any,
) -> Container:
    """Discover and validate the modules, load and validate all config, wire the process.

    Raises ``ModuleDefinitionError`` or ``ConfigurationError`` with precise messages.
    """
    registry = registry or discover()
    configuration = load_configuration(registry, env_file=env_file, **overrides)
    if configure_logs:
        configure_logging(configuration.settings)
    import_orm_modules(registry)
    return Container(
        configuration=configuration,
        registry=registry,
        clock=clock or SystemClock(),
        embedded=embedded,
    )
