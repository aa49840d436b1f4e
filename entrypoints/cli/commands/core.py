"""``wizamart core ...``: the audit log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from application.core.use_cases.list_audit_entries import ListAuditEntries, list_audit_entries
from entrypoints.cli.context import console, container

app = typer.Typer(help="Core platform plumbing.", no_args_is_help=True)


@app.command("audit")
def audit(
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many entries")] = 20,
    action: Annotated[str | None, typer.Option(help="Only this action")] = None,
) -> None:
    """The newest audit-log entries."""
    c = container()
    page = list_audit_entries(
        ListAuditEntries(limit=limit, action=action), uow=c.unit_of_work("core")
    )
    table = Table("when", "actor", "action", "target", title=f"{page.total} entries")
    for e in page.items:
        target = f"{e.target_type}:{e.target_id}" if e.target_type else "-"
        table.add_row(e.occurred_at.isoformat(timespec="seconds"), e.actor, e.action, target)
    console.print(table)
