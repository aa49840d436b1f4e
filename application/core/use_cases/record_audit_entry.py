from __future__ import annotations

from typing import Any

import attrs

from application.core.ports import CoreUnitOfWork
from application.shared.ports import Clock
from domain.core.model import AuditEntry


@attrs.frozen(kw_only=True)
class RecordAuditEntry:
    actor: str
    action: str
    target_type: str | None = None
    target_id: str | None = None
    platform_id: int | None = None
    vendor_id: int | None = None
    details: dict[str, Any] = attrs.field(factory=dict)
    request_id: str | None = None


def record_audit_entry(cmd: RecordAuditEntry, *, uow: CoreUnitOfWork, clock: Clock) -> None:
    """Append one entry to the audit log, in its own transaction."""
    with uow:
        uow.audit_log.add(AuditEntry(occurred_at=clock.now(), **attrs.asdict(cmd)))
        uow.commit()
