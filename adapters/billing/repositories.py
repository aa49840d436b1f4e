"""SQL repositories, set-based maintenance and the PlanLimits facade of the billing module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.orm import Session

from adapters.billing.orm import checkout_sessions, stripe_events, usage
from adapters.billing.orm import subscriptions as subs
from adapters.sql.types import plus_days
from adapters.sql.uow import SqlUnitOfWork
from contracts.billing.dto import LimitCheck
from domain.billing.model import (
    ACCESS_STATES,
    METRICS,
    PERIOD,
    Invoice,
    Subscription,
    SubscriptionState,
    Tier,
    remaining,
    usage_windows,
    within_limit,
)
from domain.shared.errors import FieldError, NotFound, ValidationFailed
from domain.shared.time import utc_from_timestamp


class SqlTiers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, tier: Tier) -> None:
        self._s.add(tier)

    def get(self, code: str) -> Tier:
        tier = self._s.scalars(select(Tier).where(Tier.code == code)).first()
        if tier is None:
            raise NotFound(f"tier '{code}' not found")
        return tier

    def list(self, *, include_retired: bool = True) -> list[Tier]:
        query = select(Tier).order_by(Tier.sort_order, Tier.code)
        if not include_retired:
            query = query.where(Tier.retired.is_(False))
        return list(self._s.scalars(query))

    def remove(self, tier: Tier) -> None:
        self._s.delete(tier)

    def in_use(self, code: str) -> int:
        return self._s.scalar(select(func.count()).select_from(subs).where(subs.c.tier_code == code)) or 0


class SqlSubscriptions:
    """One platform's subscriptions."""

    def __init__(self, session: Session, platform_id: int) -> None:
        self._s = session
        self.platform_id = platform_id

    def _query(self):  # type: ignore[no-untyped-def]
        return select(Subscription).where(Subscription.platform_id == self.platform_id)

    def add(self, subscription: Subscription) -> None:
        if subscription.platform_id != self.platform_id:
            raise NotFound("subscription belongs to another platform")
        self._s.add(subscription)

    def find(self, vendor_id: int) -> Subscription | None:
        return self._s.scalars(self._query().where(Subscription.vendor_id == vendor_id)).first()

    def of_vendor(self, vendor_id: int) -> Subscription:
        found = self.find(vendor_id)
        if found is None:
            raise NotFound(f"no subscription for vendor {vendor_id}")
        return found

    def list(self, *, state: str | None, tier: str | None) -> list[Subscription]:
        query = self._query().where(Subscription.archived_at.is_(None)).order_by(Subscription.vendor_id)
        if state is not None:
            query = query.where(Subscription.state == state)
        if tier is not None:
            query = query.where(Subscription.tier_code == tier)
        return list(self._s.scalars(query))


class SqlUsage:
    def __init__(self, session: Session) -> None:
        self._s = session

    def used(self, vendor_id: int, windows: dict[str, datetime]) -> dict[str, int]:
        rows = self._s.execute(select(usage.c.metric, usage.c.window_start, usage.c.value).where(
            usage.c.vendor_id == vendor_id, usage.c.metric.in_(list(windows)),
            usage.c.window_start.in_(set(windows.values())))).all()
        found = {r.metric: r.value for r in rows if windows[r.metric] == r.window_start}
        return {metric: found.get(metric, 0) for metric in windows}

    def _key(self, vendor_id: int, metric: str, window: datetime):  # type: ignore[no-untyped-def]
        return and_(usage.c.vendor_id == vendor_id, usage.c.metric == metric, usage.c.window_start == window)

    def _upsert(self, vendor_id: int, metric: str, window: datetime, updated: Any, inserted: int) -> None:
        """The counter's row set to ``updated`` (an expression of it), or created at ``inserted``."""
        if not self._s.execute(update(usage).where(self._key(vendor_id, metric, window)).values(value=updated)).rowcount:
            self._s.execute(insert(usage).values(vendor_id=vendor_id, metric=metric, window_start=window,
                                                 value=inserted))

    def add(self, vendor_id: int, metric: str, window: datetime, delta: int) -> None:
        self._upsert(vendor_id, metric, window, case((usage.c.value + delta < 0, 0), else_=usage.c.value + delta),
                     max(0, delta))

    def set(self, vendor_id: int, metric: str, window: datetime, value: int) -> None:
        self._upsert(vendor_id, metric, window, value, value)


class SqlBillingMaintenance:
    """Set-based statements of the scheduled tasks."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def roll_periods(self, now: datetime, platforms: list[int]) -> int:
        """Advance every ended period by one period per pass until none has ended (a vendor
        missed by an outage of several periods needs several passes; each is one UPDATE)."""
        if not platforms:
            return 0
        total = 0
        while True:
            rolled = self._s.execute(
                update(subs)
                .where(subs.c.period_end <= now, subs.c.state.in_(list(ACCESS_STATES)),
                       subs.c.platform_id.in_(platforms), subs.c.archived_at.is_(None))
                .values(period_start=subs.c.period_end, period_end=plus_days(subs.c.period_end, PERIOD.days),
                        updated_at=now)
            ).rowcount
            total += rolled
            if not rolled:
                return total

    def end_cancelled(self, now: datetime, platforms: list[int]) -> int:
        """Subscriptions without a Stripe subscription (trials) cancelled at a period end that
        has come are cancelled now; Stripe ends paid ones itself (customer.subscription.deleted)."""
        if not platforms:
            return 0
        return self._s.execute(
            update(subs)
            .where(subs.c.period_end <= now, subs.c.cancel_at_period_end.is_(True),
                   subs.c.stripe_subscription_id.is_(None), subs.c.state.in_(list(ACCESS_STATES)),
                   subs.c.platform_id.in_(platforms))
            .values(state=SubscriptionState.CANCELLED, updated_at=now)
        ).rowcount

    def archive_ended(self, before: datetime, now: datetime, platforms: list[int]) -> int:
        if not platforms:
            return 0
        return self._s.execute(
            update(subs)
            .where(subs.c.state.in_([SubscriptionState.CANCELLED, SubscriptionState.EXPIRED]),
                   subs.c.updated_at < before, subs.c.archived_at.is_(None), subs.c.platform_id.in_(platforms))
            .values(archived_at=now)
        ).rowcount

    def expire_trials(self, now: datetime, platforms: list[int]) -> list[tuple[int, int]]:
        if not platforms:
            return []
        due = and_(subs.c.state == SubscriptionState.TRIAL, subs.c.trial_end <= now,
                   subs.c.stripe_subscription_id.is_(None), subs.c.platform_id.in_(platforms))
        rows = self._s.execute(select(subs.c.vendor_id, subs.c.platform_id).where(due)).all()
        if rows:
            self._s.execute(update(subs).where(due).values(state=SubscriptionState.EXPIRED, updated_at=now))
        return [(r.vendor_id, r.platform_id) for r in rows]

    def trials_ending(self, now: datetime, until: datetime, platforms: list[int]) -> list[tuple[int, int, datetime]]:
        if not platforms:
            return []
        due = and_(subs.c.state == SubscriptionState.TRIAL, subs.c.trial_end > now, subs.c.trial_end <= until,
                   subs.c.trial_ending_notified.is_(False), subs.c.platform_id.in_(platforms))
        rows = self._s.execute(select(subs.c.vendor_id, subs.c.platform_id, subs.c.trial_end).where(due)).all()
        if rows:
            self._s.execute(update(subs).where(due).values(trial_ending_notified=True, updated_at=now))
        return [(r.vendor_id, r.platform_id, r.trial_end) for r in rows]


class SqlInvoices:
    """One vendor's invoices."""

    def __init__(self, session: Session, vendor_id: int) -> None:
        self._s = session
        self.vendor_id = vendor_id

    def list(self) -> list[Invoice]:
        return list(self._s.scalars(select(Invoice).where(Invoice.vendor_id == self.vendor_id)
                                    .order_by(Invoice.issued_at.desc(), Invoice.id.desc())))


class SqlCheckoutSessions:
    def __init__(self, session: Session) -> None:
        self._s = session

    def opened(self, session_id: str, vendor_id: int, tier_code: str, now: datetime) -> None:
        """Remember a session once (a replayed checkout returns the same session)."""
        if self._s.scalar(select(checkout_sessions.c.id).where(checkout_sessions.c.id == session_id)) is None:
            self._s.execute(insert(checkout_sessions).values(id=session_id, vendor_id=vendor_id, tier_code=tier_code,
                                                             status="open", created_at=now))

    def completed(self, session_id: str, now: datetime) -> None:
        self._s.execute(update(checkout_sessions).where(checkout_sessions.c.id == session_id)
                        .values(status="complete", closed_at=now))

    def expire_abandoned(self, before: datetime, now: datetime) -> int:
        return self._s.execute(
            update(checkout_sessions)
            .where(checkout_sessions.c.status == "open", checkout_sessions.c.created_at < before)
            .values(status="expired", closed_at=now)
        ).rowcount


class SqlStripeEvents:
    def __init__(self, session: Session) -> None:
        self._s = session

    def record(self, event: dict[str, Any], now: datetime) -> bool:
        """Store a received event; False when its id was stored before (a redelivery)."""
        if self._s.scalar(select(stripe_events.c.id).where(stripe_events.c.id == event["id"])) is not None:
            return False
        self._s.execute(insert(stripe_events).values(
            id=event["id"], type=event.get("type", ""), payload=event, status="received", attempts=0,
            created=utc_from_timestamp(int(event.get("created", 0))), received_at=now))
        return True

    def get(self, event_id: str) -> dict[str, Any]:
        # FOR UPDATE on PostgreSQL; SQLite's writing transactions are serialized already.
        row = self._s.execute(select(stripe_events).where(stripe_events.c.id == event_id)
                              .with_for_update()).mappings().first()
        if row is None:
            raise NotFound(f"Stripe event {event_id} not found")
        return dict(row)

    def mark(self, event_id: str, status: str, now: datetime, error: str | None = None) -> None:
        self._s.execute(update(stripe_events).where(stripe_events.c.id == event_id).values(
            status=status, error=error, attempts=stripe_events.c.attempts + 1,
            processed_at=now if status in ("processed", "ignored") else None))

    def pending(self, max_attempts: int) -> list[str]:
        return list(self._s.scalars(
            select(stripe_events.c.id)
            .where(stripe_events.c.status.in_(["received", "failed"]), stripe_events.c.attempts < max_attempts)
            .order_by(stripe_events.c.created, stripe_events.c.id)))


class SqlBillingUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> SqlBillingUnitOfWork:
        super().__enter__()
        self.tiers = SqlTiers(self.session)
        self.usage = SqlUsage(self.session)
        self.maintenance = SqlBillingMaintenance(self.session)
        self.stripe_events = SqlStripeEvents(self.session)
        self.checkouts = SqlCheckoutSessions(self.session)
        return self

    def subscription_by_customer(self, customer_id: str | None) -> Subscription | None:
        if not customer_id:
            return None
        return self.session.scalars(select(Subscription).where(Subscription.stripe_customer_id == customer_id)).first()

    def linked_subscriptions(self, platforms: list[int]) -> list[Subscription]:
        return list(self.session.scalars(
            select(Subscription)
            .where(Subscription.stripe_subscription_id.is_not(None), Subscription.archived_at.is_(None),
                   Subscription.platform_id.in_(platforms))
            .order_by(Subscription.id)))

    def invoice_by_stripe(self, invoice_id: str) -> Invoice | None:
        return self.session.scalars(select(Invoice).where(Invoice.stripe_invoice_id == invoice_id)).first()

    def add_invoice(self, invoice: Invoice) -> None:
        self.session.add(invoice)

    def invoices(self, vendor_id: int) -> SqlInvoices:
        return SqlInvoices(self.session, vendor_id)

    def subscription_by_stripe(self, subscription_id: str | None, vendor_id: int | None) -> Subscription | None:
        """Webhooks are not tenant-scoped: they name Stripe's subscription id (or our vendor id
        in the metadata we set at checkout)."""
        query = select(Subscription)
        if subscription_id:
            found = self.session.scalars(query.where(Subscription.stripe_subscription_id == subscription_id)).first()
            if found is not None:
                return found
        if vendor_id is not None:
            return self.session.scalars(query.where(Subscription.vendor_id == vendor_id)).first()
        return None

    def tier_by_price(self, price_id: str | None) -> str | None:
        if not price_id:
            return None
        return self.session.scalar(select(Tier.code).where(
            (Tier.stripe_monthly_price_id == price_id) | (Tier.stripe_annual_price_id == price_id)))

    def subscriptions(self, platform_id: int) -> SqlSubscriptions:
        return SqlSubscriptions(self.session, platform_id)


UNIT_OF_WORK = SqlBillingUnitOfWork


class SqlPlanLimits:
    """The PlanLimits facade (contracts.billing.facade)."""

    def __init__(self, container: Any) -> None:
        self._container = container

    def _policy(self) -> str:
        return self._container.configuration.module("billing").over_limit

    def check(self, platform_id: int, vendor_id: int, metric: str, *, wanted: int = 1,
              used: int | None = None) -> LimitCheck:
        if metric not in METRICS:
            raise ValidationFailed(errors=[FieldError("metric", f"choose from {', '.join(METRICS)}")])
        if not self._container.accepts("billing", platform_id):
            return LimitCheck(allowed=True, metric=metric, limit=None, used=0, remaining=None,
                              reason="billing is off for this platform")
        now = self._container.clock.now()
        # Read-only: callers ask from inside their own write transaction.
        with self._container.unit_of_work("billing", read_only=True) as uow:
            subscription = uow.subscriptions(platform_id).find(vendor_id)
            if subscription is None or not subscription.has_access:
                state = subscription.state if subscription else "missing"
                return LimitCheck(allowed=False, metric=metric, limit=0, used=0, remaining=0,
                                  reason=f"subscription {state}")
            limit = uow.tiers.get(subscription.tier_code).limit(metric)
            if used is None:
                used = uow.usage.used(vendor_id, {metric: usage_windows(subscription, now)[metric]})[metric]
        left = remaining(limit, used)
        if within_limit(limit, used, wanted):
            return LimitCheck(allowed=True, metric=metric, limit=limit, used=used, remaining=left)
        flag = self._policy() == "flag"
        return LimitCheck(allowed=flag, flagged=flag, metric=metric, limit=limit, used=used, remaining=left,
                          reason=f"plan limit of {limit} {metric} reached")


class BillingServices:
    """The billing module's extra ports: the PlanLimits facade and the payment gateway."""

    def __init__(self, container: Any) -> None:
        from adapters.billing.stripe_gateway import StripeBillingGateway

        config = container.configuration.module("billing")
        self.limits = SqlPlanLimits(container)
        self.gateway = (
            StripeBillingGateway(config.stripe_api_key.get_secret_value(), config.stripe_api_url,
                                 timeout=config.stripe_timeout_seconds)
            if config.stripe_api_key is not None else None
        )


def services(container: Any) -> BillingServices:
    return BillingServices(container)
