"""What a module's hooks receive from the composition root."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from application.shared.ports import Clock


@attrs.frozen
class HealthReport:
    ok: bool
    detail: str = ""


@attrs.frozen
class ModuleContext:
    """The wiring of one module: its config, the clock and a factory of its unit of work."""

    code: str
    config: Any
    clock: Clock
    unit_of_work: Callable[[], Any]
