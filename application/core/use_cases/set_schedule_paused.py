from __future__ import annotations

import attrs

from application.core.ports import CoreMaintenance, CoreUnitOfWork
from application.shared.ports import Clock
from contracts.core.dto import ScheduleStateView
from domain.shared.errors import NotFound


@attrs.frozen(kw_only=True)
class SetSchedulePaused:
    schedule: str  # "<module>.<task>"
    paused: bool
    actor: str


def set_schedule_paused(
    cmd: SetSchedulePaused, *, uow: CoreUnitOfWork, clock: Clock, maintenance: CoreMaintenance
) -> ScheduleStateView:
    """Pause or resume one schedule; a paused schedule fires nothing until resumed."""
    known = maintenance.schedule_names()
    if cmd.schedule not in known:
        raise NotFound(f"unknown schedule '{cmd.schedule}' (known: {', '.join(sorted(known))})")
    with uow:
        uow.schedules.set_paused(cmd.schedule, cmd.paused, clock.now())
        uow.audit("schedule.paused" if cmd.paused else "schedule.resumed", actor=cmd.actor, at=clock.now(),
                  target_type="schedule", target_id=cmd.schedule)
        uow.commit()
    return next(s for s in maintenance.schedules() if s.name == cmd.schedule)
