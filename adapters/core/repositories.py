"""SQL repositories and the unit of work of the core module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from adapters.core.orm import TABLES
from adapters.sql.plumbing import audit_log
from adapters.sql.uow import SqlUnitOfWork
from contracts.core.dto import AuditEntryView
from contracts.shared.pagination import Page
from domain.core.model import AuditEntry


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entry: AuditEntry) -> None:
        self._session.add(entry)


class SqlAuditLogReader:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(
        self,
        *,
        limit: int,
        offset: int,
        action: str | None = None,
        platform_id: int | None = None,
        since: datetime | None = None,
    ) -> Page[AuditEntryView]:
        query = select(audit_log)
        if action is not None:
            query = query.where(audit_log.c.action == action)
        if platform_id is not None:
            query = query.where(audit_log.c.platform_id == platform_id)
        if since is not None:
            query = query.where(audit_log.c.occurred_at >= since)
        total = self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self._session.execute(
            query.order_by(audit_log.c.occurred_at.desc(), audit_log.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).mappings()
        items = [AuditEntryView.model_validate(dict(row)) for row in rows]
        return Page[AuditEntryView](items=items, total=total, limit=limit, offset=offset)


class SqlPlumbingProbe:
    def __init__(self, session: Session) -> None:
        self._session = session

    def missing_tables(self) -> list[str]:
        missing = []
        for table in TABLES:
            try:
                with self._session.begin_nested():
                    self._session.execute(select(1).select_from(table).limit(1))
            except SQLAlchemyError:
                missing.append(table.name)
        return missing


class SqlCoreUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> SqlCoreUnitOfWork:
        super().__enter__()
        self.audit_log = SqlAuditLog(self.session)
        self.audit_reader = SqlAuditLogReader(self.session)
        self.plumbing = SqlPlumbingProbe(self.session)
        return self


UNIT_OF_WORK = SqlCoreUnitOfWork
