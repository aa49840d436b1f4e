from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.shared.modules import CatchUp, Schedule
from application.shared.scheduling import decide, latest_slot, next_slot, slots_between

LUX = "Europe/Luxembourg"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_slot_is_local_wall_time_summer_and_winter() -> None:
    slots = slots_between("0 1 * * *", LUX, utc(2026, 7, 1), utc(2026, 7, 2, 12))
    assert slots == [utc(2026, 7, 1, 23)]  # 01:00 CEST
    slots = slots_between("0 1 * * *", LUX, utc(2026, 12, 1), utc(2026, 12, 2, 12))
    assert slots == [utc(2026, 12, 2, 0)]  # 01:00 CET


def test_spring_forward_slot_in_the_gap_fires_once_shifted_by_the_gap() -> None:
    # 2026-03-29: 02:00 CET -> 03:00 CEST; 02:30 does not exist that day.
    slots = slots_between("30 2 * * *", LUX, utc(2026, 3, 28), utc(2026, 3, 31))
    assert slots == [utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 0, 30)]


def test_spring_forward_hourly_fires_once_per_instant() -> None:
    slots = slots_between("30 * * * *", LUX, utc(2026, 3, 28, 23), utc(2026, 3, 29, 3))
    assert slots == [utc(2026, 3, 28, 23, 30), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 30)]
    assert len(set(slots)) == len(slots)


def test_fall_back_repeated_hour_fires_once() -> None:
    # 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 happens twice, fires at the first.
    slots = slots_between("30 2 * * *", LUX, utc(2026, 10, 24), utc(2026, 10, 27))
    assert slots == [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]


def test_next_and_latest_slot() -> None:
    now = utc(2026, 11, 22, 12)
    assert next_slot("0 1 * * *", LUX, now) == utc(2026, 11, 23, 0)
    assert latest_slot("0 1 * * *", LUX, now) == utc(2026, 11, 22, 0)
    assert next_slot("0 1 * * *", LUX, utc(2026, 11, 23, 0)) == utc(2026, 11, 24, 0)


DAILY = Schedule("reset", cron="5 0 * * *", catch_up=CatchUp.LATEST)
DAILY_NONE = Schedule("reset", cron="5 0 * * *", catch_up=CatchUp.NONE)


def test_first_start_fires_nothing_for_the_past() -> None:
    decision = decide(DAILY, None, utc(2026, 11, 22, 12))
    assert decision is not None and decision.fire is None and decision.pointer == utc(2026, 11, 22, 12)


def test_nothing_due() -> None:
    assert decide(DAILY, utc(2026, 11, 22, 12), utc(2026, 11, 22, 13)) is None


def test_restart_after_three_day_outage_fires_the_latest_slot_once() -> None:
    last = utc(2026, 11, 18, 23, 5)  # slot of 19 Nov 00:05 CET
    now = utc(2026, 11, 22, 12)
    decision = decide(DAILY, last, now)
    assert decision.fire == utc(2026, 11, 21, 23, 5)  # 22 Nov 00:05 CET
    assert decision.skipped == 2
    assert decision.pointer == decision.fire
    assert decide(DAILY, decision.pointer, now) is None  # the next tick replays nothing


def test_catch_up_none_skips_slots_older_than_the_grace() -> None:
    last = utc(2026, 11, 18, 23, 5)
    decision = decide(DAILY_NONE, last, utc(2026, 11, 22, 12))
    assert decision.fire is None and decision.skipped == 3 and decision.pointer == utc(2026, 11, 21, 23, 5)
    on_time = decide(DAILY_NONE, last, utc(2026, 11, 21, 23, 7))
    assert on_time.fire == utc(2026, 11, 21, 23, 5)


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)),
    hours=st.integers(min_value=0, max_value=24 * 3),
    cron=st.sampled_from(["* * * * *", "*/7 * * * *", "30 * * * *", "30 2 * * *", "0 0 * * 0", "5 0 1 * *"]),
)
def test_slots_are_sorted_unique_within_bounds_and_match_next_slot(start: datetime, hours: int, cron: str) -> None:
    end = start + timedelta(hours=hours)
    slots = slots_between(cron, LUX, start, end)
    assert slots == sorted(set(slots))
    assert all(start < s <= end for s in slots)
    if slots:
        assert next_slot(cron, LUX, start) == slots[0]
        assert latest_slot(cron, LUX, end) == slots[-1]


@pytest.mark.parametrize("tz", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_other_time_zones(tz: str) -> None:
    slots = slots_between("0 9 * * *", tz, utc(2026, 6, 1), utc(2026, 6, 2))
    assert len(slots) == 1
    assert slots[0].astimezone(__import__("zoneinfo").ZoneInfo(tz)).hour == 9
