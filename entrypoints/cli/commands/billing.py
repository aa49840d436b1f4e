"""``wizamart billing ...``: plan tiers and subscriptions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from application.billing.use_cases.manage_tiers import list_tiers
from application.billing.use_cases.subscriptions import list_subscriptions
from entrypoints.cli.commands.tenancy import platform_id
from entrypoints.cli.context import console, container

app = typer.Typer(help="Plan tiers and vendor subscriptions.", no_args_is_help=True)
tiers_app = typer.Typer(help="Plan tiers.", no_args_is_help=True)
subscriptions_app = typer.Typer(help="Vendor subscriptions.", no_args_is_help=True)
app.add_typer(tiers_app, name="tiers")
app.add_typer(subscriptions_app, name="subscriptions")


def _euros(cents: int) -> str:
    return f"{cents / 100:.2f}"


@tiers_app.command("list")
def tiers_list() -> None:
    """Every tier with prices and limits (retired ones marked)."""
    table = Table("code", "name", "monthly", "annual", "limits", "state")
    for t in list_tiers(uow=container().unit_of_work("billing")):
        limits = ", ".join(f"{k}={'∞' if v is None else v}" for k, v in t.limits.items()) or "-"
        state = "retired" if t.retired else ("public" if t.public else "hidden")
        table.add_row(t.code, t.name, f"{_euros(t.monthly_price_cents)} {t.currency}",
                      f"{_euros(t.annual_price_cents)} {t.currency}", limits, state)
    console.print(table)


@subscriptions_app.command("list")
def subscriptions_list(
    platform: Annotated[str, typer.Option(help="Platform code")],
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
