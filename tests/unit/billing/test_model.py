from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.billing.model import (
    ACCESS_STATES,
    STRIPE_STATUS,
    Subscription,
    SubscriptionState,
    Tier,
    TrialStarted,
    state_from_stripe,
)
from domain.shared.errors import Conflict, ValidationFailed

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)


def tier(**kwargs) -> Tier:  # type: ignore[no-untyped-def]
    return Tier(**({"code": "pro", "name": "Pro", "monthly_price_cents": 7900, "annual_price_cents": 79000} | kwargs))


def trial() -> Subscription:
    return Subscription.start_trial(vendor_id=7, platform_id=1, tier_code="pro", now=NOW, trial_days=14)


def test_tier_validation_names_each_field() -> None:
    with pytest.raises(ValidationFailed) as info:
        tier(code="Pro!", monthly_price_cents=-1, limits={"orders": -5, "widgets": 1})
    assert {e.field for e in info.value.errors} == {"code", "monthly_price_cents", "limits.orders", "limits.widgets"}
    assert tier(limits={"orders": 10}).limit("orders") == 10
    assert tier().limit("orders") is None  # unlimited


def test_all_eight_stripe_statuses_map() -> None:
    assert set(STRIPE_STATUS) == {"incomplete", "incomplete_expired", "trialing", "active", "past_due",
                                  "canceled", "unpaid", "paused"}
    granted = {s for s, state in STRIPE_STATUS.items() if state in ACCESS_STATES}
    assert granted == {"trialing", "active", "past_due"}
    assert state_from_stripe("incomplete") is None
    with pytest.raises(ValidationFailed, match="unknown Stripe status"):
        state_from_stripe("exploded")


def test_trial_start_and_event() -> None:
    sub = trial()
    assert sub.state == SubscriptionState.TRIAL and sub.has_access
    assert sub.trial_end == NOW + timedelta(days=14) and sub.period_end >= sub.trial_end
    [event] = sub.pull_events()
    assert isinstance(event, TrialStarted) and event.vendor_id == 7


def test_tier_change_cancel_reactivate_extend() -> None:
    sub = trial()
    sub.change_tier(tier(code="business"), NOW)
    assert sub.tier_code == "business"
    with pytest.raises(Conflict, match="retired"):
        sub.change_tier(tier(code="old", retired=True), NOW)
    sub.cancel_at_end(NOW)
    assert sub.cancel_at_period_end and sub.has_access
    sub.reactivate(NOW)
    assert not sub.cancel_at_period_end
    sub.extend_trial(7, NOW)
    assert sub.trial_end == NOW + timedelta(days=21)
    with pytest.raises(ValidationFailed):
        sub.extend_trial(0, NOW)


def test_lost_access_needs_a_new_checkout() -> None:
    sub = trial()
    sub.apply_stripe_status("canceled", NOW)
    assert sub.state == SubscriptionState.CANCELLED and not sub.has_access
    for change in (lambda: sub.cancel_at_end(NOW), lambda: sub.reactivate(NOW),
                   lambda: sub.change_tier(tier(), NOW), lambda: sub.extend_trial(3, NOW)):
        with pytest.raises(Conflict):
            change()
    sub.apply_stripe_status("incomplete", NOW)  # never provisions, never revokes
    assert sub.state == SubscriptionState.CANCELLED
