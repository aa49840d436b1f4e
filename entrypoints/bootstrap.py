"""The composition root: builds config, registry, engine, sessions and unit-of-work factories
once per process. The HTTP app, the CLI, the worker and the tests all start here."""

from __future__ import annotations

import importlib
from functools import cached_property
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adapters.sql.engine import build_engine, session_factory, writer
from adapters.sql.migrator import Migrator, import_orm_modules
from application.shared.clock import SystemClock
from application.shared.config import Configuration, Settings, load_configuration
from application.shared.context import ModuleContext
from application.shared.modules import ModuleRegistry, discover
from application.shared.ports import Clock
from entrypoints.logging import configure_logging


@attrs.define(slots=False)
class Container:
    configuration: Configuration
    registry: ModuleRegistry
    clock: Clock

    @property
    def settings(self) -> Settings:
        return self.configuration.settings

    @cached_property
    def engine(self) -> Engine:
        return build_engine(self.settings.database_url)

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

    def unit_of_work(self, code: str) -> Any:
        """A fresh unit of work of module ``code`` (``adapters.<code>.repositories.UNIT_OF_WORK``)."""
        uow_class = importlib.import_module(f"adapters.{code}.repositories").UNIT_OF_WORK
        return uow_class(self.write_sessions)

    def module_context(self, code: str) -> ModuleContext:
        return ModuleContext(
            code=code,
            config=self.configuration.modules.get(code),
            clock=self.clock,
            unit_of_work=lambda: self.unit_of_work(code),
        )

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def bootstrap(
    *,
    env_file: str | Path | None = ".env",
    clock: Clock | None = None,
    registry: ModuleRegistry | None = None,
    configure_logs: bool = True,
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
    return Container(configuration=configuration, registry=registry, clock=clock or SystemClock())
