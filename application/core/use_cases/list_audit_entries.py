from __future__ import annotations

from datetime import datetime

import attrs

from application.core.ports import CoreUnitOfWork
from contracts.core.dto import AuditEntryView
from contracts.shared.pagination import Page


@attrs.frozen(kw_only=True)
class ListAuditEntries:
    limit: int = 50
    offset: int = 0
    action: str | None = None
    platform_id: int | None = None
    since: datetime | None = None


def list_audit_entries(cmd: ListAuditEntries, *, uow: CoreUnitOfWork) -> Page[AuditEntryView]:
    """The audit log, newest first, optionally filtered by action, platform and time."""
    with uow:
        return uow.audit_reader.list(**attrs.asdict(cmd))
