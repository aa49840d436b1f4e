"""Shared kernel: money, domain errors, domain events, typed ids and time helpers.

Pure Python (standard library + attrs only); every module may depend on it.
"""

from domain.shared.errors import (
    Conflict,
    CurrencyMismatch,
    DomainError,
    FieldError,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    Unauthenticated,
    ValidationFailed,
)
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.ids import (
    CompanyId,
    EventId,
    PlatformId,
    TaskRunId,
    UserId,
    VendorId,
    new_uuid,
)
from domain.shared.money import Money, Rounding, minor_unit_exponent, sum_money
from domain.shared.time import (
    DEFAULT_TIMEZONE,
    ensure_aware,
    to_utc,
    utc_from_timestamp,
    zone,
)

__all__ = [
    "DEFAULT_TIMEZONE",
    "CompanyId",
    "Conflict",
    "CurrencyMismatch",
    "DomainError",
    "DomainEvent",
    "EventId",
    "FieldError",
    "LimitExceeded",
    "Money",
    "NotFound",
    "PermissionDenied",
    "TooManyAttempts",
    "Unauthenticated",
    "PlatformId",
    "RecordsEvents",
    "Rounding",
    "TaskRunId",
    "UserId",
    "ValidationFailed",
    "VendorId",
    "ensure_aware",
    "minor_unit_exponent",
    "new_uuid",
    "sum_money",
    "to_utc",
    "utc_from_timestamp",
    "zone",
]
