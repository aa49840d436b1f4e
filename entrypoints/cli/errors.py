"""Exit codes: 0 success, 1 user error (one-line reason on stderr), 2 usage."""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError
from typer.core import TyperGroup

from application.shared.config import ConfigurationError
from application.shared.modules import ModuleDefinitionError
from domain.shared.errors import DomainError
from entrypoints.cli.context import err_console

USER_ERRORS = (DomainError, ConfigurationError, ModuleDefinitionError)


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class WizamartGroup(TyperGroup):
    """Turns domain and configuration errors raised by any command into exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            _fail(one_line(exc))
            raise typer.Exit(1) from exc
        except (OperationalError, ProgrammingError) as exc:
            reason = one_line(exc.orig) if exc.orig is not None else one_line(exc)
            _fail(f"database: {reason} (is it reachable and migrated? `wizamart db upgrade`)")
            raise typer.Exit(1) from exc


def _fail(message: str) -> None:
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
