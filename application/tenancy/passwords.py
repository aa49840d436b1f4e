"""The password policy."""

from __future__ import annotations

from domain.shared.errors import FieldError, ValidationFailed


def check_password(field: str, password: str, min_length: int) -> str:
    if len(password) < min_length:
        raise ValidationFailed(errors=[FieldError(field, f"at least {min_length} characters")])
    if len(password) > 256:
        raise ValidationFailed(errors=[FieldError(field, "at most 256 characters")])
    return password
