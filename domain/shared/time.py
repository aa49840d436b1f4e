"""Clock-free datetime helpers.

Nothing here reads the current time; callers pass datetimes in (the clock
lives behind a port). All domain datetimes are timezone-aware.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from domain.shared.errors import ValidationFailed

__all__ = [
    "DEFAULT_TIMEZONE",
    "ensure_aware",
    "to_utc",
    "utc_from_timestamp",
    "zone",
]

DEFAULT_TIMEZONE = "Europe/Luxembourg"


def ensure_aware(dt: datetime) -> datetime:
    """Return ``dt`` unchanged if it is timezone-aware; raise ``ValueError`` if naive."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime not allowed: {dt.isoformat()}")
    return dt


def to_utc(dt: datetime) -> datetime:
    """Convert an aware datetime to UTC (naive input raises ``ValueError``)."""
    return ensure_aware(dt).astimezone(UTC)


def utc_from_timestamp(ts: float) -> datetime:
    """Aware UTC datetime for a POSIX timestamp in seconds."""
    return datetime.fromtimestamp(ts, tz=UTC)


def zone(name: str) -> zoneinfo.ZoneInfo:
    """Look up an IANA time zone, e.g. ``zone("Europe/Luxembourg")``.

    Unknown or malformed names raise ``ValidationFailed`` for field ``timezone``.
    """
    if not isinstance(name, str) or not name:
        raise ValidationFailed.for_field("timezone", f"unknown time zone {name!r}")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationFailed.for_field("timezone", f"unknown time zone {name!r}") from None
