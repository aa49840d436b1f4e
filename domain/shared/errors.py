"""Domain error hierarchy shared by every module.

Each error carries a stable ``kind`` string. The HTTP adapter maps ``kind``
to an RFC 9457 problem type and status code; the CLI prints ``str(error)``
as a one-line reason. ``details`` holds machine-readable extras.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs

__all__ = [
    "Conflict",
    "CurrencyMismatch",
    "DomainError",
    "FieldError",
    "LimitExceeded",
    "NotFound",
    "PermissionDenied",
    "ValidationFailed",
]


@attrs.frozen
class FieldError:
    """A problem with one input field, e.g. ``FieldError("price", "must not be negative")``."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class DomainError(Exception):
    """Base class for every error raised by domain code."""

    kind: ClassVar[str] = "domain-error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message: str = message
        self.details: dict[str, object] = dict(details)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The requested entity does not exist (or is not visible to the caller)."""

    kind: ClassVar[str] = "not-found"


class Conflict(DomainError):
    """The operation clashes with the current state (duplicate, stale version, ...)."""

    kind: ClassVar[str] = "conflict"


class ValidationFailed(DomainError):
    """Input is invalid; ``errors`` lists the offending fields.

    When ``message`` is omitted it is built from the field errors,
    e.g. ``"price: must not be negative; sku: required"``.
    """

    kind: ClassVar[str] = "validation"

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        **details: object,
    ) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        if message is None:
            message = "; ".join(str(error) for error in self.errors) or "validation failed"
        super().__init__(message, **details)

    @classmethod
    def for_field(cls, field: str, message: str, **details: object) -> ValidationFailed:
        """Shortcut for a single-field failure; the message is ``"<field>: <message>"``."""
        return cls(errors=[FieldError(field, message)], **details)


class PermissionDenied(DomainError):
    """The actor is not allowed to perform the operation."""

    kind: ClassVar[str] = "permission-denied"


class LimitExceeded(DomainError):
    """A plan or quota limit would be exceeded; ``limit`` names it (also in ``details``)."""

    kind: ClassVar[str] = "limit-exceeded"

    def __init__(self, message: str, *, limit: str, **details: object) -> None:
        super().__init__(message, limit=limit, **details)
        self.limit: str = limit


class CurrencyMismatch(ValidationFailed):
    """Two amounts in different currencies were combined or compared."""

    kind: ClassVar[str] = "currency-mismatch"


class Unauthenticated(DomainError):
    """The caller could not be identified: bad credentials, or a missing, expired, forged or
    revoked token. Deliberately vague: it never says which."""

    kind: ClassVar[str] = "unauthenticated"


class TooManyAttempts(DomainError):
    """Too many failures in a row; ``retry_after`` seconds must pass."""

    kind: ClassVar[str] = "too-many-attempts"

    def __init__(self, message: str, *, retry_after: int, **details: object) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class PaymentProviderError(DomainError):
    """The payment provider failed or could not be reached; nothing was changed on our side and
    the same request may be retried."""

    kind: ClassVar[str] = "payment-provider-unavailable"
