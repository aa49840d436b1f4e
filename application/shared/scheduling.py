"""Cron slot arithmetic in a schedule's own time zone, with wall-clock semantics.

Cron expressions are read against local wall time (``0 2 * * *`` is 02:00 in Luxembourg, summer
or winter). Each wall-time slot fires once: a slot that falls in the spring-forward gap is moved
forward by the length of the gap (02:30 on the last Sunday of March fires at 03:30 local); a slot
in the repeated fall-back hour fires at its first occurrence only. Slots that land on the same
instant are one slot. croniter only ever sees naive local times, so its DST handling is not
relied on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from croniter import croniter

from application.shared.modules import CatchUp, Schedule
from domain.shared.time import ensure_aware, zone

DEFAULT_GRACE = timedelta(minutes=5)


def _to_utc(local_naive: datetime, tz_name: str) -> datetime:
    # fold=0: a repeated wall time means its first occurrence; a skipped one maps forward.
    return local_naive.replace(tzinfo=zone(tz_name), fold=0).astimezone(UTC)


def slots_between(cron: str, tz_name: str, after: datetime, until: datetime) -> list[datetime]:
    """Every slot instant (UTC) with ``after < slot <= until``, ascending."""
    after, until = ensure_aware(after), ensure_aware(until)
    tz = zone(tz_name)
    # Start a little early so a slot that maps forward out of a DST gap is not missed.
    start = after.astimezone(tz).replace(tzinfo=None) - timedelta(hours=3)
    stop = until.astimezone(tz).replace(tzinfo=None) + timedelta(hours=3)
    out: set[datetime] = set()
    it = croniter(cron, start)
    while (local := it.get_next(datetime)) <= stop:
        instant = _to_utc(local, tz_name)
        if after < instant <= until:
            out.add(instant)
    return sorted(out)


def latest_slot(cron: str, tz_name: str, until: datetime) -> datetime | None:
    """The most recent slot instant at or before ``until`` (None if none in the last 400 days)."""
    until = ensure_aware(until)
    tz = zone(tz_name)
    it = croniter(cron, until.astimezone(tz).replace(tzinfo=None) + timedelta(hours=3, seconds=1))
    floor = until - timedelta(days=400)
    while True:
        local = it.get_prev(datetime)
        instant = _to_utc(local, tz_name)
        if instant <= until:
            return instant
        if instant < floor:
            return None


def next_slot(cron: str, tz_name: str, after: datetime) -> datetime:
    """The first slot instant strictly after ``after``."""
    after = ensure_aware(after)
    tz = zone(tz_name)
    it = croniter(cron, after.astimezone(tz).replace(tzinfo=None) - timedelta(hours=3))
    while True:
        instant = _to_utc(it.get_next(datetime), tz_name)
        if instant > after:
            return instant


@attrs.frozen
class Decision:
    fire: datetime | None  # the slot to fire now, if any
    pointer: datetime  # the new last-run pointer
    skipped: int = 0  # missed slots not fired (catch-up policy)


def decide(
    schedule: Schedule, last_slot: datetime | None, now: datetime, grace: timedelta = DEFAULT_GRACE
) -> Decision | None:
    """What a scheduler tick does for one schedule. None: nothing is due.

    * No pointer yet (first start): start counting from now; nothing fires for the past.
    * ``catch_up=latest``: of the slots missed since the pointer, fire the most recent once.
    * ``catch_up=none``: fire the most recent slot only if it is within ``grace`` of now.
    Older missed slots are never replayed, so a restart after an outage fires at most one.
    """
    now = ensure_aware(now)
    if last_slot is None:
        return Decision(fire=None, pointer=now)
    due = slots_between(schedule.cron, schedule.timezone, last_slot, now)
    if not due:
        return None
    latest = due[-1]
    if schedule.catch_up is CatchUp.NONE and now - latest > grace:
        return Decision(fire=None, pointer=latest, skipped=len(due))
    return Decision(fire=latest, pointer=latest, skipped=len(due) - 1)
