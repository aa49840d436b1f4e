"""Persisted scheduler state: the last-run pointer and pause flag per schedule, fired slots."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import attrs
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.sql.plumbing import fired_slots, schedule_state


@attrs.frozen
class ScheduleState:
    schedule: str
    last_slot_at: datetime | None = None
    paused: bool = False


def load_states(connection: Connection) -> dict[str, ScheduleState]:
    rows = connection.execute(select(schedule_state)).mappings()
    return {
        r["schedule"]: ScheduleState(r["schedule"], r["last_slot_at"], r["paused"]) for r in rows
    }


def save_state(connection: Connection, name: str, now: datetime, **values: object) -> None:
    """Upsert the state row of ``name`` with ``values`` (last_slot_at and/or paused)."""
    updated = connection.execute(
        update(schedule_state)
        .where(schedule_state.c.schedule == name)
        .values(updated_at=now, **values)
    ).rowcount
    if not updated:
        connection.execute(
            insert(schedule_state).values(
                schedule=name, updated_at=now, **{"paused": False, **values}
            )
        )


def record_fired(
    connection: Connection, name: str, slot: datetime, now: datetime, run_id: UUID
) -> bool:
    """Record that ``slot`` of ``name`` fired; False when it had already been recorded."""
    try:
        with connection.begin_nested():
            connection.execute(
                insert(fired_slots).values(
                    schedule=name, slot_at=slot, fired_at=now, task_run_id=run_id
                )
            )
    except IntegrityError:
        return False
    return True


def prune_fired(connection: Connection, before: datetime) -> int:
    return connection.execute(delete(fired_slots).where(fired_slots.c.fired_at < before)).rowcount
