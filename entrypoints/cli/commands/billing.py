"""``wizamart billing ...``: plan tiers and subscriptions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from application.billing.use_cases.invoices import list_invoices
from application.billing.use_cases.manage_tiers import list_tiers
from application.billing.use_cases.subscriptions import extend_trial, list_subscriptions, override_tier
from contracts.billing.dto import SubscriptionView
from domain.shared.money import Money
from entrypoints.cli.commands.tenancy import PlatformOption, operator, platform_id, vendor_of
from entrypoints.cli.context import console, container

app = typer.Typer(help="Plan tiers and vendor subscriptions.", no_args_is_help=True)
tiers_app = typer.Typer(help="Plan tiers.", no_args_is_help=True)
subscriptions_app = typer.Typer(help="Vendor subscriptions.", no_args_is_help=True)
app.add_typer(tiers_app, name="tiers")
app.add_typer(subscriptions_app, name="subscriptions")


def _amount(cents: int, currency: str) -> str:
    return str(Money(cents, currency))


@tiers_app.command("list")
def tiers_list() -> None:
    """Every tier with prices and limits (retired ones marked)."""
    table = Table("code", "name", "monthly", "annual", "limits", "state")
    for t in list_tiers(uow=container().unit_of_work("billing")):
        limits = ", ".join(f"{k}={'∞' if v is None else v}" for k, v in t.limits.items()) or "-"
        state = "retired" if t.retired else ("public" if t.public else "hidden")
        table.add_row(t.code, t.name, _amount(t.monthly_price_cents, t.currency),
                      _amount(t.annual_price_cents, t.currency), limits, state)
    console.print(table)


@subscriptions_app.command("list")
def subscriptions_list(
    platform: PlatformOption,
    state: Annotated[str | None, typer.Option(help="trial, active, past_due, cancelled, expired")] = None,
    tier: Annotated[str | None, typer.Option()] = None,
) -> None:
    """A platform's subscriptions."""
    c = container()
    table = Table("vendor", "tier", "state", "period end", "trial end", "cancels")
    for s in list_subscriptions(platform_id(c, platform), uow=c.unit_of_work("billing"), state=state, tier=tier):
        table.add_row(str(s.vendor_id), s.tier_code, s.state, s.period_end.date().isoformat(),
                      s.trial_end.date().isoformat() if s.trial_end else "-", "yes" if s.cancel_at_period_end else "")
    console.print(table)


def _show(view: SubscriptionView) -> None:
    trial = f", trial until {view.trial_end.date().isoformat()}" if view.trial_end else ""
    console.print(f"vendor {view.vendor_id}: {view.tier_code}, {view.state}{trial}")


@subscriptions_app.command("set-tier")
def subscriptions_set_tier(vendor: str, tier: str, platform: PlatformOption) -> None:
    """Put VENDOR (code) on TIER (admin override; Stripe is not told)."""
    c = container()
    pid, vid = vendor_of(c, platform, vendor)
    _show(override_tier(pid, vid, tier, uow=c.unit_of_work("billing"), actor=operator().actor, now=c.clock.now()))


@subscriptions_app.command("extend-trial")
def subscriptions_extend_trial(vendor: str, platform: PlatformOption,
                               days: Annotated[int, typer.Option(min=1, max=365)] = 14) -> None:
    """Extend VENDOR's (code) trial by DAYS."""
    c = container()
    pid, vid = vendor_of(c, platform, vendor)
    _show(extend_trial(pid, vid, days, uow=c.unit_of_work("billing"), actor=operator().actor, now=c.clock.now()))


@app.command("invoices")
def invoices(vendor: str, platform: PlatformOption) -> None:
    """VENDOR's (code) invoices: net, VAT, gross."""
    c = container()
    pid, vid = vendor_of(c, platform, vendor)
    table = Table("number", "issued", "status", "net", "VAT", "gross", "note")
    for i in list_invoices(pid, vid, uow=c.unit_of_work("billing")):
        table.add_row(i.number or i.stripe_invoice_id, i.issued_at.date().isoformat() if i.issued_at else "-",
                      i.status, _amount(i.net_cents, i.currency), f"{_amount(i.vat_cents, i.currency)} ({i.vat_rate} %)",
                      _amount(i.gross_cents, i.currency), i.vat_note)
    console.print(table)
