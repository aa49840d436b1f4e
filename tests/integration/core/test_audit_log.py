from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from application.core.use_cases.list_audit_entries import ListAuditEntries, list_audit_entries
from application.core.use_cases.record_audit_entry import RecordAuditEntry, record_audit_entry
from application.shared.clock import FrozenClock
from domain.shared.errors import ValidationFailed

START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def test_entries_are_listed_newest_first_with_filters(container) -> None:  # type: ignore[no-untyped-def]
    clock = FrozenClock(START)
    for i, (action, platform) in enumerate(
        [("module.enabled", 1), ("module.disabled", 1), ("module.enabled", 2)]
    ):
        record_audit_entry(
            RecordAuditEntry(
                actor="admin@example.lu",
                action=action,
                platform_id=platform,
                target_type="module",
                target_id="billing",
                details={"n": i},
            ),
            uow=container.unit_of_work("core"),
            clock=clock,
        )
        clock.advance(timedelta(minutes=1))

    page = list_audit_entries(ListAuditEntries(), uow=container.unit_of_work("core"))
    assert page.total == 3
    assert [e.details["n"] for e in page.items] == [2, 1, 0]
    assert page.items[0].occurred_at == START + timedelta(minutes=2)

    enabled = list_audit_entries(ListAuditEntries(action="module.enabled"), uow=container.unit_of_work("core"))
    assert [e.platform_id for e in enabled.items] == [2, 1]

    recent = list_audit_entries(
        ListAuditEntries(platform_id=1, since=START + timedelta(seconds=30)),
        uow=container.unit_of_work("core"),
    )
    assert [e.action for e in recent.items] == ["module.disabled"]

    second_page = list_audit_entries(ListAuditEntries(limit=2, offset=2), uow=container.unit_of_work("core"))
    assert second_page.total == 3 and [e.details["n"] for e in second_page.items] == [0]


def test_an_entry_needs_actor_and_action(container) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="actor: must not be empty"):
        record_audit_entry(
            RecordAuditEntry(actor=" ", action="x"),
            uow=container.unit_of_work("core"),
            clock=FrozenClock(START),
        )
    assert list_audit_entries(ListAuditEntries(), uow=container.unit_of_work("core")).total == 0
