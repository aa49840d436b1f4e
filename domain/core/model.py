"""The core module's model: the audit log of administrative actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.time import ensure_aware


@attrs.define(slots=False, eq=False, kw_only=True)
class AuditEntry:
    """Who did what, when, to which target. Entries are appended, never changed."""

    occurred_at: datetime = attrs.field(converter=ensure_aware)
    actor: str
    action: str
    target_type: str | None = None
    target_id: str | None = None
    platform_id: int | None = None
    vendor_id: int | None = None
    details: dict[str, Any] = attrs.field(factory=dict)
    request_id: str | None = None
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        errors = [
            FieldError(name, "must not be empty")
            for name in ("actor", "action")
            if not getattr(self, name).strip()
        ]
        if errors:
            raise ValidationFailed(errors=errors)
