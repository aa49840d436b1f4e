"""Ports of the core module."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from application.shared.ports import UnitOfWork
from contracts.core.dto import AuditEntryView
from contracts.shared.pagination import Page
from domain.core.model import AuditEntry


class AuditLog(Protocol):
    def add(self, entry: AuditEntry) -> None: ...


class AuditLogReader(Protocol):
    def list(
        self,
        *,
        limit: int,
        offset: int,
        action: str | None = None,
        platform_id: int | None = None,
        since: datetime | None = None,
    ) -> Page[AuditEntryView]: ...


class PlumbingProbe(Protocol):
    def missing_tables(self) -> list[str]:
        """The core tables that do not answer a query (empty when all is well)."""
        ...


class CoreUnitOfWork(UnitOfWork, Protocol):
    audit_log: AuditLog
    audit_reader: AuditLogReader
    plumbing: PlumbingProbe
