"""Typed identifiers.

``NewType`` gives static type checkers distinct id types at zero runtime cost:
``VendorId(3)`` is just the int ``3`` at runtime.
"""

from __future__ import annotations

import uuid
from typing import NewType

__all__ = [
    "CompanyId",
    "EventId",
    "PlatformId",
    "TaskRunId",
    "UserId",
    "VendorId",
    "new_uuid",
]

PlatformId = NewType("PlatformId", int)
CompanyId = NewType("CompanyId", int)
VendorId = NewType("VendorId", int)
UserId = NewType("UserId", int)

EventId = NewType("EventId", uuid.UUID)
TaskRunId = NewType("TaskRunId", uuid.UUID)


def new_uuid() -> uuid.UUID:
    """Return a fresh random (version 4) UUID."""
    return uuid.uuid4()
