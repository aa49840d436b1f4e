"""``wizamart tasks ...``, ``wizamart scheduler ...`` and ``wizamart worker``."""

from __future__ import annotations

import getpass
import json
import signal
import threading
from datetime import datetime
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from application.core.use_cases.cancel_task_run import CancelTaskRun, cancel_task_run
from application.core.use_cases.get_task_run import get_task_run
from application.core.use_cases.list_modules import list_modules
from application.core.use_cases.list_task_runs import list_task_runs
from application.core.use_cases.retry_task_run import RetryTaskRun, retry_task_run
from application.core.use_cases.run_task_now import RunTaskNow, run_task_now
from application.core.use_cases.set_schedule_paused import SetSchedulePaused, set_schedule_paused
from contracts.core.dto import RunTaskRequest, TaskRunQuery, TaskRunView
from domain.shared.errors import ValidationFailed
from entrypoints.cli.context import console, container
from entrypoints.worker import QUEUES, run_worker

tasks_app = typer.Typer(help="Background work: specs, runs, retry, cancel, run now.", no_args_is_help=True)
scheduler_app = typer.Typer(help="The cron scheduler.", no_args_is_help=True)


def actor() -> str:
    return f"cli:{getpass.getuser()}"


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "-"


@tasks_app.command("specs")
def specs() -> None:
    """Every task with its queue, time limit and retries."""
    table = Table("task", "queue", "time limit (s)", "retries")
    for module in list_modules(registry=container().registry):
        for t in module.tasks:
            table.add_row(t.name, t.queue, str(t.time_limit_seconds), str(t.max_retries))
    console.print(table)


@tasks_app.command("runs")
def runs(
    state: Annotated[str | None, typer.Option(help="queued, running, succeeded, failed, cancelled, dead")] = None,
    task: Annotated[str | None, typer.Option(help="<module>.<task>")] = None,
    module: Annotated[str | None, typer.Option()] = None,
    vendor: Annotated[int | None, typer.Option(help="Vendor id")] = None,
    since: Annotated[datetime | None, typer.Option(help="ISO time (UTC when no offset)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """Task runs, newest first."""
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=__import__("datetime").UTC)
    page = list_task_runs(
        TaskRunQuery(state=state, task=task, module=module, vendor_id=vendor, since=since, limit=limit, offset=offset),
        uow=container().unit_of_work("core"),
    )
    table = Table("id", "task", "state", "attempt", "progress", "enqueued", "finished",
                  title=f"{page.total} runs")
    for r in page.items:
        table.add_row(str(r.id), r.task, r.state, str(r.attempt), f"{r.progress}%",
                      _when(r.enqueued_at), _when(r.finished_at))
    console.print(table)


def _print_run(run: TaskRunView) -> None:
    for key, value in run.model_dump(mode="json").items():
        console.print(f"[bold]{key}[/bold]: {value if value is not None else '-'}", highlight=False)


@tasks_app.command("show")
def show(run_id: UUID) -> None:
    """One run in full, with its error."""
    _print_run(get_task_run(run_id, uow=container().unit_of_work("core")))


@tasks_app.command("retry")
def retry(run_id: UUID) -> None:
    """Queue a failed, dead or cancelled run again."""
    c = container()
    run = retry_task_run(RetryTaskRun(run_id=run_id, actor=actor()), uow=c.unit_of_work("core"),
                         clock=c.clock, task_queue=c.task_queue)
    console.print(f"{run.id} {run.task}: {run.state}")


@tasks_app.command("cancel")
def cancel(run_id: UUID) -> None:
    """Cancel a queued run, or ask a running one to stop."""
    c = container()
    run = cancel_task_run(CancelTaskRun(run_id=run_id, actor=actor()), uow=c.unit_of_work("core"), clock=c.clock)
    console.print(f"{run.id} {run.task}: {run.state}{' (stop requested)' if run.state == 'running' else ''}")


@tasks_app.command("run")
def run_now(
    task: Annotated[str, typer.Argument(help="<module>.<task>")],
    args: Annotated[str, typer.Option(help='Keyword arguments as JSON, e.g. {"vendor_id": 3}')] = "{}",
) -> None:
    """Enqueue a task now. In embedded mode the running server picks it up within a tick."""
    try:
        kwargs = json.loads(args)
    except json.JSONDecodeError as exc:
        raise ValidationFailed.for_field("args", f"not valid JSON: {exc.msg}") from exc
    if not isinstance(kwargs, dict):
        raise ValidationFailed.for_field("args", "must be a JSON object")
    c = container()
    run_id = run_task_now(RunTaskNow(request=RunTaskRequest(task=task, args=kwargs), actor=actor()),
                          uow=c.unit_of_work("core"), clock=c.clock, task_queue=c.task_queue)
    console.print(f"queued {task} as run {run_id}")


@scheduler_app.command("next")
def next_fire() -> None:
    """The next fire time of every schedule."""
    table = Table("schedule", "cron", "timezone", "catch-up", "next fire (UTC)", "state")
    for s in container().module_services("core").schedules():
        state = "disabled" if not s.enabled else "paused" if s.paused else "active"
        table.add_row(s.name, s.cron, s.timezone, s.catch_up, _when(s.next_fire_at), state)
    console.print(table)


def _pause(name: str, paused: bool) -> None:
    c = container()
    view = set_schedule_paused(SetSchedulePaused(schedule=name, paused=paused, actor=actor()),
                               uow=c.unit_of_work("core"), clock=c.clock,
                               maintenance=c.module_services("core"))
    console.print(f"{view.name}: {'paused' if view.paused else 'active'}")


@scheduler_app.command("pause")
def pause(name: Annotated[str, typer.Argument(help="<module>.<task>")]) -> None:
    """Pause a schedule: it fires nothing until resumed."""
    _pause(name, True)


@scheduler_app.command("resume")
def resume(name: Annotated[str, typer.Argument(help="<module>.<task>")]) -> None:
    """Resume a paused schedule."""
    _pause(name, False)


@scheduler_app.command("run")
def scheduler_run() -> None:
    """Run the scheduler loop (production: one such process; the lease keeps one leader)."""
    c = container()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print("scheduler running; Ctrl+C to stop")
    c.scheduler.run(stop, c.core_config.scheduler_tick_seconds)


def worker(
    queues: Annotated[str, typer.Option(help="Comma-separated: default, long_running, scheduled")] = ",".join(QUEUES),
    processes: Annotated[int, typer.Option(min=1, max=64)] = 1,
    threads: Annotated[int, typer.Option(min=1, max=64)] = 8,
) -> None:
    """Consume tasks from Redis (needs WIZAMART_REDIS_URL)."""
    chosen = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = sorted(set(chosen) - set(QUEUES))
    if unknown or not chosen:
        raise ValidationFailed.for_field("queues", f"unknown queues {unknown}; choose from {', '.join(QUEUES)}")
    if not container().settings.redis_url:
        raise ValidationFailed.for_field("WIZAMART_REDIS_URL", "`wizamart worker` consumes Redis; set the URL (embedded mode runs its own worker inside `wizamart serve`)")
    raise typer.Exit(run_worker(chosen, processes, threads))
