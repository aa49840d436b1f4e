"""``wizamart``: the admin command line."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

import typer
from dotenv import dotenv_values
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from rich.table import Table

from application.core.use_cases.list_modules import list_modules
from application.core.use_cases.modules_graph import modules_graph
from application.shared.config import GLOBAL_PREFIX, ConfigurationError
from application.shared.modules import discover
from entrypoints.cli import tasks as tasks_cli
from entrypoints.cli.context import console, container
from entrypoints.cli.errors import WizamartGroup

app = typer.Typer(
    name="wizamart",
    cls=WizamartGroup,
    help="Wizamart admin command line.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# --------------------------------------------------------------------------- db
db_app = typer.Typer(help="Schema migrations (one history per module).", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    module: Annotated[str | None, typer.Argument(help="Only this module (default: all)")] = None,
) -> None:
    """Apply migrations of every module, or of one module (and what it depends on)."""
    c = container()
    c.migrator.upgrade(module)
    for code, head in c.migrator.current(c.engine).items():
        console.print(f"{code}: {head or '-'}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="base, <module>@base, a revision id, or -1")],
) -> None:
    """Revert migrations down to REVISION."""
    c = container()
    c.migrator.downgrade(revision)
    for code, head in c.migrator.current(c.engine).items():
        console.print(f"{code}: {head or '-'}")


@db_app.command("current")
def db_current() -> None:
    """The applied revision of each module, and whether it is the newest."""
    c = container()
    heads = c.migrator.heads()
    for code, rev in c.migrator.current(c.engine).items():
        state = "up to date" if rev == heads[code] else f"behind (head {heads[code]})"
        console.print(f"{code}: {rev or '-'}  {state}")


@db_app.command("history")
def db_history() -> None:
    """Every revision of every module, newest first."""
    table = Table("module", "revision", "message")
    for module, rev, message in container().migrator.history():
        table.add_row(module, rev, message)
    console.print(table)


@db_app.command("revision")
def db_revision(
    module: Annotated[str, typer.Argument(help="The module the revision belongs to")],
    message: Annotated[str, typer.Option("-m", "--message", help="What the revision does")],
    autogenerate: Annotated[
        bool, typer.Option("--autogenerate", help="Diff the module's tables against the database")
    ] = False,
) -> None:
    """Write a new revision <module>_<NNNN>_<slug>.py in migrations/versions/<module>/."""
    path = container().migrator.revision(module, message, autogenerate=autogenerate)
    if path is None:
        console.print(f"{module}: no changes detected, no revision written")
    else:
        console.print(f"wrote {path}")


# ---------------------------------------------------------------------- modules
modules_app = typer.Typer(help="The module registry.", no_args_is_help=True)
app.add_typer(modules_app, name="modules")


@modules_app.command("list")
def modules_list() -> None:
    """Every module: code, class, requires, tasks, schedules, permissions."""
    table = Table("code", "class", "requires", "tasks", "schedules", "permissions")
    for m in list_modules(registry=discover()):
        table.add_row(
            m.code,
            m.classification,
            ", ".join(m.requires) or "-",
            "\n".join(f"{t.name} [{t.queue}]" for t in m.tasks) or "-",
            "\n".join(f"{s.task} {s.cron} {s.timezone}" for s in m.schedules) or "-",
            "\n".join(m.permissions) or "-",
        )
    console.print(table)


@modules_app.command("graph")
def modules_graph_cmd() -> None:
    """The module dependency graph as Mermaid text."""
    print(modules_graph(registry=discover()))


def _switch(module: str, platform: str, enabled: bool, preview: bool) -> None:
    from application.tenancy.use_cases.set_module_enabled import (
        SetModuleEnabled,
        preview_disable,
        set_module_enabled,
    )
    from entrypoints.cli.commands.tenancy import operator, platform_id
    from entrypoints.http.app import module_routes

    c = container()
    cmd = SetModuleEnabled(platform_id=platform_id(c, platform), module=module, enabled=enabled,
                           access=operator())
    if preview:
        p = preview_disable(cmd, uow=c.unit_of_work("tenancy"), registry=c.registry, routes=module_routes(c))
        console.print(f"disabling {module} on {platform}: {'allowed' if p.allowed else 'refused'}")
        for label, values in (("blocked by", p.blocked_by), ("schedules skipped", p.schedules),
                              ("menus hidden", p.menus), ("routes answering 404", p.routes)):
            console.print(f"  {label}: {', '.join(values) or '-'}")
        return
    view = set_module_enabled(cmd, uow=c.unit_of_work("tenancy"), clock=c.clock, registry=c.registry,
                              context=c.module_context(module) if module in c.registry else None)
    console.print(f"{view.code} on {platform}: {'enabled' if view.enabled else 'disabled'}")


@modules_app.command("enable")
def modules_enable(
    module: str, platform: Annotated[str, typer.Option(help="Platform code")]
) -> None:
    """Switch an optional module on for a platform (what it requires must be on)."""
    _switch(module, platform, True, False)


@modules_app.command("disable")
def modules_disable(
    module: str,
    platform: Annotated[str, typer.Option(help="Platform code")],
    preview: Annotated[bool, typer.Option(help="Show what it would affect; change nothing")] = False,
) -> None:
    """Switch an optional module off for a platform (its data is kept)."""
    _switch(module, platform, False, preview)


# ------------------------------------------------------------------------- demo
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo platform, company, vendors and users (idempotent). New users' passwords
    are printed once."""
    from application.tenancy.use_cases.seed_demo import seed_demo

    c = container()
    created = seed_demo(uow=c.unit_of_work("tenancy"), clock=c.clock,
                        hasher=c.module_services("tenancy").hasher, registry=c.registry)
    if not created:
        console.print("demo data present; nothing created")
    for email, password in created.items():
        console.print(f"demo user {email}  password: {password}", highlight=False)


# ----------------------------------------------------------------------- config
config_app = typer.Typer(help="Configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


def _mask(value: Any) -> str:
    if isinstance(value, SecretStr):
        return "********" if value.get_secret_value() else ""
    text = "" if value is None else str(getattr(value, "value", value))
    parts = urlsplit(text) if "://" in text else None
    if parts is not None and parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":********@")
        return urlunsplit(parts._replace(netloc=netloc))
    return text


@config_app.command("show")
def config_show() -> None:
    """The effective configuration, with its source; secrets masked."""
    c = container()
    file_values = dotenv_values(".env") if Path(".env").is_file() else {}
    table = Table("variable", "source")
    table.add_column("value", overflow="fold")
    sections: list[tuple[str, BaseSettings]] = [(GLOBAL_PREFIX, c.settings)]
    sections += [(c.registry.get(code).env_prefix, cfg) for code, cfg in c.configuration.modules.items()]
    for prefix, settings in sections:
        for field in type(settings).model_fields:
            name = f"{prefix}{field.upper()}"
            source = "env" if name in os.environ else ".env" if name in file_values else "default"
            table.add_row(name, source, _mask(getattr(settings, field)))
    console.print(table)


# ------------------------------------------------------------------------ serve
@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
) -> None:
    """Serve the HTTP API. Without WIZAMART_REDIS_URL this is the embedded mode: worker threads
    and the scheduler run inside this one process."""
    import uvicorn

    from entrypoints.http.app import create_app
    from entrypoints.worker import EmbeddedAlreadyRunning, take_process_lock

    c = container()
    c.embedded = not c.settings.redis_url
    lock = None
    if c.embedded:
        try:
            lock = take_process_lock(c)
        except EmbeddedAlreadyRunning as exc:
            raise ConfigurationError([str(exc)]) from exc
    uvicorn.run(create_app(c, embedded_lock=lock), host=host, port=port, log_config=None, access_log=False)


app.add_typer(tasks_cli.tasks_app, name="tasks")
app.add_typer(tasks_cli.scheduler_app, name="scheduler")
app.command("worker")(tasks_cli.worker)


# --------------------------------------------------------------- module sub-apps
def _add_module_apps() -> None:
    for definition in discover():
        module = importlib.import_module(f"entrypoints.cli.commands.{definition.code}")
        app.add_typer(module.app, name=definition.code.replace("_", "-"), help=definition.name)


_add_module_apps()


def main() -> None:
    app(prog_name="wizamart")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
