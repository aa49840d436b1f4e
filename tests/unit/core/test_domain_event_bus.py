from __future__ import annotations

import logging
from datetime import UTC, datetime

import attrs
import pytest

from application.shared.bus import DomainEventBus
from application.shared.modules import OPTIONAL, ModuleDefinition, ModuleRegistry
from domain.shared.events import DomainEvent


@attrs.frozen(kw_only=True)
class Shipped(DomainEvent):
    order: int


@attrs.frozen(kw_only=True)
class Cancelled(DomainEvent):
    order: int


def test_each_handler_runs_and_a_failing_one_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[tuple[str, int, str]] = []

    def broken(event: Shipped, ctx: str) -> None:
        raise RuntimeError("mailer down")

    def notify(event: Shipped, ctx: str) -> None:
        calls.append(("notify", event.order, ctx))

    def count(event: Cancelled, ctx: str) -> None:
        calls.append(("count", event.order, ctx))

    shop = ModuleDefinition(code="shop", name="Shop", classification=OPTIONAL,
                            event_handlers={Shipped: (broken, notify), Cancelled: (count,)})
    other = ModuleDefinition(code="other", name="Other", classification=OPTIONAL,
                             event_handlers={Shipped: (notify,)})
    contexts: list[str] = []

    def context(code: str) -> str:
        contexts.append(code)
        return f"ctx:{code}"

    bus = DomainEventBus(ModuleRegistry([shop, other]), context)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    with caplog.at_level(logging.ERROR, logger="wizamart.events"):
        bus.dispatch("shop", [Shipped(occurred_at=now, order=1), Cancelled(occurred_at=now, order=2)])

    # Only the publishing module's handlers run (domain events stay inside their module),
    # each with a context of its own, and the failure did not stop the others.
    assert calls == [("notify", 1, "ctx:shop"), ("count", 2, "ctx:shop")]
    assert contexts == ["shop", "shop", "shop"]
    [record] = caplog.records
    assert record.message == "domain event handler failed"
    assert record.handler.endswith("broken") and record.event_type == "Shipped" and record.module_code == "shop"
    assert "mailer down" in caplog.text
