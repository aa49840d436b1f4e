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
    from entrypoints.worker import EmbeddedAlreadyRunning

    c = container()
    c.embedded = not c.settings.redis_url
    try:
        uvicorn.run(create_app(c), host=host, port=port, log_config=None, access_log=False)
    except EmbeddedAlreadyRunning as exc:
        raise ConfigurationError([str(exc)]) from exc


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
