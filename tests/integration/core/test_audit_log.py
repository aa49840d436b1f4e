from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from application.core.use_cases.list_audit_entries import ListAuditEntries, list_audit_entries
from domain.shared.errors import ValidationFailed

START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def record(container, at: datetime, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with container.unit_of_work("core") as uow:
        uow.audit(at=at, **kwargs)
        uow.commit()


def test_entries_are_listed_newest_first_with_filters(container) -> None:  # type: ignore[no-untyped-def]
    for i, (action, platform) in enumerate([("module.enabled", 1), ("module.disabled", 1), ("module.enabled", 2)]):
        record(container, START + timedelta(minutes=i), action=action, actor="admin@example.lu",
               platform_id=platform, target_type="module", target_id="billing", details={"n": i})

    page = list_audit_entries(ListAuditEntries(), uow=container.unit_of_work("core"))
    assert page.total == 3
    assert [e.details["n"] for e in page.items] == [2, 1, 0]
    assert page.items[0].occurred_at == START + timedelta(minutes=2)

    enabled = list_audit_entries(ListAuditEntries(action="module.enabled"), uow=container.unit_of_work("core"))
    assert [e.platform_id for e in enabled.items] == [2, 1]

    recent = list_audit_entries(
        ListAuditEntries(platform_id=1, since=START + timedelta(seconds=30)), uow=container.unit_of_work("core")
    )
    assert [e.action for e in recent.items] == ["module.disabled"]

    second_page = list_audit_entries(ListAuditEntries(limit=2, offset=2), uow=container.unit_of_work("core"))
    assert second_page.total == 3 and [e.details["n"] for e in second_page.items] == [0]


def test_an_entry_needs_actor_and_action_and_rolls_back_with_the_change(container) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="actor: must not be empty"):
        record(container, START, action="x", actor=" ")
    with container.unit_of_work("core") as uow:
        uow.audit("kept only on commit", actor="me", at=START)  # no commit
    assert list_audit_entries(ListAuditEntries(), uow=container.unit_of_work("core")).total == 0
